/**
 * DescribeDBClusters filtered to engine `neptune` (paged, 100 a page; the Neptune API also returns RDS and DocumentDB
 * clusters without the filter). Neptune's cluster shape carries no tags: they are read with ListTagsForResource,
 * only for clusters that would fail.
 */
import {
  ListTagsForResourceCommand,
  paginateDescribeDBClusters,
  type DBCluster,
  type NeptuneClient,
} from '@aws-sdk/client-neptune';
import { tagListToMap } from '../core/facts';
import type { SweepContext, SweptResource } from '../core/types';
import type { NeptuneClusterFacts } from './facts';

export function clusterFacts(cluster: DBCluster, region: string): NeptuneClusterFacts {
  const flag = cluster.IAMDatabaseAuthenticationEnabled;
  return {
    identifier:
      cluster.DBClusterIdentifier ?? cluster.DBClusterArn ?? cluster.DbClusterResourceId ?? 'unnamed',
    arn: cluster.DBClusterArn,
    engine: cluster.Engine || undefined,
    iamAuth: flag === undefined ? 'absent' : flag,
    region,
  };
}

export async function sweepClusters(
  client: NeptuneClient,
  context: SweepContext,
): Promise<SweptResource<NeptuneClusterFacts>[]> {
  const found: SweptResource<NeptuneClusterFacts>[] = [];
  const pages = paginateDescribeDBClusters(
    { client, pageSize: 100 },
    { Filters: [{ Name: 'engine', Values: ['neptune'] }] },
  );
  for await (const page of pages) {
    context.checkpoint?.();
    for (const cluster of page.DBClusters ?? []) {
      const facts = clusterFacts(cluster, context.region);
      const arn = cluster.DBClusterArn;
      found.push({
        resourceType: 'AWS::RDS::DBCluster',
        resourceId: arn ?? facts.identifier,
        resourceName: facts.identifier,
        facts,
        tags:
          arn === undefined
            ? () => Promise.reject(new Error('the cluster has no ARN to read its tags with'))
            : async () => {
                const response = await client.send(new ListTagsForResourceCommand({ ResourceName: arn }));
                return tagListToMap(response.TagList);
              },
      });
    }
  }
  return found;
}
