/**
 * Every ScheduledNotification of a periodic rule that declares change events goes through here. Config sends the
 * same notification for its schedule and for a StartConfigRulesEvaluation, so the trigger item tells them apart: a
 * start the change recorder made and no run has claimed means "started by changes" (re-read only what changed);
 * anything else is the schedule (the full sweep, which stays the backstop). Changes that arrive while a run works
 * are picked up by the same run (it re-queries until no event came since it last looked), so a burst costs one
 * re-read per changed resource, not a sweep per event.
 */
import { FULL_SWEEP_KEY } from './change-events';
import type { ChangeScope, PendingChange } from './change-store';
import type { RuleInvocation } from './config-event';
import { describeError } from './errors';
import type { Invocation, InvocationResult } from './invocation';
import type { ParameterSpecs } from './parameters';
import { runPeriodic } from './periodic';
import { runTargeted } from './targeted';

type ScheduledEvent = RuleInvocation & { kind: 'scheduled' };

/** Rounds one run makes while changes keep arriving, before it leaves the rest to the next start or the schedule. */
export const MAX_CHANGE_ROUNDS = 10;

export async function runScheduled<Facts, Client, P extends ParameterSpecs>(
  invocation: Invocation<Facts, Client, P>,
  event: ScheduledEvent,
): Promise<InvocationResult> {
  const { rule, runtime } = invocation;
  const store = rule.changes === undefined || runtime.dryRun ? undefined : runtime.changeStore();
  const region = invocation.region;
  if (store === undefined || region === undefined) return runPeriodic(invocation, event);
  const scope: ChangeScope = { ruleName: rule.ruleName, account: event.accountId, region };
  const session = await store.open(scope, event.configRuleName, runtime.now());
  const results: InvocationResult[] = [];
  try {
    let wantedSeq = session.wantedSeq;
    let swept = false;
    for (let round = 1; ; round += 1) {
      const pending = await store.pending(scope);
      const sweepAll =
        !swept &&
        ((round === 1 && !session.startedByChange) || pending.some((c) => c.key === FULL_SWEEP_KEY));
      if (sweepAll) {
        results.push(await runPeriodic(invocation, event));
        swept = true;
      } else if (pending.length > 0) {
        swept = (await runChanged(invocation, event, region, pending, results)) || swept;
      }
      if (pending.length > 0) await store.consume(scope, pending);
      const closed = await store.close(scope, wantedSeq);
      if (closed.closed) break;
      wantedSeq = closed.wantedSeq;
      if (round >= MAX_CHANGE_ROUNDS || !invocation.budget.sweepHasTime()) {
        await store.release(scope);
        runtime.log.warn('changes keep arriving: the rest waits for the next change event or the schedule', {
          rule: rule.ruleName,
          rounds: round,
        });
        break;
      }
      // Let the rest of a burst land before the next round (a deployment's calls come within seconds).
      await runtime.sleep(runtime.changeSettleMs);
    }
  } catch (error) {
    await store.release(scope).catch((releaseError: unknown) => {
      runtime.log.error('could not release the change trigger; it expires after 16 minutes', {
        error: describeError(releaseError),
      });
    });
    throw error;
  }
  return merge(results);
}

/** A targeted run; true when Config refused the rule's type and the full path ran instead. */
async function runChanged<Facts, Client, P extends ParameterSpecs>(
  invocation: Invocation<Facts, Client, P>,
  event: ScheduledEvent,
  region: string,
  pending: readonly PendingChange[],
  results: InvocationResult[],
): Promise<boolean> {
  const targeted = await runTargeted(invocation, event, region, pending);
  invocation.runtime.log.info('changed resources re-read', {
    rule: invocation.rule.ruleName,
    changedKeys: targeted.changedKeys,
    goneKeys: targeted.goneKeys,
    evaluations: targeted.evaluations.length,
    heldResultsRead: targeted.heldResultsRead,
  });
  if (targeted.typeRejected !== true) {
    results.push(targeted);
    return false;
  }
  results.push(await runPeriodic(invocation, event));
  return true;
}

function merge(results: readonly InvocationResult[]): InvocationResult {
  const sum = (pick: (result: InvocationResult) => number | undefined): number | undefined => {
    const values = results.map(pick).filter((value): value is number => value !== undefined);
    return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0);
  };
  const unchanged = sum((result) => result.unchanged);
  const stale = sum((result) => result.stale);
  const fallback = results.find((result) => result.fallbackResourceType !== undefined)?.fallbackResourceType;
  return {
    evaluations: results.flatMap((result) => result.evaluations),
    delivered: sum((result) => result.delivered) ?? 0,
    // A sweep cycle that continues in the next invocation says so (its cleanup is not done yet).
    staleCleanup: results.find((result) => result.staleCleanup !== 'done')?.staleCleanup ?? 'done',
    ...(unchanged === undefined ? {} : { unchanged }),
    ...(stale === undefined ? {} : { stale }),
    ...(fallback === undefined ? {} : { fallbackResourceType: fallback }),
  };
}
