/**
 * A periodic sweep with no ceiling: when the estate is too large for one invocation (at API Gateway's 10 requests a
 * second, about 8,000 APIs fit in 15 minutes), the sweep is a cycle of invocations that continues where the last
 * one stopped. Every periodic rule offers its sweep in parts (`resumableSweep`: one part per API, function or
 * replication group, in a stable key order; sweep-parts.ts reads the same parts whole where there is no state
 * table); each invocation:
 *
 *  1. reads the cycle record (sweep-progress.ts) and takes the lease, so a scheduled run and a continuation never
 *     sweep at once; a record that cannot be read fails the invocation before anything is sent;
 *  2. first sends again a part whose delivery was not confirmed, exactly as it was planned (same verdicts);
 *  3. lists the parts and reads those after the cursor, in groups: a part is finished when it is read and decided
 *     (exception tags read on demand count against the sweep's time); each group's finished parts are planned
 *     against what Config holds (only changes and due refreshes; read once a cycle and kept in the store, less what
 *     targeted runs noted since: held-snapshot.ts), written to the store together with the new cursor
 *     in one transaction, then delivered: results reach Config as each group is complete;
 *  4. at the end of the cycle only, reports NOT_APPLICABLE for every held result that no part of the cycle found
 *     (stale cleanup needs the whole cycle: a resource not yet reached is not gone);
 *  5. otherwise asks Config for the next invocation at once (StartConfigRulesEvaluation, at most once a minute per
 *     rule, the call's documented limit) instead of waiting for the schedule, which stays the backstop.
 *
 * Each part belongs to one cycle and is swept once in it, so no resource is reported twice in a cycle, and a part
 * that was written is delivered (again, if need be) before the cursor passes it, so none is dropped. Should Config
 * refuse the rule's resource type, the group is recorded again as one roll-up per parent (parent-fallback.ts; a part
 * holds every child of the parents it names) and the rest of the cycle reports that way, as the whole sweep would.
 *
 * Over 400 lines as one thing: the steps above, one named function each, in the order an invocation runs them.
 */
import { StartConfigRulesEvaluationCommand } from '@aws-sdk/client-config-service';
import { randomUUID } from 'node:crypto';
import type { RuleInvocation } from './config-event';
import { mapConcurrent } from './concurrency';
import { decideSwept } from './decide';
import { toEvaluation, type Evaluation } from './delivery';
import {
  IncompleteCleanupError,
  IncompleteSweepError,
  OutOfTimeError,
  ResourceTypeRejectedError,
  StateStoreError,
  describeError,
} from './errors';
import { CycleHoldings } from './held-snapshot';
import { sinkFor, type Invocation, type InvocationResult } from './invocation';
import type { ParameterSpecs } from './parameters';
import { evaluationsPerParent, fallbackParents } from './parent-fallback';
import { planPeriodicDelivery, staleEvaluations, type HeldResults } from './periodic-plan';
import { ResourceIndex, resourceKey } from './stale';
import { NO_CYCLE, type CycleRecord, type CycleStore, type PartRecord } from './sweep-progress';
import type { SweepPart, SweptResource } from './types';

type ScheduledEvent = RuleInvocation & { kind: 'scheduled' };

/** StartConfigRulesEvaluation: "more than once per minute" is refused (LimitExceededException). */
export const START_EVALUATION_INTERVAL_MS = 60_000;
/**
 * Parts per group: each group is one transaction in the store and one delivery. 200 APIs of 10 routes is about
 * 2,000 evaluations, a few hundred KB of gzip JSON: far inside TransactWriteItems' 4 MB.
 */
export const PARTS_PER_GROUP = 200;
/** Resources per group at most, whatever the parts hold (a part of 10,000 routes is a group by itself). */
export const RESOURCES_PER_GROUP = 5_000;

export interface CycleOutcome {
  /** The invocation finished the cycle (stale cleanup done) or the cycle continues in the next. */
  readonly finished: boolean;
  readonly partsSwept: number;
  readonly partsLeft: number;
  /** Why the next invocation was not requested now, when it was not. */
  readonly continuation?: string;
}

export async function runPeriodicCycle<Facts, Client, P extends ParameterSpecs>(
  invocation: Invocation<Facts, Client, P>,
  event: ScheduledEvent,
  region: string,
  store: CycleStore,
  readHeld: () => Promise<HeldResults>,
): Promise<InvocationResult & { cycle: CycleOutcome }> {
  const { rule, runtime } = invocation;
  if (rule.resumableSweep === undefined) throw new Error(`${rule.ruleName} has no resumable sweep`);
  const owner = randomUUID();
  const now = (): number => runtime.now().getTime();

  // 1. The record and the lease. A read or write failure is a StateStoreError and ends the invocation here.
  const stored = await store.read();
  let record: CycleRecord = stored ?? NO_CYCLE;
  if (record.leaseOwner !== undefined && record.leaseUntil > now()) {
    runtime.log.warn('another invocation of this rule is sweeping; this one reports nothing', {
      rule: rule.ruleName,
      leaseUntil: new Date(record.leaseUntil).toISOString(),
    });
    return {
      evaluations: [],
      delivered: 0,
      staleCleanup: 'deferred: the sweep continues in another invocation',
      cycle: {
        finished: false,
        partsSwept: 0,
        partsLeft: -1,
        continuation: 'another invocation holds the sweep',
      },
    };
  }
  let version: number | undefined = stored?.version;
  const save = async (changes: Partial<CycleRecord>): Promise<void> => {
    const next: CycleRecord = { ...record, ...changes, version: (version ?? 0) + 1 };
    await store.write(next, version);
    record = next;
    version = next.version;
  };
  /** Records part `seq` and the record with `changes` in one transaction (both or neither). */
  const commit = async (seq: number, part: PartRecord, changes: Partial<CycleRecord>): Promise<void> => {
    const next: CycleRecord = { ...record, ...changes, version: (version ?? 0) + 1 };
    await store.commitPart(seq, part, next, version);
    record = next;
    version = next.version;
  };
  await save({
    leaseOwner: owner,
    leaseUntil: now() + (invocation.budget.remainingMs() ?? 15 * 60_000) + 5_000,
  });

  const { sink, delivered } = await sinkFor(invocation);
  const sent: Evaluation[] = [];
  const deliver = async (evaluations: readonly Evaluation[]): Promise<void> => {
    await sink.deliver(evaluations);
    sent.push(...evaluations);
  };
  let partsSwept = 0;
  /** The parent type reported on instead, when this invocation rolled its groups up. */
  let rolledUpTo: string | undefined;
  try {
    // 2. A part written but not confirmed delivered goes again, as planned then.
    if (record.pendingPart !== undefined) {
      const [pending] = await store.readParts(record.cycleId, [record.pendingPart]);
      try {
        await deliver(pending?.send ?? []);
        await save({ pendingPart: undefined });
      } catch (error) {
        if (record.rollUp === true || !refusesType(error, rule.resourceType)) throw error;
        // Recorded as the rule's own type, which Config refuses: a part record keeps no parents to roll up to, so
        // the cycle starts over in roll-up mode. No evaluation of the refused type can have been accepted in it.
        runtime.log.warn(
          'PutEvaluations rejected the resource type; the cycle starts over with one per parent',
          {
            rejected: rule.resourceType,
          },
        );
        await save({ pendingPart: undefined, cursor: '', parts: 0, rollUp: true });
      }
    }
    if (record.cycleId === '') {
      await save({ cycleId: event.notificationCreationTime.toISOString(), cursor: '', parts: 0 });
    }

    // What Config holds: read in the cycle's first invocation and kept in the store (held-snapshot.ts).
    const holdings = await CycleHoldings.open({ store, record, save, readConfig: readHeld, now });
    const held = holdings.held;
    const client = runtime.createServiceClient(await invocation.settings());
    const context = {
      accountId: event.accountId,
      region,
      partition: invocation.partition,
      ...(runtime.clock === undefined ? {} : { clock: runtime.clock }),
    };
    let parts: readonly SweepPart<Facts>[];
    try {
      parts = await rule.resumableSweep(client, {
        ...context,
        checkpoint: () => {
          if (!invocation.budget.sweepHasTime()) throw new OutOfTimeError('ran short of Lambda time');
        },
      });
    } catch (error) {
      throw new IncompleteSweepError(
        `${rule.ruleName}: the sweep could not list what it sweeps, so nothing new was reported (the cycle continues from where it was): ${describeError(error)}`,
        { cause: error },
      );
    }
    const keyProblem = badKey(parts);
    if (keyProblem !== undefined) {
      throw new IncompleteSweepError(`${rule.ruleName}: ${keyProblem}, so the cycle cannot say where it is`);
    }
    const remaining = [...parts].filter((part) => part.key > record.cursor).sort(byKey);
    let partsLeft = remaining.length;

    // 3. Groups of finished parts: decide, plan, write with the cursor, deliver.
    while (remaining.length > 0 && invocation.budget.sweepHasTime()) {
      const group = nextGroup(remaining);
      const { read, failure } = await readInOrder(
        group,
        runtime.tagReadConcurrency,
        invocation,
        event.notificationCreationTime,
      );
      if (read.length === 0 && failure === undefined) break;
      if (read.length > 0) {
        const resources = read.flatMap((part) => part.resources);
        const evaluations = read.flatMap((part) => part.evaluations);
        const seq = record.parts;
        const cursor = group[read.length - 1]?.key ?? record.cursor;
        const advance = { cursor, parts: seq + 1, pendingPart: seq };
        if (record.rollUp === true) {
          const rolled = rolledUpPart(rule, resources, evaluations, event.notificationCreationTime);
          if (rolled === undefined)
            throw new ResourceTypeRejectedError(rule.resourceType, {
              cause: new Error('a resource of this group has no parent to report on instead'),
            });
          await commit(seq, rolled.part, advance);
          await deliver(rolled.part.send);
          rolledUpTo = rolled.parentType;
        } else {
          // Planned against the held results of this group's resources only: the rest is not stale (not reached).
          // A resource a targeted run noted since the snapshot is sent as found, whatever the snapshot says.
          const unsure = await holdings.unsure();
          const isUnsure = (e: Evaluation): boolean =>
            unsure.has(e.ComplianceResourceType, e.ComplianceResourceId);
          const sure = evaluations.filter((evaluation) => !isUnsure(evaluation));
          const plan = planPeriodicDelivery(sure, heldAmong(held, sure), {
            reportUnchanged: invocation.periodic.ReportUnchanged,
            refreshAfterDays: invocation.periodic.RefreshAfterDays,
            orderingTimestamp: event.notificationCreationTime,
          });
          const send = [...evaluations.filter(isUnsure), ...plan.send];
          await commit(seq, { found: evaluations.map(keyOf), send }, advance);
          try {
            await deliver(send);
          } catch (error) {
            // Config refused the rule's type (nothing of the batch was taken): the same group, recorded again as
            // one roll-up per parent (a part holds every child of its parents), and the cycle goes on that way.
            const parents = fallbackParents(
              error,
              rule.resourceType,
              resources.map((resource) => resource.parent),
            );
            const rolled =
              parents === undefined
                ? undefined
                : rolledUpPart(rule, resources, evaluations, event.notificationCreationTime);
            if (rolled === undefined) throw error;
            runtime.log.warn(
              'PutEvaluations rejected the resource type; reporting one evaluation per parent instead',
              {
                rejected: rule.resourceType,
                fallback: rolled.parentType,
              },
            );
            await commit(seq, rolled.part, { rollUp: true });
            await deliver(rolled.part.send);
            rolledUpTo = rolled.parentType;
          }
        }
        await save({ pendingPart: undefined });
        remaining.splice(0, read.length);
        partsSwept += read.length;
        partsLeft = remaining.length;
      }
      if (failure !== undefined) {
        throw new IncompleteSweepError(
          `${rule.ruleName}: could not read ${failure.key}: ${describeError(failure.error)} (the ${partsSwept} part(s) before it were delivered; the cycle continues from there)`,
          { cause: failure.error },
        );
      }
    }

    // 4. The end of the cycle: stale cleanup over everything the cycle found.
    if (remaining.length === 0) {
      // What a targeted run reported since the snapshot is its to clean up (held-snapshot.ts).
      const unsure = await holdings.unsure();
      const stale = (await cycleStale(store, record, held, event.notificationCreationTime)).filter(
        (evaluation) =>
          // Stale results of a refused type would be refused too.
          (record.rollUp !== true || evaluation.ComplianceResourceType !== rule.resourceType) &&
          !unsure.has(evaluation.ComplianceResourceType, evaluation.ComplianceResourceId),
      );
      await deliver(stale);
      await save({
        cycleId: '',
        cursor: '',
        parts: 0,
        cyclesFinished: record.cyclesFinished + 1,
        held: undefined,
        leaseOwner: undefined,
        leaseUntil: 0,
        // The next cycle tries the rule's own type again (Config's list of types grows).
        rollUp: undefined,
      });
      if (!held.readable) {
        throw new IncompleteCleanupError(
          `${rule.ruleName}: ${delivered()} evaluation(s) delivered, but stale cleanup failed: earlier results could not be read (GetComplianceDetailsByConfigRule): ${describeError(held.error)}`,
          { cause: held.error },
        );
      }
      return {
        evaluations: sent,
        delivered: delivered(),
        staleCleanup: 'done',
        stale: stale.length,
        ...(rolledUpTo === undefined ? {} : { fallbackResourceType: rolledUpTo }),
        cycle: { finished: true, partsSwept, partsLeft: 0 },
      };
    }

    // 5. More to do: the next invocation now, not at the next schedule.
    const continuation = await requestNextInvocation(invocation, event, record, save);
    return {
      evaluations: sent,
      delivered: delivered(),
      staleCleanup: 'deferred: the sweep continues in the next invocation',
      ...(rolledUpTo === undefined ? {} : { fallbackResourceType: rolledUpTo }),
      cycle: {
        finished: false,
        partsSwept,
        partsLeft,
        ...(continuation === undefined ? {} : { continuation }),
      },
    };
  } catch (error) {
    // The lease is given back. After progress the next invocation is asked for (it may get past a transient
    // fault); without progress the schedule retries, so a fault that persists cannot start an invocation a minute.
    const progressed = partsSwept > 0 || sent.length > 0;
    try {
      if (progressed && !(error instanceof StateStoreError))
        await requestNextInvocation(invocation, event, record, save);
      else await save({ leaseOwner: undefined, leaseUntil: 0 });
    } catch (cause) {
      runtime.log.error('could not give back the sweep lease after a failure (it lapses by itself)', {
        error: describeError(cause),
      });
    }
    throw error;
  }
}

function heldAmong(held: HeldResults, evaluations: readonly Evaluation[]): HeldResults {
  if (!held.readable) return held;
  const index = ResourceIndex.of(evaluations);
  return { readable: true, results: held.results.filter((r) => index.has(r.resourceType, r.resourceId)) };
}

const keyOf = (evaluation: Evaluation): string =>
  resourceKey(evaluation.ComplianceResourceType, evaluation.ComplianceResourceId);

function refusesType(error: unknown, resourceType: string): boolean {
  return error instanceof ResourceTypeRejectedError && error.resourceType === resourceType;
}

/**
 * A group as one roll-up per parent (parent-fallback.ts), when Config refuses the rule's type: every roll-up is sent
 * (as the whole sweep's fallback does), and the part's found ids are the children's and the parents', so neither is
 * taken for stale. Undefined when a resource has no parent.
 */
function rolledUpPart<Facts, Client, P extends ParameterSpecs>(
  rule: Invocation<Facts, Client, P>['rule'],
  resources: readonly SweptResource<Facts>[],
  evaluations: readonly Evaluation[],
  orderingTimestamp: Date,
): { part: PartRecord; parentType: string } | undefined {
  if (resources.some((resource) => resource.parent === undefined)) return undefined;
  const send = evaluationsPerParent(resources, evaluations, orderingTimestamp, rule.childNoun);
  return {
    part: { found: [...evaluations.map(keyOf), ...send.map(keyOf)], send },
    parentType: resources[0]?.parent?.resourceType ?? rule.resourceType,
  };
}

/** Why the parts' keys cannot serve as a cursor (one empty, or two the same), or undefined. */
function badKey(parts: readonly SweepPart<unknown>[]): string | undefined {
  const seen = new Set<string>();
  for (const part of parts) {
    if (part.key === '') return 'a part has an empty key';
    if (seen.has(part.key)) return `two parts have the key ${part.key}`;
    seen.add(part.key);
  }
  return undefined;
}

const byKey = (a: { key: string }, b: { key: string }): number =>
  a.key < b.key ? -1 : a.key > b.key ? 1 : 0;

function nextGroup<Facts>(remaining: readonly SweepPart<Facts>[]): SweepPart<Facts>[] {
  let resources = 0;
  const group: SweepPart<Facts>[] = [];
  for (const part of remaining) {
    if (group.length >= PARTS_PER_GROUP || (group.length > 0 && resources >= RESOURCES_PER_GROUP)) break;
    group.push(part);
    resources += part.sizeHint ?? 1;
  }
  return group;
}

/** A part read and decided: its resources and, at the same index, each one's evaluation. */
interface FinishedPart<Facts> {
  readonly resources: readonly SweptResource<Facts>[];
  readonly evaluations: readonly Evaluation[];
}

/**
 * Reads and decides parts with bounded concurrency and returns the longest finished prefix (the cursor may only pass
 * parts finished in full) and, if a read failed, which: the prefix before it is still delivered. A part is finished
 * when it is read and each of its resources decided: exception tags read on demand (one call per failing resource)
 * count against the sweep's time like the reads, so a group is never decided into the time kept for delivery.
 * Running short of time stops the reading without a failure.
 */
async function readInOrder<Facts, Client, P extends ParameterSpecs>(
  group: readonly SweepPart<Facts>[],
  concurrency: number,
  invocation: Invocation<Facts, Client, P>,
  orderingTimestamp: Date,
): Promise<{
  read: FinishedPart<Facts>[];
  failure?: { key: string; error: unknown };
}> {
  const results = Array.from({ length: group.length }, (): FinishedPart<Facts> | undefined => undefined);
  let stop = false;
  let failure: { index: number; key: string; error: unknown } | undefined;
  await mapConcurrent(group, concurrency, async (part, index) => {
    if (stop || !invocation.budget.sweepHasTime()) {
      stop = true;
      return;
    }
    try {
      const resources = await part.read();
      results[index] = { resources, evaluations: await decidePart(invocation, resources, orderingTimestamp) };
    } catch (error) {
      stop = true;
      if (error instanceof OutOfTimeError) return;
      if (failure === undefined || index < failure.index) failure = { index, key: part.key, error };
    }
  });
  const read: FinishedPart<Facts>[] = [];
  for (const result of results) {
    if (result === undefined) break;
    read.push(result);
  }
  // A failure after the prefix's end is reported only if it is what ended the prefix.
  return failure !== undefined && failure.index === read.length
    ? { read, failure: { key: failure.key, error: failure.error } }
    : { read };
}

/** Each resource of a part decided in turn; OutOfTimeError before a tag read the sweep has no time left for. */
async function decidePart<Facts, Client, P extends ParameterSpecs>(
  invocation: Invocation<Facts, Client, P>,
  resources: readonly SweptResource<Facts>[],
  orderingTimestamp: Date,
): Promise<Evaluation[]> {
  const evaluations: Evaluation[] = [];
  for (const resource of resources) {
    // Tags read on demand are a call; inline ones cost nothing (the part was read within the sweep's time).
    if (typeof resource.tags === 'function' && !invocation.budget.sweepHasTime()) {
      throw new OutOfTimeError('ran short of Lambda time while reading exception tags');
    }
    const verdict = await decideSwept(invocation.rule, resource, invocation.params, invocation.exceptions);
    evaluations.push(toEvaluation(resource, verdict.compliance, verdict.annotation, orderingTimestamp));
  }
  return evaluations;
}

async function cycleStale(
  store: CycleStore,
  record: CycleRecord,
  held: HeldResults,
  orderingTimestamp: Date,
): Promise<Evaluation[]> {
  if (!held.readable) return [];
  const seqs = Array.from({ length: record.parts }, (_, seq) => seq);
  const seen = new ResourceIndex<true>();
  // One part at a time: only the ids are kept (100,000 routes are ~10 MB of strings).
  for (const seq of seqs) {
    const [part] = await store.readParts(record.cycleId, [seq]);
    for (const key of part?.found ?? []) {
      const split = key.indexOf('|');
      seen.set(key.slice(0, split), key.slice(split + 1), true);
    }
  }
  return staleEvaluations(held.results, seen, orderingTimestamp);
}

/**
 * StartConfigRulesEvaluation for this rule, unless it was asked less than a minute ago (the API refuses more). The
 * lease is given back first: the invocation it starts must be able to take it. Config also refuses the call while
 * an evaluation of the rule is in progress (LimitExceededException); then the schedule continues the cycle.
 */
async function requestNextInvocation<Facts, Client, P extends ParameterSpecs>(
  invocation: Invocation<Facts, Client, P>,
  event: ScheduledEvent,
  record: CycleRecord,
  save: (changes: Partial<CycleRecord>) => Promise<void>,
): Promise<string | undefined> {
  const now = invocation.runtime.now().getTime();
  if (now - record.lastStartRequestedAt < START_EVALUATION_INTERVAL_MS) {
    await save({ leaseOwner: undefined, leaseUntil: 0 });
    return 'the next invocation was requested less than a minute ago';
  }
  await save({ leaseOwner: undefined, leaseUntil: 0, lastStartRequestedAt: now });
  try {
    const config = await invocation.configClient();
    await config.send(new StartConfigRulesEvaluationCommand({ ConfigRuleNames: [event.configRuleName] }));
    return undefined;
  } catch (error) {
    if ((error as { name?: unknown }).name === 'LimitExceededException') {
      invocation.runtime.log.warn(
        'StartConfigRulesEvaluation refused; the next scheduled run continues the sweep',
        {
          error: describeError(error),
        },
      );
      return `StartConfigRulesEvaluation refused: ${describeError(error)}`;
    }
    throw error;
  }
}
