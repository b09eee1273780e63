import { expect } from 'chai';
import { parseCloudTrailEvent, type ChangeMapping } from '../../../rules/core/change-events';
import {
  REPLICATION_GROUP_EVENT_NAMES,
  groupIdOfArn,
  replicationGroupChangedKeys,
} from '../../../rules/elasticache-redis-auth/changeEvents';
import { elastiCacheCall } from '../../helpers/change-events';
import { ACCOUNT, REGION } from '../../helpers/events';

const GROUP_ARN = `arn:aws:elasticache:${REGION}:${ACCOUNT}:replicationgroup:sessions-legacy`;

const CASES: readonly {
  name: string;
  event: Record<string, unknown>;
  expected: ChangeMapping['kind'];
  key?: string;
}[] = [
  {
    name: 'CreateReplicationGroup names the group in its request',
    event: elastiCacheCall(
      'CreateReplicationGroup',
      {
        replicationGroupId: 'sessions-legacy',
        replicationGroupDescription: 'sessions',
        engine: 'redis',
        engineVersion: '5.0.6',
        authToken: 'HIDDEN_DUE_TO_SECURITY_REASONS',
      },
      { replicationGroupId: 'sessions-legacy', status: 'creating', aRN: GROUP_ARN },
    ),
    expected: 'changed',
    key: 'sessions-legacy',
  },
  {
    name: 'ModifyReplicationGroup (an AUTH token set or removed) changes the group',
    event: elastiCacheCall('ModifyReplicationGroup', {
      replicationGroupId: 'sessions-legacy',
      authTokenUpdateStrategy: 'DELETE',
      applyImmediately: true,
    }),
    expected: 'changed',
    key: 'sessions-legacy',
  },
  {
    name: 'DeleteReplicationGroup changes (removes) the group',
    event: elastiCacheCall('DeleteReplicationGroup', { replicationGroupId: 'sessions-legacy' }),
    expected: 'changed',
    key: 'sessions-legacy',
  },
  {
    name: 'AddTagsToResource on a group changes its exception tags',
    event: elastiCacheCall('AddTagsToResource', {
      resourceName: GROUP_ARN,
      tags: [{ key: 'authn-exception/ElastiCache.6', value: 'decommissioned in Q1' }],
    }),
    expected: 'changed',
    key: 'sessions-legacy',
  },
  {
    name: 'RemoveTagsFromResource on a group changes its exception tags',
    event: elastiCacheCall('RemoveTagsFromResource', {
      resourceName: GROUP_ARN,
      tagKeys: ['authn-exception/ElastiCache.6'],
    }),
    expected: 'changed',
    key: 'sessions-legacy',
  },
  {
    name: 'AddTagsToResource on a cache cluster is not about groups',
    event: elastiCacheCall('AddTagsToResource', {
      resourceName: `arn:aws:elasticache:${REGION}:${ACCOUNT}:cluster:sessions-legacy-001`,
      tags: [],
    }),
    expected: 'unrelated',
  },
  {
    name: 'a record without the group id means: sweep everything',
    event: elastiCacheCall('ModifyReplicationGroup', null),
    expected: 'unknown',
  },
];

describe('ElastiCache.6 change events (CloudTrail via EventBridge → changed group)', () => {
  for (const testCase of CASES) {
    it(testCase.name, () => {
      // Prepare
      const call = parseCloudTrailEvent(testCase.event);
      // Act
      const mapping = replicationGroupChangedKeys(call);
      // Assess
      expect(mapping.kind).to.equal(testCase.expected);
      if (mapping.kind === 'changed') expect(mapping.keys).to.deep.equal([{ key: testCase.key }]);
    });
  }

  it('declares every event name the issue lists', () => {
    expect([...REPLICATION_GROUP_EVENT_NAMES]).to.have.members([
      'CreateReplicationGroup',
      'ModifyReplicationGroup',
      'DeleteReplicationGroup',
      'AddTagsToResource',
      'RemoveTagsFromResource',
    ]);
  });

  it('reads the group id from a replication group ARN only', () => {
    expect(groupIdOfArn(GROUP_ARN)).to.equal('sessions-legacy');
    expect(groupIdOfArn(`arn:aws:elasticache:${REGION}:${ACCOUNT}:user:app`)).to.be.undefined;
  });
});
