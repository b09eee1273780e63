/**
 * APIGateway.8: every API Gateway v2 route names an authorization type.
 *
 * Routes are not recorded by Config, so this is a periodic rule over the API Gateway v2 API.
 * WebSocket APIs can carry authorization only on `$connect`: the other routes are judged through it.
 */
import type { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { PERIODIC_PARAMETERS, booleanParameter, optionalChoiceParameter } from '../core/parameters';
import type { RuleDefinition } from '../core/types';
import { routeChangeEvents } from './changeEvents';
import { evaluateRoute, ROUTE_CODES, routeRemediation, routeRemediationHint } from './decision';
import { AUTHORIZATION_TYPES, type RouteFacts } from './facts';
import { routeLiveRead } from './hook';
import { routeTemplate } from './template';
import { routeTerraform } from './terraform';

const parameters = {
  ...PERIODIC_PARAMETERS,
  authorizationType: optionalChoiceParameter(
    "AWS's own parameter: when set, every route must use exactly this authorization type.",
    AUTHORIZATION_TYPES,
  ),
  ExemptCorsPreflightRoutes: booleanParameter(
    'When true, HTTP API routes with method OPTIONS (CORS preflight) pass without authorization.',
    false,
  ),
};

// The SDK client and the sweep load on first use, not with the registry: `authn-pack --help`, `check-template` and
// the CDK plugin never call AWS, and loading every rule's client took most of their start (BENCHMARKS.md).
/* eslint-disable @typescript-eslint/no-require-imports */
const sdk = (): typeof import('@aws-sdk/client-apigatewayv2') =>
  require('@aws-sdk/client-apigatewayv2') as typeof import('@aws-sdk/client-apigatewayv2');
const sweeps = (): typeof import('./sweep') => require('./sweep') as typeof import('./sweep');
/* eslint-enable @typescript-eslint/no-require-imports */

export const apigwv2RouteAuthorization: RuleDefinition<RouteFacts, ApiGatewayV2Client, typeof parameters> = {
  control: 'APIGateway.8',
  ruleName: 'authn-apigwv2-route-authorization',
  title: 'API Gateway v2 routes specify an authorization type',
  description:
    'Every HTTP API route, and the $connect route of every WebSocket API, requires JWT, AWS_IAM or a Lambda (CUSTOM) authorizer.',
  resourceType: 'AWS::ApiGatewayV2::Route',
  trigger: { kind: 'periodic', defaultFrequency: 'TwentyFour_Hours' },
  parameters,
  service: {
    name: 'apigatewayv2',
    sdkPackage: '@aws-sdk/client-apigatewayv2',
    createClient: (settings) => new (sdk().ApiGatewayV2Client)(settings),
    iamActions: ['apigateway:GET'],
  },
  evaluate: evaluateRoute,
  codes: ROUTE_CODES,
  remediation: routeRemediation,
  remediationHint: routeRemediationHint,
  exceptionQualifiers: (facts) => [facts.routeId, facts.routeKey],
  wideExceptionLabel: 'API-wide exception',
  childNoun: 'routes',
  isInternetFacing: (facts) => facts.executeApiEndpoint !== false,
  template: routeTemplate,
  hook: routeLiveRead,
  sweep: (client, context) => sweeps().sweepRoutes(client, context),
  terraform: routeTerraform,
  changes: routeChangeEvents,
  resumableSweep: (client, context) => sweeps().sweepRouteParts(client, context),
};
