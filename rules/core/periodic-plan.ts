/**
 * What a periodic run sends, decided without any I/O from what the sweep found and what Config already holds:
 * everything new or changed (Config bills every evaluation, so unchanged verdicts are not re-sent unless
 * ReportUnchanged), and NOT_APPLICABLE for every held result whose resource the sweep no longer finds (periodic
 * rules get no delete event; rdklib's `clean_up_old_evaluations` does the same).
 */
import { toEvaluation, type Evaluation } from './delivery';
import { ResourceIndex, staleAmong, type ReportedResult } from './stale';

export const STALE_ANNOTATION = 'No longer found by the periodic sweep (deleted or out of scope).';

/** What Config holds for the rule, or why it could not be read. */
export type HeldResults =
  | { readonly readable: true; readonly results: readonly ReportedResult[] }
  | { readonly readable: false; readonly error: unknown };

export interface PeriodicPlan {
  /** Evaluations of found resources to send. */
  readonly send: readonly Evaluation[];
  /** NOT_APPLICABLE for held results whose resource was not found. */
  readonly stale: readonly Evaluation[];
  /** Found resources not sent because Config already holds the same verdict and annotation. */
  readonly unchanged: number;
}

export interface PlanOptions {
  readonly reportUnchanged: boolean;
  readonly orderingTimestamp: Date;
}

/** Unreadable held results: send everything found (nothing may be lost), and no stale cleanup (nothing to go by). */
export function planPeriodicDelivery(
  found: readonly Evaluation[],
  held: HeldResults,
  options: PlanOptions,
): PeriodicPlan {
  if (!held.readable) return { send: found, stale: [], unchanged: 0 };
  const send = options.reportUnchanged ? found : found.filter(differsFrom(held.results));
  return {
    send,
    stale: staleEvaluations(held.results, ResourceIndex.of(found), options.orderingTimestamp),
    unchanged: found.length - send.length,
  };
}

function differsFrom(results: readonly ReportedResult[]): (evaluation: Evaluation) => boolean {
  const previous = new ResourceIndex<ReportedResult>();
  for (const result of results) previous.set(result.resourceType, result.resourceId, result);
  return (evaluation) => {
    const before = previous.get(evaluation.ComplianceResourceType, evaluation.ComplianceResourceId);
    // Config keeps no NOT_APPLICABLE results, so one for a resource it holds nothing of changes nothing.
    if (before === undefined) return evaluation.ComplianceType !== 'NOT_APPLICABLE';
    return (
      before.compliance !== evaluation.ComplianceType ||
      (before.annotation ?? '') !== (evaluation.Annotation ?? '')
    );
  };
}

/** NOT_APPLICABLE for each held result whose resource is not in `seen`. */
export function staleEvaluations(
  held: readonly ReportedResult[],
  seen: ResourceIndex<unknown>,
  orderingTimestamp: Date,
): Evaluation[] {
  return staleAmong(held, seen).map((result) =>
    toEvaluation(result, 'NOT_APPLICABLE', STALE_ANNOTATION, orderingTimestamp),
  );
}
