/** DescribeEndpoints (paged, 100 a page); tags are read only for endpoints that would fail. */
import {
  ListTagsForResourceCommand,
  paginateDescribeEndpoints,
  type DatabaseMigrationServiceClient,
  type Endpoint,
} from '@aws-sdk/client-database-migration-service';
import { tagListToMap } from '../core/facts';
import type { SweepContext, SweptResource } from '../core/types';
import type { EndpointFacts } from './facts';

export function endpointFacts(endpoint: Endpoint, region: string): EndpointFacts {
  return {
    identifier: endpoint.EndpointIdentifier ?? endpoint.EndpointArn ?? 'unnamed',
    arn: endpoint.EndpointArn,
    engineName: endpoint.EngineName || undefined,
    endpointType: endpoint.EndpointType?.toLowerCase(),
    authType: endpoint.MongoDbSettings?.AuthType,
    authMechanism: endpoint.MongoDbSettings?.AuthMechanism,
    region,
  };
}

export async function sweepEndpoints(
  client: DatabaseMigrationServiceClient,
  context: SweepContext,
): Promise<SweptResource<EndpointFacts>[]> {
  const found: SweptResource<EndpointFacts>[] = [];
  for await (const page of paginateDescribeEndpoints({ client, pageSize: 100 }, {})) {
    context.checkpoint?.();
    for (const endpoint of page.Endpoints ?? []) {
      const arn = endpoint.EndpointArn;
      if (arn === undefined) continue;
      const facts = endpointFacts(endpoint, context.region);
      found.push({
        resourceType: 'AWS::DMS::Endpoint',
        resourceId: arn,
        resourceName: facts.identifier,
        facts,
        tags: async () => {
          const response = await client.send(new ListTagsForResourceCommand({ ResourceArn: arn }));
          return tagListToMap(response.TagList);
        },
      });
    }
  }
  return found;
}
