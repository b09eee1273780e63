/**
 * The one evaluator every rule shares (rdklib's idea): event → facts → decision → PutEvaluations.
 * A rule's own handler file is a single call to `createConfigRuleHandler`.
 */
import { GetResourceConfigHistoryCommand, type ConfigServiceClient } from '@aws-sdk/client-config-service';
import type { STSClient } from '@aws-sdk/client-sts';
import { parseConfigRuleEvent, fromApiConfigurationItem, type RuleInvocation } from './config-event';
import {
  assumeExecutionRole,
  clientSettings,
  createConfigClient,
  createStsClient,
  parseArn,
  partitionOfRegion,
} from './clients';
import { mapConcurrent } from './concurrency';
import { decide, decideSwept } from './decide';
import {
  CollectingSink,
  PutEvaluationsSink,
  toEvaluation,
  type Evaluation,
  type EvaluationSink,
} from './delivery';
import {
  IncompleteSweepError,
  MalformedEventError,
  OutOfTimeError,
  ResourceTypeRejectedError,
  describeError,
} from './errors';
import { todayUtc, type ExceptionSettings } from './exceptions';
import type { Log } from './log';
import { parseParameters, type ParameterSpecs, type ParameterValues } from './parameters';
import { DEFAULT_RETRY, withRetries, type RetryPolicy } from './retry';
import { ResourceIndex, readReportedResults, resourceKey, staleAmong, type ReportedResult } from './stale';
import type { ClientSettings, Compliance, ConfigurationItem, RuleDefinition, SweptResource } from './types';

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
}

export interface InvocationResult {
  readonly evaluations: readonly Evaluation[];
  readonly delivered: number;
  readonly staleCleanup:
    'done' | 'skipped: dry run makes no Config calls' | 'not applicable to change-triggered rules';
  /** Periodic rules: evaluations not re-sent because Config already holds the same verdict and annotation. */
  readonly unchanged?: number;
  /** Periodic rules: resources reported before and not found now, re-reported NOT_APPLICABLE. */
  readonly stale?: number;
  /** Set when PutEvaluations refused the rule's resource type and verdicts went to the parent type instead. */
  readonly fallbackResourceType?: string;
}

const EVALUATED_STATUSES = new Set(['OK', 'ResourceDiscovered']);

function defaultRuntime<Client>(rule: {
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
  };
}

/** A Lambda handler for one rule. `overrides` is for tests and the CLI; Lambda uses the defaults. */
export function createConfigRuleHandler<Facts, Client, P extends ParameterSpecs>(
  rule: RuleDefinition<Facts, Client, P>,
  overrides: Partial<RuleRuntime<Client>> = {},
): (event: unknown, context?: LambdaContext) => Promise<InvocationResult> {
  const runtime: RuleRuntime<Client> = { ...defaultRuntime(rule), ...overrides };
  return (event: unknown, context?: LambdaContext) => runRule(rule, event, runtime, context);
}

/** The part of Lambda's context the runtime uses. */
export interface LambdaContext {
  readonly getRemainingTimeInMillis?: () => number;
}

/** When to stop: the sweep leaves time to deliver, and delivery stops while there is time to say what was lost. */
export interface TimeBudget {
  readonly sweepHasTime: () => boolean;
  readonly deliveryHasTime: () => boolean;
  readonly remainingMs: () => number | undefined;
}

export function timeBudget(context: LambdaContext | undefined): TimeBudget {
  const remaining = context?.getRemainingTimeInMillis;
  if (remaining === undefined) {
    return { sweepHasTime: () => true, deliveryHasTime: () => true, remainingMs: () => undefined };
  }
  const initial = remaining.call(context);
  // A quarter of the budget (at most a minute) is kept for delivery; the last 5% (at most 5 s) for failing loudly.
  const sweepReserve = Math.min(60_000, initial * 0.25);
  const deliveryReserve = Math.min(5_000, initial * 0.05);
  return {
    sweepHasTime: () => remaining.call(context) > sweepReserve,
    deliveryHasTime: () => remaining.call(context) > deliveryReserve,
    remainingMs: () => remaining.call(context),
  };
}

interface Invocation<Facts, Client, P extends ParameterSpecs> {
  readonly rule: RuleDefinition<Facts, Client, P>;
  readonly runtime: RuleRuntime<Client>;
  readonly event: RuleInvocation;
  readonly params: ParameterValues<P>;
  readonly exceptions: ExceptionSettings;
  /** Client settings, with the execution role's credentials when one is configured (assumed once, lazily). */
  readonly settings: () => Promise<ClientSettings>;
  /** One Config client per invocation, created on first use. */
  readonly configClient: () => Promise<ConfigServiceClient>;
  readonly partition: string;
  readonly region: string | undefined;
  readonly budget: TimeBudget;
}

export async function runRule<Facts, Client, P extends ParameterSpecs>(
  rule: RuleDefinition<Facts, Client, P>,
  rawEvent: unknown,
  runtime: RuleRuntime<Client>,
  context?: LambdaContext,
): Promise<InvocationResult> {
  const budget = timeBudget(context);
  const event = parseConfigRuleEvent(rawEvent);
  const { rule: params, common } = parseParameters(rule.parameters, event.ruleParameters);
  const expected = rule.trigger.kind === 'periodic' ? ['scheduled'] : ['change', 'oversized'];
  if (!expected.includes(event.kind)) {
    throw new MalformedEventError(
      `${rule.ruleName} is ${rule.trigger.kind === 'periodic' ? 'a periodic rule and takes ScheduledNotification' : 'change-triggered and takes configuration item notifications'}, not a ${event.kind} notification`,
    );
  }
  const fromArn = parseArn(event.configRuleArn);
  const region = runtime.region ?? fromArn?.region ?? process.env.AWS_REGION;
  const partition = fromArn?.partition ?? partitionOfRegion(region ?? '');
  // The role is assumed on first need: a change event in a dry run makes no AWS call at all.
  let credentials: Promise<ClientSettings['credentials']> | undefined;
  const roleName = common.ExecutionRoleName;
  const settings = async (): Promise<ClientSettings> => {
    credentials ??=
      roleName === undefined
        ? Promise.resolve(undefined)
        : assumeExecutionRole(runtime.createStsClient(clientSettings(region)), {
            partition,
            accountId: event.accountId,
            roleName,
            sessionName: `authn-pack-${rule.control}`,
          }).catch((error: unknown) => {
            // Every Config call needs these credentials too: say that nothing reached Config.
            throw new Error(`${rule.ruleName}: nothing was reported to Config: ${describeError(error)}`, {
              cause: error,
            });
          });
    return clientSettings(region, await credentials);
  };
  let configClient: Promise<ConfigServiceClient> | undefined;
  const invocation: Invocation<Facts, Client, P> = {
    rule,
    runtime,
    event,
    params,
    exceptions: {
      prefix: common.ExceptionTagPrefix,
      requiresExpiry: common.ExceptionRequiresExpiry,
      today: todayUtc(runtime.now()),
    },
    settings,
    configClient: () => (configClient ??= settings().then(runtime.createConfigClient)),
    partition,
    region,
    budget,
  };
  const result =
    event.kind === 'scheduled' ? await runPeriodic(invocation, event) : await runChange(invocation);
  runtime.log.info('evaluation finished', {
    rule: rule.ruleName,
    account: event.accountId,
    ...countByCompliance(result.evaluations),
    delivered: result.delivered,
    staleCleanup: result.staleCleanup,
  });
  return result;
}

function countByCompliance(evaluations: readonly Evaluation[]): Record<Compliance, number> {
  const counts: Record<Compliance, number> = { COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0 };
  for (const evaluation of evaluations) counts[evaluation.ComplianceType] += 1;
  return counts;
}

async function sinkFor<Facts, Client, P extends ParameterSpecs>(
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
  });
  return { sink, delivered: () => sink.delivered };
}

// ---------------------------------------------------------------------------------------------------------------
// Change-triggered rules: one configuration item, one evaluation.

async function runChange<Facts, Client, P extends ParameterSpecs>(
  invocation: Invocation<Facts, Client, P>,
): Promise<InvocationResult> {
  const { event } = invocation;
  let evaluation: Evaluation;
  if (event.kind === 'change') {
    evaluation = evaluateItem(invocation, event.item);
  } else if (event.kind === 'oversized') {
    evaluation = await evaluateOversized(invocation, event.summary);
  } else {
    throw new MalformedEventError('not a configuration item notification');
  }
  const { sink, delivered } = await sinkFor(invocation);
  await sink.deliver([evaluation]);
  return {
    evaluations: [evaluation],
    delivered: delivered(),
    staleCleanup: 'not applicable to change-triggered rules',
  };
}

function notApplicableReason(
  rule: { resourceType: string },
  item: { resourceType: string; configurationItemStatus: string },
  eventLeftScope: boolean,
): string | undefined {
  if (item.resourceType !== rule.resourceType)
    return `Not evaluated: this rule evaluates only ${rule.resourceType}.`;
  if (!EVALUATED_STATUSES.has(item.configurationItemStatus)) {
    return `Not evaluated: configuration item status is ${item.configurationItemStatus}.`;
  }
  if (eventLeftScope) return 'Not evaluated: the resource left the scope of this rule.';
  return undefined;
}

function evaluateItem<Facts, Client, P extends ParameterSpecs>(
  invocation: Invocation<Facts, Client, P>,
  item: ConfigurationItem,
): Evaluation {
  const { rule, event } = invocation;
  const orderingTimestamp = new Date(item.configurationItemCaptureTime);
  const reason = notApplicableReason(rule, item, event.eventLeftScope);
  if (reason !== undefined) return toEvaluation(item, 'NOT_APPLICABLE', reason, orderingTimestamp);
  if (rule.fromConfigurationItem === undefined) {
    throw new MalformedEventError(`${rule.ruleName} cannot read configuration items`);
  }
  const facts = rule.fromConfigurationItem(item);
  const verdict = decide(rule, facts, item.tags ?? {}, invocation.params, invocation.exceptions);
  return toEvaluation(item, verdict.compliance, verdict.annotation, orderingTimestamp);
}

async function evaluateOversized<Facts, Client, P extends ParameterSpecs>(
  invocation: Invocation<Facts, Client, P>,
  summary: {
    resourceType: string;
    resourceId: string;
    configurationItemStatus: string;
    configurationItemCaptureTime: string;
  },
): Promise<Evaluation> {
  const { rule, event, runtime } = invocation;
  const orderingTimestamp = new Date(summary.configurationItemCaptureTime);
  const reason = notApplicableReason(rule, summary, event.eventLeftScope);
  if (reason !== undefined) return toEvaluation(summary, 'NOT_APPLICABLE', reason, orderingTimestamp);
  if (runtime.dryRun) {
    throw new MalformedEventError(
      'an oversized notification carries no configuration, and fetching it (GetResourceConfigHistory) is a Config ' +
        'call that --dry-run does not make. Pass the full item as a ConfigurationItemChangeNotification, or run without --dry-run.',
    );
  }
  const client = await invocation.configClient();
  let item: ConfigurationItem | undefined;
  let problem = 'Config returned no configuration item';
  try {
    const response = await withRetries(runtime.retry, () =>
      client.send(
        new GetResourceConfigHistoryCommand({
          resourceType: summary.resourceType as never,
          resourceId: summary.resourceId,
          laterTime: orderingTimestamp,
          limit: 1,
        }),
      ),
    );
    const first = response.configurationItems?.[0];
    if (first !== undefined) item = fromApiConfigurationItem(first);
  } catch (error) {
    problem = describeError(error);
    runtime.log.error('GetResourceConfigHistory failed', { resourceId: summary.resourceId, error: problem });
  }
  if (item === undefined) {
    // Fail closed: authentication cannot be established without the item.
    return toEvaluation(
      summary,
      'NON_COMPLIANT',
      `Configuration of this oversized item could not be read (${problem}); authentication not verified. Check the rule's permission for config:GetResourceConfigHistory.`,
      orderingTimestamp,
    );
  }
  return evaluateItem(invocation, item);
}

// ---------------------------------------------------------------------------------------------------------------
// Periodic rules: sweep the service, report everything found, re-report what disappeared.

async function runPeriodic<Facts, Client, P extends ParameterSpecs>(
  invocation: Invocation<Facts, Client, P>,
  event: RuleInvocation & { kind: 'scheduled' },
): Promise<InvocationResult> {
  const { rule, runtime } = invocation;
  const orderingTimestamp = event.notificationCreationTime;
  if (invocation.region === undefined) {
    throw new Error('No region: the event has no configRuleArn and AWS_REGION is not set');
  }
  const { evaluations, parents } = await sweepAndDecide(invocation, event, invocation.region);

  if (runtime.dryRun) {
    const sink = new CollectingSink();
    await sink.deliver(evaluations);
    return { evaluations, delivered: 0, staleCleanup: 'skipped: dry run makes no Config calls' };
  }

  const configClient = await invocation.configClient();
  // Earlier results that cannot be read must not cost this sweep's verdicts: deliver them, then fail the invocation.
  let reported: readonly ReportedResult[] = [];
  let cleanupFailure: unknown;
  try {
    ({ results: reported } = await readReportedResults(configClient, event.configRuleName, runtime.retry));
  } catch (error) {
    cleanupFailure = error;
    runtime.log.error('GetComplianceDetailsByConfigRule failed; delivering without stale cleanup', {
      error: describeError(error),
    });
  }
  const withCleanup = (current: readonly Evaluation[]): Evaluation[] => {
    // What the sweep found is never stale, whether or not it is re-reported this time.
    const seen = ResourceIndex.of(evaluations);
    for (const e of current) seen.set(e.ComplianceResourceType, e.ComplianceResourceId, true);
    const stale = staleAmong(reported, seen).map((result) =>
      toEvaluation(
        result,
        'NOT_APPLICABLE',
        'No longer found by the periodic sweep (deleted or out of scope).',
        orderingTimestamp,
      ),
    );
    return [...current, ...stale];
  };

  // Config bills every evaluation: unless ReportUnchanged, send only what differs from what Config holds.
  const reportUnchanged = (invocation.params as Readonly<Record<string, unknown>>).ReportUnchanged === true;
  const previous = new ResourceIndex<ReportedResult>();
  for (const result of reported) previous.set(result.resourceType, result.resourceId, result);
  const changed = (evaluation: Evaluation): boolean => {
    const before = previous.get(evaluation.ComplianceResourceType, evaluation.ComplianceResourceId);
    // Config keeps no NOT_APPLICABLE results, so one for a resource it holds nothing of changes nothing.
    if (before === undefined) return evaluation.ComplianceType !== 'NOT_APPLICABLE';
    return (
      before.compliance !== evaluation.ComplianceType ||
      (before.annotation ?? '') !== (evaluation.Annotation ?? '')
    );
  };
  const toReport =
    reportUnchanged || cleanupFailure !== undefined ? evaluations : evaluations.filter(changed);
  const unchanged = evaluations.length - toReport.length;

  const { sink, delivered } = await sinkFor(invocation);
  const result = await deliverPeriodic();
  if (cleanupFailure !== undefined) {
    throw new Error(
      `${rule.ruleName}: ${result.delivered} evaluation(s) delivered, but stale cleanup failed: earlier results could not be read (GetComplianceDetailsByConfigRule): ${describeError(cleanupFailure)}`,
      { cause: cleanupFailure },
    );
  }
  return result;

  async function deliverPeriodic(): Promise<InvocationResult> {
    const all = withCleanup(toReport);
    const seenNow = ResourceIndex.of(evaluations);
    const stale = all.filter((e) => !seenNow.has(e.ComplianceResourceType, e.ComplianceResourceId));
    try {
      await sink.deliver(all);
      return {
        evaluations: all,
        delivered: delivered(),
        staleCleanup: 'done',
        unchanged,
        stale: stale.length,
      };
    } catch (error) {
      if (!(error instanceof ResourceTypeRejectedError) || error.resourceType !== rule.resourceType)
        throw error;
      if (!parents.every((parent) => parent !== undefined)) throw error;
      const parentType = parents[0]?.resourceType ?? 'parent';
      runtime.log.warn(
        'PutEvaluations rejected the resource type; reporting one evaluation per parent instead',
        {
          rejected: rule.resourceType,
          fallback: parentType,
        },
      );
      const byParent = evaluationsPerParent(
        parents.map((parent) => ({ parent })),
        evaluations,
        orderingTimestamp,
      );
      const fallback = withCleanup(byParent).filter((e) => e.ComplianceResourceType !== rule.resourceType);
      await sink.deliver(fallback);
      return {
        evaluations: fallback,
        delivered: delivered(),
        staleCleanup: 'done',
        fallbackResourceType: parentType,
      };
    }
  }
}

/**
 * The sweep and a verdict per resource. Only the evaluations and each resource's parent (for the per-parent
 * fallback) leave this function: the swept facts and names are let go when it returns, which at 100,000 resources
 * is tens of megabytes of a 256 MB function.
 */
async function sweepAndDecide<Facts, Client, P extends ParameterSpecs>(
  invocation: Invocation<Facts, Client, P>,
  event: RuleInvocation & { kind: 'scheduled' },
  region: string,
): Promise<{ evaluations: Evaluation[]; parents: (SweptResource<Facts>['parent'] | undefined)[] }> {
  const { rule, runtime } = invocation;
  const orderingTimestamp = event.notificationCreationTime;
  const client = runtime.createServiceClient(await invocation.settings());
  let swept: readonly SweptResource<Facts>[];
  try {
    swept = await rule.sweep(client, {
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
    });
  } catch (error) {
    // Nothing is reported from a sweep that failed part-way; Config shows the rule as failed, with this reason.
    throw new IncompleteSweepError(
      `${rule.ruleName}: the sweep could not read every resource, so nothing was reported: ${describeError(error)}`,
      { cause: error },
    );
  }
  const evaluations = await mapConcurrent(swept, runtime.tagReadConcurrency, async (resource) => {
    if (!invocation.budget.sweepHasTime()) {
      throw new IncompleteSweepError(
        `${rule.ruleName}: ran short of Lambda time while reading exception tags, so nothing was reported`,
      );
    }
    const verdict = await decideSwept(rule, resource, invocation.params, invocation.exceptions);
    return toEvaluation(resource, verdict.compliance, verdict.annotation, orderingTimestamp);
  });
  return { evaluations, parents: swept.map((resource) => resource.parent) };
}

/** One evaluation per parent: NON_COMPLIANT if any child is, else COMPLIANT if any child is, else NOT_APPLICABLE. */
export function evaluationsPerParent(
  swept: readonly { readonly parent?: SweptResource<unknown>['parent'] }[],
  evaluations: readonly Evaluation[],
  orderingTimestamp: Date,
): Evaluation[] {
  const groups = new Map<
    string,
    { parent: NonNullable<SweptResource<unknown>['parent']>; children: Evaluation[] }
  >();
  swept.forEach((resource, index) => {
    const evaluation = evaluations[index];
    if (resource.parent === undefined || evaluation === undefined) return;
    const key = resourceKey(resource.parent.resourceType, resource.parent.resourceId);
    const group = groups.get(key) ?? { parent: resource.parent, children: [] };
    group.children.push(evaluation);
    groups.set(key, group);
  });
  return [...groups.values()].map(({ parent, children }) => {
    const failing = children.filter((child) => child.ComplianceType === 'NON_COMPLIANT');
    if (failing.length > 0) {
      const first = failing[0]?.Annotation ?? '';
      return toEvaluation(
        parent,
        'NON_COMPLIANT',
        `${failing.length} of ${children.length} routes of ${parent.resourceName} fail. First: ${first}`,
        orderingTimestamp,
      );
    }
    const compliance: Compliance = children.some((child) => child.ComplianceType === 'COMPLIANT')
      ? 'COMPLIANT'
      : 'NOT_APPLICABLE';
    return toEvaluation(
      parent,
      compliance,
      `All ${children.length} routes of ${parent.resourceName} pass or are exempt.`,
      orderingTimestamp,
    );
  });
}
