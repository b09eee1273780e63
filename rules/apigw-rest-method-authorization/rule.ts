/**
 * AUTHN-APIGW-REST: every API Gateway REST API method names an authorization type.
 *
 * Config records REST APIs and stages, but not their methods, so this is a periodic rule over the API Gateway (v1)
 * API, reporting one evaluation per method. An API key (`apiKeyRequired`) alone is not authentication.
 */
import type { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import type { RuleDefinition } from '../core/types';
import { methodChangeEvents } from './changeEvents';
import {
  evaluateMethod,
  METHOD_CODES,
  methodKey,
  methodParameters,
  methodRemediation,
  methodRemediationHint,
} from './decision';
import type { MethodFacts } from './facts';
import { methodTemplate } from './template';
import { methodTerraform } from './terraform';

// The SDK client and the sweep load on first use, not with the registry: `authn-pack --help`, `check-template` and
// the CDK plugin never call AWS, and loading every rule's client took most of their start (BENCHMARKS.md).
/* eslint-disable @typescript-eslint/no-require-imports */
const sdk = (): typeof import('@aws-sdk/client-api-gateway') =>
  require('@aws-sdk/client-api-gateway') as typeof import('@aws-sdk/client-api-gateway');
const sweeps = (): typeof import('./sweep') => require('./sweep') as typeof import('./sweep');
/* eslint-enable @typescript-eslint/no-require-imports */

export const apigwRestMethodAuthorization: RuleDefinition<
  MethodFacts,
  APIGatewayClient,
  typeof methodParameters
> = {
  control: 'AUTHN-APIGW-REST',
  ruleName: 'authn-apigw-rest-method-authorization',
  title: 'API Gateway REST API methods require authorization',
  description:
    'Every REST API method requires AWS_IAM, a Cognito user pool or a Lambda (CUSTOM) authorizer; an API key alone is not authentication.',
  resourceType: 'AWS::ApiGateway::Method',
  trigger: { kind: 'periodic', defaultFrequency: 'TwentyFour_Hours' },
  parameters: methodParameters,
  service: {
    name: 'api-gateway',
    sdkPackage: '@aws-sdk/client-api-gateway',
    createClient: (settings) => new (sdk().APIGatewayClient)(settings),
    iamActions: ['apigateway:GET'],
  },
  evaluate: evaluateMethod,
  codes: METHOD_CODES,
  remediation: methodRemediation,
  remediationHint: methodRemediationHint,
  // Methods cannot be tagged: `GET /health`, or `GET <resourceId>` for paths with characters tags cannot hold.
  exceptionQualifiers: (facts) => [methodKey(facts), `${facts.httpMethod} ${facts.resourceId}`],
  wideExceptionLabel: 'API-wide exception',
  childNoun: 'methods',
  // Only an API that is PRIVATE alone answers nowhere but in VPCs; unknown endpoint types count as public.
  isInternetFacing: (facts) =>
    !(facts.endpointTypes.length > 0 && facts.endpointTypes.every((type) => type === 'PRIVATE')),
  template: methodTemplate,
  sweep: (client, context) => sweeps().sweepMethods(client, context),
  resumableSweep: (client, context) => sweeps().sweepMethodParts(client, context),
  terraform: methodTerraform,
  changes: methodChangeEvents,
};
