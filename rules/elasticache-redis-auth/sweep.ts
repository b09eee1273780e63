/**
 * Two paged sweeps, DescribeReplicationGroups and DescribeCacheClusters, joined on ReplicationGroupId: never one
 * call per group. Tags (one ListTagsForResource per group) are read later, and only for groups that would fail.
 * Every request first takes a token from its operation's bucket: ElastiCache publishes no API rate quota, so the
 * sweep assumes a conservative 10 requests a second per operation rather than sending as fast as replies come.
 */
import {
  DescribeCacheClustersCommand,
  DescribeReplicationGroupsCommand,
  ListTagsForResourceCommand,
  type CacheCluster,
  type DescribeCacheClustersCommandOutput,
  type DescribeReplicationGroupsCommandOutput,
  type ElastiCacheClient,
  type ReplicationGroup,
} from '@aws-sdk/client-elasticache';
import { tagListToMap } from '../core/facts';
import { RateLimiter, rateLimitFromEnvironment, type RateLimit } from '../core/rate-limit';
import type { SweepContext, SweptResource } from '../core/types';
import { lowestVersion, type ReplicationGroupFacts } from './facts';

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
    engineVersion:
      versions.length === members.length && versions.length > 0 ? lowestVersion(versions) : undefined,
    authTokenEnabled: group.AuthTokenEnabled,
    userGroupIds: group.UserGroupIds ?? [],
    transitEncryptionEnabled: group.TransitEncryptionEnabled,
    region,
  };
}

/** The largest page both Describe calls allow (MaxRecords: 20–100). */
const PAGE_SIZE = 100;

/** Assumed per-operation quota (ElastiCache publishes none). */
export const ELASTICACHE_OPERATION_LIMIT: RateLimit = { ratePerSecond: 10, burst: 10 };
/** Overrides the per-operation rate (requests per second). */
export const ELASTICACHE_RATE_VARIABLE = 'AUTHN_PACK_ELASTICACHE_REQUESTS_PER_SECOND';

export function elastiCacheLimiter(
  limit: RateLimit = rateLimitFromEnvironment(ELASTICACHE_RATE_VARIABLE, ELASTICACHE_OPERATION_LIMIT),
): RateLimiter {
  return new RateLimiter({
    DescribeReplicationGroups: limit,
    DescribeCacheClusters: limit,
    ListTagsForResource: limit,
  });
}

export async function sweepReplicationGroups(
  client: ElastiCacheClient,
  context: SweepContext,
): Promise<SweptResource<ReplicationGroupFacts>[]> {
  const limiter = elastiCacheLimiter();
  const groups: ReplicationGroup[] = [];
  let marker: string | undefined;
  do {
    context.checkpoint?.();
    await limiter.acquire('DescribeReplicationGroups');
    const page: DescribeReplicationGroupsCommandOutput = await client.send(
      new DescribeReplicationGroupsCommand({
        MaxRecords: PAGE_SIZE,
        ...(marker === undefined ? {} : { Marker: marker }),
      }),
    );
    groups.push(...(page.ReplicationGroups ?? []));
    marker = page.Marker || undefined;
  } while (marker !== undefined);
  const membersByGroup = new Map<string, CacheCluster[]>();
  if (groups.length > 0) {
    marker = undefined;
    do {
      context.checkpoint?.();
      await limiter.acquire('DescribeCacheClusters');
      const page: DescribeCacheClustersCommandOutput = await client.send(
        new DescribeCacheClustersCommand({
          MaxRecords: PAGE_SIZE,
          ...(marker === undefined ? {} : { Marker: marker }),
        }),
      );
      for (const cluster of page.CacheClusters ?? []) {
        if (cluster.ReplicationGroupId === undefined) continue;
        const members = membersByGroup.get(cluster.ReplicationGroupId) ?? [];
        members.push(cluster);
        membersByGroup.set(cluster.ReplicationGroupId, members);
      }
      marker = page.Marker || undefined;
    } while (marker !== undefined);
  }
  return groups.map((group) => {
    const id = group.ReplicationGroupId ?? 'unnamed';
    const arn =
      group.ARN ??
      `arn:${context.partition}:elasticache:${context.region}:${context.accountId}:replicationgroup:${id}`;
    return {
      resourceType: 'AWS::ElastiCache::ReplicationGroup',
      resourceId: arn,
      resourceName: id,
      facts: replicationGroupFacts(group, membersByGroup.get(id) ?? [], context.region),
      tags: async () => {
        await limiter.acquire('ListTagsForResource');
        const response = await client.send(new ListTagsForResourceCommand({ ResourceName: arn }));
        return tagListToMap(response.TagList);
      },
    };
  });
}
