/**
 * A finding: one resource's verdict as the CLI reports it (scan, template check, report). The JSON output is
 * `{"findings": [...]}` with these fields; tools downstream rely on them.
 */
import type { ExceptionLookup } from '../rules/core/exceptions';
import type { Compliance } from '../rules/core/types';

export interface FindingException {
  readonly justification: string;
  readonly expires: string | null;
  readonly tagKey: string;
  /** API-wide (or resource-wide) rather than naming this route. */
  readonly wide: boolean;
}

export interface Finding {
  readonly control: string;
  readonly ruleName: string;
  readonly resourceType: string;
  readonly resourceId: string;
  readonly resourceName: string;
  readonly compliance: Compliance;
  /**
   * The verdict's reason code (`route-authorization-none`), stable where the annotation's words are not. Absent in
   * the organization report, whose findings come from Config, which keeps no code.
   */
  readonly code?: string;
  readonly annotation: string;
  readonly exception: FindingException | null;
  /** The fix, as a command; present for NON_COMPLIANT findings. */
  readonly remediation: string | null;
  /** Reachable from the internet (execute-api endpoint on, MSK public access). */
  readonly internetFacing: boolean;
  readonly region?: string;
  readonly accountId?: string;
  readonly file?: string;
  readonly logicalId?: string;
  readonly line?: number;
}

/** The exception that decided a verdict (`Judgement.exception`), as a finding reports it; null when none did. */
export function findingException(
  applied: Extract<ExceptionLookup, { kind: 'valid' }> | undefined,
): FindingException | null {
  if (applied === undefined) return null;
  return {
    justification: applied.justification,
    expires: applied.expires ?? null,
    tagKey: applied.tagKey,
    wide: applied.wide,
  };
}

/** A tag of the exception convention that exempts nothing. */
export interface DanglingTag {
  readonly resourceId: string;
  readonly resourceName: string;
  readonly tagKey: string;
  readonly reason: string;
  readonly region?: string;
  readonly accountId?: string;
  readonly file?: string;
}

/** Something that could not be read: it is reported, never skipped in silence. */
export interface Unreadable {
  readonly scope: string;
  readonly error: string;
  readonly accountId?: string;
  readonly region?: string;
  readonly control?: string;
}

/** A file the template check read (`check-template`): its format, and how much of it the controls judged. */
export interface CheckedInput {
  readonly file: string;
  readonly format: string;
  readonly resources: number;
  /** Resources of a type some control reads; 0 is said on stderr, never passed in silence. */
  readonly inScope: number;
}

export interface FindingsReport {
  readonly kind: 'scan' | 'template';
  readonly generatedAt: string;
  readonly findings: readonly Finding[];
  readonly dangling: readonly DanglingTag[];
  readonly unreadable: readonly Unreadable[];
  /** Template check: every file read. */
  readonly inputs?: readonly CheckedInput[];
  /** Template check: files found in folders that are no template. */
  readonly skipped?: readonly string[];
}

const ORDER: Record<Compliance, number> = { NON_COMPLIANT: 0, COMPLIANT: 1, NOT_APPLICABLE: 2 };

/** Failures first, internet-facing ones before the rest; then by control and name, so output is stable. */
export function rankFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      ORDER[a.compliance] - ORDER[b.compliance] ||
      Number(b.internetFacing) - Number(a.internetFacing) ||
      a.control.localeCompare(b.control) ||
      (a.accountId ?? '').localeCompare(b.accountId ?? '') ||
      (a.region ?? '').localeCompare(b.region ?? '') ||
      a.resourceName.localeCompare(b.resourceName),
  );
}

export interface ControlSummary {
  readonly control: string;
  readonly compliant: number;
  readonly nonCompliant: number;
  readonly notApplicable: number;
  readonly exceptions: number;
}

export function summarize(controls: readonly string[], findings: readonly Finding[]): ControlSummary[] {
  return controls.map((control) => {
    const mine = findings.filter((finding) => finding.control === control);
    return {
      control,
      compliant: mine.filter((f) => f.compliance === 'COMPLIANT').length,
      nonCompliant: mine.filter((f) => f.compliance === 'NON_COMPLIANT').length,
      notApplicable: mine.filter((f) => f.compliance === 'NOT_APPLICABLE').length,
      exceptions: mine.filter((f) => f.exception !== null).length,
    };
  });
}
