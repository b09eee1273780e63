/**
 * `authn-pack report --aggregator NAME`: the organization-wide answer for an auditor, read from a Config aggregator.
 *
 * 1. DescribeAggregateComplianceByConfigRules (every page) lists every Config rule in every account and Region of the
 *    aggregator; the pack's rules are recognised by name (registry name, `-conformance-pack-<suffix>`,
 *    `OrgConfigRule-<name>-<suffix>`).
 * 2. DescribeConfigurationAggregatorSourcesStatus (every page) says which sources the aggregator failed to collect.
 * 3. GetAggregateComplianceDetailsByConfigRule (every page, NON_COMPLIANT and COMPLIANT) per rule × account × Region
 *    gives the failing resources with their annotations, and the documented exceptions (COMPLIANT results whose
 *    annotation starts with `Exception:`, which the rules write with the justification and expiry).
 *
 * "Failing to evaluate" is read from the aggregate compliance only: a rule whose compliance is INSUFFICIENT_DATA has
 * delivered no result. DescribeConfigRuleEvaluationStatus (the function's last error) exists only in each member
 * account, not through an aggregator, so it is not called; the report says where to look instead.
 *
 * Every call goes through an adaptive-retry client and our bounded retries; whatever still cannot be read is listed
 * as unreadable (and the command exits 3), never left out.
 */
import {
  ConfigServiceClient,
  DescribeAggregateComplianceByConfigRulesCommand,
  DescribeConfigurationAggregatorSourcesStatusCommand,
  GetAggregateComplianceDetailsByConfigRuleCommand,
  type AggregateComplianceByConfigRule,
  type AggregateEvaluationResult,
  type AggregatedSourceStatus,
  type ComplianceType,
} from '@aws-sdk/client-config-service';
import { RULES } from '../rules/index';
import { mapConcurrent } from '../rules/core/concurrency';
import { describeError } from '../rules/core/errors';
import { DEFAULT_RETRY, withRetries, type RetryPolicy } from '../rules/core/retry';
import type { AnyRule } from '../rules/core/types';
import { matchPackRule, type RuleNameForm } from './rule-names';

export interface Scope {
  readonly accountId: string;
  readonly region: string;
}

/** One of the pack's rules as deployed in one account and Region. */
export interface RuleInstance extends Scope {
  readonly control: string;
  readonly ruleName: string;
  readonly configRuleName: string;
  readonly form: RuleNameForm;
  /** The rule's aggregate compliance: COMPLIANT, NON_COMPLIANT, INSUFFICIENT_DATA (no results), … */
  readonly compliance: string;
}

export interface ReportFinding extends Scope {
  readonly control: string;
  readonly ruleName: string;
  readonly configRuleName: string;
  readonly resourceType: string;
  readonly resourceId: string;
  readonly annotation: string;
  /** When Config recorded the result (ISO), if it says. */
  readonly recordedAt: string | null;
}

export interface NonCompliantFinding extends ReportFinding {
  /** The fix, as a command with placeholders for what the resource id does not say. */
  readonly remediation: string;
}

export type ExpiryState = 'no-expiry' | 'valid' | 'expiring' | 'expired';

export interface ExceptionFinding extends ReportFinding {
  readonly justification: string;
  /** YYYY-MM-DD (valid through that UTC day), or null when the exception has no expiry. */
  readonly expires: string | null;
  /** Resource-wide (API-wide for routes) rather than naming this resource. */
  readonly wide: boolean;
  /** Days from the report's day to the expiry day (0: expires today; negative: already past). */
  readonly daysLeft: number | null;
  /** `expiring`: within --expiring-within days; `expired`: past, though Config still shows it as an exception. */
  readonly state: ExpiryState;
}

export interface MissingRules extends Scope {
  /** Controls whose rule is absent here although others of the pack are present. */
  readonly missing: readonly string[];
  readonly present: readonly string[];
}

export interface NotEvaluating extends Scope {
  readonly control: string;
  readonly configRuleName: string;
  readonly compliance: string;
  readonly reason: string;
}

export interface ReportUnreadable {
  readonly scope: string;
  readonly error: string;
  readonly accountId?: string;
  readonly region?: string;
  readonly control?: string;
}

export interface SourceWarning {
  readonly sourceId: string;
  readonly sourceType: string;
  readonly region: string;
  readonly status: string;
  readonly detail: string;
}

export interface AggregateReport {
  readonly kind: 'aggregate-report';
  readonly generatedAt: string;
  readonly aggregator: string;
  readonly expiringWithinDays: number;
  /** Every account and Region the aggregator showed (from its rules and its sources). */
  readonly scopes: readonly Scope[];
  readonly rules: readonly RuleInstance[];
  readonly nonCompliant: readonly NonCompliantFinding[];
  readonly exceptions: readonly ExceptionFinding[];
  /** Accounts/Regions that hold some of the pack's rules but not all. */
  readonly missing: readonly MissingRules[];
  /** Accounts/Regions the aggregator shows (other Config rules, or a source) that hold none of the pack's rules. */
  readonly packAbsent: readonly Scope[];
  readonly notEvaluating: readonly NotEvaluating[];
  readonly sourceWarnings: readonly SourceWarning[];
  readonly unreadable: readonly ReportUnreadable[];
}

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

/** Results per page of GetAggregateComplianceDetailsByConfigRule (its maximum). */
export const DETAILS_PAGE_SIZE = 100;
const DAY_MS = 86_400_000;

// ---------------------------------------------------------------------------------------------------------------
// Exceptions, as the rules write them into annotations (rules/core/exceptions.ts applyException)

export interface ParsedException {
  readonly justification: string;
  readonly expires: string | null;
  readonly wide: boolean;
}

/**
 * `Exception: <justification> (<details>)` where details are `[<wide label>, ]expires YYYY-MM-DD` or
 * `[<wide label>, ]no expiry`. Anything else after `Exception:` is kept whole as the justification, no expiry known.
 * Undefined when the annotation is not an exception.
 */
export function parseExceptionAnnotation(annotation: string | undefined): ParsedException | undefined {
  if (annotation === undefined || !annotation.startsWith('Exception:')) return undefined;
  const body = annotation.slice('Exception:'.length).trim();
  const match = /^(.*) \((?:([^()]*?), )?(?:expires (\d{4}-\d{2}-\d{2})|(no expiry))\)$/s.exec(body);
  if (match === null) return { justification: body, expires: null, wide: false };
  return {
    justification: (match[1] ?? '').trim(),
    expires: match[3] ?? null,
    wide: (match[2] ?? '').toLowerCase().includes('wide'),
  };
}

/** Whole days from `now`'s UTC day to the expiry day; undefined for anything that is not a calendar date. */
export function daysUntil(expires: string, now: Date): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(expires);
  if (match === null) return undefined;
  const day = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (Number.isNaN(day)) return undefined;
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Math.round((day - today) / DAY_MS);
}

export function expiryState(
  expires: string | null,
  now: Date,
  withinDays: number,
): { daysLeft: number | null; state: ExpiryState } {
  if (expires === null) return { daysLeft: null, state: 'no-expiry' };
  const days = daysUntil(expires, now);
  if (days === undefined) return { daysLeft: null, state: 'no-expiry' };
  if (days < 0) return { daysLeft: days, state: 'expired' };
  return { daysLeft: days, state: days <= withinDays ? 'expiring' : 'valid' };
}

/** The fix for a failing resource from what Config reports; the control's page when the rule has no hint. */
export function remediationFor(
  rule: AnyRule,
  resourceType: string,
  resourceId: string,
  region: string,
): string {
  return (
    rule.remediationHint?.({ resourceType, resourceId, region }) ?? `see docs/controls/${rule.control}.md`
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the aggregator

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

const scopeKey = (scope: Scope): string => `${scope.accountId}\u0000${scope.region}`;

function compareScopes(a: Scope, b: Scope): number {
  return a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region);
}

export async function buildAggregateReport(
  options: ReportOptions,
  dependencies: ReportDependencies,
): Promise<AggregateReport> {
  const rules = options.rules ?? RULES;
  const { client } = dependencies;
  const retry = dependencies.retry ?? DEFAULT_RETRY;
  const aggregator = options.aggregator;
  const unreadable: ReportUnreadable[] = [];
  const sourceWarnings: SourceWarning[] = [];
  const scopes = new Map<string, Scope>();
  const addScope = (accountId: string | undefined, region: string | undefined): void => {
    if (accountId === undefined || region === undefined || accountId === '' || region === '') return;
    scopes.set(scopeKey({ accountId, region }), { accountId, region });
  };

  // 1. Every Config rule of every account and Region.
  let listed: AggregateComplianceByConfigRule[] = [];
  try {
    listed = await allPages(
      retry,
      (token) =>
        client.send(
          new DescribeAggregateComplianceByConfigRulesCommand({
            ConfigurationAggregatorName: aggregator,
            ...(token === undefined ? {} : { NextToken: token }),
          }),
        ),
      (page) => page.AggregateComplianceByConfigRules,
      (page) => page.NextToken,
    );
  } catch (error) {
    unreadable.push({
      scope: `aggregator ${aggregator}: the list of Config rules and their compliance (DescribeAggregateComplianceByConfigRules)`,
      error: describeError(error),
    });
  }

  // 2. Sources the aggregator could not collect.
  let sources: AggregatedSourceStatus[] = [];
  try {
    sources = await allPages(
      retry,
      (token) =>
        client.send(
          new DescribeConfigurationAggregatorSourcesStatusCommand({
            ConfigurationAggregatorName: aggregator,
            ...(token === undefined ? {} : { NextToken: token }),
          }),
        ),
      (page) => page.AggregatedSourceStatusList,
      (page) => page.NextToken,
    );
  } catch (error) {
    unreadable.push({
      scope: `aggregator ${aggregator}: the status of its sources (DescribeConfigurationAggregatorSourcesStatus)`,
      error: describeError(error),
    });
  }
  for (const source of sources) {
    const sourceId = source.SourceId ?? '(unknown source)';
    const region = source.AwsRegion ?? '(unknown region)';
    const isAccount = source.SourceType === 'ACCOUNT';
    if (isAccount) addScope(source.SourceId, source.AwsRegion);
    const detail = [source.LastErrorCode, source.LastErrorMessage]
      .filter((part) => part !== undefined && part !== '')
      .join(': ');
    if (source.LastUpdateStatus === 'FAILED') {
      unreadable.push({
        scope: `${isAccount ? 'account' : (source.SourceType ?? 'source').toLowerCase()} ${sourceId} in ${region}: the aggregator could not collect its data`,
        error: detail === '' ? 'aggregation FAILED' : `aggregation FAILED: ${detail}`,
        ...(isAccount ? { accountId: sourceId } : {}),
        region,
      });
    } else if (source.LastUpdateStatus === 'OUTDATED') {
      sourceWarnings.push({
        sourceId,
        sourceType: source.SourceType ?? '',
        region,
        status: 'OUTDATED',
        detail: `last collected ${source.LastUpdateTime?.toISOString() ?? 'at an unknown time'}${detail === '' ? '' : ` (${detail})`}`,
      });
    }
  }

  // The pack's rules among them.
  const instances: RuleInstance[] = [];
  const seenInstances = new Set<string>();
  for (const entry of listed) {
    addScope(entry.AccountId, entry.AwsRegion);
    const name = entry.ConfigRuleName;
    if (name === undefined || entry.AccountId === undefined || entry.AwsRegion === undefined) continue;
    const match = matchPackRule(name, rules);
    if (match === undefined) continue;
    const key = `${entry.AccountId}\u0000${entry.AwsRegion}\u0000${name}`;
    if (seenInstances.has(key)) continue;
    seenInstances.add(key);
    instances.push({
      accountId: entry.AccountId,
      region: entry.AwsRegion,
      control: match.rule.control,
      ruleName: match.rule.ruleName,
      configRuleName: name,
      form: match.form,
      compliance: entry.Compliance?.ComplianceType ?? 'INSUFFICIENT_DATA',
    });
  }
  const controlOrder = (control: string): number => rules.findIndex((rule) => rule.control === control);
  instances.sort(
    (a, b) =>
      controlOrder(a.control) - controlOrder(b.control) ||
      compareScopes(a, b) ||
      a.configRuleName.localeCompare(b.configRuleName),
  );

  // 3. Results per rule × account × Region.
  const nonCompliant: NonCompliantFinding[] = [];
  const exceptions: ExceptionFinding[] = [];
  const notEvaluating: NotEvaluating[] = [];
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
  await mapConcurrent(instances, options.concurrency ?? 8, async (instance) => {
    const rule = rules.find((candidate) => candidate.control === instance.control);
    if (rule === undefined) return;
    let failing: AggregateEvaluationResult[];
    let passing: AggregateEvaluationResult[];
    try {
      failing = await details(instance, 'NON_COMPLIANT');
      passing = await details(instance, 'COMPLIANT');
    } catch (error) {
      unreadable.push({
        scope: `${instance.control} (${instance.configRuleName}) in account ${instance.accountId}, ${instance.region}: its compliance results`,
        error: describeError(error),
        accountId: instance.accountId,
        region: instance.region,
        control: instance.control,
      });
      return;
    }
    const base = (result: AggregateEvaluationResult): ReportFinding => {
      const qualifier = result.EvaluationResultIdentifier?.EvaluationResultQualifier;
      return {
        control: instance.control,
        ruleName: instance.ruleName,
        configRuleName: instance.configRuleName,
        accountId: result.AccountId ?? instance.accountId,
        region: result.AwsRegion ?? instance.region,
        resourceType: qualifier?.ResourceType ?? rule.resourceType,
        resourceId: qualifier?.ResourceId ?? '(unknown resource)',
        annotation: result.Annotation ?? '',
        recordedAt: result.ResultRecordedTime?.toISOString() ?? null,
      };
    };
    for (const result of failing) {
      const finding = base(result);
      nonCompliant.push({
        ...finding,
        remediation: remediationFor(rule, finding.resourceType, finding.resourceId, finding.region),
      });
    }
    for (const result of passing) {
      const parsed = parseExceptionAnnotation(result.Annotation);
      if (parsed === undefined) continue;
      exceptions.push({
        ...base(result),
        ...parsed,
        ...expiryState(parsed.expires, options.now, options.expiringWithinDays),
      });
    }
    if (instance.compliance !== 'COMPLIANT' && instance.compliance !== 'NON_COMPLIANT') {
      notEvaluating.push({
        accountId: instance.accountId,
        region: instance.region,
        control: instance.control,
        configRuleName: instance.configRuleName,
        compliance: instance.compliance,
        reason:
          `no evaluation results (${instance.compliance}): either nothing in scope was ever evaluated or the rule's function is failing; ` +
          `check DescribeConfigRuleEvaluationStatus for ${instance.configRuleName} in that account and Region, and the function's error alarm`,
      });
    } else if (failing.length === 0 && passing.length === 0) {
      notEvaluating.push({
        accountId: instance.accountId,
        region: instance.region,
        control: instance.control,
        configRuleName: instance.configRuleName,
        compliance: instance.compliance,
        reason: `compliance is ${instance.compliance} but no COMPLIANT or NON_COMPLIANT result could be listed (aggregated data may lag; re-run later)`,
      });
    }
  });

  // Coverage: scopes with some of the pack's rules but not all, and scopes with none.
  const presentBy = new Map<string, Set<string>>();
  for (const instance of instances) {
    const key = scopeKey(instance);
    presentBy.set(key, (presentBy.get(key) ?? new Set()).add(instance.control));
  }
  const allScopes = [...scopes.values()].sort(compareScopes);
  const missing: MissingRules[] = [];
  const packAbsent: Scope[] = [];
  for (const scope of allScopes) {
    const present = presentBy.get(scopeKey(scope));
    if (present === undefined) {
      packAbsent.push(scope);
      continue;
    }
    const absent = rules.map((rule) => rule.control).filter((control) => !present.has(control));
    if (absent.length > 0) {
      missing.push({
        ...scope,
        missing: absent,
        present: rules.map((rule) => rule.control).filter((control) => present.has(control)),
      });
    }
  }

  const order = (a: ReportFinding, b: ReportFinding): number =>
    controlOrder(a.control) - controlOrder(b.control) ||
    compareScopes(a, b) ||
    a.resourceId.localeCompare(b.resourceId);
  nonCompliant.sort(order);
  exceptions.sort(order);
  notEvaluating.sort((a, b) => controlOrder(a.control) - controlOrder(b.control) || compareScopes(a, b));
  unreadable.sort(
    (a, b) =>
      (a.accountId ?? '').localeCompare(b.accountId ?? '') ||
      (a.region ?? '').localeCompare(b.region ?? '') ||
      a.scope.localeCompare(b.scope),
  );

  return {
    kind: 'aggregate-report',
    generatedAt: options.now.toISOString(),
    aggregator,
    expiringWithinDays: options.expiringWithinDays,
    scopes: allScopes,
    rules: instances,
    nonCompliant,
    exceptions,
    missing,
    packAbsent,
    notEvaluating,
    sourceWarnings,
    unreadable,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Summaries the formats share

export interface ControlRow {
  readonly control: string;
  readonly title: string;
  readonly ruleName: string;
  /** Accounts/Regions where the rule is deployed. */
  readonly deployedIn: number;
  readonly nonCompliant: number;
  readonly exceptions: number;
  readonly expiring: number;
  readonly missingIn: number;
  readonly notEvaluating: number;
  readonly unreadable: number;
}

export interface AccountRow {
  readonly accountId: string;
  readonly regions: readonly string[];
  readonly nonCompliant: number;
  readonly exceptions: number;
  readonly expiring: number;
  readonly missingRules: number;
  readonly notEvaluating: number;
  readonly unreadable: number;
}

/** Exceptions that need attention now: lapsing within the window, or already past. */
export const expiringExceptions = (report: AggregateReport): ExceptionFinding[] =>
  report.exceptions.filter((exception) => exception.state === 'expiring' || exception.state === 'expired');

export function controlRows(report: AggregateReport, rules: readonly AnyRule[] = RULES): ControlRow[] {
  const expiring = expiringExceptions(report);
  return rules.map((rule) => ({
    control: rule.control,
    title: rule.title,
    ruleName: rule.ruleName,
    deployedIn: report.rules.filter((instance) => instance.control === rule.control).length,
    nonCompliant: report.nonCompliant.filter((finding) => finding.control === rule.control).length,
    exceptions: report.exceptions.filter((finding) => finding.control === rule.control).length,
    expiring: expiring.filter((finding) => finding.control === rule.control).length,
    missingIn: report.missing.filter((gap) => gap.missing.includes(rule.control)).length,
    notEvaluating: report.notEvaluating.filter((item) => item.control === rule.control).length,
    unreadable: report.unreadable.filter((item) => item.control === rule.control).length,
  }));
}

export function accountRows(report: AggregateReport): AccountRow[] {
  const accounts = [
    ...new Set([
      ...report.scopes.map((scope) => scope.accountId),
      ...report.unreadable.flatMap((item) => (item.accountId === undefined ? [] : [item.accountId])),
    ]),
  ].sort();
  const expiring = expiringExceptions(report);
  return accounts.map((accountId) => ({
    accountId,
    regions: [
      ...new Set(report.scopes.filter((scope) => scope.accountId === accountId).map((scope) => scope.region)),
    ].sort(),
    nonCompliant: report.nonCompliant.filter((finding) => finding.accountId === accountId).length,
    exceptions: report.exceptions.filter((finding) => finding.accountId === accountId).length,
    expiring: expiring.filter((finding) => finding.accountId === accountId).length,
    missingRules: report.missing
      .filter((gap) => gap.accountId === accountId)
      .reduce((sum, gap) => sum + gap.missing.length, 0),
    notEvaluating: report.notEvaluating.filter((item) => item.accountId === accountId).length,
    unreadable: report.unreadable.filter((item) => item.accountId === accountId).length,
  }));
}
