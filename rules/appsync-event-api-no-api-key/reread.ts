/**
 * The changed Event APIs only: GetApi, then ListChannelNamespaces (one call per 25 namespaces). An API GetApi no
 * longer finds (NotFoundException) is gone: it is reported no longer found. An API GetApi answers without
 * `eventConfig` is not an Event API (a GraphQL API tagged under the same ARN form): nothing to report for it.
 */
import { GetApiCommand, type Api, type AppSyncClient } from '@aws-sdk/client-appsync';
import type { KeyReading } from '../core/change-events';
import { mapConcurrent } from '../core/concurrency';
import { isErrorNamed } from '../core/errors';
import { flatString } from '../core/flat-string';
import type { SweepContext } from '../core/types';
import type { EventApiFacts } from './facts';
import { eventApiArn, eventApiFacts, namespacesOf } from './sweep';

/** APIs read at once, as the sweep reads them. */
const API_READ_CONCURRENCY = 4;

export async function rereadEventApis(
  client: AppSyncClient,
  apiIds: readonly string[],
  context: SweepContext,
): Promise<KeyReading<EventApiFacts>[]> {
  return mapConcurrent(apiIds, API_READ_CONCURRENCY, async (apiId): Promise<KeyReading<EventApiFacts>> => {
    const reportedUnder = { exactId: eventApiArn(context, apiId) };
    context.checkpoint?.();
    let api: Api | undefined;
    try {
      api = (await client.send(new GetApiCommand({ apiId }))).api;
    } catch (error) {
      if (isErrorNamed(error, 'NotFoundException'))
        return { key: apiId, gone: true, resources: [], reportedUnder };
      throw error;
    }
    if (api?.eventConfig === undefined) return { key: apiId, gone: false, resources: [], reportedUnder };
    const facts = eventApiFacts(api, await namespacesOf(client, apiId, context.checkpoint), context.region);
    return {
      key: apiId,
      gone: false,
      resources: [
        {
          resourceType: 'AWS::AppSync::Api',
          resourceId: api.apiArn ?? eventApiArn(context, apiId),
          resourceName: flatString(facts.apiName),
          facts,
          tags: api.tags ?? {},
        },
      ],
      reportedUnder,
    };
  });
}
