/**
 * From what the reads returned (cli/report/read.ts) to the organization report: a pure function of the AWS
 * responses, the registry and the clock, so every step can be tested without a client.
 *
 * Exceptions reach the report only as annotation text (Config keeps nothing else of a result); they are read back by
 * `parseExceptionAnnotation`, which sits beside the writer in rules/core/exceptions.ts.
 */
import type {
  AggregateComplianceByConfigRule,
  AggregateEvaluationResult,
  AggregatedSourceStatus,
} from '@aws-sdk/client-config-service';
import { exceptionExpiry, parseExceptionAnnotation } from '../../rules/core/exceptions';
import type { AnyRule } from '../../rules/core/types';
import { matchPackRule } from '../rule-names';
import type {
  AggregateReport,
  ExceptionFinding,
  MissingRules,
  NonCompliantFinding,
  NotEvaluating,
  ReportFinding,
  ReportUnreadable,
  RuleInstance,
  Scope,
  SourceWarning,
} from './model';
import type { Read, RuleResults } from './read';

export interface AggregatorReads {
  readonly ruleCompliance: Read<AggregateComplianceByConfigRule>;
  readonly sourceStatuses: Read<AggregatedSourceStatus>;
  readonly ruleResults: Read<RuleResults>;
}

export interface AssembleOptions {
  readonly aggregator: string;
  readonly expiringWithinDays: number;
  readonly now: Date;
  readonly rules: readonly AnyRule[];
}

const scopeKey = (scope: Scope): string => `${scope.accountId}\u0000${scope.region}`;

function compareScopes(a: Scope, b: Scope): number {
  return a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region);
}

/** Registry order of a control, so every list reads control by control as the registry does. */
const controlOrder =
  (rules: readonly AnyRule[]) =>
  (control: string): number =>
    rules.findIndex((rule) => rule.control === control);

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

/** The pack's rules among all Config rules (recognised by name), once each, by control, account and Region. */
export function packRuleInstances(
  listed: readonly AggregateComplianceByConfigRule[],
  rules: readonly AnyRule[],
): RuleInstance[] {
  const instances = new Map<string, RuleInstance>();
  for (const entry of listed) {
    const name = entry.ConfigRuleName;
    if (name === undefined || entry.AccountId === undefined || entry.AwsRegion === undefined) continue;
    const match = matchPackRule(name, rules);
    const key = `${entry.AccountId}\u0000${entry.AwsRegion}\u0000${name}`;
    if (match === undefined || instances.has(key)) continue;
    instances.set(key, {
      accountId: entry.AccountId,
      region: entry.AwsRegion,
      control: match.rule.control,
      ruleName: match.rule.ruleName,
      configRuleName: name,
      form: match.form,
      compliance: entry.Compliance?.ComplianceType ?? 'INSUFFICIENT_DATA',
    });
  }
  const order = controlOrder(rules);
  return [...instances.values()].sort(
    (a, b) =>
      order(a.control) - order(b.control) ||
      compareScopes(a, b) ||
      a.configRuleName.localeCompare(b.configRuleName),
  );
}

/** Sources the aggregator failed to collect (unreadable: their resources are not counted) or holds stale data of. */
export function sourceProblems(statuses: readonly AggregatedSourceStatus[]): {
  unreadable: ReportUnreadable[];
  warnings: SourceWarning[];
} {
  const unreadable: ReportUnreadable[] = [];
  const warnings: SourceWarning[] = [];
  for (const source of statuses) {
    const sourceId = source.SourceId ?? '(unknown source)';
    const region = source.AwsRegion ?? '(unknown region)';
    const isAccount = source.SourceType === 'ACCOUNT';
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
      warnings.push({
        sourceId,
        sourceType: source.SourceType ?? '',
        region,
        status: 'OUTDATED',
        detail: `last collected ${source.LastUpdateTime?.toISOString() ?? 'at an unknown time'}${detail === '' ? '' : ` (${detail})`}`,
      });
    }
  }
  return { unreadable, warnings };
}

/** Every account and Region the aggregator shows: from any Config rule listed, and from its account sources. */
export function scopesShown(
  listed: readonly AggregateComplianceByConfigRule[],
  statuses: readonly AggregatedSourceStatus[],
): Scope[] {
  const scopes = new Map<string, Scope>();
  const add = (accountId: string | undefined, region: string | undefined): void => {
    if (accountId === undefined || region === undefined || accountId === '' || region === '') return;
    scopes.set(scopeKey({ accountId, region }), { accountId, region });
  };
  for (const source of statuses) if (source.SourceType === 'ACCOUNT') add(source.SourceId, source.AwsRegion);
  for (const entry of listed) add(entry.AccountId, entry.AwsRegion);
  return [...scopes.values()].sort(compareScopes);
}

/** One deployed rule's results as findings: every failing resource with its fix, every documented exception. */
export function ruleFindings(
  results: RuleResults,
  rule: AnyRule,
  options: Pick<AssembleOptions, 'now' | 'expiringWithinDays'>,
): { nonCompliant: NonCompliantFinding[]; exceptions: ExceptionFinding[] } {
  const { instance } = results;
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
  const nonCompliant = results.failing.map((result): NonCompliantFinding => {
    const finding = base(result);
    return {
      ...finding,
      remediation: remediationFor(rule, finding.resourceType, finding.resourceId, finding.region),
    };
  });
  const exceptions = results.passing.flatMap((result): ExceptionFinding[] => {
    const parsed = parseExceptionAnnotation(result.Annotation);
    if (parsed === undefined) return [];
    return [
      {
        ...base(result),
        ...parsed,
        ...exceptionExpiry(parsed.expires, options.now, options.expiringWithinDays),
      },
    ];
  });
  return { nonCompliant, exceptions };
}

/**
 * A deployed rule that delivers nothing: INSUFFICIENT_DATA (or another non-verdict) in the aggregate compliance, or
 * a verdict with no result behind it. DescribeConfigRuleEvaluationStatus (the function's last error) exists only in
 * the member account, not through an aggregator, so the reason says where to look.
 */
export function notEvaluating(results: RuleResults): NotEvaluating | undefined {
  const { instance } = results;
  const where = {
    accountId: instance.accountId,
    region: instance.region,
    control: instance.control,
    configRuleName: instance.configRuleName,
    compliance: instance.compliance,
  };
  if (instance.compliance !== 'COMPLIANT' && instance.compliance !== 'NON_COMPLIANT') {
    return {
      ...where,
      reason:
        `no evaluation results (${instance.compliance}): either nothing in scope was ever evaluated or the rule's function is failing; ` +
        `check DescribeConfigRuleEvaluationStatus for ${instance.configRuleName} in that account and Region, and the function's error alarm`,
    };
  }
  if (results.failing.length === 0 && results.passing.length === 0) {
    return {
      ...where,
      reason: `compliance is ${instance.compliance} but no COMPLIANT or NON_COMPLIANT result could be listed (aggregated data may lag; re-run later)`,
    };
  }
  return undefined;
}

/** Accounts/Regions with some of the pack's rules but not all, and those with none. */
export function ruleCoverage(
  scopes: readonly Scope[],
  instances: readonly RuleInstance[],
  rules: readonly AnyRule[],
): { missing: MissingRules[]; packAbsent: Scope[] } {
  const presentBy = new Map<string, Set<string>>();
  for (const instance of instances) {
    const key = scopeKey(instance);
    presentBy.set(key, (presentBy.get(key) ?? new Set()).add(instance.control));
  }
  const controls = rules.map((rule) => rule.control);
  const missing: MissingRules[] = [];
  const packAbsent: Scope[] = [];
  for (const scope of scopes) {
    const present = presentBy.get(scopeKey(scope));
    if (present === undefined) {
      packAbsent.push(scope);
      continue;
    }
    const absent = controls.filter((control) => !present.has(control));
    if (absent.length > 0) {
      missing.push({
        ...scope,
        missing: absent,
        present: controls.filter((control) => present.has(control)),
      });
    }
  }
  return { missing, packAbsent };
}

/** The report from the three reads. */
export function assembleAggregateReport(reads: AggregatorReads, options: AssembleOptions): AggregateReport {
  const { rules } = options;
  const order = controlOrder(rules);
  const byControlAndScope = (a: ReportFinding, b: ReportFinding): number =>
    order(a.control) - order(b.control) || compareScopes(a, b) || a.resourceId.localeCompare(b.resourceId);

  const sources = sourceProblems(reads.sourceStatuses.items);
  const scopes = scopesShown(reads.ruleCompliance.items, reads.sourceStatuses.items);
  const instances = packRuleInstances(reads.ruleCompliance.items, rules);
  const findings = reads.ruleResults.items.flatMap((results) => {
    const rule = rules.find((candidate) => candidate.control === results.instance.control);
    return rule === undefined ? [] : [ruleFindings(results, rule, options)];
  });
  const silent = reads.ruleResults.items.flatMap((results) => notEvaluating(results) ?? []);
  const unreadable = [
    ...reads.ruleCompliance.unreadable,
    ...reads.sourceStatuses.unreadable,
    ...sources.unreadable,
    ...reads.ruleResults.unreadable,
  ];

  return {
    kind: 'aggregate-report',
    generatedAt: options.now.toISOString(),
    aggregator: options.aggregator,
    expiringWithinDays: options.expiringWithinDays,
    scopes,
    rules: instances,
    nonCompliant: findings.flatMap((found) => found.nonCompliant).sort(byControlAndScope),
    exceptions: findings.flatMap((found) => found.exceptions).sort(byControlAndScope),
    ...ruleCoverage(scopes, instances, rules),
    notEvaluating: silent.sort((a, b) => order(a.control) - order(b.control) || compareScopes(a, b)),
    sourceWarnings: sources.warnings,
    unreadable: unreadable.sort(
      (a, b) =>
        (a.accountId ?? '').localeCompare(b.accountId ?? '') ||
        (a.region ?? '').localeCompare(b.region ?? '') ||
        a.scope.localeCompare(b.scope),
    ),
  };
}
