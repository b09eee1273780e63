/**
 * What the deploy-time hook reads live for a route: a hook request carries the route's resolved properties only, so
 * its API (protocol, name, exception tags, whether the default endpoint is off) comes from GetApi and, for a WebSocket
 * API, the API's routes (is there a `$connect`, and does it require authorization) from GetRoutes. Both are handed to
 * the template adapter as template resources, so the hook decides exactly as the template check does.
 *
 * A route's `ApiId` is a `Ref` (or `GetAtt`) to its API, so CloudFormation creates the API before the route and the
 * hook for the route sees the API's id, resolved: an API created earlier in the same stack is read like any other.
 * Routes of one API do not depend on each other, though: CloudFormation creates them in parallel, and a WebSocket
 * route's hook can run before the stack's `$connect` route exists. That state is reported as settling, so a failure
 * is asked again before it is final.
 *
 * A quick-create HTTP API (`Target`) gets a `$default` route from API Gateway, open unless an
 * `AWS::ApiGatewayV2::ApiGatewayManagedOverrides` sets `Route.AuthorizationType`. The override names the API in its
 * `ApiId`, so CloudFormation creates it after the API: the API's hook request cannot see it, and judging the route
 * there would block every quick-create API secured the documented way. So the route is judged on the override's
 * request (created or updated), with the API read live like a route's (GetApi: its name, protocol and exception
 * tags), and the API's own request passes with a reason naming where the check happens. A quick-create API with no
 * override in its stack deploys with the route open: no hook request ever shows it (the hook sees one resource at a
 * time; a stack-level Lambda hook gets the whole template from a presigned S3 URL instead, which this hook does not
 * read), so `check-template` before deploy and the Config rule after it are what report it.
 */
import type { ApiGatewayV2Client, GetApiCommandOutput, Route } from '@aws-sdk/client-apigatewayv2';
import { describeError } from '../core/errors';
import type { TemplateResource } from '../core/template';
import type { HookLiveRead, HookLiveView } from '../core/types';

// The SDK loads on the first read, not with the registry (see rule.ts): check-template never calls AWS.
/* eslint-disable @typescript-eslint/no-require-imports */
const sdk = (): typeof import('@aws-sdk/client-apigatewayv2') =>
  require('@aws-sdk/client-apigatewayv2') as typeof import('@aws-sdk/client-apigatewayv2');
/* eslint-enable @typescript-eslint/no-require-imports */

const ROUTE_TYPE = 'AWS::ApiGatewayV2::Route';
const API_TYPE = 'AWS::ApiGatewayV2::Api';
const OVERRIDES_TYPE = 'AWS::ApiGatewayV2::ApiGatewayManagedOverrides';
/** As the sweep: MaxResults has no documented maximum; pages are followed by NextToken either way. */
const PAGE_SIZE = '500';

async function readApi(
  client: ApiGatewayV2Client,
  apiId: string,
  signal: AbortSignal,
): Promise<GetApiCommandOutput | undefined> {
  try {
    return await client.send(new (sdk().GetApiCommand)({ ApiId: apiId }), { abortSignal: signal });
  } catch (error) {
    if (error instanceof Error && error.name === 'NotFoundException') return undefined;
    throw new Error(`API ${apiId} could not be read (GetApi): ${describeError(error)}`, { cause: error });
  }
}

async function readRoutes(client: ApiGatewayV2Client, apiId: string, signal: AbortSignal): Promise<Route[]> {
  const routes: Route[] = [];
  let token: string | undefined;
  try {
    do {
      const page = await client.send(
        new (sdk().GetRoutesCommand)({
          ApiId: apiId,
          MaxResults: PAGE_SIZE,
          ...(token === undefined ? {} : { NextToken: token }),
        }),
        { abortSignal: signal },
      );
      routes.push(...(page.Items ?? []));
      token = page.NextToken || undefined;
    } while (token !== undefined);
  } catch (error) {
    throw new Error(`the routes of API ${apiId} could not be read (GetRoutes): ${describeError(error)}`, {
      cause: error,
    });
  }
  return routes;
}

/** The API as the adapter reads an `AWS::ApiGatewayV2::Api`, named by its id (which the messages then show). */
function apiResource(api: GetApiCommandOutput, apiId: string): TemplateResource {
  return {
    logicalId: apiId,
    type: API_TYPE,
    properties: {
      Name: api.Name ?? apiId,
      ProtocolType: api.ProtocolType,
      Tags: api.Tags ?? {},
      DisableExecuteApiEndpoint: api.DisableExecuteApiEndpoint === true,
    },
  };
}

/** A route that exists, as a template route of that API, named by its route id (the Config rule's qualifier). */
function routeResource(route: Route, apiId: string): TemplateResource {
  return {
    logicalId: route.RouteId ?? '',
    type: ROUTE_TYPE,
    properties: {
      ApiId: { Ref: apiId },
      RouteKey: route.RouteKey,
      AuthorizationType: route.AuthorizationType ?? 'NONE',
    },
  };
}

export async function readRouteContext(
  target: TemplateResource,
  client: ApiGatewayV2Client,
  signal: AbortSignal,
): Promise<HookLiveView> {
  const apiId = target.properties.ApiId;
  if (typeof apiId !== 'string' || apiId.trim() === '') {
    throw new Error("ApiId is not an API id, so the route's API cannot be read");
  }
  const api = await readApi(client, apiId, signal);
  if (api === undefined) {
    return { kind: 'pending', reason: `the route's API ${apiId} was not found (GetApi: NotFoundException)` };
  }
  const resolvedTarget: TemplateResource = {
    ...target,
    properties: { ...target.properties, ApiId: { Ref: apiId } },
  };
  const routeKey = target.properties.RouteKey;
  if (api.ProtocolType !== 'WEBSOCKET' || routeKey === '$connect') {
    // HTTP routes and $connect are decided by their own authorization: the API's routes change nothing.
    return { kind: 'read', target: resolvedTarget, related: [apiResource(api, apiId)] };
  }
  const routes = (await readRoutes(client, apiId, signal)).filter(
    (route) => route.RouteId !== undefined && route.RouteId !== target.logicalId,
  );
  const connect = routes.find((route) => route.RouteKey === '$connect');
  return {
    kind: 'read',
    target: resolvedTarget,
    related: [apiResource(api, apiId), ...routes.map((route) => routeResource(route, apiId))],
    ...(connect?.RouteId === undefined ? {} : { decidedBy: connect.RouteId }),
    settling:
      connect === undefined
        ? `WebSocket API ${apiId} has no $connect route yet, and routes of one stack are created in parallel`
        : `the $connect route of WebSocket API ${apiId} may be changing in this same stack operation`,
  };
}

/**
 * An override's request: its API read live and handed to the adapter as the quick-create API it overrides (an
 * override applies only to the resources quick create makes, CloudFormation's ApiGatewayManagedOverrides page), so
 * the `$default` route is judged with the override's `Route.AuthorizationType`, and the API's tags hold exceptions.
 */
export async function readOverridesContext(
  target: TemplateResource,
  client: ApiGatewayV2Client,
  signal: AbortSignal,
): Promise<HookLiveView> {
  const apiId = target.properties.ApiId;
  if (typeof apiId !== 'string' || apiId.trim() === '') {
    throw new Error('ApiId is not an API id, so the overridden API cannot be read');
  }
  const api = await readApi(client, apiId, signal);
  if (api === undefined) {
    return {
      kind: 'pending',
      reason: `the overridden API ${apiId} was not found (GetApi: NotFoundException)`,
    };
  }
  const quickCreate = apiResource(api, apiId);
  return {
    kind: 'read',
    target: { ...target, properties: { ...target.properties, ApiId: { Ref: apiId } } },
    // GetApi does not return Target, a create-time input: an API with overrides was quick-created.
    related: [{ ...quickCreate, properties: { ...quickCreate.properties, Target: '(quick create)' } }],
    decidedBy: apiId,
  };
}

/** A quick-create API's own request: its `$default` route is judged on the override's (see the top of this file). */
function judgedElsewhere(target: TemplateResource): string | undefined {
  if (target.type !== API_TYPE) return undefined;
  const quickCreate = target.properties.Target;
  if (quickCreate === undefined || quickCreate === null || quickCreate === '') return undefined;
  return `the $default route this quick-create API (Target) gets is judged on the ${OVERRIDES_TYPE} that sets its Route.AuthorizationType, which CloudFormation creates after the API, so this request cannot see it. A stack without one deploys the route open: check-template reports it before deploy, the Config rule after.`;
}

export const routeLiveRead: HookLiveRead<ApiGatewayV2Client> = {
  resourceTypes: [ROUTE_TYPE, OVERRIDES_TYPE],
  // GetApi (GET /apis/{id}) and GetRoutes (GET /apis/{id}/routes): deploy/iam.ts scopes them to exactly those paths.
  iamActions: ['apigateway:GET'],
  read: (target, client, signal) =>
    target.type === OVERRIDES_TYPE
      ? readOverridesContext(target, client, signal)
      : readRouteContext(target, client, signal),
  judgedElsewhere,
};
