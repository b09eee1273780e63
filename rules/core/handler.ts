/**
 * The one evaluator every rule shares (rdklib's idea): event → facts → decision → PutEvaluations.
 * A rule's own handler file is a single call to `createConfigRuleHandler`. This file only dispatches: the change
 * path is in change.ts (oversized items in oversized.ts), the periodic path in periodic.ts, the invocation's
 * clients and credentials in invocation.ts and execution-role.ts, the time budget in time-budget.ts.
 */
import { runChange } from './change';
import { parseConfigRuleEvent } from './config-event';
import type { Evaluation } from './delivery';
import { MalformedEventError } from './errors';
import { defaultRuntime, openInvocation, type InvocationResult, type RuleRuntime } from './invocation';
import { parseParameters, type ParameterSpecs } from './parameters';
import { runScheduled } from './change-run';
import { timeBudget, type LambdaContext } from './time-budget';
import type { Compliance, RuleDefinition } from './types';

export type { InvocationResult, RuleRuntime } from './invocation';
export type { LambdaContext } from './time-budget';

/** A Lambda handler for one rule. `overrides` is for tests and the CLI; Lambda uses the defaults. */
export function createConfigRuleHandler<Facts, Client, P extends ParameterSpecs>(
  rule: RuleDefinition<Facts, Client, P>,
  overrides: Partial<RuleRuntime<Client>> = {},
): (event: unknown, context?: LambdaContext) => Promise<InvocationResult> {
  const runtime: RuleRuntime<Client> = { ...defaultRuntime(rule), ...overrides };
  return (event: unknown, context?: LambdaContext) => runRule(rule, event, runtime, context);
}

export async function runRule<Facts, Client, P extends ParameterSpecs>(
  rule: RuleDefinition<Facts, Client, P>,
  rawEvent: unknown,
  runtime: RuleRuntime<Client>,
  context?: LambdaContext,
): Promise<InvocationResult> {
  const budget = timeBudget(context);
  const event = parseConfigRuleEvent(rawEvent);
  const parameters = parseParameters(rule.parameters, event.ruleParameters);
  const expected = rule.trigger.kind === 'periodic' ? ['scheduled'] : ['change', 'oversized'];
  if (!expected.includes(event.kind)) {
    throw new MalformedEventError(
      `${rule.ruleName} is ${rule.trigger.kind === 'periodic' ? 'a periodic rule and takes ScheduledNotification' : 'change-triggered and takes configuration item notifications'}, not a ${event.kind} notification`,
    );
  }
  const invocation = openInvocation(rule, runtime, event, parameters, budget);
  const result =
    event.kind === 'scheduled' ? await runScheduled(invocation, event) : await runChange(invocation);
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
