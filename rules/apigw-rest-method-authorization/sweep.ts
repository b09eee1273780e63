/**
 * GetRestApis, then GetResources with `embed=methods` per API, both paged by `position` (`limit` at most 500). The
 * embedded methods carry `authorizationType`; a method whose entry lacks it (an endpoint that lists only the verbs)
 * is read with GetMethod, so no method is judged on a missing field. Tags come inline from GetRestApis.
 *
 * `sweepMethodParts` offers the sweep one REST API at a time (the cycle of periodic-cycle.ts continues it across
 * invocations); `sweepMethods`, the whole sweep, reads every part.
 *
 * Every request first takes a token from one bucket: API Gateway's management quota ("Total operations", 10 requests
 * a second per account, burst 40, not adjustable) is shared by REST (v1) and HTTP/WebSocket (v2) calls alike, and
 * the deployed rate is this function's share of it (rules/core/api-gateway-quota.ts), as for the route sweep.
 */
import {
  GetMethodCommand,
  GetResourcesCommand,
  GetRestApisCommand,
  type APIGatewayClient,
  type Method,
  type Resource,
  type RestApi,
} from '@aws-sdk/client-api-gateway';
import { flatString } from '../core/flat-string';
import {
  API_GATEWAY_RATE_VARIABLE,
  API_GATEWAY_SWEEP_DEFAULT,
  apiGatewayLimiter,
} from '../core/api-gateway-quota';
import type { Clock, RateLimit, RateLimiter } from '../core/rate-limit';
import { readEveryPart } from '../core/sweep-parts';
import type { SweepContext, SweepPart, SweptResource } from '../core/types';
import { methodKey } from './decision';
import type { MethodFacts } from './facts';

/** GetResources calls in flight at once; the rate limit, not this, bounds the requests per second. */
const RESOURCE_READ_CONCURRENCY = 4;
/** `limit`: "The default value is 25 and the maximum value is 500." */
const PAGE_SIZE = 500;

/** API Gateway's account-wide management quota (the APIGateway.8 sweep draws from the same one). */
export const API_GATEWAY_MANAGEMENT_LIMIT: RateLimit = API_GATEWAY_SWEEP_DEFAULT;
export { API_GATEWAY_RATE_VARIABLE };

export type Limiter = Pick<RateLimiter, 'acquire'>;
const UNLIMITED: Limiter = { acquire: () => Promise.resolve() };

/** The route sweep's limiter: both sweeps draw on the account's one quota, each at the share it was given. */
export function restApiLimiter(limit?: RateLimit, clock?: Clock): RateLimiter {
  return apiGatewayLimiter(limit, clock);
}

export async function listRestApis(
  client: APIGatewayClient,
  checkpoint?: () => void,
  limiter: Limiter = UNLIMITED,
): Promise<RestApi[]> {
  const apis: RestApi[] = [];
  let position: string | undefined;
  do {
    checkpoint?.();
    await limiter.acquire('GetRestApis');
    const page = await client.send(
      new GetRestApisCommand({ limit: PAGE_SIZE, ...(position === undefined ? {} : { position }) }),
    );
    apis.push(...(page.items ?? []));
    position = page.position || undefined;
  } while (position !== undefined);
  return apis;
}

export async function listResources(
  client: APIGatewayClient,
  restApiId: string,
  checkpoint?: () => void,
  limiter: Limiter = UNLIMITED,
): Promise<Resource[]> {
  const resources: Resource[] = [];
  let position: string | undefined;
  do {
    checkpoint?.();
    await limiter.acquire('GetResources');
    const page = await client.send(
      new GetResourcesCommand({
        restApiId,
        embed: ['methods'],
        limit: PAGE_SIZE,
        ...(position === undefined ? {} : { position }),
      }),
    );
    resources.push(...(page.items ?? []));
    position = page.position || undefined;
  } while (position !== undefined);
  return resources;
}

/** The method as embedded, or as GetMethod returns it when the embedded entry has no authorization type. */
async function completeMethod(
  client: APIGatewayClient,
  restApiId: string,
  resourceId: string,
  verb: string,
  embedded: Method | undefined,
  limiter: Limiter,
  checkpoint?: () => void,
): Promise<Method> {
  if (embedded?.authorizationType !== undefined) return embedded;
  checkpoint?.();
  await limiter.acquire('GetMethod');
  return client.send(new GetMethodCommand({ restApiId, resourceId, httpMethod: verb }));
}

export function methodArn(
  context: Pick<SweepContext, 'partition' | 'region'>,
  facts: Pick<MethodFacts, 'apiId' | 'resourceId' | 'httpMethod'>,
): string {
  return flatString(
    `${restApiMethodsPrefix(context, facts.apiId)}${facts.resourceId}/methods/${facts.httpMethod}`,
  );
}

/** Where the ARNs of one REST API's methods start: every earlier result under it belongs to that API. */
export const restApiMethodsPrefix = (
  context: Pick<SweepContext, 'partition' | 'region'>,
  apiId: string,
): string => `arn:${context.partition}:apigateway:${context.region}::/restapis/${apiId}/resources/`;

export function methodFacts(
  api: RestApi,
  resource: Resource,
  verb: string,
  method: Method,
  region: string,
): MethodFacts {
  const apiId = api.id ?? '';
  return {
    apiId,
    apiName: api.name ?? apiId,
    resourceId: resource.id ?? '',
    path: resource.path ?? '',
    httpMethod: method.httpMethod ?? verb,
    authorizationType: method.authorizationType,
    apiKeyRequired: method.apiKeyRequired === true,
    endpointTypes: api.endpointConfiguration?.types ?? [],
    region,
  };
}

/**
 * The sweep as one part per REST API (key: the API id): GetRestApis now, each API's GetResources (and any GetMethod
 * it needs) when its part is read. Every part draws from one limiter at this function's share of the account's
 * quota (AUTHN_PACK_APIGATEWAY_REQUESTS_PER_SECOND), on the context's clock, exactly as the route sweep does.
 */
export async function sweepMethodParts(
  client: APIGatewayClient,
  context: SweepContext,
): Promise<SweepPart<MethodFacts>[]> {
  const limiter = restApiLimiter(undefined, context.clock);
  const apis = await listRestApis(client, context.checkpoint, limiter);
  return apis.map((api) => {
    const apiId = api.id;
    if (apiId === undefined) throw new Error('GetRestApis returned an API without an id');
    return { key: apiId, read: () => apiMethodResources(client, api, apiId, context, limiter) };
  });
}

/** The whole sweep: every part read, RESOURCE_READ_CONCURRENCY APIs at once (the scan, or no state table). */
export async function sweepMethods(
  client: APIGatewayClient,
  context: SweepContext,
): Promise<SweptResource<MethodFacts>[]> {
  return readEveryPart(await sweepMethodParts(client, context), RESOURCE_READ_CONCURRENCY);
}

/** The swept resources of one REST API: its methods, each with the API as the parent holding exception tags. */
export async function apiMethodResources(
  client: APIGatewayClient,
  api: RestApi,
  apiId: string,
  context: SweepContext,
  limiter: Limiter,
): Promise<SweptResource<MethodFacts>[]> {
  const resources = await listResources(client, apiId, context.checkpoint, limiter);
  const parent = {
    resourceType: 'AWS::ApiGateway::RestApi',
    resourceId: apiId,
    resourceName: api.name ?? apiId,
  };
  const tags = api.tags ?? {};
  const found: SweptResource<MethodFacts>[] = [];
  for (const resource of resources) {
    const resourceId = resource.id;
    if (resourceId === undefined)
      throw new Error(`GetResources returned a resource without an id (API ${apiId})`);
    for (const [verb, embedded] of Object.entries(resource.resourceMethods ?? {})) {
      const method = await completeMethod(
        client,
        apiId,
        resourceId,
        verb,
        embedded,
        limiter,
        context.checkpoint,
      );
      const facts = methodFacts(api, resource, verb, method, context.region);
      found.push({
        resourceType: 'AWS::ApiGateway::Method',
        resourceId: methodArn(context, facts),
        resourceName: flatString(`${facts.apiName} ${methodKey(facts)}`),
        facts,
        tags,
        parent,
      });
    }
  }
  return found;
}
