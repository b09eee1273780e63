/**
 * The changed REST APIs only: GetRestApi, then GetResources with embedded methods (one call for up to 500 resources),
 * from the same bucket as the sweep (API Gateway's account-wide management quota). An API that GetRestApi no longer
 * finds (NotFoundException) is gone: its methods are reported no longer found.
 */
import { GetRestApiCommand, type APIGatewayClient, type RestApi } from '@aws-sdk/client-api-gateway';
import type { KeyReading } from '../core/change-events';
import { mapConcurrent } from '../core/concurrency';
import { isErrorNamed } from '../core/errors';
import type { SweepContext } from '../core/types';
import type { MethodFacts } from './facts';
import { apiMethodResources, restApiLimiter, restApiMethodsPrefix } from './sweep';

/** APIs read at once; the rate limit, not this, bounds the requests per second. */
const API_READ_CONCURRENCY = 4;

export async function rereadRestApis(
  client: APIGatewayClient,
  apiIds: readonly string[],
  context: SweepContext,
): Promise<KeyReading<MethodFacts>[]> {
  const limiter = restApiLimiter(undefined, context.clock);
  return mapConcurrent(apiIds, API_READ_CONCURRENCY, async (apiId): Promise<KeyReading<MethodFacts>> => {
    const reportedUnder = { idPrefix: restApiMethodsPrefix(context, apiId) };
    context.checkpoint?.();
    await limiter.acquire('GetRestApi');
    let api: RestApi;
    try {
      api = await client.send(new GetRestApiCommand({ restApiId: apiId }));
    } catch (error) {
      if (isErrorNamed(error, 'NotFoundException'))
        return { key: apiId, gone: true, resources: [], reportedUnder };
      throw error;
    }
    const resources = await apiMethodResources(client, api, api.id ?? apiId, context, limiter);
    return { key: apiId, gone: false, resources, reportedUnder };
  });
}
