/**
 * Two paged sweeps, DescribeReplicationGroups and DescribeCacheClusters, joined on ReplicationGroupId: never one
 * call per group. Tags (one ListTagsForResource per group) are read later, and only for groups that would fail.
 */
import {
  ListTagsForResourceCommand,
  paginateDescribeCacheClusters,
  paginateDescribeReplicationGroups,
  type CacheCluster,
  type ElastiCacheClient,
  type ReplicationGroup,
} from '@aws-sdk/client-elasticache';
import { tagListToMap } from '../core/facts';
import type { SweepContext, SweptResource } from '../core/types';
import { lowestVersion, type ReplicationGroupFacts } from './rule';

export function replicationGroupFacts(
  group: ReplicationGroup,
  members: readonly CacheCluster[],
  region: string,
): ReplicationGroupFacts {
  const versions = members.map((member) => member.EngineVersion).filter((v): v is string => v !== undefined);
  const engine = group.Engine ?? members.find((member) => member.Engine !== undefined)?.Engine;
  return {
    groupId: group.ReplicationGroupId ?? 'unnamed',
    engine: engine?.toLowerCase(),
    engineVersion: versions.length === members.length && versions.length > 0 ? lowestVersion(versions) : undefined,
    authTokenEnabled: group.AuthTokenEnabled,
    userGroupIds: group.UserGroupIds ?? [],
    transitEncryptionEnabled: group.TransitEncryptionEnabled,
    region,
  };
}

export async function sweepReplicationGroups(
  client: ElastiCacheClient,
  context: SweepContext,
): Promise<SweptResource<ReplicationGroupFacts>[]> {
  const groups: ReplicationGroup[] = [];
  for await (const page of paginateDescribeReplicationGroups({ client, pageSize: 100 }, {})) {
    context.checkpoint?.();
    groups.push(...(page.ReplicationGroups ?? []));
  }
  const membersByGroup = new Map<string, CacheCluster[]>();
  if (groups.length > 0) {
    for await (const page of paginateDescribeCacheClusters({ client, pageSize: 100 }, {})) {
      context.checkpoint?.();
      for (const cluster of page.CacheClusters ?? []) {
        if (cluster.ReplicationGroupId === undefined) continue;
        const members = membersByGroup.get(cluster.ReplicationGroupId) ?? [];
        members.push(cluster);
        membersByGroup.set(cluster.ReplicationGroupId, members);
      }
    }
  }
  return groups.map((group) => {
    const id = group.ReplicationGroupId ?? 'unnamed';
    const arn = group.ARN ?? `arn:${context.partition}:elasticache:${context.region}:${context.accountId}:replicationgroup:${id}`;
    return {
      resourceType: 'AWS::ElastiCache::ReplicationGroup',
      resourceId: arn,
      resourceName: id,
      facts: replicationGroupFacts(group, membersByGroup.get(id) ?? [], context.region),
      tags: async () => {
        const response = await client.send(new ListTagsForResourceCommand({ ResourceName: arn }));
        return tagListToMap(response.TagList);
      },
    };
  });
}
