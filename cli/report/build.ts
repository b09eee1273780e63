/**
 * `authn-pack report --aggregator NAME`: the organization-wide answer for an auditor, read from a Config aggregator.
 *
 * The rules of every account and Region are listed, the pack's recognised by name (registry name,
 * `-conformance-pack-<suffix>`, `OrgConfigRule-<name>-<suffix>`: cli/rule-names.ts); the aggregator's sources are
 * checked; then each of the pack's rules' results are read (cli/report/read.ts) and put together
 * (cli/report/assemble.ts). "Failing to evaluate" is read from the aggregate compliance only: a rule whose
 * compliance is INSUFFICIENT_DATA has delivered no result.
 *
 * Whatever cannot be read is listed as unreadable (and the command exits 3), never left out.
 */
import { RULES } from '../../rules/index';
import type { RetryPolicy } from '../../rules/core/retry';
import type { AnyRule } from '../../rules/core/types';
import type { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { assembleAggregateReport, packRuleInstances } from './assemble';
import type { AggregateReport } from './model';
import { readRuleCompliance, readRuleResults, readSourceStatuses } from './read';

export interface ReportOptions {
  readonly aggregator: string;
  readonly expiringWithinDays: number;
  readonly now: Date;
  /** Compliance-detail reads in flight at once (default 8). */
  readonly concurrency?: number;
  readonly rules?: readonly AnyRule[];
}

export interface ReportDependencies {
  readonly client: ConfigServiceClient;
  readonly retry?: RetryPolicy;
}

export async function buildAggregateReport(
  options: ReportOptions,
  dependencies: ReportDependencies,
): Promise<AggregateReport> {
  const rules = options.rules ?? RULES;
  const source = { aggregator: options.aggregator, ...dependencies };
  const ruleCompliance = await readRuleCompliance(source);
  const sourceStatuses = await readSourceStatuses(source);
  const instances = packRuleInstances(ruleCompliance.items, rules);
  const ruleResults = await readRuleResults(source, instances, options.concurrency);
  return assembleAggregateReport(
    { ruleCompliance, sourceStatuses, ruleResults },
    {
      aggregator: options.aggregator,
      expiringWithinDays: options.expiringWithinDays,
      now: options.now,
      rules,
    },
  );
}
