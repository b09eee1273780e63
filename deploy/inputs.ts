/**
 * What each rule is told: the `InputParameters` of a stand-alone Config rule, and the
 * `ConformancePackInputParameters` that fill in conformance-pack.yaml. Values are strings; an empty one is left
 * out, so the rule uses its default.
 */
import { RULES } from '../rules/index';
import type { AnyRule } from '../rules/core/types';
import {
  frequencyParameter,
  lambdaArnParameter,
  ruleParameterName,
  sharedParameterName,
} from './conformance-pack';
import { frequencyOf, type Settings } from './settings';

/** Input parameters of one rule deployed on its own (single-account mode: the function uses its own role). */
export function ruleInputParameters(rule: AnyRule, settings: Settings): Record<string, string> {
  const values: Record<string, string> = {
    ExceptionTagPrefix: settings.exceptionTagPrefix,
    ExceptionRequiresExpiry: settings.exceptionRequiresExpiry,
  };
  for (const [name, spec] of Object.entries(rule.parameters)) {
    values[name] = settings.ruleParameters[rule.ruleName]?.[name] ?? spec.defaultText;
  }
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== ''));
}

export interface PackInputParameter {
  readonly parameterName: string;
  readonly parameterValue: string;
}

/**
 * Values for conformance-pack.yaml's parameters: every Lambda ARN, the execution role, every periodic rule's
 * frequency, and whatever settings override (the rest keep the template's defaults).
 */
export function packInputParameters(
  settings: Settings,
  functionArns: Readonly<Record<string, string>>,
  rules: readonly AnyRule[] = RULES,
): PackInputParameter[] {
  const parameters: PackInputParameter[] = [
    { parameterName: sharedParameterName('ExecutionRoleName'), parameterValue: settings.executionRoleName },
  ];
  if (settings.exceptionTagPrefix !== '') {
    parameters.push({
      parameterName: sharedParameterName('ExceptionTagPrefix'),
      parameterValue: settings.exceptionTagPrefix,
    });
  }
  if (settings.exceptionRequiresExpiry !== '') {
    parameters.push({
      parameterName: sharedParameterName('ExceptionRequiresExpiry'),
      parameterValue: settings.exceptionRequiresExpiry,
    });
  }
  for (const rule of rules) {
    const arn = functionArns[rule.ruleName];
    if (arn === undefined) throw new Error(`No function ARN for ${rule.ruleName}`);
    parameters.push({ parameterName: lambdaArnParameter(rule), parameterValue: arn });
    const frequency = frequencyOf(settings, rule);
    if (frequency !== undefined)
      parameters.push({ parameterName: frequencyParameter(rule), parameterValue: frequency });
    for (const [name, value] of Object.entries(settings.ruleParameters[rule.ruleName] ?? {})) {
      parameters.push({ parameterName: ruleParameterName(rule, name), parameterValue: value });
    }
  }
  return parameters;
}
