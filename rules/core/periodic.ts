/**
 * Periodic rules: sweep the service, decide every resource, read what Config holds, plan what to send, deliver it
 * (falling back to the parent type if Config refuses the rule's own), and fail loudly if the held results could not
 * be read. Each step is a function below; `runPeriodic` only sequences them.
 */
import type { RuleInvocation } from './config-event';
import { mapConcurrent } from './concurrency';
import { decideSwept } from './decide';
import { CollectingSink, toEvaluation, type Evaluation, type EvaluationSink } from './delivery';
import { IncompleteCleanupError, IncompleteSweepError, OutOfTimeError, describeError } from './errors';
import { sinkFor, type Invocation, type InvocationResult } from './invocation';
import { evaluationsPerParent, fallbackParents, type Parent } from './parent-fallback';
import type { ParameterSpecs } from './parameters';
import { planPeriodicDelivery, staleEvaluations, type HeldResults, type PeriodicPlan } from './periodic-plan';
import { runPeriodicCycle } from './periodic-cycle';
import { ResourceIndex, readReportedResults } from './stale';
import type { SweptResource } from './types';

type ScheduledEvent = RuleInvocation & { kind: 'scheduled' };

/** What the sweep found: an evaluation per resource and, at the same index, the resource's parent. */
export interface Found {
  readonly evaluations: readonly Evaluation[];
  readonly parents: readonly (Parent | undefined)[];
}

export async function runPeriodic<Facts, Client, P extends ParameterSpecs>(
  invocation: Invocation<Facts, Client, P>,
  event: ScheduledEvent,
): Promise<InvocationResult> {
  const region = requireRegion(invocation);
  const { rule, runtime } = invocation;
  if (rule.resumableSweep !== undefined && runtime.cycleStore !== undefined && !runtime.dryRun) {
    const store = runtime.cycleStore({ ruleName: rule.ruleName, accountId: event.accountId, region });
    return runPeriodicCycle(invocation, event, region, store, () => readHeldResults(invocation, event));
  }
  const found = await sweepAndDecide(invocation, event, region);
  if (invocation.runtime.dryRun) return dryRunResult(found);
  const held = await readHeldResults(invocation, event);
  const plan = planPeriodicDelivery(found.evaluations, held, {
    reportUnchanged: invocation.periodic.ReportUnchanged,
    refreshAfterDays: invocation.periodic.RefreshAfterDays,
    orderingTimestamp: event.notificationCreationTime,
  });
  const { sink, delivered } = await sinkFor(invocation);
  const result = await deliverPlan(invocation, event, { sink, delivered }, plan, found, held);
  failIfHeldUnreadable(invocation, held, result);
  return result;
}

function requireRegion<Facts, Client, P extends ParameterSpecs>(
  invocation: Invocation<Facts, Client, P>,
): string {
  if (invocation.region === undefined) {
    throw new Error('No region: the event has no configRuleArn and AWS_REGION is not set');
  }
  return invocation.region;
}

/**
 * The sweep and a verdict per resource. Only the evaluations and each resource's parent (for the per-parent
 * fallback) leave this function: the swept facts and names are let go when it returns, which at 100,000 resources
 * is tens of megabytes of a 256 MB function.
 */
export async function sweepAndDecide<Facts, Client, P extends ParameterSpecs>(
  invocation: Invocation<Facts, Client, P>,
  event: ScheduledEvent,
  region: string,
): Promise<Found> {
  const { rule, runtime } = invocation;
  const orderingTimestamp = event.notificationCreationTime;
  const client = runtime.createServiceClient(await invocation.settings());
  let swept: readonly SweptResource<Facts>[];
  try {
    swept = await rule.sweep(client, {
      accountId: event.accountId,
      region,
      partition: invocation.partition,
      ...(runtime.clock === undefined ? {} : { clock: runtime.clock }),
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

/** A dry run makes no Config call: no held results, no cleanup, nothing delivered. */
async function dryRunResult(found: Found): Promise<InvocationResult> {
  await new CollectingSink().deliver(found.evaluations);
  return {
    evaluations: found.evaluations,
    delivered: 0,
    staleCleanup: 'skipped: dry run makes no Config calls',
  };
}

/** Earlier results that cannot be read must not cost this sweep's verdicts: the failure is kept, not thrown. */
async function readHeldResults<Facts, Client, P extends ParameterSpecs>(
  invocation: Invocation<Facts, Client, P>,
  event: ScheduledEvent,
): Promise<HeldResults> {
  try {
    const { results } = await readReportedResults(
      await invocation.configClient(),
      event.configRuleName,
      invocation.runtime.retry,
    );
    return { readable: true, results };
  } catch (error) {
    invocation.runtime.log.error(
      'GetComplianceDetailsByConfigRule failed; delivering without stale cleanup',
      {
        error: describeError(error),
      },
    );
    return { readable: false, error };
  }
}

interface Delivery {
  readonly sink: EvaluationSink;
  readonly delivered: () => number;
}

async function deliverPlan<Facts, Client, P extends ParameterSpecs>(
  invocation: Invocation<Facts, Client, P>,
  event: ScheduledEvent,
  delivery: Delivery,
  plan: PeriodicPlan,
  found: Found,
  held: HeldResults,
): Promise<InvocationResult> {
  const all = [...plan.send, ...plan.stale];
  try {
    await delivery.sink.deliver(all);
  } catch (error) {
    const parents = fallbackParents(error, invocation.rule.resourceType, found.parents);
    if (parents === undefined) throw error;
    return deliverToParents(invocation, event, delivery, found, held);
  }
  return {
    evaluations: all,
    delivered: delivery.delivered(),
    staleCleanup: 'done',
    unchanged: plan.unchanged,
    refreshed: plan.refreshed,
    stale: plan.stale.length,
  };
}

/** Config refused the rule's type: every verdict again, rolled up per parent, plus stale parents (never unchanged-filtered). */
async function deliverToParents<Facts, Client, P extends ParameterSpecs>(
  invocation: Invocation<Facts, Client, P>,
  event: ScheduledEvent,
  delivery: Delivery,
  found: Found,
  held: HeldResults,
): Promise<InvocationResult> {
  const { rule, runtime } = invocation;
  const parentType = found.parents[0]?.resourceType ?? 'parent';
  runtime.log.warn('PutEvaluations rejected the resource type; reporting one evaluation per parent instead', {
    rejected: rule.resourceType,
    fallback: parentType,
  });
  const byParent = evaluationsPerParent(
    found.parents.map((parent) => ({ parent })),
    found.evaluations,
    event.notificationCreationTime,
    rule.childNoun,
  );
  const seen = ResourceIndex.of(found.evaluations);
  for (const parent of byParent) seen.set(parent.ComplianceResourceType, parent.ComplianceResourceId, true);
  const stale = held.readable
    ? staleEvaluations(held.results, seen, event.notificationCreationTime).filter(
        // Stale results of the refused type would be refused too.
        (evaluation) => evaluation.ComplianceResourceType !== rule.resourceType,
      )
    : [];
  const evaluations = [...byParent, ...stale];
  await delivery.sink.deliver(evaluations);
  return {
    evaluations,
    delivered: delivery.delivered(),
    staleCleanup: 'done',
    fallbackResourceType: parentType,
  };
}

function failIfHeldUnreadable<Facts, Client, P extends ParameterSpecs>(
  invocation: Invocation<Facts, Client, P>,
  held: HeldResults,
  result: InvocationResult,
): void {
  if (held.readable) return;
  throw new IncompleteCleanupError(
    `${invocation.rule.ruleName}: ${result.delivered} evaluation(s) delivered, but stale cleanup failed: earlier results could not be read (GetComplianceDetailsByConfigRule): ${describeError(held.error)}`,
    { cause: held.error },
  );
}
