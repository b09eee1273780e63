/** Change-triggered rules: one configuration item, one evaluation, stamped with the item's capture time. */
import { CORE_CODES, type CoreCode } from './codes';
import { decide } from './decide';
import { toEvaluation, type Evaluation } from './delivery';
import { MalformedEventError } from './errors';
import { sinkFor, type Invocation, type InvocationResult } from './invocation';
import { fetchOversizedItem, type OversizedSummary } from './oversized';
import type { ParameterSpecs } from './parameters';
import type { ConfigurationItem, Verdict } from './types';

/** AWS's sample evaluates only these statuses; deleted or unrecorded items are NOT_APPLICABLE. */
const EVALUATED_STATUSES = new Set(['OK', 'ResourceDiscovered']);

export async function runChange<Facts, Client, P extends ParameterSpecs>(
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

/** NOT_APPLICABLE, with core's code, for an item the rule does not evaluate; undefined for one it does. */
export function notEvaluated(
  rule: { resourceType: string },
  item: { resourceType: string; configurationItemStatus: string },
  eventLeftScope: boolean,
): Verdict | undefined {
  const because = (code: CoreCode, annotation: string): Verdict => ({
    compliance: 'NOT_APPLICABLE',
    code,
    annotation,
  });
  if (item.resourceType !== rule.resourceType)
    return because(
      CORE_CODES.otherResourceType,
      `Not evaluated: this rule evaluates only ${rule.resourceType}.`,
    );
  if (!EVALUATED_STATUSES.has(item.configurationItemStatus)) {
    return because(
      CORE_CODES.notEvaluatedStatus,
      `Not evaluated: configuration item status is ${item.configurationItemStatus}.`,
    );
  }
  if (eventLeftScope)
    return because(CORE_CODES.leftScope, 'Not evaluated: the resource left the scope of this rule.');
  return undefined;
}

function evaluateItem<Facts, Client, P extends ParameterSpecs>(
  invocation: Invocation<Facts, Client, P>,
  item: ConfigurationItem,
): Evaluation {
  const { rule, event } = invocation;
  const orderingTimestamp = new Date(item.configurationItemCaptureTime);
  const skipped = notEvaluated(rule, item, event.eventLeftScope);
  if (skipped !== undefined)
    return toEvaluation(item, skipped.compliance, skipped.annotation, orderingTimestamp);
  if (rule.fromConfigurationItem === undefined) {
    throw new MalformedEventError(`${rule.ruleName} cannot read configuration items`);
  }
  const facts = rule.fromConfigurationItem(item);
  const verdict = decide(rule, facts, item.tags ?? {}, invocation.params, invocation.exceptions);
  return toEvaluation(item, verdict.compliance, verdict.annotation, orderingTimestamp);
}

async function evaluateOversized<Facts, Client, P extends ParameterSpecs>(
  invocation: Invocation<Facts, Client, P>,
  summary: OversizedSummary,
): Promise<Evaluation> {
  const orderingTimestamp = new Date(summary.configurationItemCaptureTime);
  const skipped = notEvaluated(invocation.rule, summary, invocation.event.eventLeftScope);
  if (skipped !== undefined)
    return toEvaluation(summary, skipped.compliance, skipped.annotation, orderingTimestamp);
  const fetched = await fetchOversizedItem(invocation, summary);
  if (fetched.item === undefined) {
    // Fail closed: authentication cannot be established without the item.
    const unread: Verdict = {
      compliance: 'NON_COMPLIANT',
      code: CORE_CODES.configurationUnreadable,
      annotation: `Configuration of this oversized item could not be read (${fetched.problem}); authentication not verified. Check the rule's permission for config:GetResourceConfigHistory.`,
    };
    return toEvaluation(summary, unread.compliance, unread.annotation, orderingTimestamp);
  }
  return evaluateItem(invocation, fetched.item);
}
