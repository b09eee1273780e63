/**
 * One rule invocation as the change and periodic paths see it: the rule, the parsed event and parameters, the
 * injectable runtime, lazily created clients and the time budget. Built once per event by `openInvocation`.
 */
import type { ConfigServiceClient } from '@aws-sdk/client-config-service';
import type { STSClient } from '@aws-sdk/client-sts';
import type { ChangeStore } from './change-store';
import { createConfigClient, createStsClient, parseArn, partitionOfRegion } from './clients';
import type { RuleInvocation } from './config-event';
import { CollectingSink, PutEvaluationsSink, type Evaluation, type EvaluationSink } from './delivery';
import { lazyClientSettings } from './execution-role';
import { todayUtc, type ExceptionSettings } from './exceptions';
import type { Log } from './log';
import type {
  CommonParameterValues,
  ParameterSpecs,
  ParameterValues,
  PeriodicParameterValues,
} from './parameters';
import { DEFAULT_RETRY, type RetryPolicy } from './retry';
import type { Clock } from './rate-limit';
import type { StateScope } from './state-store';
import type { CycleStore } from './sweep-progress';
import type { TimeBudget } from './time-budget';
import type { ClientSettings, RuleDefinition } from './types';

/** Everything the evaluator touches outside itself, so tests and the CLI can supply their own. */
export interface RuleRuntime<Client> {
  readonly createConfigClient: (settings: ClientSettings) => ConfigServiceClient;
  readonly createServiceClient: (settings: ClientSettings) => Client;
  readonly createStsClient: (settings: ClientSettings) => STSClient;
  readonly now: () => Date;
  readonly retry: RetryPolicy;
  readonly log: Log;
  /** Region for every AWS call; default: the region of the event's rule ARN, then AWS_REGION. */
  readonly region?: string;
  /** Dry run: no Config calls at all; evaluations are returned instead of sent. */
  readonly dryRun: boolean;
  /** Tag reads in flight at once during a sweep. */
  readonly tagReadConcurrency: number;
  /**
   * The change records (the state table), or undefined: the schedule alone. Rules with change events pass
   * `changeStoreFromEnvironment` in their handler.ts, so no other rule's bundle carries the DynamoDB client.
   */
  readonly changeStore: () => ChangeStore | undefined;
  /** How long a run started by changes waits for the rest of a burst before it looks again. */
  readonly changeSettleMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  /**
   * Where a resumable sweep keeps its progress between invocations (sweep-progress-dynamodb.ts `stateRuntime()`,
   * from the table the CDK app names). Absent: every sweep must finish in one invocation.
   */
  readonly cycleStore?: (scope: StateScope) => CycleStore;
  /** Time for the sweep's rate limiters (the bench's simulated clock); default the system clock. */
  readonly clock?: Clock;
}

export function defaultRuntime<Client>(rule: {
  service: { createClient: (s: ClientSettings) => Client };
}): RuleRuntime<Client> {
  return {
    createConfigClient,
    createServiceClient: rule.service.createClient,
    createStsClient,
    now: () => new Date(),
    retry: DEFAULT_RETRY,
    log: { info: () => undefined, warn: () => undefined, error: () => undefined },
    dryRun: false,
    tagReadConcurrency: 5,
    changeStore: () => undefined,
    changeSettleMs: 2_000,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}

export interface InvocationResult {
  readonly evaluations: readonly Evaluation[];
  readonly delivered: number;
  readonly staleCleanup:
    | 'done'
    | 'skipped: dry run makes no Config calls'
    | 'not applicable to change-triggered rules'
    | 'deferred: the sweep continues in the next invocation'
    | 'deferred: the sweep continues in another invocation';
  /** Periodic rules: evaluations not re-sent because Config already holds the same verdict and annotation. */
  readonly unchanged?: number;
  /** Periodic rules: unchanged results re-sent because their refresh was due (RefreshAfterDays). */
  readonly refreshed?: number;
  /** Periodic rules: resources reported before and not found now, re-reported NOT_APPLICABLE. */
  readonly stale?: number;
  /** Set when PutEvaluations refused the rule's resource type and verdicts went to the parent type instead. */
  readonly fallbackResourceType?: string;
}

export interface Invocation<Facts, Client, P extends ParameterSpecs> {
  readonly rule: RuleDefinition<Facts, Client, P>;
  readonly runtime: RuleRuntime<Client>;
  readonly event: RuleInvocation;
  readonly params: ParameterValues<P>;
  /** The periodic runtime's own parameters (every periodic rule declares them; defaults for change rules). */
  readonly periodic: PeriodicParameterValues;
  readonly exceptions: ExceptionSettings;
  /** Client settings, with the execution role's credentials when one is configured (assumed once, lazily). */
  readonly settings: () => Promise<ClientSettings>;
  /** One Config client per invocation, created on first use. */
  readonly configClient: () => Promise<ConfigServiceClient>;
  readonly partition: string;
  readonly region: string | undefined;
  readonly budget: TimeBudget;
}

export function openInvocation<Facts, Client, P extends ParameterSpecs>(
  rule: RuleDefinition<Facts, Client, P>,
  runtime: RuleRuntime<Client>,
  event: RuleInvocation,
  parameters: { rule: ParameterValues<P>; common: CommonParameterValues; periodic: PeriodicParameterValues },
  budget: TimeBudget,
): Invocation<Facts, Client, P> {
  const fromArn = parseArn(event.configRuleArn);
  const region = runtime.region ?? fromArn?.region ?? process.env.AWS_REGION;
  const partition = fromArn?.partition ?? partitionOfRegion(region ?? '');
  const settings = lazyClientSettings(
    {
      ruleName: rule.ruleName,
      control: rule.control,
      accountId: event.accountId,
      partition,
      region,
      roleName: parameters.common.ExecutionRoleName,
    },
    runtime.createStsClient,
  );
  let configClient: Promise<ConfigServiceClient> | undefined;
  return {
    rule,
    runtime,
    event,
    params: parameters.rule,
    periodic: parameters.periodic,
    exceptions: {
      prefix: parameters.common.ExceptionTagPrefix,
      requiresExpiry: parameters.common.ExceptionRequiresExpiry,
      today: todayUtc(runtime.now()),
    },
    settings,
    configClient: () => (configClient ??= settings().then(runtime.createConfigClient)),
    partition,
    region,
    budget,
  };
}

/** Where this invocation's evaluations go: PutEvaluations, or (dry run) a collector that counts nothing delivered. */
export async function sinkFor<Facts, Client, P extends ParameterSpecs>(
  invocation: Invocation<Facts, Client, P>,
): Promise<{ sink: EvaluationSink; delivered: () => number }> {
  if (invocation.runtime.dryRun) {
    const sink = new CollectingSink();
    return { sink, delivered: () => 0 };
  }
  const sink = new PutEvaluationsSink({
    client: await invocation.configClient(),
    resultToken: invocation.event.resultToken,
    retry: invocation.runtime.retry,
    log: invocation.runtime.log,
    hasTime: invocation.budget.deliveryHasTime,
    callTimeoutMs: invocation.budget.deliveryMsLeft,
  });
  return { sink, delivered: () => sink.delivered };
}
