/** The sample replication groups: Redis OSS 5 without AUTH, and with it. */
import {
  CreateCacheClusterCommand,
  CreateReplicationGroupCommand,
  DescribeReplicationGroupsCommand,
  ElastiCacheClient,
} from '@aws-sdk/client-elasticache';
import type { RuleSample, SampleClientSettings } from '../core/sample';

export async function seedElastiCache(settings: SampleClientSettings): Promise<void> {
  const client = new ElastiCacheClient(settings);
  await client.send(
    new CreateReplicationGroupCommand({
      ReplicationGroupId: 'sessions-legacy',
      ReplicationGroupDescription: 'Redis 5 without AUTH',
      Engine: 'redis',
      EngineVersion: '5.0.6',
      CacheNodeType: 'cache.t3.micro',
      NumCacheClusters: 2,
      TransitEncryptionEnabled: false,
    }),
  );
  await client.send(
    new CreateReplicationGroupCommand({
      ReplicationGroupId: 'carts',
      ReplicationGroupDescription: 'Redis 5 with AUTH',
      Engine: 'redis',
      EngineVersion: '5.0.6',
      CacheNodeType: 'cache.t3.micro',
      NumCacheClusters: 2,
      TransitEncryptionEnabled: true,
      AuthToken: 'sample-token-for-the-emulator-0001',
    }),
  );
  await createMemberClusters(client, ['sessions-legacy', 'carts'], '5.0.6');
}

/**
 * AWS creates a replication group's members as cache clusters, so DescribeCacheClusters lists them with the engine
 * version. moto lists a group's MemberClusters but has no cluster for them unless each is created with
 * CreateCacheCluster and the group's ReplicationGroupId (checked against moto 5): create them that way, so the sweep
 * reads the version as it would from AWS.
 */
async function createMemberClusters(
  client: ElastiCacheClient,
  groupIds: readonly string[],
  engineVersion: string,
): Promise<void> {
  for (const groupId of groupIds) {
    const { ReplicationGroups } = await client.send(
      new DescribeReplicationGroupsCommand({ ReplicationGroupId: groupId }),
    );
    for (const memberId of ReplicationGroups?.[0]?.MemberClusters ?? []) {
      await client.send(
        new CreateCacheClusterCommand({
          CacheClusterId: memberId,
          ReplicationGroupId: groupId,
          Engine: 'redis',
          EngineVersion: engineVersion,
          CacheNodeType: 'cache.t3.micro',
          NumCacheNodes: 1,
        }),
      );
    }
  }
}

export const sample: RuleSample = { event: 'scheduled.json', seed: seedElastiCache };
