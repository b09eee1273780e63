/**
 * Verdicts to Config: PutEvaluations in batches of at most 100, with throttling and FailedEvaluations retried.
 * An evaluation that still cannot be delivered fails the invocation with a count of what was and was not sent,
 * after every other batch has been tried.
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
  /**
   * How long one call may take before it is abandoned, so a hung call cannot outlive the invocation and leave no
   * word of what was lost (the Lambda time left, less the reserve for failing loudly); absent or undefined: no limit
   * beyond the client's own request timeout.
   */
  readonly callTimeoutMs?: () => number | undefined;
  readonly log: { warn(message: string, extra?: Record<string, unknown>): void };
}

/**
 * Errors that concern the call itself, not the batch: every further batch would fail the same way (the token, the
 * rule or the permission), so sending them would only add calls.
 */
const INVOCATION_WIDE = new Set([
  'InvalidResultTokenException',
  'NoSuchConfigRuleException',
  'AccessDeniedException',
  'UnrecognizedClientException',
  'ExpiredTokenException',
  'InvalidClientTokenId',
]);

const isInvocationWide = (error: unknown): boolean =>
  error instanceof Error && INVOCATION_WIDE.has(error.name);

/** Why one batch was not (wholly) delivered. */
interface BatchFailure {
  readonly undelivered: number;
  /** Of those, sent in a call abandoned at the deadline: Config may or may not have stored them. */
  readonly unconfirmed?: number;
  readonly reason: string;
  readonly cause?: unknown;
  /** No later batch can succeed either. */
  readonly stopsDelivery: boolean;
}

/**
 * Delivers through PutEvaluations. `TESTMODE` as result token sets TestMode (Config then stores nothing).
 * A batch that still fails after its retries does not stop the others: every remaining batch is sent while there is
 * time, and then the delivery fails with the exact counts (unless the failure concerns every call, such as a
 * rejected result token, or the rule's resource type itself: then it stops at once).
 */
export class PutEvaluationsSink implements EvaluationSink {
  /** How many evaluations Config has accepted so far in this invocation. */
  delivered = 0;
  /** How many PutEvaluations calls were made (retries included). */
  calls = 0;

  constructor(private readonly options: PutEvaluationsOptions) {}

  async deliver(evaluations: readonly Evaluation[]): Promise<void> {
    const batches = chunk(evaluations, MAX_EVALUATIONS_PER_CALL);
    const failures: BatchFailure[] = [];
    for (const [index, batch] of batches.entries()) {
      const failure = await this.deliverBatch(batch);
      if (failure === undefined) continue;
      failures.push(failure);
      if (failure.stopsDelivery) {
        const after = batches.slice(index + 1).reduce((sum, next) => sum + next.length, 0);
        if (after > 0) failures.push({ undelivered: after, reason: 'not sent', stopsDelivery: true });
        break;
      }
    }
    if (failures.length > 0) throw this.failure(failures);
  }

  private async deliverBatch(batch: readonly Evaluation[]): Promise<BatchFailure | undefined> {
    const { retry, log } = this.options;
    let pending: readonly Evaluation[] = batch;
    for (let attempt = 0; ; attempt += 1) {
      if (this.options.hasTime?.() === false) {
        return {
          undelivered: pending.length,
          reason: 'the Lambda invocation ran short of time',
          stopsDelivery: true,
        };
      }
      let failed: SdkEvaluation[];
      const signal = this.callSignal();
      try {
        failed = await this.send(pending, signal);
      } catch (error) {
        if (signal?.aborted === true) {
          return {
            undelivered: pending.length,
            unconfirmed: pending.length,
            reason: `the Lambda invocation ran short of time: a call was abandoned at the deadline (${describeError(error)})`,
            cause: error,
            stopsDelivery: true,
          };
        }
        if (rejectsResourceType(error)) {
          throw new ResourceTypeRejectedError(rejectedType(error, pending), { cause: error });
        }
        if (isRetryable(error) && attempt + 1 < retry.attempts) {
          log.warn('PutEvaluations failed; retrying', { attempt: attempt + 1, error: describeError(error) });
          await retry.sleep(backoffDelay(retry, attempt));
          continue;
        }
        return {
          undelivered: pending.length,
          reason: describeError(error),
          cause: error,
          stopsDelivery: isInvocationWide(error),
        };
      }
      if (failed.length === 0) {
        this.delivered += pending.length;
        return undefined;
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
        return {
          undelivered: pending.length,
          reason: `FailedEvaluations after ${retry.attempts} attempts: ${sample}`,
          stopsDelivery: false,
        };
      }
      log.warn('PutEvaluations returned FailedEvaluations; retrying them', {
        attempt: attempt + 1,
        failed: failed.length,
      });
      await retry.sleep(backoffDelay(retry, attempt));
    }
  }

  /** A signal that abandons the next call when it would outlast the invocation's time for it (none outside Lambda). */
  private callSignal(): AbortSignal | undefined {
    const timeoutMs = this.options.callTimeoutMs?.();
    if (timeoutMs === undefined) return undefined;
    // AbortSignal.timeout takes a whole number of milliseconds (it throws on a fraction); the budget's are fractions.
    return AbortSignal.timeout(Math.min(2 ** 31 - 1, Math.max(1, Math.floor(timeoutMs))));
  }

  private async send(
    evaluations: readonly Evaluation[],
    signal: AbortSignal | undefined,
  ): Promise<SdkEvaluation[]> {
    const { client, resultToken } = this.options;
    this.calls += 1;
    const response = await client.send(
      new PutEvaluationsCommand({
        Evaluations: [...evaluations],
        ResultToken: resultToken,
        ...(resultToken === 'TESTMODE' ? { TestMode: true } : {}),
      }),
      signal === undefined ? {} : { abortSignal: signal },
    );
    return response.FailedEvaluations ?? [];
  }

  private failure(failures: readonly BatchFailure[]): DeliveryError {
    const undelivered = failures.reduce((sum, failure) => sum + failure.undelivered, 0);
    const [first] = failures;
    const failedBatches = failures.filter((failure) => failure.reason !== 'not sent').length;
    const more = failedBatches > 1 ? `; ${failedBatches - 1} more batch(es) failed` : '';
    const notSent = failures.find((failure) => failure.reason === 'not sent');
    const skipped = notSent === undefined ? '' : `; ${notSent.undelivered} not sent after that`;
    const unconfirmed = failures.reduce((sum, failure) => sum + (failure.unconfirmed ?? 0), 0);
    const unsure = unconfirmed === 0 ? '' : `; ${unconfirmed} of them sent but not confirmed`;
    return new DeliveryError(
      `PutEvaluations could not deliver ${undelivered} evaluation(s) (${this.delivered} delivered): ${first?.reason ?? 'unknown'}${more}${skipped}${unsure}`,
      this.delivered,
      undelivered,
      { cause: first?.cause, unconfirmed },
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
