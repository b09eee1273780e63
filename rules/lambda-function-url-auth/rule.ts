/**
 * AUTHN-LAMBDA-URL: Lambda function URLs require IAM authentication.
 *
 * A function URL is always a public HTTPS endpoint; with AuthType NONE Lambda authenticates nobody. Config records
 * neither `AWS::Lambda::Url` nor the URL in the `AWS::Lambda::Function` item, so this is a periodic rule over the
 * Lambda API, reporting one evaluation per URL (the function's own, and each alias's). A function without a URL gets
 * no evaluation.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { PERIODIC_PARAMETERS } from '../core/parameters';
import type { RuleDefinition } from '../core/types';
import { functionUrlChangeEvents } from './changeEvents';
import {
  evaluateFunctionUrl,
  FUNCTION_URL_CODES,
  functionUrlRemediation,
  functionUrlRemediationHint,
} from './decision';
import type { FunctionUrlFacts } from './facts';
import { functionUrlTemplate } from './template';
import { functionUrlTerraform } from './terraform';

const parameters = { ...PERIODIC_PARAMETERS };

// The SDK client and the sweep load on first use, not with the registry: `authn-pack --help`, `check-template` and
// the CDK plugin never call AWS, and loading every rule's client took most of their start (BENCHMARKS.md).
/* eslint-disable @typescript-eslint/no-require-imports */
const sdk = (): typeof import('@aws-sdk/client-lambda') =>
  require('@aws-sdk/client-lambda') as typeof import('@aws-sdk/client-lambda');
const sweeps = (): typeof import('./sweep') => require('./sweep') as typeof import('./sweep');
/* eslint-enable @typescript-eslint/no-require-imports */

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
    sdkPackage: '@aws-sdk/client-lambda',
    createClient: (settings) => new (sdk().LambdaClient)(settings),
    iamActions: [
      'lambda:ListFunctions',
      'lambda:ListFunctionUrlConfigs',
      'lambda:GetFunctionUrlConfig',
      'lambda:ListAliases',
      'lambda:ListTags',
      // The change path's re-read of one function (changeEvents.ts).
      'lambda:GetFunctionConfiguration',
    ],
  },
  evaluate: evaluateFunctionUrl,
  codes: FUNCTION_URL_CODES,
  remediation: functionUrlRemediation,
  remediationHint: functionUrlRemediationHint,
  // Function URLs cannot be tagged: the alias names the URL on its function; the function's own URL has no name.
  exceptionQualifiers: (facts) => (facts.qualifier === undefined ? [] : [facts.qualifier]),
  wideExceptionLabel: 'function-wide exception',
  // Function URLs are public endpoints by construction (https://<id>.lambda-url.<region>.on.aws).
  isInternetFacing: () => true,
  template: functionUrlTemplate,
  sweep: (client, context) => sweeps().sweepFunctionUrls(client, context),
  resumableSweep: (client, context) => sweeps().sweepFunctionUrlParts(client, context),
  terraform: functionUrlTerraform,
  changes: functionUrlChangeEvents,
};
