/**
 * ElastiCache.6: Redis OSS replication groups below 6.0 use AUTH.
 *
 * Replication groups are not recorded by Config, so this is a periodic rule over the ElastiCache API. A group's
 * engine version is not on the group itself: it is read from its member clusters (the lowest wins, mid-upgrade).
 */
import type { ElastiCacheClient } from '@aws-sdk/client-elasticache';
import { PERIODIC_PARAMETERS, booleanParameter } from '../core/parameters';
import type { RuleDefinition } from '../core/types';
import { replicationGroupChangeEvents } from './changeEvents';
import {
  evaluateReplicationGroup,
  REPLICATION_GROUP_CODES,
  replicationGroupRemediation,
  replicationGroupRemediationHint,
} from './decision';
import type { ReplicationGroupFacts } from './facts';
import { replicationGroupTemplate } from './template';
import { replicationGroupTerraform } from './terraform';

const parameters = {
  ...PERIODIC_PARAMETERS,
  RequireAuthOnAllVersions: booleanParameter(
    'When true, groups on Redis OSS 6.0+ and Valkey also need an AUTH token or an RBAC user group (beyond Security Hub).',
    false,
  ),
};

// The SDK client and the sweep load on first use, not with the registry: `authn-pack --help`, `check-template` and
// the CDK plugin never call AWS, and loading every rule's client took most of their start (BENCHMARKS.md).
/* eslint-disable @typescript-eslint/no-require-imports */
const sdk = (): typeof import('@aws-sdk/client-elasticache') =>
  require('@aws-sdk/client-elasticache') as typeof import('@aws-sdk/client-elasticache');
const sweeps = (): typeof import('./sweep') => require('./sweep') as typeof import('./sweep');
/* eslint-enable @typescript-eslint/no-require-imports */

export const elasticacheRedisAuth: RuleDefinition<
  ReplicationGroupFacts,
  ElastiCacheClient,
  typeof parameters
> = {
  control: 'ElastiCache.6',
  ruleName: 'authn-elasticache-redis-auth',
  title: 'Redis OSS replication groups below 6.0 use AUTH',
  description:
    'A Redis OSS replication group below 6.0 has an AUTH token (optionally: every group has an AUTH token or RBAC user group).',
  resourceType: 'AWS::ElastiCache::ReplicationGroup',
  trigger: { kind: 'periodic', defaultFrequency: 'TwentyFour_Hours' },
  parameters,
  service: {
    name: 'elasticache',
    sdkPackage: '@aws-sdk/client-elasticache',
    createClient: (settings) => new (sdk().ElastiCacheClient)(settings),
    iamActions: [
      'elasticache:DescribeReplicationGroups',
      'elasticache:DescribeCacheClusters',
      'elasticache:ListTagsForResource',
    ],
  },
  evaluate: evaluateReplicationGroup,
  codes: REPLICATION_GROUP_CODES,
  remediation: replicationGroupRemediation,
  remediationHint: replicationGroupRemediationHint,
  sweep: (client, context) => sweeps().sweepReplicationGroups(client, context),
  resumableSweep: (client, context) => sweeps().sweepReplicationGroupParts(client, context),
  changes: replicationGroupChangeEvents,
  template: replicationGroupTemplate,
  terraform: replicationGroupTerraform,
};
