/**
 * ListApis (`/v2/apis`: Event APIs; `maxResults` at most 25), GetApi for a listed API that carries no `eventConfig`
 * (the API reference: "ListApis returns only the high level API details … use GetApi"), then ListChannelNamespaces
 * per API (`maxResults` at most 25); every list paged by `nextToken`. Tags come inline with the API.
 * `sweepEventApiParts` offers the sweep one API at a time (the cycle continues it across invocations);
 * `sweepEventApis`, the whole sweep, reads every part.
 */
import {
  GetApiCommand,
  paginateListApis,
  paginateListChannelNamespaces,
  type Api,
  type AppSyncClient,
  type AuthMode,
  type ChannelNamespace,
} from '@aws-sdk/client-appsync';
import { flatString } from '../core/flat-string';
import { readEveryPart } from '../core/sweep-parts';
import type { SweepContext, SweepPart, SweptResource } from '../core/types';
import type { EventApiFacts, ModeList, NamespaceFacts } from './facts';

/** APIs whose namespaces are read at once (each is one call per 25 namespaces). */
const NAMESPACE_READ_CONCURRENCY = 4;
/** AppSync's `maxResults` maximum for ListApis and ListChannelNamespaces. */
const PAGE_SIZE = 25;

/** A mode list as the SDK returns it; absent is undefined; not a list (a malformed answer) is unreadable, not empty. */
export function modeList(modes: readonly AuthMode[] | undefined): ModeList | undefined {
  if (modes === undefined) return undefined;
  const entries: unknown = modes;
  if (!Array.isArray(entries)) return 'unreadable';
  return entries.map((mode: unknown) => {
    const type: unknown = typeof mode === 'object' && mode !== null ? (mode as AuthMode).authType : undefined;
    return typeof type === 'string' && type !== '' ? type : undefined;
  });
}

export function namespaceFacts(namespace: ChannelNamespace): NamespaceFacts {
  return {
    name: namespace.name ?? 'unnamed',
    publishAuthModes: modeList(namespace.publishAuthModes) ?? 'inherited',
    subscribeAuthModes: modeList(namespace.subscribeAuthModes) ?? 'inherited',
  };
}

export function eventApiFacts(
  api: Api,
  namespaces: readonly ChannelNamespace[],
  region: string,
): EventApiFacts {
  const apiId = api.apiId ?? '';
  const config = api.eventConfig;
  // The three lists are required members of EventConfig: one missing is not "no mode", it is not known.
  return {
    apiId,
    apiName: api.name ?? apiId,
    apiArn: api.apiArn,
    connectionAuthModes: modeList(config?.connectionAuthModes) ?? 'unreadable',
    defaultPublishAuthModes: modeList(config?.defaultPublishAuthModes) ?? 'unreadable',
    defaultSubscribeAuthModes: modeList(config?.defaultSubscribeAuthModes) ?? 'unreadable',
    namespaces: namespaces.map(namespaceFacts),
    region,
  };
}

export function eventApiArn(context: SweepContext, apiId: string): string {
  return flatString(`arn:${context.partition}:appsync:${context.region}:${context.accountId}:apis/${apiId}`);
}

/** The API is gone between ListApis and a read of it: its earlier verdict is cleaned up as no longer found. */
const isNotFound = (error: unknown): boolean => error instanceof Error && error.name === 'NotFoundException';

export async function namespacesOf(
  client: AppSyncClient,
  apiId: string,
  checkpoint?: () => void,
): Promise<ChannelNamespace[]> {
  const found: ChannelNamespace[] = [];
  for await (const page of paginateListChannelNamespaces({ client, pageSize: PAGE_SIZE }, { apiId })) {
    checkpoint?.();
    found.push(...(page.channelNamespaces ?? []));
  }
  return found;
}

async function readApi(
  client: AppSyncClient,
  summary: Api,
  apiId: string,
  context: SweepContext,
): Promise<SweptResource<EventApiFacts>[]> {
  try {
    const api =
      summary.eventConfig === undefined
        ? ((await client.send(new GetApiCommand({ apiId }))).api ?? summary)
        : summary;
    const facts = eventApiFacts(api, await namespacesOf(client, apiId, context.checkpoint), context.region);
    return [
      {
        resourceType: 'AWS::AppSync::Api',
        resourceId: api.apiArn ?? eventApiArn(context, apiId),
        resourceName: flatString(facts.apiName),
        facts,
        tags: api.tags ?? summary.tags ?? {},
      },
    ];
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
}

/**
 * The sweep as one part per Event API (key: the API id): ListApis now, each API's GetApi (when needed) and
 * ListChannelNamespaces when its part is read, so a sweep too large for one invocation continues in the next.
 */
export async function sweepEventApiParts(
  client: AppSyncClient,
  context: SweepContext,
): Promise<SweepPart<EventApiFacts>[]> {
  const listed: Api[] = [];
  for await (const page of paginateListApis({ client, pageSize: PAGE_SIZE }, {})) {
    context.checkpoint?.();
    listed.push(...(page.apis ?? []));
  }
  return listed.map((summary): SweepPart<EventApiFacts> => {
    const apiId = summary.apiId;
    if (apiId === undefined || apiId === '') throw new Error('ListApis returned an API without an apiId');
    return { key: apiId, sizeHint: 1, read: () => readApi(client, summary, apiId, context) };
  });
}

/** The whole sweep: every part read, NAMESPACE_READ_CONCURRENCY APIs at once (the scan, or no state table). */
export async function sweepEventApis(
  client: AppSyncClient,
  context: SweepContext,
): Promise<SweptResource<EventApiFacts>[]> {
  return readEveryPart(await sweepEventApiParts(client, context), NAMESPACE_READ_CONCURRENCY);
}
