/**
 * GetApis, then GetRoutes per API, both paged by NextToken by hand (SDK v3 has no paginator for them).
 * Tags come inline from GetApis: no extra call.
 */
import {
  GetApisCommand,
  GetRoutesCommand,
  type Api,
  type ApiGatewayV2Client,
  type Route,
} from '@aws-sdk/client-apigatewayv2';
import { mapConcurrent } from '../core/concurrency';
import type { SweepContext, SweptResource } from '../core/types';
import type { RouteFacts } from './rule';

/** GetRoutes calls in flight at once (API Gateway's GET quota is shared by the account). */
const ROUTE_READ_CONCURRENCY = 4;
const PAGE_SIZE = '500';

export async function listApis(client: ApiGatewayV2Client, checkpoint?: () => void): Promise<Api[]> {
  const apis: Api[] = [];
  let token: string | undefined;
  do {
    checkpoint?.();
    const page = await client.send(
      new GetApisCommand({ MaxResults: PAGE_SIZE, ...(token === undefined ? {} : { NextToken: token }) }),
    );
    apis.push(...(page.Items ?? []));
    token = page.NextToken || undefined;
  } while (token !== undefined);
  return apis;
}

export async function listRoutes(client: ApiGatewayV2Client, apiId: string, checkpoint?: () => void): Promise<Route[]> {
  const routes: Route[] = [];
  let token: string | undefined;
  do {
    checkpoint?.();
    const page = await client.send(
      new GetRoutesCommand({ ApiId: apiId, MaxResults: PAGE_SIZE, ...(token === undefined ? {} : { NextToken: token }) }),
    );
    routes.push(...(page.Items ?? []));
    token = page.NextToken || undefined;
  } while (token !== undefined);
  return routes;
}

export function routeArn(context: SweepContext, apiId: string, routeId: string): string {
  return `arn:${context.partition}:apigateway:${context.region}::/apis/${apiId}/routes/${routeId}`;
}

/** Facts for every route of one API. */
export function routeFacts(api: Api, routes: readonly Route[], region: string): RouteFacts[] {
  const apiId = api.ApiId ?? '';
  const hasConnect = routes.some((route) => route.RouteKey === '$connect');
  return routes.map((route) => ({
    apiId,
    apiName: api.Name ?? apiId,
    protocolType: api.ProtocolType,
    routeId: route.RouteId ?? '',
    routeKey: route.RouteKey ?? '',
    authorizationType: route.AuthorizationType,
    apiHasConnectRoute: hasConnect,
    region,
    executeApiEndpoint: api.DisableExecuteApiEndpoint !== true,
  }));
}

export async function sweepRoutes(
  client: ApiGatewayV2Client,
  context: SweepContext,
): Promise<SweptResource<RouteFacts>[]> {
  const apis = (await listApis(client, context.checkpoint)).filter((api) => api.ApiId !== undefined);
  const perApi = await mapConcurrent(apis, ROUTE_READ_CONCURRENCY, async (api) => {
    const routes = await listRoutes(client, api.ApiId ?? '', context.checkpoint);
    const tags = api.Tags ?? {};
    return routeFacts(api, routes, context.region).map(
      (facts): SweptResource<RouteFacts> => ({
        resourceType: 'AWS::ApiGatewayV2::Route',
        resourceId: routeArn(context, facts.apiId, facts.routeId),
        resourceName: `${facts.apiName} ${facts.routeKey}`,
        facts,
        tags,
        parent: { resourceType: 'AWS::ApiGatewayV2::Api', resourceId: facts.apiId, resourceName: facts.apiName },
      }),
    );
  });
  return perApi.flat();
}
