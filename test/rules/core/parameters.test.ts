import { expect } from 'chai';
import { apigwv2RouteAuthorization } from '../../../rules/apigwv2-route-authorization/rule';
import { appsyncNoApiKey } from '../../../rules/appsync-no-api-key/rule';
import { ParameterError } from '../../../rules/core/errors';
import {
  COMMON_PARAMETERS,
  booleanParameter,
  PERIODIC_PARAMETERS,
  choiceListParameter,
  integerParameter,
  optionalChoiceParameter,
  optionalTextParameter,
  parseParameters,
  textParameter,
} from '../../../rules/core/parameters';

/** The ParameterError `parse` throws (fails the test when it throws none). */
function refusal(parse: () => unknown): ParameterError {
  try {
    parse();
  } catch (error) {
    if (error instanceof ParameterError) return error;
    throw error;
  }
  throw new Error('expected a ParameterError, but the value was accepted');
}

describe('rules/core/parameters', () => {
  describe('booleanParameter', () => {
    const flag = booleanParameter('a flag', false);

    it('accepts true and false in any case, around spaces', () => {
      // Act and Assess
      for (const raw of ['true', 'TRUE', 'True', ' tRuE '])
        expect(flag.parse(raw, 'Flag'), raw).to.equal(true);
      for (const raw of ['false', 'FALSE', 'False', ' fAlSe '])
        expect(flag.parse(raw, 'Flag'), raw).to.equal(false);
    });

    it('takes the default for an absent or empty value', () => {
      // Prepare
      const onByDefault = booleanParameter('a flag', true);
      // Assess
      expect(flag.parse(undefined, 'Flag')).to.equal(false);
      expect(flag.parse('', 'Flag')).to.equal(false);
      expect(onByDefault.parse('  ', 'Flag')).to.equal(true);
      expect(onByDefault.defaultText).to.equal('true');
    });

    it('refuses anything else, naming the parameter and the value', () => {
      // Act and Assess
      for (const raw of ['yes', '1', 'on', 'truee']) {
        const error = refusal(() => flag.parse(raw, 'ExemptCorsPreflightRoutes'));
        expect(error.parameter).to.equal('ExemptCorsPreflightRoutes');
        expect(error.message).to.equal(
          `Invalid rule parameter ExemptCorsPreflightRoutes: "${raw}" is not true or false`,
        );
      }
    });
  });

  describe('integerParameter and RefreshAfterDays', () => {
    it('takes RefreshAfterDays 30 by default and any whole number from 1 to 89', () => {
      // Prepare
      const spec = PERIODIC_PARAMETERS.RefreshAfterDays;
      // Act and Assess
      expect(spec.defaultText).to.equal('30');
      expect(spec.parse(undefined, 'RefreshAfterDays')).to.equal(30);
      expect(spec.parse('', 'RefreshAfterDays')).to.equal(30);
      for (const [raw, value] of [
        ['1', 1],
        [' 45 ', 45],
        ['89', 89],
      ] as const)
        expect(spec.parse(raw, 'RefreshAfterDays'), raw).to.equal(value);
    });

    it('refuses 0, 90 and more (Security Hub deletes a finding after 90 days), fractions and words', () => {
      // Act and Assess
      for (const raw of ['0', '90', '365', '7.5', '-1', 'thirty', '1e1']) {
        const error = refusal(() => PERIODIC_PARAMETERS.RefreshAfterDays.parse(raw, 'RefreshAfterDays'));
        expect(error.message, raw).to.equal(
          `Invalid rule parameter RefreshAfterDays: "${raw}" is not a whole number from 1 to 89`,
        );
      }
    });

    it('is a general bounded whole number', () => {
      // Prepare
      const spec = integerParameter('a count', 3, 2, 4);
      // Act and Assess
      expect(spec.parse('4', 'Count')).to.equal(4);
      expect(() => spec.parse('5', 'Count')).to.throw(ParameterError, /from 2 to 4/);
    });
  });

  describe('optionalChoiceParameter', () => {
    const choice = optionalChoiceParameter('one type', ['AWS_IAM', 'CUSTOM', 'JWT'] as const);

    it('accepts one of the choices, trimmed', () => {
      // Act and Assess
      expect(choice.parse(' JWT ', 'authorizationType')).to.equal('JWT');
    });

    it('is undefined when absent or empty', () => {
      // Act and Assess
      expect(choice.parse(undefined, 'authorizationType')).to.be.undefined;
      expect(choice.parse('', 'authorizationType')).to.be.undefined;
    });

    it('refuses a value outside the choices, listing them', () => {
      // Act
      const error = refusal(() => choice.parse('BASIC', 'authorizationType'));
      // Assess
      expect(error.message).to.equal(
        'Invalid rule parameter authorizationType: "BASIC" is not one of AWS_IAM, CUSTOM, JWT',
      );
    });

    it('is case-sensitive, as the API values are', () => {
      // Act and Assess
      expect(refusal(() => choice.parse('jwt', 'authorizationType')).parameter).to.equal('authorizationType');
    });
  });

  describe('choiceListParameter (CSV)', () => {
    const list = choiceListParameter('modes', ['API_KEY', 'AWS_IAM', 'AWS_LAMBDA'] as const, [
      'AWS_IAM',
      'AWS_LAMBDA',
    ]);

    it('splits on commas, trims and skips empty items', () => {
      // Act and Assess
      expect(list.parse('AWS_IAM, API_KEY ,,AWS_LAMBDA,', 'AllowedAuthorizationTypes')).to.deep.equal([
        'AWS_IAM',
        'API_KEY',
        'AWS_LAMBDA',
      ]);
    });

    it('accepts a single value', () => {
      // Act and Assess
      expect(list.parse('AWS_IAM', 'AllowedAuthorizationTypes')).to.deep.equal(['AWS_IAM']);
    });

    it('takes the default for an absent or empty value, and writes it as CSV', () => {
      // Act and Assess
      expect(list.parse(undefined, 'AllowedAuthorizationTypes')).to.deep.equal(['AWS_IAM', 'AWS_LAMBDA']);
      expect(list.parse('', 'AllowedAuthorizationTypes')).to.deep.equal(['AWS_IAM', 'AWS_LAMBDA']);
      expect(list.defaultText).to.equal('AWS_IAM,AWS_LAMBDA');
    });

    it('refuses an unknown item, naming it', () => {
      // Act
      const error = refusal(() => list.parse('AWS_IAM,BASIC', 'AllowedAuthorizationTypes'));
      // Assess
      expect(error.message).to.equal(
        'Invalid rule parameter AllowedAuthorizationTypes: "BASIC" is not one of API_KEY, AWS_IAM, AWS_LAMBDA',
      );
    });
  });

  describe('text parameters', () => {
    it('textParameter trims, checks the pattern and defaults when empty', () => {
      // Prepare
      const text = textParameter('a word', 'dflt', /^[a-z]+$/, 'must be lowercase letters');
      // Assess
      expect(text.parse(' abc ', 'Word')).to.equal('abc');
      expect(text.parse('', 'Word')).to.equal('dflt');
      expect(refusal(() => text.parse('ABC', 'Word')).message).to.equal(
        'Invalid rule parameter Word: "ABC" must be lowercase letters',
      );
    });

    it('optionalTextParameter is undefined when empty', () => {
      // Prepare
      const text = optionalTextParameter('a word', /^[a-z]+$/, 'must be lowercase letters');
      // Assess
      expect(text.parse(undefined, 'Word')).to.be.undefined;
      expect(text.parse(' ', 'Word')).to.be.undefined;
      expect(text.parse('abc', 'Word')).to.equal('abc');
    });
  });

  describe('COMMON_PARAMETERS', () => {
    it('ExecutionRoleName takes an IAM role name and refuses an ARN', () => {
      // Act and Assess
      expect(COMMON_PARAMETERS.ExecutionRoleName.parse('authn-pack-member', 'ExecutionRoleName')).to.equal(
        'authn-pack-member',
      );
      expect(
        refusal(() => COMMON_PARAMETERS.ExecutionRoleName.parse('arn:aws:iam::1:role/x', 'ExecutionRoleName'))
          .message,
      ).to.include('is not an IAM role name');
    });

    it('ExceptionTagPrefix defaults to authn-exception and refuses characters unsafe in tags and the aws: prefix', () => {
      // Act and Assess
      expect(COMMON_PARAMETERS.ExceptionTagPrefix.parse(undefined, 'ExceptionTagPrefix')).to.equal(
        'authn-exception',
      );
      expect(COMMON_PARAMETERS.ExceptionTagPrefix.parse('sec/waiver', 'ExceptionTagPrefix')).to.equal(
        'sec/waiver',
      );
      for (const raw of ['aws:waiver', 'waiver@team', 'waiver:x', 'waiver${x}']) {
        expect(
          refusal(() => COMMON_PARAMETERS.ExceptionTagPrefix.parse(raw, 'ExceptionTagPrefix')).parameter,
        ).to.equal('ExceptionTagPrefix');
      }
    });

    it('ExceptionRequiresExpiry defaults to false', () => {
      // Act and Assess
      expect(COMMON_PARAMETERS.ExceptionRequiresExpiry.parse(undefined, 'ExceptionRequiresExpiry')).to.equal(
        false,
      );
    });
  });

  describe('parseParameters', () => {
    it('gives every default for no parameters', () => {
      // Act
      const { rule, common } = parseParameters(apigwv2RouteAuthorization.parameters, {});
      // Assess
      expect(rule).to.deep.equal({
        authorizationType: undefined,
        ExemptCorsPreflightRoutes: false,
        ReportUnchanged: false,
        RefreshAfterDays: 30,
      });
      expect(common).to.deep.equal({
        ExecutionRoleName: undefined,
        ExceptionTagPrefix: 'authn-exception',
        ExceptionRequiresExpiry: false,
      });
    });

    it("reads the rule's and the common parameters together", () => {
      // Act
      const { rule, common } = parseParameters(apigwv2RouteAuthorization.parameters, {
        authorizationType: 'JWT',
        ExemptCorsPreflightRoutes: 'TRUE',
        ExecutionRoleName: 'authn-pack-member',
        ExceptionRequiresExpiry: 'true',
      });
      // Assess
      expect(rule).to.deep.equal({
        authorizationType: 'JWT',
        ExemptCorsPreflightRoutes: true,
        ReportUnchanged: false,
        RefreshAfterDays: 30,
      });
      expect(common.ExecutionRoleName).to.equal('authn-pack-member');
      expect(common.ExceptionRequiresExpiry).to.equal(true);
    });

    it('refuses authorizationType=BASIC on APIGateway.8, naming the parameter', () => {
      // Act
      const error = refusal(() =>
        parseParameters(apigwv2RouteAuthorization.parameters, { authorizationType: 'BASIC' }),
      );
      // Assess
      expect(error.parameter).to.equal('authorizationType');
      expect(error.message).to.include('"BASIC" is not one of AWS_IAM, CUSTOM, JWT');
    });

    it('refuses an unknown parameter name, listing the ones the rule takes', () => {
      // Act
      const error = refusal(() => parseParameters(appsyncNoApiKey.parameters, { authorizationType: 'JWT' }));
      // Assess
      expect(error.parameter).to.equal('authorizationType');
      expect(error.message).to.include('unknown parameter');
      expect(error.message).to.include('AllowedAuthorizationTypes');
      expect(error.message).to.include('ExecutionRoleName');
    });

    it('refuses a value that is not a string', () => {
      // Act and Assess
      expect(
        refusal(() => parseParameters(appsyncNoApiKey.parameters, { ExceptionRequiresExpiry: true })).message,
      ).to.equal('Invalid rule parameter ExceptionRequiresExpiry: must be a string');
    });

    it("parses AllowedAuthorizationTypes as CSV and takes AppSync.5's default when empty", () => {
      // Act
      const set = parseParameters(appsyncNoApiKey.parameters, {
        AllowedAuthorizationTypes: 'AWS_IAM, API_KEY',
      });
      const empty = parseParameters(appsyncNoApiKey.parameters, { AllowedAuthorizationTypes: '' });
      // Assess
      expect(set.rule.AllowedAuthorizationTypes).to.deep.equal(['AWS_IAM', 'API_KEY']);
      expect(empty.rule.AllowedAuthorizationTypes).to.deep.equal([
        'AWS_LAMBDA',
        'AWS_IAM',
        'OPENID_CONNECT',
        'AMAZON_COGNITO_USER_POOLS',
      ]);
    });

    it('treats an empty string as the default for every kind of parameter', () => {
      // Act
      const { rule, common } = parseParameters(apigwv2RouteAuthorization.parameters, {
        authorizationType: '',
        ExemptCorsPreflightRoutes: '',
        ExecutionRoleName: '',
        ExceptionTagPrefix: '',
        ExceptionRequiresExpiry: '',
      });
      // Assess
      expect(rule).to.deep.equal({
        authorizationType: undefined,
        ExemptCorsPreflightRoutes: false,
        ReportUnchanged: false,
        RefreshAfterDays: 30,
      });
      expect(common).to.deep.equal({
        ExecutionRoleName: undefined,
        ExceptionTagPrefix: 'authn-exception',
        ExceptionRequiresExpiry: false,
      });
    });
  });
});
