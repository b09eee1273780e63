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
}

/** Every COMPLIANT / NON_COMPLIANT result Config holds for the rule, all pages. */
export async function readReportedResults(
  client: ConfigServiceClient,
  configRuleName: string,
  retry: RetryPolicy,
): Promise<{ results: ReportedResult[]; calls: number }> {
  const results: ReportedResult[] = [];
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
        resourceType: qualifier.ResourceType,
        resourceId: qualifier.ResourceId,
        compliance: (result.ComplianceType ?? 'NON_COMPLIANT') as Compliance,
        ...(result.Annotation === undefined ? {} : { annotation: result.Annotation }),
      });
    }
    nextToken = page.NextToken === '' ? undefined : page.NextToken;
  } while (nextToken !== undefined);
  return { results, calls };
}

export const resourceKey = (resourceType: string, resourceId: string): string => `${resourceType}|${resourceId}`;

/** The reported results whose resource is not among those just evaluated. */
export function staleResults(
  reported: readonly ReportedResult[],
  current: ReadonlySet<string>,
): ReportedResult[] {
  return reported.filter((result) => !current.has(resourceKey(result.resourceType, result.resourceId)));
}
