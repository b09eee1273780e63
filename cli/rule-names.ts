/**
 * How the pack's Config rules are named where they run. The registry names each rule (`authn-...`); a conformance
 * pack deployed by an organization renames it `<ruleName>-conformance-pack-<suffix>` in every member account, and an
 * organization Config rule appears as `OrgConfigRule-<ruleName>-<suffix>`. Matching is exact on the registry name:
 * a rule whose name merely starts with ours is not ours.
 */
import { RULES } from '../rules/index';
import type { AnyRule } from '../rules/core/types';

export type RuleNameForm = 'registry' | 'conformance-pack' | 'organization-rule';

export interface PackRuleMatch {
  readonly rule: AnyRule;
  readonly form: RuleNameForm;
}

const SUFFIX = '[A-Za-z0-9]+';
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Which of the pack's rules a deployed Config rule name is, if any. */
export function matchPackRule(
  configRuleName: string,
  rules: readonly AnyRule[] = RULES,
): PackRuleMatch | undefined {
  for (const rule of rules) {
    if (configRuleName === rule.ruleName) return { rule, form: 'registry' };
  }
  for (const rule of rules) {
    const name = escape(rule.ruleName);
    if (new RegExp(`^${name}-conformance-pack-${SUFFIX}$`).test(configRuleName))
      return { rule, form: 'conformance-pack' };
    if (new RegExp(`^OrgConfigRule-${name}-${SUFFIX}$`).test(configRuleName))
      return { rule, form: 'organization-rule' };
  }
  return undefined;
}
