/**
 * The replication group sweep in parts (one per group): listing makes both paged Describe calls, a part's read makes
 * none, the whole sweep is the parts read whole, and a group being deleted is not a part.
 */
import {
  DescribeCacheClustersCommand,
  DescribeReplicationGroupsCommand,
  ElastiCacheClient,
  ListTagsForResourceCommand,
  type CacheCluster,
  type ReplicationGroup,
} from '@aws-sdk/client-elasticache';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import type { SweepContext } from '../../../rules/core/types';
import {
  sweepReplicationGroupParts,
  sweepReplicationGroups,
} from '../../../rules/elasticache-redis-auth/sweep';
import { ACCOUNT, REGION } from '../../helpers/events';

const CONTEXT: SweepContext = { accountId: ACCOUNT, region: REGION, partition: 'aws' };
const arnOf = (id: string): string => `arn:aws:elasticache:${REGION}:${ACCOUNT}:replicationgroup:${id}`;

/** A group as DescribeReplicationGroups returns it. */
const group = (id: string, overrides: Partial<ReplicationGroup> = {}): ReplicationGroup => ({
  ReplicationGroupId: id,
  ARN: arnOf(id),
  Status: 'available',
  Engine: 'redis',
  AuthTokenEnabled: false,
  TransitEncryptionEnabled: false,
  MemberClusters: [`${id}-001`],
  ...overrides,
});

/** Its member as DescribeCacheClusters returns it. */
const member = (id: string, version: string): CacheCluster => ({
  CacheClusterId: `${id}-001`,
  ReplicationGroupId: id,
  Engine: 'redis',
  EngineVersion: version,
  CacheClusterStatus: 'available',
  NumCacheNodes: 1,
});

describe('elasticache-redis-auth sweep: parts (no ceiling)', () => {
  let elasticache: AwsClientStub<ElastiCacheClient>;
  const client = new ElastiCacheClient({ region: REGION });

  beforeEach(() => {
    elasticache = mockClient(ElastiCacheClient);
    elasticache.on(DescribeReplicationGroupsCommand).resolves({
      ReplicationGroups: [
        group('sessions-cache'),
        group('ratings-cache'),
        group('old-cache', { Status: 'deleting' }),
      ],
    });
    elasticache.on(DescribeCacheClustersCommand).resolves({
      CacheClusters: [
        member('sessions-cache', '5.0.6'),
        member('ratings-cache', '7.1.0'),
        member('old-cache', '5.0.6'),
      ],
    });
    elasticache.on(ListTagsForResourceCommand).resolves({ TagList: [] });
  });

  afterEach(() => {
    elasticache.restore();
  });

  it('lists one part per group, keyed by its id, leaving out a group being deleted', async () => {
    // Act
    const parts = await sweepReplicationGroupParts(client, CONTEXT);
    // Assess
    expect(parts.map((part) => [part.key, part.sizeHint])).to.deep.equal([
      ['sessions-cache', 1],
      ['ratings-cache', 1],
    ]);
    expect(elasticache.commandCalls(DescribeReplicationGroupsCommand)).to.have.length(1);
    expect(elasticache.commandCalls(DescribeCacheClustersCommand)).to.have.length(1);
  });

  it('reads a part with no call: the group with the version of its members, tags read only on demand', async () => {
    // Prepare
    const parts = await sweepReplicationGroupParts(client, CONTEXT);
    const callsAfterListing = elasticache.calls().length;
    // Act
    const [resource] = (await parts[0]?.read()) ?? [];
    // Assess
    expect(elasticache.calls()).to.have.length(callsAfterListing);
    expect(resource?.resourceId).to.equal(arnOf('sessions-cache'));
    expect(resource?.facts.engineVersion).to.equal('5.0.6');
    expect(resource?.tags).to.be.a('function');
  });

  it('sweeps whole exactly what the parts read', async () => {
    // Prepare
    const parts = await sweepReplicationGroupParts(client, CONTEXT);
    const byParts = (await Promise.all(parts.map((part) => part.read()))).flat();
    // Act
    const whole = await sweepReplicationGroups(client, CONTEXT);
    // Assess
    expect(whole.map((resource) => [resource.resourceId, resource.facts])).to.deep.equal(
      byParts.map((resource) => [resource.resourceId, resource.facts]),
    );
    expect(whole).to.have.length(2);
  });

  it('keys a group without an id by its ARN, and fails the listing on a group named by neither', async () => {
    // Prepare
    elasticache
      .on(DescribeReplicationGroupsCommand)
      .resolvesOnce({ ReplicationGroups: [group('x', { ReplicationGroupId: undefined })] })
      .resolvesOnce({ ReplicationGroups: [group('x', { ReplicationGroupId: undefined, ARN: undefined })] });
    // Act
    const byArn = await sweepReplicationGroupParts(client, CONTEXT);
    const neither = await sweepReplicationGroupParts(client, CONTEXT).then(
      () => 'listed',
      (error: unknown) => (error as Error).message,
    );
    // Assess
    expect(byArn.map((part) => part.key)).to.deep.equal([arnOf('x')]);
    expect(neither).to.equal(
      'DescribeReplicationGroups returned a group with neither ReplicationGroupId nor ARN',
    );
  });
});
