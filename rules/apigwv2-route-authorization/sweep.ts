/**
 * GetApis, then GetRoutes per API, both paged by NextToken by hand (SDK v3 has no paginator for them).
 * Tags come inline from GetApis: no extra call. Every request first takes a token from one bucket shared by both
 * operations: API Gateway throttles its management API per account as a whole ("Total operations": 10 requests a
 * second, burst 40, not adjustable), and the GetRoutes calls in flight would otherwise send far more than that.
 * The deployed rate is a share of that quota, split with the REST API sweep (rules/core/api-gateway-quota.ts).
 * `sweepRouteParts` offers the sweep one API at a time, for sweeps that continue across invocations; `sweepRoutes`,
 * the whole sweep, reads every part.
 */
import {
  GetApiCommand,
  GetApisCommand,
  GetRoutesCommand,
  type Api,
  type GetApiCommandOutput,
  type ApiGatewayV2Client,
  type Route,
} from '@aws-sdk/client-apigatewayv2';
import type { KeyReading } from '../core/change-events';
import { mapConcurrent } from '../core/concurrency';
import { isErrorNamed } from '../core/errors';
import { flatString } from '../core/flat-string';
import {
  API_GATEWAY_RATE_VARIABLE,
  API_GATEWAY_SWEEP_DEFAULT,
  apiGatewayLimiter,
} from '../core/api-gateway-quota';
import type { RateLimit, RateLimiter } from '../core/rate-limit';
import { readEveryPart } from '../core/sweep-parts';
import type { SweepContext, SweepPart, SweptResource } from '../core/types';
import type { RouteFacts } from './facts';

/** GetRoutes calls in flight at once; the rate limit, not this, bounds the requests per second. */
const ROUTE_READ_CONCURRENCY = 4;
/**
 * GetApis/GetRoutes MaxResults has no documented maximum; 500 is API Gateway v1's documented `limit` maximum and what
 * other inventory tools send to v2. Pages are followed by NextToken either way.
 */
const PAGE_SIZE = '500';

/** The rate of a sweep run by hand (the CLI): API Gateway's account-wide quota, which GetApis and GetRoutes share. */
export const API_GATEWAY_MANAGEMENT_LIMIT: RateLimit = API_GATEWAY_SWEEP_DEFAULT;
/** The rate (requests per second) the CDK app gives the function: its share of the account's quota. */
export { API_GATEWAY_RATE_VARIABLE };

/** For callers that do not limit (tests of a single page). */
const UNLIMITED = { acquire: (): Promise<void> => Promise.resolve() };
type Limiter = Pick<RateLimiter, 'acquire'>;

export async function listApis(
  client: ApiGatewayV2Client,
  checkpoint?: () => void,
  limiter: Limiter = UNLIMITED,
): Promise<Api[]> {
  const apis: Api[] = [];
  let token: string | undefined;
  do {
    checkpoint?.();
    await limiter.acquire('GetApis');
    const page = await client.send(
      new GetApisCommand({ MaxResults: PAGE_SIZE, ...(token === undefined ? {} : { NextToken: token }) }),
    );
    apis.push(...(page.Items ?? []));
    token = page.NextToken || undefined;
  } while (token !== undefined);
  return apis;
}

export async function listRoutes(
  client: ApiGatewayV2Client,
  apiId: string,
  checkpoint?: () => void,
  limiter: Limiter = UNLIMITED,
): Promise<Route[]> {
  const routes: Route[] = [];
  let token: string | undefined;
  do {
    checkpoint?.();
    await limiter.acquire('GetRoutes');
    const page = await client.send(
      new GetRoutesCommand({
        ApiId: apiId,
        MaxResults: PAGE_SIZE,
        ...(token === undefined ? {} : { NextToken: token }),
      }),
    );
    routes.push(...(page.Items ?? []));
    token = page.NextToken || undefined;
  } while (token !== undefined);
  return routes;
}

export function routeArn(
  context: Pick<SweepContext, 'partition' | 'region'>,
  apiId: string,
  routeId: string,
): string {
  return flatString(
    `arn:${context.partition}:apigateway:${context.region}::/apis/${apiId}/routes/${routeId}`,
  );
}

/** What the route facts need of an API: GetApis items and GetApi answers both have it. */
export type ApiSummary = Pick<
  Partial<Api>,
  'ApiId' | 'Name' | 'ProtocolType' | 'Tags' | 'DisableExecuteApiEndpoint'
>;

/** Facts for every route of one API. */
export function routeFacts(api: ApiSummary, routes: readonly Route[], region: string): RouteFacts[] {
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

/** The swept resources of one API: its routes, each with the API as the parent holding exception tags. */
export function apiRouteResources(
  api: ApiSummary,
  routes: readonly Route[],
  context: SweepContext,
): SweptResource<RouteFacts>[] {
  const tags = api.Tags ?? {};
  // One parent object per API, shared by its routes (it holds nothing route-specific).
  const apiId = api.ApiId ?? '';
  const parent = {
    resourceType: 'AWS::ApiGatewayV2::Api',
    resourceId: apiId,
    resourceName: api.Name ?? apiId,
  };
  return routeFacts(api, routes, context.region).map((facts): SweptResource<RouteFacts> => ({
    resourceType: 'AWS::ApiGatewayV2::Route',
    resourceId: routeArn(context, facts.apiId, facts.routeId),
    resourceName: flatString(`${facts.apiName} ${facts.routeKey}`),
    facts,
    tags,
    parent,
  }));
}

/**
 * The sweep as one part per API (key: the API id): GetApis now, each API's GetRoutes when its part is read. The
 * parts share one limiter, so a continuing sweep keeps to the same rate as a whole one.
 */
export async function sweepRouteParts(
  client: ApiGatewayV2Client,
  context: SweepContext,
): Promise<SweepPart<RouteFacts>[]> {
  const limiter = apiGatewayLimiter(undefined, context.clock);
  const apis = (await listApis(client, context.checkpoint, limiter)).filter((api) => api.ApiId !== undefined);
  return apis.map((api) => ({
    key: api.ApiId ?? '',
    read: async () => {
      const routes = await listRoutes(client, api.ApiId ?? '', context.checkpoint, limiter);
      return apiRouteResources(api, routes, context);
    },
  }));
}

/** The whole sweep: every part read, ROUTE_READ_CONCURRENCY APIs at once (the scan, or no state table). */
export async function sweepRoutes(
  client: ApiGatewayV2Client,
  context: SweepContext,
): Promise<SweptResource<RouteFacts>[]> {
  return readEveryPart(await sweepRouteParts(client, context), ROUTE_READ_CONCURRENCY);
}

/** Where the ARNs of one API's routes start: every earlier result under it belongs to that API. */
export const apiRoutesPrefix = (context: Pick<SweepContext, 'partition' | 'region'>, apiId: string): string =>
  `arn:${context.partition}:apigateway:${context.region}::/apis/${apiId}/routes/`;

/**
 * The changed APIs only: GetApi and GetRoutes per API (2 calls for up to 500 routes), from the same bucket as the
 * sweep. An API that GetApi no longer finds (NotFoundException) is gone: its routes are reported no longer found.
 */
export async function rereadApis(
  client: ApiGatewayV2Client,
  apiIds: readonly string[],
  context: SweepContext,
): Promise<KeyReading<RouteFacts>[]> {
  const limiter = apiGatewayLimiter();
  return mapConcurrent(apiIds, ROUTE_READ_CONCURRENCY, async (apiId): Promise<KeyReading<RouteFacts>> => {
    const reportedUnder = { idPrefix: apiRoutesPrefix(context, apiId) };
    context.checkpoint?.();
    await limiter.acquire('GetApi');
    let api: GetApiCommandOutput;
    try {
      api = await client.send(new GetApiCommand({ ApiId: apiId }));
    } catch (error) {
      if (isErrorNamed(error, 'NotFoundException'))
        return { key: apiId, gone: true, resources: [], reportedUnder };
      throw error;
    }
    const routes = await listRoutes(client, apiId, context.checkpoint, limiter);
    return {
      key: apiId,
      gone: false,
      resources: apiRouteResources(
        {
          ...api,
          ApiId: api.ApiId ?? apiId,
          Name: api.Name ?? apiId,
          ProtocolType: api.ProtocolType ?? 'HTTP',
        },
        routes,
        context,
      ),
      reportedUnder,
    };
  });
}
