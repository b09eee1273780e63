/**
 * Verdicts to Config: PutEvaluations in batches of at most 100, with throttling and FailedEvaluations retried.
 * An evaluation that still cannot be delivered fails the invocation with a count of what was and was not sent.
 */
import {
  PutEvaluationsCommand,
  type ConfigServiceClient,
  type Evaluation as SdkEvaluation,
} from '@aws-sdk/client-config-service';
import { cutAnnotation } from './annotation';
import { DeliveryError, ResourceTypeRejectedError, describeError } from './errors';
import { backoffDelay, isRetryable, type RetryPolicy } from './retry';
import type { Compliance } from './types';

export const MAX_EVALUATIONS_PER_CALL = 100;

/** An evaluation in PutEvaluations' own shape. */
export interface Evaluation {
  readonly ComplianceResourceType: string;
  readonly ComplianceResourceId: string;
  readonly ComplianceType: Compliance;
  readonly Annotation?: string;
  readonly OrderingTimestamp: Date;
}

export function toEvaluation(
  resource: { readonly resourceType: string; readonly resourceId: string },
  compliance: Compliance,
  annotation: string,
  orderingTimestamp: Date,
): Evaluation {
  const cut = cutAnnotation(annotation);
  return {
    ComplianceResourceType: resource.resourceType,
    ComplianceResourceId: resource.resourceId,
    ComplianceType: compliance,
    ...(cut === '' ? {} : { Annotation: cut }),
    OrderingTimestamp: orderingTimestamp,
  };
}

/** Where evaluations go: Config, or (dry run) the caller. */
export interface EvaluationSink {
  deliver(evaluations: readonly Evaluation[]): Promise<void>;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

const keyOf = (evaluation: { ComplianceResourceType?: string; ComplianceResourceId?: string }): string =>
  `${evaluation.ComplianceResourceType ?? ''}|${evaluation.ComplianceResourceId ?? ''}`;

function rejectsResourceType(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  return /resource ?type .*(invalid|not (valid|supported))|only the following values are permitted/i.test(
    message,
  );
}

/** The type Config names in the rejection ("The resource type AWS::X::Y is invalid"), else the batch's first. */
function rejectedType(error: unknown, batch: readonly Evaluation[]): string {
  const message = error instanceof Error ? error.message : '';
  const named = /resource ?type\s+['"]?([A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+)/i.exec(message)?.[1];
  return named ?? batch[0]?.ComplianceResourceType ?? 'unknown';
}

export interface PutEvaluationsOptions {
  readonly client: ConfigServiceClient;
  readonly resultToken: string;
  readonly retry: RetryPolicy;
  /** Whether there is still time for another call (Lambda's remaining time); absent: always. */
  readonly hasTime?: () => boolean;
  readonly log: { warn(message: string, extra?: Record<string, unknown>): void };
}

/** Delivers through PutEvaluations. `TESTMODE` as result token sets TestMode (Config then stores nothing). */
export class PutEvaluationsSink implements EvaluationSink {
  /** How many evaluations Config has accepted so far in this invocation. */
  delivered = 0;
  /** How many PutEvaluations calls were made (retries included). */
  calls = 0;

  constructor(private readonly options: PutEvaluationsOptions) {}

  async deliver(evaluations: readonly Evaluation[]): Promise<void> {
    const batches = chunk(evaluations, MAX_EVALUATIONS_PER_CALL);
    for (const [index, batch] of batches.entries()) {
      const remainingAfter = batches.slice(index + 1).reduce((sum, next) => sum + next.length, 0);
      await this.deliverBatch(batch, remainingAfter);
    }
  }

  private async deliverBatch(batch: readonly Evaluation[], remainingAfter: number): Promise<void> {
    const { client, resultToken, retry, log } = this.options;
    let pending: readonly Evaluation[] = batch;
    for (let attempt = 0; ; attempt += 1) {
      if (this.options.hasTime?.() === false) {
        throw this.failure(pending.length + remainingAfter, 'the Lambda invocation ran short of time');
      }
      let failed: SdkEvaluation[];
      try {
        this.calls += 1;
        const response = await client.send(
          new PutEvaluationsCommand({
            Evaluations: [...pending],
            ResultToken: resultToken,
            ...(resultToken === 'TESTMODE' ? { TestMode: true } : {}),
          }),
        );
        failed = response.FailedEvaluations ?? [];
      } catch (error) {
        if (rejectsResourceType(error)) {
          throw new ResourceTypeRejectedError(rejectedType(error, pending), { cause: error });
        }
        if (isRetryable(error) && attempt + 1 < retry.attempts) {
          log.warn('PutEvaluations failed; retrying', { attempt: attempt + 1, error: describeError(error) });
          await retry.sleep(backoffDelay(retry, attempt));
          continue;
        }
        throw this.failure(pending.length + remainingAfter, describeError(error), error);
      }
      if (failed.length === 0) {
        this.delivered += pending.length;
        return;
      }
      const failedKeys = new Set(failed.map(keyOf));
      const retryable = pending.filter((evaluation) => failedKeys.has(keyOf(evaluation)));
      // Should Config name a failure we cannot match to what we sent, resend the whole batch: nothing is lost,
      // and nothing of it counts as delivered until Config accepts it.
      if (retryable.length >= failedKeys.size) {
        this.delivered += pending.length - retryable.length;
        pending = retryable;
      }
      if (attempt + 1 >= retry.attempts) {
        const sample = failed
          .slice(0, 3)
          .map(
            (evaluation) =>
              `${evaluation.ComplianceResourceType ?? '?'} ${evaluation.ComplianceResourceId ?? '?'}`,
          )
          .join(', ');
        throw this.failure(
          pending.length + remainingAfter,
          `FailedEvaluations after ${retry.attempts} attempts: ${sample}`,
        );
      }
      log.warn('PutEvaluations returned FailedEvaluations; retrying them', {
        attempt: attempt + 1,
        failed: failed.length,
      });
      await retry.sleep(backoffDelay(retry, attempt));
    }
  }

  private failure(undelivered: number, reason: string, cause?: unknown): DeliveryError {
    return new DeliveryError(
      `PutEvaluations could not deliver ${undelivered} evaluation(s) (${this.delivered} delivered): ${reason}`,
      this.delivered,
      undelivered,
      { cause },
    );
  }
}

/** Dry run: collects what would have been sent. */
export class CollectingSink implements EvaluationSink {
  readonly evaluations: Evaluation[] = [];
  deliver(evaluations: readonly Evaluation[]): Promise<void> {
    this.evaluations.push(...evaluations);
    return Promise.resolve();
  }
}

/** PutEvaluations' JSON shape with OrderingTimestamp as an ISO string (what `invoke --dry-run` prints). */
export function evaluationToJson(evaluation: Evaluation): Record<string, string> {
  return {
    ComplianceResourceType: evaluation.ComplianceResourceType,
    ComplianceResourceId: evaluation.ComplianceResourceId,
    ComplianceType: evaluation.ComplianceType,
    ...(evaluation.Annotation === undefined ? {} : { Annotation: evaluation.Annotation }),
    OrderingTimestamp: evaluation.OrderingTimestamp.toISOString(),
  };
}
