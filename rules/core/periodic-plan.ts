/**
 * What a periodic run sends, decided without any I/O from what the sweep found and what Config already holds:
 * everything new or changed (Config bills every evaluation, so unchanged verdicts are not re-sent unless
 * ReportUnchanged), unchanged ones whose refresh is due (refresh.ts; oldest first), and NOT_APPLICABLE for every
 * held result whose resource the sweep no longer finds (periodic rules get no delete event; rdklib's
 * `clean_up_old_evaluations` does the same).
 */
import { CORE_CODES } from './codes';
import { toEvaluation, type Evaluation } from './delivery';
import { refreshDue } from './refresh';
import type { Verdict } from './types';
import { ResourceIndex, staleAmong, type ReportedResult } from './stale';

export const STALE_ANNOTATION = 'No longer found by the periodic sweep (deleted or out of scope).';
/** What a resource Config still holds but the sweep no longer finds is re-reported as. */
export const STALE_VERDICT: Verdict = {
  compliance: 'NOT_APPLICABLE',
  code: CORE_CODES.noLongerFound,
  annotation: STALE_ANNOTATION,
};

/** What Config holds for the rule, or why it could not be read. */
export type HeldResults =
  | { readonly readable: true; readonly results: readonly ReportedResult[] }
  | { readonly readable: false; readonly error: unknown };

export interface PeriodicPlan {
  /** Evaluations of found resources to send: new and changed ones, then refreshes, oldest first. */
  readonly send: readonly Evaluation[];
  /** Of `send`, unchanged results re-reported because their refresh was due. */
  readonly refreshed: number;
  /** NOT_APPLICABLE for held results whose resource was not found. */
  readonly stale: readonly Evaluation[];
  /** Found resources not sent because Config already holds the same verdict and annotation. */
  readonly unchanged: number;
}

export interface PlanOptions {
  readonly reportUnchanged: boolean;
  readonly refreshAfterDays: number;
  /** The run's time (notificationCreationTime): evaluations carry it, and refreshes are due against it. */
  readonly orderingTimestamp: Date;
}

/** Unreadable held results: send everything found (nothing may be lost), and no stale cleanup (nothing to go by). */
export function planPeriodicDelivery(
  found: readonly Evaluation[],
  held: HeldResults,
  options: PlanOptions,
): PeriodicPlan {
  if (!held.readable) return { send: found, refreshed: 0, stale: [], unchanged: 0 };
  const stale = staleEvaluations(held.results, ResourceIndex.of(found), options.orderingTimestamp);
  if (options.reportUnchanged) return { send: found, refreshed: 0, stale, unchanged: 0 };
  const previous = new ResourceIndex<ReportedResult>();
  for (const result of held.results) previous.set(result.resourceType, result.resourceId, result);
  const changed: Evaluation[] = [];
  const due: { evaluation: Evaluation; recordedAt: number }[] = [];
  let unchanged = 0;
  for (const evaluation of found) {
    const before = previous.get(evaluation.ComplianceResourceType, evaluation.ComplianceResourceId);
    if (differs(before, evaluation)) changed.push(evaluation);
    else if (before !== undefined && refreshDue(before, options.orderingTimestamp, options.refreshAfterDays))
      due.push({ evaluation, recordedAt: before.recordedAt?.getTime() ?? 0 });
    else unchanged += 1;
  }
  // Oldest first: should delivery stop part-way, the results closest to expiry went first.
  due.sort((a, b) => a.recordedAt - b.recordedAt);
  return {
    send: [...changed, ...due.map((entry) => entry.evaluation)],
    refreshed: due.length,
    stale,
    unchanged,
  };
}

function differs(before: ReportedResult | undefined, evaluation: Evaluation): boolean {
  // Config keeps no NOT_APPLICABLE results, so one for a resource it holds nothing of changes nothing.
  if (before === undefined) return evaluation.ComplianceType !== 'NOT_APPLICABLE';
  return (
    before.compliance !== evaluation.ComplianceType ||
    (before.annotation ?? '') !== (evaluation.Annotation ?? '')
  );
}

/** NOT_APPLICABLE for each held result whose resource is not in `seen`. */
export function staleEvaluations(
  held: readonly ReportedResult[],
  seen: ResourceIndex<unknown>,
  orderingTimestamp: Date,
): Evaluation[] {
  return staleAmong(held, seen).map((result) =>
    toEvaluation(result, STALE_VERDICT.compliance, STALE_VERDICT.annotation, orderingTimestamp),
  );
}
