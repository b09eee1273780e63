/**
 * The three reads of `authn-pack report`, each through every page, each returning what it read and what it could
 * not (never throwing for an AWS failure, never leaving a scope out in silence):
 *
 * 1. DescribeAggregateComplianceByConfigRules: every Config rule in every account and Region of the aggregator.
 * 2. DescribeConfigurationAggregatorSourcesStatus: which sources the aggregator failed to collect.
 * 3. GetAggregateComplianceDetailsByConfigRule, NON_COMPLIANT and COMPLIANT, per rule × account × Region.
 *
 * Every call goes through the caller's adaptive-retry client and our bounded retries (rules/core/retry.ts).
 */
import {
  DescribeAggregateComplianceByConfigRulesCommand,
  DescribeConfigurationAggregatorSourcesStatusCommand,
  GetAggregateComplianceDetailsByConfigRuleCommand,
  type AggregateComplianceByConfigRule,
  type AggregateEvaluationResult,
  type AggregatedSourceStatus,
  type ComplianceType,
  type ConfigServiceClient,
} from '@aws-sdk/client-config-service';
import { mapConcurrent } from '../../rules/core/concurrency';
import { describeError } from '../../rules/core/errors';
import { DEFAULT_RETRY, withRetries, type RetryPolicy } from '../../rules/core/retry';
import type { ReportUnreadable, RuleInstance } from './model';

/** Results per page of GetAggregateComplianceDetailsByConfigRule (its maximum). */
export const DETAILS_PAGE_SIZE = 100;

/** What one read returned: the items, and the scopes it could not read. */
export interface Read<Item> {
  readonly items: readonly Item[];
  readonly unreadable: readonly ReportUnreadable[];
}

export interface AggregatorSource {
  readonly client: ConfigServiceClient;
  readonly aggregator: string;
  readonly retry?: RetryPolicy;
}

/** One deployed rule's results: the failing ones and the passing ones (where the exceptions are). */
export interface RuleResults {
  readonly instance: RuleInstance;
  readonly failing: readonly AggregateEvaluationResult[];
  readonly passing: readonly AggregateEvaluationResult[];
}

async function allPages<Page, Item>(
  retry: RetryPolicy,
  call: (token: string | undefined) => Promise<Page>,
  items: (page: Page) => readonly Item[] | undefined,
  next: (page: Page) => string | undefined,
): Promise<Item[]> {
  const out: Item[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    const page = await withRetries(retry, () => call(token));
    out.push(...(items(page) ?? []));
    token = next(page) || undefined;
    if (token !== undefined) {
      if (seen.has(token))
        throw new Error('the same NextToken came back twice; stopping rather than looping');
      seen.add(token);
    }
  } while (token !== undefined);
  return out;
}

/** Every page of one aggregator list, or nothing and the scope it could not read (never a throw). */
async function readAllOrReport<Item>(scope: string, pages: () => Promise<Item[]>): Promise<Read<Item>> {
  try {
    return { items: await pages(), unreadable: [] };
  } catch (error) {
    return { items: [], unreadable: [{ scope, error: describeError(error) }] };
  }
}

/** Every Config rule of every account and Region, with its aggregate compliance. */
export async function readRuleCompliance(
  source: AggregatorSource,
): Promise<Read<AggregateComplianceByConfigRule>> {
  const { client, aggregator } = source;
  return readAllOrReport(
    `aggregator ${aggregator}: the list of Config rules and their compliance (DescribeAggregateComplianceByConfigRules)`,
    () =>
      allPages(
        source.retry ?? DEFAULT_RETRY,
        (token) =>
          client.send(
            new DescribeAggregateComplianceByConfigRulesCommand({
              ConfigurationAggregatorName: aggregator,
              ...(token === undefined ? {} : { NextToken: token }),
            }),
          ),
        (page) => page.AggregateComplianceByConfigRules,
        (page) => page.NextToken,
      ),
  );
}

/** How the aggregator's collection from each source last went. */
export async function readSourceStatuses(source: AggregatorSource): Promise<Read<AggregatedSourceStatus>> {
  const { client, aggregator } = source;
  return readAllOrReport(
    `aggregator ${aggregator}: the status of its sources (DescribeConfigurationAggregatorSourcesStatus)`,
    () =>
      allPages(
        source.retry ?? DEFAULT_RETRY,
        (token) =>
          client.send(
            new DescribeConfigurationAggregatorSourcesStatusCommand({
              ConfigurationAggregatorName: aggregator,
              ...(token === undefined ? {} : { NextToken: token }),
            }),
          ),
        (page) => page.AggregatedSourceStatusList,
        (page) => page.NextToken,
      ),
  );
}

/** The failing and passing results of each deployed rule, `concurrency` rules at a time, in the order given. */
export async function readRuleResults(
  source: AggregatorSource,
  instances: readonly RuleInstance[],
  concurrency = 8,
): Promise<Read<RuleResults>> {
  const { client, aggregator } = source;
  const retry = source.retry ?? DEFAULT_RETRY;
  const details = (instance: RuleInstance, type: ComplianceType): Promise<AggregateEvaluationResult[]> =>
    allPages(
      retry,
      (token) =>
        client.send(
          new GetAggregateComplianceDetailsByConfigRuleCommand({
            ConfigurationAggregatorName: aggregator,
            ConfigRuleName: instance.configRuleName,
            AccountId: instance.accountId,
            AwsRegion: instance.region,
            ComplianceType: type,
            Limit: DETAILS_PAGE_SIZE,
            ...(token === undefined ? {} : { NextToken: token }),
          }),
        ),
      (page) => page.AggregateEvaluationResults,
      (page) => page.NextToken,
    );
  const reads = await mapConcurrent(
    instances,
    concurrency,
    async (instance): Promise<RuleResults | ReportUnreadable> => {
      try {
        const failing = await details(instance, 'NON_COMPLIANT');
        const passing = await details(instance, 'COMPLIANT');
        return { instance, failing, passing };
      } catch (error) {
        return {
          scope: `${instance.control} (${instance.configRuleName}) in account ${instance.accountId}, ${instance.region}: its compliance results`,
          error: describeError(error),
          accountId: instance.accountId,
          region: instance.region,
          control: instance.control,
        };
      }
    },
  );
  return {
    items: reads.filter((read): read is RuleResults => 'instance' in read),
    unreadable: reads.filter((read): read is ReportUnreadable => !('instance' in read)),
  };
}
