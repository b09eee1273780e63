/**
 * What `authn-pack report` says about an organization: the report's shape, and the per-control and per-account
 * summaries every format shows. Read by cli/report/read.ts, put together by cli/report/assemble.ts, rendered by
 * cli/formats.
 */
import { RULES } from '../../rules/index';
import { needsAttention, type ExpiryState } from '../../rules/core/exceptions';
import type { AnyRule } from '../../rules/core/types';
import type { RuleNameForm } from '../rule-names';

export type { ExpiryState };

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
  report.exceptions.filter(needsAttention);

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
