/** The IAM actions a rule's invocation makes: derived from the registry, so deploy/ grants exactly these. */
import type { AnyRule } from './types';

/** Config calls the shared runtime makes for a rule (PutEvaluations always; the reads depend on the trigger). */
export function configActions(rule: Pick<AnyRule, 'trigger'>): string[] {
  return rule.trigger.kind === 'periodic'
    ? ['config:PutEvaluations', 'config:GetComplianceDetailsByConfigRule']
    : ['config:PutEvaluations', 'config:GetResourceConfigHistory'];
}

/** Every action one rule's Lambda makes in the evaluated account. */
export function evaluatedAccountActions(rule: Pick<AnyRule, 'trigger' | 'service'>): string[] {
  return [...new Set([...configActions(rule), ...rule.service.iamActions])].sort();
}
