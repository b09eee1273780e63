/** ListGraphqlApis (paged, 25 a page) returns the auth modes and tags inline: one call per page, nothing per API. */
import { paginateListGraphqlApis, type AppSyncClient, type GraphqlApi } from '@aws-sdk/client-appsync';
import type { SweepContext, SweptResource } from '../core/types';
import type { GraphqlApiFacts } from './facts';

export function graphqlApiFacts(api: GraphqlApi, region: string): GraphqlApiFacts {
  return {
    apiId: api.apiId,
    name: api.name ?? api.apiId ?? 'unnamed',
    authenticationType: api.authenticationType || undefined,
    additionalAuthenticationTypes: (api.additionalAuthenticationProviders ?? []).map(
      (provider) => provider.authenticationType || undefined,
    ),
    region,
  };
}

export async function sweepGraphqlApis(
  client: AppSyncClient,
  context: SweepContext,
): Promise<SweptResource<GraphqlApiFacts>[]> {
  const found: SweptResource<GraphqlApiFacts>[] = [];
  // CURRENT_ACCOUNT: APIs shared in through RAM are evaluated in their owner's account.
  for await (const page of paginateListGraphqlApis({ client, pageSize: 25 }, { owner: 'CURRENT_ACCOUNT' })) {
    context.checkpoint?.();
    for (const api of page.graphqlApis ?? []) {
      const facts = graphqlApiFacts(api, context.region);
      found.push({
        resourceType: 'AWS::AppSync::GraphQLApi',
        resourceId:
          api.arn ??
          `arn:${context.partition}:appsync:${context.region}:${context.accountId}:apis/${api.apiId ?? ''}`,
        resourceName: facts.name,
        facts,
        tags: api.tags ?? {},
      });
    }
  }
  return found;
}
