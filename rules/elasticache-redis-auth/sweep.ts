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
import type { KeyReading } from '../core/change-events';
import { isErrorNamed } from '../core/errors';
import { tagListToMap } from '../core/facts';
import { RateLimiter, rateLimitFromEnvironment, type Clock, type RateLimit } from '../core/rate-limit';
import { readEveryPart } from '../core/sweep-parts';
import type { SweepContext, SweepPart, SweptResource } from '../core/types';
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
  clock?: Clock,
): RateLimiter {
  return new RateLimiter(
    {
      DescribeReplicationGroups: limit,
      DescribeCacheClusters: limit,
      ListTagsForResource: limit,
    },
    undefined,
    clock,
  );
}

/**
 * The sweep as one part per replication group (key: the group id): both paged Describe calls now (100 groups or
 * clusters a call, so listing is most of the calls), each group's resource when its part is read; its tags are read
 * only if it would fail, as the verdict is decided. Every part shares the buckets, so a continuing sweep keeps the
 * same rate as a whole one.
 */
export async function sweepReplicationGroupParts(
  client: ElastiCacheClient,
  context: SweepContext,
): Promise<SweepPart<ReplicationGroupFacts>[]> {
  const limiter = elastiCacheLimiter(undefined, context.clock);
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
  // A group being deleted is gone, as the re-read of a changed group counts it (rereadReplicationGroups): its
  // earlier verdict is cleaned up at the end of the cycle rather than reported again while it disappears.
  const present = groups.filter((group) => group.Status !== 'deleting');
  return present.map((group): SweepPart<ReplicationGroupFacts> => {
    const groupId = group.ReplicationGroupId;
    // The part's key is what the cycle resumes after: a group named by neither id nor ARN could not be found again.
    const key = groupId || group.ARN;
    if (key === undefined || key === '')
      throw new Error('DescribeReplicationGroups returned a group with neither ReplicationGroupId nor ARN');
    const members = membersByGroup.get(groupId ?? 'unnamed') ?? [];
    const resource = groupResource(client, limiter, group, members, context);
    return { key, sizeHint: 1, read: () => Promise.resolve([resource]) };
  });
}

/** The whole sweep: every part (the scan, or no state table). */
export async function sweepReplicationGroups(
  client: ElastiCacheClient,
  context: SweepContext,
): Promise<SweptResource<ReplicationGroupFacts>[]> {
  // Reading a part makes no call (the Describe pages were read while listing), so concurrency changes nothing.
  return readEveryPart(await sweepReplicationGroupParts(client, context), 1);
}

/** The ARN a group is reported under (DescribeReplicationGroups returns it; built the same way when absent). */
export const replicationGroupArn = (
  context: Pick<SweepContext, 'partition' | 'region' | 'accountId'>,
  groupId: string,
): string =>
  `arn:${context.partition}:elasticache:${context.region}:${context.accountId}:replicationgroup:${groupId}`;

function groupResource(
  client: ElastiCacheClient,
  limiter: Pick<RateLimiter, 'acquire'>,
  group: ReplicationGroup,
  members: readonly CacheCluster[],
  context: SweepContext,
): SweptResource<ReplicationGroupFacts> {
  const id = group.ReplicationGroupId ?? 'unnamed';
  const arn = group.ARN ?? replicationGroupArn(context, id);
  return {
    resourceType: 'AWS::ElastiCache::ReplicationGroup',
    resourceId: arn,
    resourceName: id,
    facts: replicationGroupFacts(group, members, context.region),
    tags: async () => {
      await limiter.acquire('ListTagsForResource');
      const response = await client.send(new ListTagsForResourceCommand({ ResourceName: arn }));
      return tagListToMap(response.TagList);
    },
  };
}

/**
 * The changed groups only: DescribeReplicationGroups for the group, DescribeCacheClusters for each member (a
 * group of a primary and two replicas: 4 calls), from the same buckets as the sweep. A group that is not found
 * (ReplicationGroupNotFoundFault) or is being deleted is gone.
 */
export async function rereadReplicationGroups(
  client: ElastiCacheClient,
  groupIds: readonly string[],
  context: SweepContext,
): Promise<KeyReading<ReplicationGroupFacts>[]> {
  const limiter = elastiCacheLimiter();
  const readings: KeyReading<ReplicationGroupFacts>[] = [];
  for (const groupId of groupIds) {
    const reportedUnder = { exactId: replicationGroupArn(context, groupId) };
    context.checkpoint?.();
    await limiter.acquire('DescribeReplicationGroups');
    let group: ReplicationGroup | undefined;
    try {
      const page = await client.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: groupId }));
      group = page.ReplicationGroups?.[0];
    } catch (error) {
      if (!isErrorNamed(error, 'ReplicationGroupNotFoundFault')) throw error;
    }
    if (group === undefined || group.Status === 'deleting') {
      readings.push({ key: groupId, gone: true, resources: [], reportedUnder });
      continue;
    }
    const members: CacheCluster[] = [];
    for (const memberId of group.MemberClusters ?? []) {
      context.checkpoint?.();
      await limiter.acquire('DescribeCacheClusters');
      try {
        const page = await client.send(new DescribeCacheClustersCommand({ CacheClusterId: memberId }));
        members.push(...(page.CacheClusters ?? []));
      } catch (error) {
        if (!isErrorNamed(error, 'CacheClusterNotFoundFault')) throw error;
        // A member being removed: its version is not known, so neither is the group's (fail closed, as the sweep).
        members.push({ CacheClusterId: memberId });
      }
    }
    readings.push({
      key: groupId,
      gone: false,
      resources: [groupResource(client, limiter, group, members, context)],
      reportedUnder: { exactId: group.ARN ?? reportedUnder.exactId },
    });
  }
  return readings;
}
