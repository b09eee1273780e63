/**
 * The change recorder: the target of the EventBridge rule. It records which resources a management call changed
 * (one item per changed resource, merged across a burst) and starts the rule's evaluation, at most once a minute
 * per rule and never while a run is working (that run picks the change up itself before it ends). When the minute
 * is not over, one recorder per rule waits it out and starts then; the others return at once.
 */
import {
  coalesce,
  matchesEventName,
  parseCloudTrailEvent,
  FULL_SWEEP_KEY,
  type ChangedKey,
} from './change-events';
import {
  START_CLAIM_WINDOW_MS,
  START_INTERVAL_MS,
  STUCK_AFTER_MS,
  type ChangeScope,
  type ChangeStore,
  type TriggerState,
} from './change-store';
import { PackError, EXIT, describeError, isErrorNamed } from './errors';
import type { Log } from './log';
import type { AnyRule } from './types';

/** StartConfigRulesEvaluation in the account the change was made in. */
export type StartEvaluation = (target: {
  readonly account: string;
  readonly region: string;
  readonly configRuleName: string;
}) => Promise<void>;

export interface RecorderDependencies {
  readonly rules: readonly AnyRule[];
  readonly store: ChangeStore;
  readonly startEvaluation: StartEvaluation;
  /** The Config rule's name before any run has told the store (single account: the registry name). */
  readonly knownRuleName: (rule: AnyRule) => string | undefined;
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  readonly log: Log;
}

export type StartOutcome =
  | 'started'
  | 'started after the minute'
  | 'run in progress picks it up'
  | 'started run picks it up'
  | 'another recorder waits for the minute'
  | 'rule name not known yet: the schedule picks it up';

export interface RecordOutcome {
  readonly rule: string;
  readonly mapping: 'changed' | 'unknown';
  readonly keys: readonly string[];
  readonly start: StartOutcome;
}

/** Config refused the start even after the minute: the event fails, so Lambda retries it. */
export class ChangeStartError extends PackError {
  override readonly name = 'ChangeStartError';
  readonly code = 'change-start';
  readonly exitStatus = EXIT.failing;
}

export async function recordChange(
  rawEvent: unknown,
  dependencies: RecorderDependencies,
): Promise<readonly RecordOutcome[]> {
  const call = parseCloudTrailEvent(rawEvent);
  const { log } = dependencies;
  if (call.errorCode !== undefined) {
    log.info('call failed, nothing changed', { eventName: call.eventName, errorCode: call.errorCode });
    return [];
  }
  const outcomes: RecordOutcome[] = [];
  for (const rule of dependencies.rules) {
    const changes = rule.changes;
    if (changes === undefined) continue;
    if (changes.source !== call.source || changes.eventSource !== call.eventSource) continue;
    if (!matchesEventName(changes, call.eventName)) continue;
    const mapping = changes.changedKeys(call);
    if (mapping.kind === 'unrelated') {
      log.info('call does not concern the rule', { rule: rule.ruleName, reason: mapping.reason });
      continue;
    }
    const keys: ChangedKey[] =
      mapping.kind === 'changed' ? coalesce(mapping.keys) : [{ key: FULL_SWEEP_KEY }];
    if (mapping.kind === 'unknown') {
      log.warn('call does not say which resource changed: the next run sweeps everything', {
        rule: rule.ruleName,
        reason: mapping.reason,
      });
    }
    const scope: ChangeScope = { ruleName: rule.ruleName, account: call.account, region: call.region };
    await dependencies.store.record(scope, keys, dependencies.now());
    const start = await startOnce(rule, scope, dependencies);
    outcomes.push({ rule: rule.ruleName, mapping: mapping.kind, keys: keys.map((key) => key.key), start });
    log.info('change recorded', { rule: rule.ruleName, eventName: call.eventName, keys: keys.length, start });
  }
  return outcomes;
}

async function startOnce(
  rule: AnyRule,
  scope: ChangeScope,
  dependencies: RecorderDependencies,
): Promise<StartOutcome> {
  const { store, now } = dependencies;
  const trigger = await store.want(scope);
  const configRuleName = trigger.configRuleName ?? dependencies.knownRuleName(rule);
  if (configRuleName === undefined) return 'rule name not known yet: the schedule picks it up';
  const target = { account: scope.account, region: scope.region, configRuleName };
  const startedAt = now();
  if (
    trigger.inProgressSince !== undefined &&
    trigger.inProgressSince.getTime() > startedAt.getTime() - STUCK_AFTER_MS
  ) {
    return 'run in progress picks it up';
  }
  // Config has been asked and its run has not begun: that run reads every record, this one included.
  if (startNotYetClaimed(trigger, startedAt)) return 'started run picks it up';
  if (
    (await store.claimStart(scope, startedAt)) &&
    (await tryStart(scope, startedAt, target, dependencies))
  ) {
    return 'started';
  }
  // A start younger than a minute (or one Config refused): one recorder waits for the minute, then starts.
  const due = new Date((trigger.lastStartAt ?? startedAt).getTime() + START_INTERVAL_MS + 1_000);
  const until = due.getTime() > startedAt.getTime() ? due : new Date(startedAt.getTime() + START_INTERVAL_MS);
  if (!(await store.claimWaiter(scope, startedAt, until))) return 'another recorder waits for the minute';
  try {
    await dependencies.sleep(Math.max(0, until.getTime() - now().getTime()));
    const retryAt = now();
    if (!(await store.claimStart(scope, retryAt))) return 'run in progress picks it up';
    if (await tryStart(scope, retryAt, target, dependencies)) return 'started after the minute';
    throw new ChangeStartError(
      `${rule.ruleName}: Config refused StartConfigRulesEvaluation for ${configRuleName} twice a minute apart; the change is recorded and the next start or the schedule reports it`,
    );
  } finally {
    await store.releaseWaiter(scope);
  }
}

function startNotYetClaimed(trigger: TriggerState, now: Date): boolean {
  const started = trigger.lastStartAt;
  if (started === undefined || started.getTime() <= now.getTime() - START_CLAIM_WINDOW_MS) return false;
  return trigger.consumedStartAt === undefined || started.getTime() > trigger.consumedStartAt.getTime();
}

/** True when Config started the evaluation; false (the claim given back) when it refused for the minute. */
async function tryStart(
  scope: ChangeScope,
  startedAt: Date,
  target: Parameters<StartEvaluation>[0],
  dependencies: RecorderDependencies,
): Promise<boolean> {
  try {
    await dependencies.startEvaluation(target);
    return true;
  } catch (error) {
    // LimitExceededException: an evaluation is in progress, or a start came less than a minute ago.
    if (!isErrorNamed(error, 'LimitExceededException')) throw error;
    dependencies.log.warn('Config refused the start for now', { error: describeError(error) });
    await dependencies.store.releaseStart(scope, startedAt);
    return false;
  }
}
