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

export const routeLiveRead: HookLiveRead<ApiGatewayV2Client> = {
  resourceTypes: [ROUTE_TYPE],
  // GetApi (GET /apis/{id}) and GetRoutes (GET /apis/{id}/routes): deploy/iam.ts scopes them to exactly those paths.
  iamActions: ['apigateway:GET'],
  read: readRouteContext,
};
