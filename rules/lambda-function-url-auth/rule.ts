/**
 * AUTHN-LAMBDA-URL: Lambda function URLs require IAM authentication.
 *
 * A function URL is always a public HTTPS endpoint; with AuthType NONE Lambda authenticates nobody. Config records
 * neither `AWS::Lambda::Url` nor the URL in the `AWS::Lambda::Function` item, so this is a periodic rule over the
 * Lambda API, reporting one evaluation per URL (the function's own, and each alias's). A function without a URL gets
 * no evaluation.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { PERIODIC_PARAMETERS } from '../core/parameters';
import type { RuleDefinition } from '../core/types';
import { evaluateFunctionUrl, functionUrlRemediation, functionUrlRemediationHint } from './decision';
import type { FunctionUrlFacts } from './facts';
import { sweepFunctionUrls } from './sweep';
import { functionUrlTemplate } from './template';
import { functionUrlTerraform } from './terraform';

const parameters = { ...PERIODIC_PARAMETERS };

export const lambdaFunctionUrlAuth: RuleDefinition<FunctionUrlFacts, LambdaClient, typeof parameters> = {
  control: 'AUTHN-LAMBDA-URL',
  ruleName: 'authn-lambda-function-url-auth',
  title: 'Lambda function URLs require IAM authentication',
  description:
    'Every Lambda function URL, on a function or an alias, has AuthType AWS_IAM (AuthType NONE authenticates nobody).',
  resourceType: 'AWS::Lambda::Url',
  trigger: { kind: 'periodic', defaultFrequency: 'TwentyFour_Hours' },
  parameters,
  service: {
    name: 'lambda',
    createClient: (settings) => new LambdaClient(settings),
    iamActions: [
      'lambda:ListFunctions',
      'lambda:ListFunctionUrlConfigs',
      'lambda:GetFunctionUrlConfig',
      'lambda:ListAliases',
      'lambda:ListTags',
    ],
  },
  evaluate: evaluateFunctionUrl,
  remediation: functionUrlRemediation,
  remediationHint: functionUrlRemediationHint,
  // Function URLs cannot be tagged: the alias names the URL on its function; the function's own URL has no name.
  exceptionQualifiers: (facts) => (facts.qualifier === undefined ? [] : [facts.qualifier]),
  wideExceptionLabel: 'function-wide exception',
  // Function URLs are public endpoints by construction (https://<id>.lambda-url.<region>.on.aws).
  isInternetFacing: () => true,
  template: functionUrlTemplate,
  terraform: functionUrlTerraform,
  sweep: sweepFunctionUrls,
};
