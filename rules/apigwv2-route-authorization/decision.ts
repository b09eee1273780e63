/** The route decision and its fixes: pure, over RouteFacts. */
import type { RemediationTarget, Verdict } from '../core/types';
import { AUTHORIZATION_TYPES, type AuthorizationType, type RouteFacts } from './facts';

/** Every reason code this decision gives (stable: users filter and dedupe on them, the docs list them). */
export const ROUTE_CODES = [
  'websocket-connect-route-missing',
  'websocket-judged-on-connect',
  'cors-preflight-exempt',
  'route-authorization-none',
  'route-authorization-unrecognised',
  'route-authorization-not-required-type',
  'route-authorization-present',
] as const;
export type RouteCode = (typeof ROUTE_CODES)[number];

const describeRoute = (facts: RouteFacts): string =>
  `Route "${facts.routeKey}" of API "${facts.apiName}" (${facts.apiId})`;

const KNOWN_TYPES = new Set<string>(AUTHORIZATION_TYPES);

export function evaluateRoute(
  facts: RouteFacts,
  params: {
    readonly authorizationType: AuthorizationType | undefined;
    readonly ExemptCorsPreflightRoutes: boolean;
  },
): Verdict<RouteCode> {
  const route = describeRoute(facts);
  const type = facts.authorizationType ?? 'NONE';
  if (facts.protocolType === 'WEBSOCKET' && facts.routeKey !== '$connect') {
    if (!facts.apiHasConnectRoute) {
      return {
        compliance: 'NON_COMPLIANT',
        code: 'websocket-connect-route-missing',
        annotation: `WebSocket API "${facts.apiName}" (${facts.apiId}) has no $connect route, so every connection is accepted (route "${facts.routeKey}"). Add a $connect route with AWS_IAM or a Lambda authorizer.`,
      };
    }
    return {
      compliance: 'NOT_APPLICABLE',
      code: 'websocket-judged-on-connect',
      annotation: `${route}: WebSocket authorization is enforced on $connect, not on this route.`,
    };
  }
  if (type === 'NONE') {
    const methodIsOptions = facts.routeKey.startsWith('OPTIONS ');
    if (params.ExemptCorsPreflightRoutes && methodIsOptions && facts.protocolType !== 'WEBSOCKET') {
      return {
        compliance: 'COMPLIANT',
        code: 'cors-preflight-exempt',
        annotation: `Exception: CORS preflight route exempted by ExemptCorsPreflightRoutes=true (${route}).`,
      };
    }
    const fix =
      facts.protocolType === 'WEBSOCKET'
        ? 'Set AWS_IAM or a Lambda (CUSTOM) authorizer on $connect'
        : 'Attach a JWT, AWS_IAM or Lambda (CUSTOM) authorizer';
    return {
      compliance: 'NON_COMPLIANT',
      code: 'route-authorization-none',
      annotation: `${route} has no authorization (NONE): anyone can call it. ${fix}, or document an exception tag.`,
    };
  }
  if (!KNOWN_TYPES.has(type)) {
    return {
      compliance: 'NON_COMPLIANT',
      code: 'route-authorization-unrecognised',
      annotation: `${route} has an unrecognised authorization type "${type.slice(0, 30)}"; authentication not verified. Use JWT, AWS_IAM or CUSTOM.`,
    };
  }
  if (params.authorizationType !== undefined && type !== params.authorizationType) {
    return {
      compliance: 'NON_COMPLIANT',
      code: 'route-authorization-not-required-type',
      annotation: `${route} uses ${type}, but this rule requires ${params.authorizationType} (parameter authorizationType). Switch the route to ${params.authorizationType}.`,
    };
  }
  return {
    compliance: 'COMPLIANT',
    code: 'route-authorization-present',
    annotation: `${route} requires ${type} authorization.`,
  };
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
