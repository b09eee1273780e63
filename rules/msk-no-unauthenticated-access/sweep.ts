/** ListClustersV2 (paged) carries client authentication and tags inline: one call per page. */
import { paginateListClustersV2, type Cluster, type KafkaClient } from '@aws-sdk/client-kafka';
import type { SweepContext, SweptResource } from '../core/types';
import { clientAuthenticationFacts, isPublic, type ClusterFacts } from './facts';

export function clusterFacts(cluster: Cluster, region: string): ClusterFacts {
  const provisioned = cluster.Provisioned;
  return {
    name: cluster.ClusterName ?? cluster.ClusterArn ?? 'unnamed',
    arn: cluster.ClusterArn,
    clusterType: cluster.ClusterType,
    clientAuthentication: clientAuthenticationFacts(provisioned?.ClientAuthentication),
    inClusterEncryption: provisioned?.EncryptionInfo?.EncryptionInTransit?.InCluster,
    publicAccess: isPublic(provisioned?.BrokerNodeGroupInfo?.ConnectivityInfo?.PublicAccess?.Type),
    region,
  };
}

export async function sweepClusters(
  client: KafkaClient,
  context: SweepContext,
): Promise<SweptResource<ClusterFacts>[]> {
  const found: SweptResource<ClusterFacts>[] = [];
  for await (const page of paginateListClustersV2({ client, pageSize: 100 }, {})) {
    context.checkpoint?.();
    for (const cluster of page.ClusterInfoList ?? []) {
      if (cluster.ClusterArn === undefined) continue;
      const facts = clusterFacts(cluster, context.region);
      found.push({
        resourceType: 'AWS::MSK::Cluster',
        resourceId: cluster.ClusterArn,
        resourceName: facts.name,
        facts,
        tags: cluster.Tags ?? {},
      });
    }
  }
  return found;
}
