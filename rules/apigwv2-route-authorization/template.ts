/**
 * CloudFormation → route facts. Routes are read from `AWS::ApiGatewayV2::Route` (their API found through `ApiId`),
 * and the `$default` route a quick-create HTTP API (`Target`) makes implicitly, with any managed override.
 */
import { flag } from '../core/facts';
import type { TemplateAdapter } from '../core/types';
import type { TemplateEvaluation, TemplateResource, TemplateView } from '../core/template';
import type { RouteFacts } from './facts';
import { readOpenApiRoutes } from './openapi-routes';
import { samWebSocketRouteFix } from './sam-fix';
import { samHttpApi } from './sam-http-api';
import { samWebSocketApi } from './sam-websocket-api';

/** Keys only an HTTP API has (`$default` exists on WebSocket APIs too). */
const HTTP_ROUTE_KEY = /^(ANY|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) \/.*$/;

function routeKeyOf(route: TemplateResource, view: TemplateView): string | undefined {
  const key = view.text(route.properties.RouteKey, 'RouteKey');
  return key.known ? key.value : undefined;
}

function connectRouteOf(api: TemplateResource, view: TemplateView): boolean {
  return view
    .referencing(api.logicalId, 'AWS::ApiGatewayV2::Route', 'ApiId')
    .some((other) => routeKeyOf(other, view) === '$connect');
}

/** Whether the template turns the default execute-api endpoint off (an unknown value counts as on). */
function disabledEndpoint(api: TemplateResource, view: TemplateView): boolean {
  const resolved = view.resolve(api.properties.DisableExecuteApiEndpoint);
  return resolved.known && flag(resolved.value) === true;
}

function apiNameOf(api: TemplateResource | undefined, view: TemplateView): string {
  if (api === undefined) return 'API outside this template';
  const name = view.text(api.properties.Name, 'Name');
  return name.known && name.value !== undefined ? name.value : api.logicalId;
}

function readRoute(route: TemplateResource, view: TemplateView): TemplateEvaluation<RouteFacts>[] {
  const api = view.resourceOf(route.properties.ApiId);
  const tags = api === undefined ? {} : view.tags(api.properties.Tags);
  const apiName = apiNameOf(api, view);
  const base = {
    resourceId: route.logicalId,
    logicalId: route.logicalId,
    tags,
    ...(route.line === undefined ? {} : { line: route.line }),
    ...(api === undefined ? {} : { holder: api.logicalId }),
  };
  const routeKey = view.text(route.properties.RouteKey, 'RouteKey');
  if (!routeKey.known || routeKey.value === undefined) {
    const resourceName = `${apiName} ${route.logicalId}`;
    return [
      routeKey.known
        ? {
            ...base,
            resourceName,
            unverifiable: { property: 'RouteKey', reason: 'RouteKey is missing' },
            fix: 'set RouteKey and AuthorizationType on the route',
          }
        : { ...base, resourceName, unverifiable: { property: routeKey.property, reason: routeKey.reason } },
    ];
  }
  const resourceName = `${apiName} ${routeKey.value}`;
  const qualifiers = [route.logicalId, routeKey.value];
  const authorization = view.text(route.properties.AuthorizationType, 'AuthorizationType');
  if (!authorization.known)
    return [
      {
        ...base,
        resourceName,
        qualifiers,
        unverifiable: { property: authorization.property, reason: authorization.reason },
      },
    ];
  const protocol =
    api === undefined
      ? { known: true as const, value: undefined }
      : view.text(api.properties.ProtocolType, 'ProtocolType');
  if (!protocol.known)
    return [
      {
        ...base,
        resourceName,
        qualifiers,
        unverifiable: { property: protocol.property, reason: protocol.reason },
      },
    ];
  const open = (authorization.value ?? 'NONE') === 'NONE';
  if (api === undefined && open && routeKey.value !== '$connect' && !HTTP_ROUTE_KEY.test(routeKey.value)) {
    return [
      {
        ...base,
        resourceName,
        qualifiers,
        unverifiable: {
          reason: "the route's API is not in this template, so whether it is a WebSocket API is unknown",
        },
        fix: "define the route's API in this template so the check can tell HTTP from WebSocket (a WebSocket route is judged by its $connect), or document an exception tag",
      },
    ];
  }
  const facts: RouteFacts = {
    apiId: api?.logicalId ?? '<api-id>',
    apiName,
    protocolType: protocol.value,
    routeId: route.logicalId,
    routeKey: routeKey.value,
    authorizationType: authorization.value,
    apiHasConnectRoute: api === undefined ? true : connectRouteOf(api, view),
    region: '<region>',
    executeApiEndpoint: api === undefined || !disabledEndpoint(api, view),
  };
  // A route SAM makes from an AWS::Serverless::WebSocketApi is fixed in that API's Auth (sam-fix.ts).
  const sam = route.sam === undefined ? undefined : samWebSocketRouteFix(route, route.sam, view, facts);
  return [{ ...base, resourceName, ...sam, facts }];
}

/** A quick-create HTTP API (`Target`) gets a `$default` route with no authorization unless overridden. */
function readQuickCreate(api: TemplateResource, view: TemplateView): TemplateEvaluation<RouteFacts>[] {
  if (api.properties.Target === undefined) {
    if (api.properties.Body !== undefined || api.properties.BodyS3Location !== undefined) {
      return readOpenApiRoutes(api, view);
    }
    return [];
  }
  const [override] = view.referencing(
    api.logicalId,
    'AWS::ApiGatewayV2::ApiGatewayManagedOverrides',
    'ApiId',
  );
  const authorization =
    override === undefined
      ? { known: true as const, value: undefined }
      : view.textAt(override.properties.Route, ['AuthorizationType'], 'Route.AuthorizationType');
  // With an override, the route's authorization is the override's to set: the finding points there.
  const at = override ?? api;
  const base = {
    resourceId: `${api.logicalId}/$default`,
    logicalId: at.logicalId,
    resourceName: `${apiNameOf(api, view)} $default`,
    tags: view.tags(api.properties.Tags),
    ...(at.line === undefined ? {} : { line: at.line }),
    property: override === undefined ? 'Target' : 'Route.AuthorizationType',
    holder: api.logicalId,
  };
  if (!authorization.known)
    return [{ ...base, unverifiable: { property: authorization.property, reason: authorization.reason } }];
  return [
    {
      ...base,
      ...(override === undefined
        ? {}
        : {
            fix: `set Route.AuthorizationType on the AWS::ApiGatewayV2::ApiGatewayManagedOverrides ${override.logicalId} to JWT or CUSTOM (with Route.AuthorizerId) or AWS_IAM`,
          }),
      facts: {
        apiId: api.logicalId,
        apiName: apiNameOf(api, view),
        protocolType: 'HTTP',
        routeId: '$default',
        routeKey: '$default',
        authorizationType: authorization.value,
        apiHasConnectRoute: false,
        region: '<region>',
        executeApiEndpoint: true,
      },
    },
  ];
}

export function routeTemplateFix(facts: RouteFacts): string {
  if (facts.protocolType === 'WEBSOCKET' && !facts.apiHasConnectRoute) {
    return 'add an AWS::ApiGatewayV2::Route with RouteKey $connect and AuthorizationType AWS_IAM or CUSTOM (with AuthorizerId)';
  }
  if (facts.routeId === '$default' && facts.routeKey === '$default' && facts.protocolType === 'HTTP') {
    return 'add an AWS::ApiGatewayV2::ApiGatewayManagedOverrides with Route.AuthorizationType JWT, AWS_IAM or CUSTOM, or define the routes explicitly';
  }
  return facts.protocolType === 'WEBSOCKET'
    ? 'set AuthorizationType AWS_IAM or CUSTOM (with AuthorizerId) on the $connect route'
    : 'set AuthorizationType to JWT or CUSTOM (with AuthorizerId) or AWS_IAM';
}

const OVERRIDES_TYPE = 'AWS::ApiGatewayV2::ApiGatewayManagedOverrides';

export const routeTemplate: TemplateAdapter<RouteFacts> = {
  // An override is read for the hook's sake (it is where a quick-create API's $default route gets its authorization,
  // hook.ts): in a template its API judges the route with the override beside it, so the override itself gives none.
  resourceTypes: ['AWS::ApiGatewayV2::Route', 'AWS::ApiGatewayV2::Api', OVERRIDES_TYPE],
  sam: [samHttpApi, samWebSocketApi],
  property: 'AuthorizationType',
  // A WebSocket API without $connect is fixed by adding a route, not by changing this one.
  location: (facts) =>
    facts.protocolType === 'WEBSOCKET' && facts.routeKey !== '$connect' && !facts.apiHasConnectRoute
      ? null
      : undefined,
  fix: routeTemplateFix,
  read: (resource, view) => {
    if (resource.type === OVERRIDES_TYPE) return [];
    return resource.type === 'AWS::ApiGatewayV2::Route'
      ? readRoute(resource, view)
      : readQuickCreate(resource, view);
  },
};
