/**
 * The replication-group sweep's request rate: each operation (the two Describe sweeps, the tag reads) takes a
 * token from its own bucket before every request.
 */
import {
  DescribeCacheClustersCommand,
  DescribeReplicationGroupsCommand,
  ElastiCacheClient,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-elasticache';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import {
  ELASTICACHE_OPERATION_LIMIT,
  ELASTICACHE_RATE_VARIABLE,
  sweepReplicationGroups,
} from '../../../rules/elasticache-redis-auth/sweep';
import type { SweepContext } from '../../../rules/core/types';
import { ACCOUNT, REGION } from '../../helpers/events';

const CONTEXT: SweepContext = { accountId: ACCOUNT, region: REGION, partition: 'aws' };

describe('elasticache-redis-auth sweep: request rate', () => {
  let elasticache: AwsClientStub<ElastiCacheClient>;
  const saved = process.env[ELASTICACHE_RATE_VARIABLE];

  beforeEach(() => {
    elasticache = mockClient(ElastiCacheClient);
  });

  afterEach(() => {
    elasticache.restore();
    if (saved === undefined) Reflect.deleteProperty(process.env, ELASTICACHE_RATE_VARIABLE);
    else process.env[ELASTICACHE_RATE_VARIABLE] = saved;
  });

  it('assumes 10 requests a second per operation (ElastiCache publishes no quota)', () => {
    // Assess
    expect(ELASTICACHE_OPERATION_LIMIT).to.deep.equal({ ratePerSecond: 10, burst: 10 });
  });

  it('pages both Describe sweeps with MaxRecords 100 and paces each operation by its own rate', async () => {
    // Prepare: 20 requests/s (burst 20); 30 replication-group pages, 1 cluster page, 25 tag reads.
    process.env[ELASTICACHE_RATE_VARIABLE] = '20';
    const groupCalls: number[] = [];
    const maxRecords: (number | undefined)[] = [];
    elasticache
      .on(DescribeReplicationGroupsCommand)
      .callsFake((input: { Marker?: string; MaxRecords?: number }) => {
        groupCalls.push(performance.now());
        maxRecords.push(input.MaxRecords);
        const page = Number(input.Marker ?? 0);
        return {
          ReplicationGroups: [
            {
              ReplicationGroupId: `g${page}`,
              Engine: 'redis',
              AuthTokenEnabled: false,
              ARN: `arn:aws:elasticache:${REGION}:${ACCOUNT}:replicationgroup:g${page}`,
            },
          ],
          ...(page < 29 ? { Marker: String(page + 1) } : {}),
        };
      });
    elasticache.on(DescribeCacheClustersCommand).callsFake((input: { MaxRecords?: number }) => {
      maxRecords.push(input.MaxRecords);
      return { CacheClusters: [] };
    });
    const tagCalls: number[] = [];
    elasticache.on(ListTagsForResourceCommand).callsFake(() => {
      tagCalls.push(performance.now());
      return { TagList: [] };
    });
    const started = performance.now();
    // Act
    const swept = await sweepReplicationGroups(new ElastiCacheClient({ region: REGION }), CONTEXT);
    const reads = swept
      .slice(0, 25)
      .map((resource) =>
        typeof resource.tags === 'function' ? resource.tags() : Promise.resolve(resource.tags),
      );
    await Promise.all(reads);
    // Assess
    expect(swept).to.have.lengthOf(30);
    expect(new Set(maxRecords)).to.deep.equal(new Set([100]));
    // 30 group pages at 20/s after a burst of 20: the 30th no sooner than 0.5 s in.
    expect((groupCalls[29] ?? 0) - started).to.be.at.least(450);
    // The tag reads have their own bucket: 20 at once, then 20 a second.
    const firstTag = tagCalls[0] ?? 0;
    expect((tagCalls[19] ?? 0) - firstTag).to.be.below(200);
    expect((tagCalls[24] ?? 0) - firstTag).to.be.at.least(200);
  });
});
