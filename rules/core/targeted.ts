/**
 * A run started by changes: only the changed keys are read again (a few calls each, not a sweep) and only their
 * resources are reported, plus NOT_APPLICABLE for what the changes removed. Earlier results are read only when a
 * change can remove resources it does not name (DeleteApi, ReimportApi): then every held result under the key's id
 * prefix that the re-read did not find is no longer there.
 */
import { FULL_SWEEP_KEY, type KeyReading } from './change-events';
import type { PendingChange } from './change-store';
import { mapConcurrent } from './concurrency';
import type { RuleInvocation } from './config-event';
import { decideSwept } from './decide';
import { toEvaluation, type Evaluation } from './delivery';
import { IncompleteSweepError, OutOfTimeError, describeError } from './errors';
import { sinkFor, type Invocation, type InvocationResult } from './invocation';
import { fallbackParents } from './parent-fallback';
import type { ParameterSpecs } from './parameters';
import { STALE_ANNOTATION } from './periodic-plan';
import { ResourceIndex, readReportedResults, resourceKey } from './stale';

type ScheduledEvent = RuleInvocation & { kind: 'scheduled' };

export const REMOVED_ANNOTATION = 'Removed by a change (read again after the change event): no longer found.';

export interface TargetedResult extends InvocationResult {
  /** Changed keys read again, and how many of them were gone. */
  readonly changedKeys: number;
  readonly goneKeys: number;
  /** Whether the earlier results had to be read (a change that can remove what it does not name). */
  readonly heldResultsRead: boolean;
  /** Config refused the rule's type: the caller runs the full periodic path, which reports per parent. */
  readonly typeRejected?: true;
}

export async function runTargeted<Facts, Client, P extends ParameterSpecs>(
  invocation: Invocation<Facts, Client, P>,
  event: ScheduledEvent,
  region: string,
  pending: readonly PendingChange[],
): Promise<TargetedResult> {
  const { rule, runtime } = invocation;
  const changes = rule.changes;
  const targeted = pending.filter((change) => change.key !== FULL_SWEEP_KEY);
  if (changes === undefined || targeted.length === 0) {
    return {
      evaluations: [],
      delivered: 0,
      staleCleanup: 'done',
      changedKeys: 0,
      goneKeys: 0,
      heldResultsRead: false,
    };
  }
  const orderingTimestamp = event.notificationCreationTime;
  const client = runtime.createServiceClient(await invocation.settings());
  let readings: KeyReading<Facts>[];
  try {
    readings = await changes.reread(
      client,
      targeted.map((change) => change.key),
      {
        accountId: event.accountId,
        region,
        partition: invocation.partition,
        checkpoint: () => {
          if (!invocation.budget.sweepHasTime()) {
            throw new OutOfTimeError(
              `ran short of Lambda time (${invocation.budget.remainingMs() ?? 0} ms left)`,
            );
          }
        },
      },
    );
  } catch (error) {
    // The records stay: the next run (or the scheduled sweep) reads them again.
    throw new IncompleteSweepError(
      `${rule.ruleName}: the changed resources could not be read again, so nothing was reported: ${describeError(error)}`,
      { cause: error },
    );
  }
  const swept = readings.flatMap((reading) => reading.resources);
  const evaluations = await mapConcurrent(swept, runtime.tagReadConcurrency, async (resource) => {
    const verdict = await decideSwept(rule, resource, invocation.params, invocation.exceptions);
    return toEvaluation(resource, verdict.compliance, verdict.annotation, orderingTimestamp);
  });
  const found = ResourceIndex.of(evaluations);
  const removed = await removedEvaluations(invocation, event, targeted, readings, found);
  const all = [...evaluations, ...removed.evaluations];
  await noteForCycle(invocation, event, region, all);
  const { sink, delivered } = await sinkFor(invocation);
  try {
    await sink.deliver(all);
  } catch (error) {
    if (
      fallbackParents(
        error,
        rule.resourceType,
        swept.map((resource) => resource.parent),
      ) === undefined
    )
      throw error;
    return {
      evaluations: [],
      delivered: delivered(),
      staleCleanup: 'done',
      changedKeys: targeted.length,
      goneKeys: 0,
      heldResultsRead: removed.heldResultsRead,
      typeRejected: true,
    };
  }
  return {
    evaluations: all,
    delivered: delivered(),
    staleCleanup: 'done',
    stale: removed.evaluations.length,
    changedKeys: targeted.length,
    goneKeys: readings.filter((reading) => reading.gone).length,
    heldResultsRead: removed.heldResultsRead,
  };
}

/**
 * Tells a sweep cycle under way that these results are about to change, before they are sent: the cycle must not
 * decide them from its snapshot of what Config held (held-snapshot.ts). A note that cannot be written fails the run
 * before it delivers (the change records stay for the next run).
 */
async function noteForCycle<Facts, Client, P extends ParameterSpecs>(
  invocation: Invocation<Facts, Client, P>,
  event: ScheduledEvent,
  region: string,
  evaluations: readonly Evaluation[],
): Promise<void> {
  const { rule, runtime } = invocation;
  if (evaluations.length === 0 || rule.resumableSweep === undefined || runtime.cycleStore === undefined)
    return;
  const store = runtime.cycleStore({ ruleName: rule.ruleName, accountId: event.accountId, region });
  await store.noteHeldChange(
    evaluations.map((evaluation) =>
      resourceKey(evaluation.ComplianceResourceType, evaluation.ComplianceResourceId),
    ),
    runtime.now(),
  );
}

/** NOT_APPLICABLE for every resource the changes removed that the re-read did not find. */
async function removedEvaluations<Facts, Client, P extends ParameterSpecs>(
  invocation: Invocation<Facts, Client, P>,
  event: ScheduledEvent,
  changes: readonly PendingChange[],
  readings: readonly KeyReading<Facts>[],
  found: ResourceIndex<true>,
): Promise<{ evaluations: Evaluation[]; heldResultsRead: boolean }> {
  const { rule } = invocation;
  const byKey = new Map(changes.map((change) => [change.key, change]));
  const exact = new Set<string>(changes.flatMap((change) => change.removedIds ?? []));
  const prefixes: string[] = [];
  for (const reading of readings) {
    if (!reading.gone && byKey.get(reading.key)?.removesUnnamed !== true) continue;
    const { exactId, idPrefix } = reading.reportedUnder;
    if (exactId !== undefined) exact.add(exactId);
    if (idPrefix !== undefined) prefixes.push(idPrefix);
  }
  const ids = new Set([...exact].filter((id) => !found.has(rule.resourceType, id)));
  let heldResultsRead = false;
  if (prefixes.length > 0) {
    // Paged reads of everything the rule holds (100 a page): only for changes that can remove what they don't name.
    const { results } = await readReportedResults(
      await invocation.configClient(),
      event.configRuleName,
      invocation.runtime.retry,
    );
    heldResultsRead = true;
    for (const result of results) {
      if (result.resourceType !== rule.resourceType || found.has(result.resourceType, result.resourceId))
        continue;
      if (prefixes.some((prefix) => result.resourceId.startsWith(prefix))) ids.add(result.resourceId);
    }
  }
  const evaluations = [...ids]
    .sort()
    .map((resourceId) =>
      toEvaluation(
        { resourceType: rule.resourceType, resourceId },
        'NOT_APPLICABLE',
        exact.has(resourceId) ? REMOVED_ANNOTATION : STALE_ANNOTATION,
        event.notificationCreationTime,
      ),
    );
  return { evaluations, heldResultsRead };
}
