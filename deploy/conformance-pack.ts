/**
 * conformance-pack.yaml, built from the registry. The checked-in file, `scripts/generate-conformance-pack.ts` and the
 * organization stack's `TemplateBody` are all this one rendering, so they cannot drift apart unnoticed.
 *
 * Shape (AWS's own sample packs): one `AWS::Config::ConfigRule` per control, `CUSTOM_LAMBDA`, every input a
 * template parameter named `<RuleLogicalId>Param<ParamName>`; optional inputs are wired through a condition so an
 * empty value leaves the key out of `InputParameters` and the rule falls back to its default.
 */
import { Document, isMap, isScalar, type Pair, type Scalar } from 'yaml';
import { RULES, ruleFolder } from '../rules/index';
import { COMMON_PARAMETERS, type ParameterSpec } from '../rules/core/parameters';
import { FREQUENCIES, type AnyRule } from '../rules/core/types';

/** PutConformancePack / PutOrganizationConformancePack: `TemplateBody` is at most 51,200 bytes. */
export const TEMPLATE_BODY_LIMIT_BYTES = 51_200;
/** `ConformancePackInputParameters`: at most 60 entries. */
export const INPUT_PARAMETERS_LIMIT = 60;

export const CONFORMANCE_PACK_FILE = 'conformance-pack.yaml';

/** The rule's folder in PascalCase (`authn-foo-bar-auth` → `FooBarAuth`): its logical id in the pack. */
export function ruleLogicalId(rule: AnyRule): string {
  return ruleFolder(rule)
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/** Template parameter holding the ARN of the rule's Lambda function. */
export const lambdaArnParameter = (rule: AnyRule): string => `${ruleLogicalId(rule)}LambdaArn`;
/** Template parameter holding a rule input (`<RuleLogicalId>Param<ParamName>`, AWS's convention). */
export const ruleParameterName = (rule: AnyRule, parameter: string): string =>
  `${ruleLogicalId(rule)}Param${parameter.charAt(0).toUpperCase()}${parameter.slice(1)}`;
/** Template parameter holding a periodic rule's frequency. */
export const frequencyParameter = (rule: AnyRule): string =>
  ruleParameterName(rule, 'MaximumExecutionFrequency');
/** The settings every rule takes are single pack-wide parameters, named as the input they feed. */
export const sharedParameterName = (name: keyof typeof COMMON_PARAMETERS): string => name;

const isOptional = (spec: ParameterSpec<unknown>): boolean => spec.defaultText === '';
const conditionName = (parameter: string): string => `${parameter}IsSet`;

/**
 * Whether a parameter takes a comma-separated list of its allowed values (then `AllowedValues` cannot list the
 * combinations, and an `AllowedPattern` does instead). Asked of the parameter's own parser, so the registry stays
 * the only description of it.
 */
export function acceptsList(spec: ParameterSpec<unknown>): boolean {
  const [first, second] = spec.allowedValues ?? [];
  if (first === undefined || second === undefined) return false;
  try {
    spec.parse(`${first},${second}`, 'probe');
    return true;
  } catch {
    return false;
  }
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

function parameterDeclaration(spec: ParameterSpec<unknown>): Record<string, Json> {
  const declaration: Record<string, Json> = {
    Type: 'String',
    Default: spec.defaultText,
    Description: spec.description,
  };
  if (spec.allowedValues !== undefined) {
    if (acceptsList(spec)) {
      const choice = `(${spec.allowedValues.map(escapeRegExp).join('|')})`;
      declaration.AllowedPattern = `^(${choice}(,${choice})*)?$`;
      declaration.ConstraintDescription = `A comma-separated list of: ${spec.allowedValues.join(', ')}.`;
    } else {
      declaration.AllowedValues = isOptional(spec) ? ['', ...spec.allowedValues] : [...spec.allowedValues];
    }
  }
  return declaration;
}

/** An input value: the parameter itself, or left out when an optional parameter is empty. */
function inputValue(parameter: string, spec: ParameterSpec<unknown>): Json {
  const ref = { Ref: parameter };
  return isOptional(spec) ? { 'Fn::If': [conditionName(parameter), ref, { Ref: 'AWS::NoValue' }] } : ref;
}

export interface ConformancePackTemplate {
  readonly Parameters: Record<string, Record<string, Json>>;
  readonly Conditions: Record<string, Json>;
  readonly Resources: Record<string, { Type: string; Properties: Record<string, Json> }>;
}

/** The pack as a plain CloudFormation-style object. */
export function buildConformancePack(rules: readonly AnyRule[] = RULES): ConformancePackTemplate {
  const parameters: Record<string, Record<string, Json>> = {};
  const conditions: Record<string, Json> = {};
  const resources: ConformancePackTemplate['Resources'] = {};
  const declare = (name: string, spec: ParameterSpec<unknown>): void => {
    parameters[name] = parameterDeclaration(spec);
    if (isOptional(spec))
      conditions[conditionName(name)] = { 'Fn::Not': [{ 'Fn::Equals': ['', { Ref: name }] }] };
  };

  for (const [name, spec] of Object.entries(COMMON_PARAMETERS)) {
    declare(sharedParameterName(name as keyof typeof COMMON_PARAMETERS), spec);
  }

  for (const rule of rules) {
    const id = ruleLogicalId(rule);
    parameters[lambdaArnParameter(rule)] = {
      Type: 'String',
      Description: `ARN of the Lambda function that evaluates ${rule.control} (unqualified or with a version or alias; never $LATEST).`,
      AllowedPattern:
        '^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_-]+)?$',
      ConstraintDescription: 'A Lambda function ARN in the same Region as the pack.',
    };

    const input: Record<string, Json> = {};
    for (const [name, spec] of Object.entries(COMMON_PARAMETERS)) {
      input[name] = inputValue(sharedParameterName(name as keyof typeof COMMON_PARAMETERS), spec);
    }
    for (const [name, spec] of Object.entries(rule.parameters)) {
      const parameter = ruleParameterName(rule, name);
      declare(parameter, spec);
      input[name] = inputValue(parameter, spec);
    }

    const properties: Record<string, Json> = {
      ConfigRuleName: rule.ruleName,
      Description: `${rule.control}: ${rule.description}`.slice(0, 256),
      InputParameters: input,
    };
    if (rule.trigger.kind === 'change') {
      properties.Scope = { ComplianceResourceTypes: [rule.resourceType] };
      properties.Source = {
        Owner: 'CUSTOM_LAMBDA',
        SourceIdentifier: { Ref: lambdaArnParameter(rule) },
        SourceDetails: [
          { EventSource: 'aws.config', MessageType: 'ConfigurationItemChangeNotification' },
          { EventSource: 'aws.config', MessageType: 'OversizedConfigurationItemChangeNotification' },
        ],
      };
    } else {
      const frequency = frequencyParameter(rule);
      parameters[frequency] = {
        Type: 'String',
        Default: rule.trigger.defaultFrequency,
        AllowedValues: [...FREQUENCIES],
        Description: `How often ${rule.control} sweeps each account (${rule.resourceType} is not recorded by Config).`,
      };
      properties.MaximumExecutionFrequency = { Ref: frequency };
      properties.Source = {
        Owner: 'CUSTOM_LAMBDA',
        SourceIdentifier: { Ref: lambdaArnParameter(rule) },
        SourceDetails: [
          {
            EventSource: 'aws.config',
            MessageType: 'ScheduledNotification',
            MaximumExecutionFrequency: { Ref: frequency },
          },
        ],
      };
    }
    resources[id] = { Type: 'AWS::Config::ConfigRule', Properties: properties };
  }
  return { Parameters: parameters, Conditions: conditions, Resources: resources };
}

const header = (
  count: number,
): string => `Conformance pack for authn-pack: ${count} AWS Config custom Lambda rules that require authentication.

GENERATED from rules/index.ts by scripts/generate-conformance-pack.ts: do not edit by hand.
Regenerate with \`npx tsx scripts/generate-conformance-pack.ts\`; a test fails while this file and the
registry disagree.

Deploy it with the CDK app (deploy/), which fills in the Lambda ARNs, or yourself with
  aws configservice put-conformance-pack --conformance-pack-name authn-pack \\
    --template-body file://conformance-pack.yaml \\
    --conformance-pack-input-parameters ParameterName=<Rule>LambdaArn,ParameterValue=<arn> ...
The rules are detective only: they report, they change nothing.`;

const PARAMETERS_COMMENT = `Parameter names follow AWS's <RuleName>Param<ParamName> convention for rule inputs,
<RuleName>LambdaArn for the function behind each rule, and <RuleName>ParamMaximumExecutionFrequency
for the periodic ones.
ExecutionRoleName, ExceptionTagPrefix and ExceptionRequiresExpiry are single pack-wide parameters
rather than one per rule: they describe the deployment, not a control (one member-account role, one
exception-tag convention that an SCP can guard), per-rule copies could only drift apart, and the
pack stays well inside the 60 input parameters a conformance pack accepts.
An empty optional parameter (Default "") is left out of the rule's InputParameters, so the rule uses
its own default; every value reaches the function as a string.`;

/** The YAML text of the pack, exactly as checked in. */
export function renderConformancePack(rules: readonly AnyRule[] = RULES): string {
  const doc = new Document(buildConformancePack(rules));
  doc.commentBefore = header(rules.length)
    .split('\n')
    .map((line) => (line === '' ? '' : ` ${line}`))
    .join('\n');
  if (isMap(doc.contents)) {
    const parametersKey = (doc.contents.items as Pair<Scalar>[]).find(
      (pair) => isScalar(pair.key) && pair.key.value === 'Parameters',
    )?.key;
    if (parametersKey !== undefined) {
      parametersKey.commentBefore = PARAMETERS_COMMENT.split('\n')
        .map((line) => ` ${line}`)
        .join('\n');
    }
  }
  return doc.toString({ lineWidth: 0 });
}

/** Size of a template body as PutConformancePack counts it (bytes of UTF-8). */
export const templateBytes = (text: string): number => Buffer.byteLength(text, 'utf8');
