/**
 * Periodic rules get no delete event: a resource this rule reported before and the sweep no longer finds is
 * re-reported NOT_APPLICABLE, or its old verdict would stay in the dashboard for ever (rdklib's cleanup).
 */
import {
  GetComplianceDetailsByConfigRuleCommand,
  type ConfigServiceClient,
} from '@aws-sdk/client-config-service';
import { withRetries, type RetryPolicy } from './retry';
import type { Compliance } from './types';

export interface ReportedResult {
  readonly resourceType: string;
  readonly resourceId: string;
  readonly compliance: Compliance;
  readonly annotation?: string;
  /** When Config recorded the result (`ResultRecordedTime`); what RefreshAfterDays is measured against. */
  readonly recordedAt?: Date;
}

/** Every COMPLIANT / NON_COMPLIANT result Config holds for the rule, all pages. */
export async function readReportedResults(
  client: ConfigServiceClient,
  configRuleName: string,
  retry: RetryPolicy,
): Promise<{ results: ReportedResult[]; calls: number }> {
  const results: ReportedResult[] = [];
  // Every result repeats its type and verdict as a fresh string: share one copy of each (100,000 results).
  const shared = new Map<string, string>();
  const intern = (text: string): string => {
    const known = shared.get(text);
    if (known !== undefined) return known;
    shared.set(text, text);
    return text;
  };
  let nextToken: string | undefined;
  let calls = 0;
  do {
    const token = nextToken;
    calls += 1;
    const page = await withRetries(retry, () =>
      client.send(
        new GetComplianceDetailsByConfigRuleCommand({
          ConfigRuleName: configRuleName,
          ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT'],
          Limit: 100,
          ...(token === undefined ? {} : { NextToken: token }),
        }),
      ),
    );
    for (const result of page.EvaluationResults ?? []) {
      const qualifier = result.EvaluationResultIdentifier?.EvaluationResultQualifier;
      if (!qualifier?.ResourceType || !qualifier.ResourceId) continue;
      results.push({
        resourceType: intern(qualifier.ResourceType),
        resourceId: qualifier.ResourceId,
        compliance: intern(result.ComplianceType ?? 'NON_COMPLIANT') as Compliance,
        ...(result.Annotation === undefined ? {} : { annotation: result.Annotation }),
        ...(result.ResultRecordedTime === undefined ? {} : { recordedAt: result.ResultRecordedTime }),
      });
    }
    nextToken = page.NextToken === '' ? undefined : page.NextToken;
  } while (nextToken !== undefined);
  return { results, calls };
}

export const resourceKey = (resourceType: string, resourceId: string): string =>
  `${resourceType}|${resourceId}`;

/** The reported results whose resource is not among those just evaluated. */
export function staleResults(
  reported: readonly ReportedResult[],
  current: ReadonlySet<string>,
): ReportedResult[] {
  return reported.filter((result) => !current.has(resourceKey(result.resourceType, result.resourceId)));
}

/**
 * Values by resource type, then id: lookups without building a `type|id` string per resource, which at 100,000
 * resources costs megabytes a 256 MB function cannot spare.
 */
export class ResourceIndex<V> {
  private readonly byType = new Map<string, Map<string, V>>();

  set(resourceType: string, resourceId: string, value: V): this {
    let ids = this.byType.get(resourceType);
    if (ids === undefined) {
      ids = new Map();
      this.byType.set(resourceType, ids);
    }
    ids.set(resourceId, value);
    return this;
  }

  get(resourceType: string, resourceId: string): V | undefined {
    return this.byType.get(resourceType)?.get(resourceId);
  }

  has(resourceType: string, resourceId: string): boolean {
    return this.byType.get(resourceType)?.has(resourceId) ?? false;
  }

  /** The evaluations' resources. */
  static of(
    evaluations: Iterable<{ readonly ComplianceResourceType: string; readonly ComplianceResourceId: string }>,
  ): ResourceIndex<true> {
    const index = new ResourceIndex<true>();
    for (const evaluation of evaluations)
      index.set(evaluation.ComplianceResourceType, evaluation.ComplianceResourceId, true);
    return index;
  }
}

/** As `staleResults`, against an index of the resources just evaluated. */
export function staleAmong(
  reported: readonly ReportedResult[],
  current: ResourceIndex<unknown>,
): ReportedResult[] {
  return reported.filter((result) => !current.has(result.resourceType, result.resourceId));
}
