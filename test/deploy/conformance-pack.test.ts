import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  CONFORMANCE_PACK_FILE,
  TEMPLATE_BODY_LIMIT_BYTES,
  acceptsList,
  buildConformancePack,
  frequencyParameter,
  lambdaArnParameter,
  renderConformancePack,
  ruleLogicalId,
  ruleParameterName,
  templateBytes,
} from '../../deploy/conformance-pack';
import { RULES } from '../../rules/index';
import {
  COMMON_PARAMETERS,
  booleanParameter,
  choiceListParameter,
  optionalChoiceParameter,
} from '../../rules/core/parameters';
import { FREQUENCIES } from '../../rules/core/types';
import { REPO_ROOT, cfnLint } from '../helpers/cdk';

interface Rule {
  Type: string;
  Properties: {
    ConfigRuleName: string;
    InputParameters: Record<string, unknown>;
    MaximumExecutionFrequency?: unknown;
    Scope?: { ComplianceResourceTypes: string[] };
    Source: { Owner: string; SourceIdentifier: unknown; SourceDetails: Record<string, unknown>[] };
  };
}
interface Pack {
  Parameters: Record<
    string,
    { Type: string; Default?: string; AllowedValues?: string[]; AllowedPattern?: string }
  >;
  Conditions: Record<string, unknown>;
  Resources: Record<string, Rule>;
}

describe('deploy/conformance-pack (conformance-pack.yaml from the registry)', () => {
  const text = renderConformancePack();
  const pack = parse(text) as Pack;

  it('parses back to exactly the template it was rendered from', () => {
    expect(pack).to.deep.equal(JSON.parse(JSON.stringify(buildConformancePack())));
  });

  it('declares one AWS::Config::ConfigRule per registry rule and nothing else', () => {
    expect(Object.keys(pack.Resources)).to.have.members(RULES.map(ruleLogicalId));
    for (const resource of Object.values(pack.Resources))
      expect(resource.Type).to.equal('AWS::Config::ConfigRule');
  });

  it('stays under the 51,200-byte TemplateBody limit', () => {
    expect(templateBytes(text)).to.be.below(TEMPLATE_BODY_LIMIT_BYTES);
    expect(templateBytes(readFileSync(join(REPO_ROOT, CONFORMANCE_PACK_FILE), 'utf8'))).to.be.below(
      TEMPLATE_BODY_LIMIT_BYTES,
    );
  });

  it('declares the pack-wide parameters once, with the registry defaults', () => {
    for (const [name, spec] of Object.entries(COMMON_PARAMETERS)) {
      expect(pack.Parameters[name], name).to.include({ Type: 'String', Default: spec.defaultText });
    }
  });

  for (const rule of RULES) {
    describe(`${rule.control} (${rule.ruleName})`, () => {
      const id = ruleLogicalId(rule);
      const resource = (): Rule['Properties'] => pack.Resources[id]!.Properties;

      it('is a CUSTOM_LAMBDA rule named as in the registry, on its own Lambda ARN parameter', () => {
        expect(resource().ConfigRuleName).to.equal(rule.ruleName);
        expect(resource().Source.Owner).to.equal('CUSTOM_LAMBDA');
        expect(resource().Source.SourceIdentifier).to.deep.equal({ Ref: lambdaArnParameter(rule) });
        expect(pack.Parameters[lambdaArnParameter(rule)]).to.include({ Type: 'String' });
        expect(pack.Parameters[lambdaArnParameter(rule)]).not.to.have.property('Default');
      });

      if (rule.trigger.kind === 'change') {
        it('is triggered by both configuration item messages and scoped to its resource type', () => {
          expect(resource().Source.SourceDetails).to.deep.equal([
            { EventSource: 'aws.config', MessageType: 'ConfigurationItemChangeNotification' },
            { EventSource: 'aws.config', MessageType: 'OversizedConfigurationItemChangeNotification' },
          ]);
          expect(resource().Scope).to.deep.equal({ ComplianceResourceTypes: [rule.resourceType] });
          expect(resource()).not.to.have.property('MaximumExecutionFrequency');
        });
      } else {
        const defaultFrequency = rule.trigger.defaultFrequency;
        it('is scheduled at a frequency parameter defaulting to the registry frequency', () => {
          const frequency = { Ref: frequencyParameter(rule) };
          expect(resource().Source.SourceDetails).to.deep.equal([
            {
              EventSource: 'aws.config',
              MessageType: 'ScheduledNotification',
              MaximumExecutionFrequency: frequency,
            },
          ]);
          expect(resource().MaximumExecutionFrequency).to.deep.equal(frequency);
          expect(pack.Parameters[frequencyParameter(rule)]).to.deep.include({
            Default: defaultFrequency,
            AllowedValues: [...FREQUENCIES],
          });
          expect(resource(), 'unrecorded types take no scope').not.to.have.property('Scope');
        });
      }

      it('passes every common and rule parameter, each from a <Rule>Param<Name> template parameter', () => {
        const input = resource().InputParameters;
        expect(Object.keys(input)).to.have.members([
          ...Object.keys(COMMON_PARAMETERS),
          ...Object.keys(rule.parameters),
        ]);
        for (const [name, spec] of Object.entries(rule.parameters)) {
          const parameter = ruleParameterName(rule, name);
          expect(parameter).to.match(new RegExp(`^${id}Param[A-Z]`));
          expect(pack.Parameters[parameter], parameter).to.include({
            Type: 'String',
            Default: spec.defaultText,
          });
          if (spec.defaultText === '') {
            expect(input[name]).to.deep.equal({
              'Fn::If': [`${parameter}IsSet`, { Ref: parameter }, { Ref: 'AWS::NoValue' }],
            });
            expect(pack.Conditions[`${parameter}IsSet`]).to.deep.equal({
              'Fn::Not': [{ 'Fn::Equals': ['', { Ref: parameter }] }],
            });
          } else {
            expect(input[name]).to.deep.equal({ Ref: parameter });
          }
        }
      });
    });
  }

  it('wires the optional execution role through a condition, so empty means "use the function role"', () => {
    for (const resource of Object.values(pack.Resources)) {
      expect(resource.Properties.InputParameters.ExecutionRoleName).to.deep.equal({
        'Fn::If': ['ExecutionRoleNameIsSet', { Ref: 'ExecutionRoleName' }, { Ref: 'AWS::NoValue' }],
      });
    }
  });

  it('has a condition for exactly the optional parameters', () => {
    const optional = [
      ...Object.entries(COMMON_PARAMETERS)
        .filter(([, spec]) => spec.defaultText === '')
        .map(([name]) => name),
      ...RULES.flatMap((rule) =>
        Object.entries(rule.parameters)
          .filter(([, spec]) => spec.defaultText === '')
          .map(([name]) => ruleParameterName(rule, name)),
      ),
    ];
    expect(Object.keys(pack.Conditions)).to.have.members(optional.map((name) => `${name}IsSet`));
  });

  it('only ever hands the functions strings (every template parameter is a String)', () => {
    for (const [name, parameter] of Object.entries(pack.Parameters))
      expect(parameter.Type, name).to.equal('String');
  });

  it('constrains choices: AllowedValues for one value (with "" when optional), a pattern for lists', () => {
    const one = optionalChoiceParameter('d', ['A', 'B']);
    const many = choiceListParameter('d', ['A', 'B'], ['A']);
    const flag = booleanParameter('d', false);
    expect(acceptsList(one)).to.equal(false);
    expect(acceptsList(many)).to.equal(true);
    expect(acceptsList(flag)).to.equal(false);
    const lists = RULES.flatMap((rule) =>
      Object.entries(rule.parameters)
        .filter(([, spec]) => acceptsList(spec))
        .map(([name, spec]) => ({ parameter: pack.Parameters[ruleParameterName(rule, name)]!, spec })),
    );
    for (const { parameter, spec } of lists) {
      const pattern = new RegExp(parameter.AllowedPattern!);
      expect(pattern.test(spec.defaultText)).to.equal(true);
      expect(pattern.test(spec.allowedValues!.join(','))).to.equal(true);
      expect(pattern.test('NOT_A_MODE')).to.equal(false);
    }
  });

  it('passes cfn-lint', async function () {
    this.timeout(60_000);
    const result = await cfnLint([CONFORMANCE_PACK_FILE]);
    expect(result.code, result.output).to.equal(0);
  });
});
