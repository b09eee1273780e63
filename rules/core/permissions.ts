/** The IAM actions a rule's invocation makes: derived from the registry, so deploy/ grants exactly these. */
import type { AnyRule } from './types';

/** Config calls the shared runtime makes for a rule (PutEvaluations always; the reads depend on the trigger). */
export function configActions(rule: Pick<AnyRule, 'trigger' | 'resumableSweep'>): string[] {
  if (rule.trigger.kind !== 'periodic') return ['config:PutEvaluations', 'config:GetResourceConfigHistory'];
  return [
    'config:PutEvaluations',
    'config:GetComplianceDetailsByConfigRule',
    // A sweep that continues across invocations starts the next one itself (periodic-cycle.ts).
    ...(rule.resumableSweep === undefined ? [] : ['config:StartConfigRulesEvaluation']),
  ];
}

/**
 * Every action one rule's Lambda makes in the evaluated account. A change-triggered rule reads only the
 * configuration item Config sends (or fetches), so it never calls its service: only periodic rules sweep.
 */
export function evaluatedAccountActions(
  rule: Pick<AnyRule, 'trigger' | 'service' | 'resumableSweep'>,
): string[] {
  const service = rule.trigger.kind === 'periodic' ? rule.service.iamActions : [];
  return [...new Set([...configActions(rule), ...service])].sort();
}

/** The read actions `authn-pack scan` needs for one rule (its sweep), for the scanning role's policy. */
export function scanActions(rule: Pick<AnyRule, 'service'>): string[] {
  return [...rule.service.iamActions].sort();
}

/**
 * Whether a rule's function keeps records in the state table (rules/core/state-store.ts): the periodic rules, whose
 * sweeps continue across invocations and read what change events recorded. The CDK app gives exactly these the
 * table's name and access to their own records.
 */
export function usesStateTable(rule: Pick<AnyRule, 'trigger'>): boolean {
  return rule.trigger.kind === 'periodic';
}
