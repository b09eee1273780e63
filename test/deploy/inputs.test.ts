import { expect } from 'chai';
import { frequencyParameter, lambdaArnParameter, ruleParameterName } from '../../deploy/conformance-pack';
import { packInputParameters, ruleInputParameters } from '../../deploy/inputs';
import { readSettings } from '../../deploy/settings';
import { RULES, findRule } from '../../rules/index';
import { ORGANIZATION_CONTEXT } from '../helpers/cdk';

const settingsFrom = (context: Record<string, unknown>) => readSettings((key) => context[key]);
const arns = Object.fromEntries(
  RULES.map((rule) => [rule.ruleName, `arn:aws:lambda:eu-west-1:111122223333:function:${rule.ruleName}`]),
);

describe('deploy/inputs', () => {
  describe('ruleInputParameters (single account)', () => {
    it('passes every non-empty rule default as a string, and neither the execution role nor empty values', () => {
      for (const rule of RULES) {
        const input = ruleInputParameters(rule, settingsFrom({}));
        const expected = Object.fromEntries(
          Object.entries(rule.parameters)
            .filter(([, spec]) => spec.defaultText !== '')
            .map(([name, spec]) => [name, spec.defaultText]),
        );
        expect(input, rule.control).to.deep.equal(expected);
      }
    });

    it('applies the exception settings and rule parameters from the settings', () => {
      const settings = settingsFrom({
        exceptionTagPrefix: 'sec-exception',
        exceptionRequiresExpiry: 'true',
        ruleParameters: { 'AppSync.5': { AllowedAuthorizationTypes: 'AWS_IAM' } },
      });
      expect(ruleInputParameters(findRule('AppSync.5')!, settings)).to.deep.include({
        ExceptionTagPrefix: 'sec-exception',
        ExceptionRequiresExpiry: 'true',
        AllowedAuthorizationTypes: 'AWS_IAM',
      });
    });
  });

  describe('packInputParameters (organization conformance pack)', () => {
    it('fills in every Lambda ARN, the execution role and every periodic frequency, and nothing else by default', () => {
      const inputs = packInputParameters(settingsFrom(ORGANIZATION_CONTEXT), arns);
      const expected = [
        'ExecutionRoleName',
        ...RULES.map(lambdaArnParameter),
        ...RULES.filter((rule) => rule.trigger.kind === 'periodic').map(frequencyParameter),
      ];
      expect(inputs.map((input) => input.parameterName)).to.have.members(expected);
      for (const rule of RULES) {
        expect(
          inputs.find((input) => input.parameterName === lambdaArnParameter(rule))?.parameterValue,
        ).to.equal(arns[rule.ruleName]);
      }
    });

    it('adds overridden rule parameters and exception settings under their pack parameter names', () => {
      const settings = settingsFrom({
        ...ORGANIZATION_CONTEXT,
        exceptionTagPrefix: 'sec-exception',
        ruleParameters: '{"APIGateway.8":{"authorizationType":"JWT"}}',
      });
      const inputs = packInputParameters(settings, arns);
      expect(inputs).to.deep.include({
        parameterName: 'ExceptionTagPrefix',
        parameterValue: 'sec-exception',
      });
      expect(inputs).to.deep.include({
        parameterName: ruleParameterName(findRule('APIGateway.8')!, 'authorizationType'),
        parameterValue: 'JWT',
      });
    });

    it('refuses to build a pack with a function missing', () => {
      expect(() => packInputParameters(settingsFrom(ORGANIZATION_CONTEXT), {})).to.throw(/No function ARN/);
    });
  });
});
