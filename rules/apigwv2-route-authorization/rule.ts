/**
 * APIGateway.8: every API Gateway v2 route names an authorization type.
 *
 * Routes are not recorded by Config, so this is a periodic rule over the API Gateway v2 API.
 * WebSocket APIs can carry authorization only on `$connect`: the other routes are judged through it.
 */
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { PERIODIC_PARAMETERS, booleanParameter, optionalChoiceParameter } from '../core/parameters';
import type { RemediationTarget, RuleDefinition, Verdict } from '../core/types';
import { sweepRoutes } from './sweep';
import { routeTemplate } from './template';

export const AUTHORIZATION_TYPES = ['AWS_IAM', 'CUSTOM', 'JWT'] as const;
export type AuthorizationType = (typeof AUTHORIZATION_TYPES)[number];

/** What the decision needs to know about one route. */
export interface RouteFacts {
  readonly apiId: string;
  readonly apiName: string;
  /** `HTTP` or `WEBSOCKET`; anything else is judged as HTTP. */
  readonly protocolType: string | undefined;
  readonly routeId: string;
  readonly routeKey: string;
  /** As the API reports it; absent means NONE. */
  readonly authorizationType: string | undefined;
  /** WebSocket only: whether the API has a `$connect` route at all. */
  readonly apiHasConnectRoute: boolean;
  readonly region: string;
  /** False when the API's default execute-api endpoint is disabled (reachable only through a custom domain or VPC). */
  readonly executeApiEndpoint?: boolean;
}

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

const describeRoute = (facts: RouteFacts): string =>
  `Route "${facts.routeKey}" of API "${facts.apiName}" (${facts.apiId})`;

const KNOWN_TYPES = new Set<string>(AUTHORIZATION_TYPES);

export function evaluateRoute(
  facts: RouteFacts,
  params: {
    readonly authorizationType: AuthorizationType | undefined;
    readonly ExemptCorsPreflightRoutes: boolean;
  },
): Verdict {
  const route = describeRoute(facts);
  const type = facts.authorizationType ?? 'NONE';
  if (facts.protocolType === 'WEBSOCKET' && facts.routeKey !== '$connect') {
    if (!facts.apiHasConnectRoute) {
      return {
        compliance: 'NON_COMPLIANT',
        annotation: `WebSocket API "${facts.apiName}" (${facts.apiId}) has no $connect route, so every connection is accepted (route "${facts.routeKey}"). Add a $connect route with AWS_IAM or a Lambda authorizer.`,
      };
    }
    return {
      compliance: 'NOT_APPLICABLE',
      annotation: `${route}: WebSocket authorization is enforced on $connect, not on this route.`,
    };
  }
  if (type === 'NONE') {
    const methodIsOptions = facts.routeKey.startsWith('OPTIONS ');
    if (params.ExemptCorsPreflightRoutes && methodIsOptions && facts.protocolType !== 'WEBSOCKET') {
      return {
        compliance: 'COMPLIANT',
        annotation: `Exception: CORS preflight route exempted by ExemptCorsPreflightRoutes=true (${route}).`,
      };
    }
    const fix =
      facts.protocolType === 'WEBSOCKET'
        ? 'Set AWS_IAM or a Lambda (CUSTOM) authorizer on $connect'
        : 'Attach a JWT, AWS_IAM or Lambda (CUSTOM) authorizer';
    return {
      compliance: 'NON_COMPLIANT',
      annotation: `${route} has no authorization (NONE): anyone can call it. ${fix}, or document an exception tag.`,
    };
  }
  if (!KNOWN_TYPES.has(type)) {
    return {
      compliance: 'NON_COMPLIANT',
      annotation: `${route} has an unrecognised authorization type "${type.slice(0, 30)}"; authentication not verified. Use JWT, AWS_IAM or CUSTOM.`,
    };
  }
  if (params.authorizationType !== undefined && type !== params.authorizationType) {
    return {
      compliance: 'NON_COMPLIANT',
      annotation: `${route} uses ${type}, but this rule requires ${params.authorizationType} (parameter authorizationType). Switch the route to ${params.authorizationType}.`,
    };
  }
  return { compliance: 'COMPLIANT', annotation: `${route} requires ${type} authorization.` };
}

export function routeRemediation(facts: RouteFacts): string {
  const base = `aws apigatewayv2 --region ${facts.region}`;
  if (facts.protocolType === 'WEBSOCKET' && !facts.apiHasConnectRoute) {
    return `${base} create-route --api-id ${facts.apiId} --route-key '$connect' --authorization-type CUSTOM --authorizer-id <authorizer-id> --target integrations/<integration-id>`;
  }
  const type = facts.protocolType === 'WEBSOCKET' ? 'CUSTOM' : 'JWT';
  const routeId =
    facts.protocolType === 'WEBSOCKET' && facts.routeKey !== '$connect'
      ? '<$connect-route-id>'
      : facts.routeId;
  return (
    `${base} update-route --api-id ${facts.apiId} --route-id ${routeId} --authorization-type ${type} --authorizer-id <authorizer-id>` +
    ` && ${base} create-deployment --api-id ${facts.apiId} --stage-name <stage>  # only for stages without auto-deploy`
  );
}

/**
 * The fix from a route ARN alone (`arn:<partition>:apigateway:<region>::/apis/<apiId>/routes/<routeId>`), or from an
 * API id when the rule had to report on the API. The protocol is not in the id: the HTTP fix, with the WebSocket one noted.
 */
export function routeRemediationHint(target: RemediationTarget): string {
  const route = /\/apis\/([^/]+)\/routes\/([^/]+)$/.exec(target.resourceId);
  const api = /\/apis\/([^/]+)$/.exec(target.resourceId);
  const apiId =
    route?.[1] ?? api?.[1] ?? (/^[A-Za-z0-9]+$/.test(target.resourceId) ? target.resourceId : '<api-id>');
  const fix = routeRemediation({
    apiId,
    apiName: apiId,
    protocolType: 'HTTP',
    routeId: route?.[2] ?? '<route-id>',
    routeKey: '',
    authorizationType: undefined,
    apiHasConnectRoute: true,
    region: target.region,
  });
  return `${fix}  # WebSocket API: set CUSTOM or AWS_IAM on its $connect route instead`;
}

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
    createClient: (settings) => new ApiGatewayV2Client(settings),
    iamActions: ['apigateway:GET'],
  },
  evaluate: evaluateRoute,
  remediation: routeRemediation,
  remediationHint: routeRemediationHint,
  exceptionQualifiers: (facts) => [facts.routeId, facts.routeKey],
  wideExceptionLabel: 'API-wide exception',
  childNoun: 'routes',
  isInternetFacing: (facts) => facts.executeApiEndpoint !== false,
  template: routeTemplate,
  sweep: sweepRoutes,
};
