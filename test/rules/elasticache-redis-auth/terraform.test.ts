import { elasticacheRedisAuth as rule } from '../../../rules/elasticache-redis-auth/rule';
import { planTable, type PlannedResource } from '../../helpers/plans';

const group = (
  after: Record<string, unknown>,
  unknown: Record<string, unknown> = {},
  expressions: Record<string, unknown> = {},
): PlannedResource => ({
  address: 'aws_elasticache_replication_group.sessions',
  after: {
    replication_group_id: 'sessions',
    engine: 'redis',
    auth_token: null,
    user_group_ids: null,
    ...after,
  },
  unknown: { arn: true, id: true, ...unknown },
  sensitive: { auth_token: true },
  expressions: { engine_version: { constant_value: after.engine_version }, ...expressions },
});

describe('ElastiCache.6 terraform adapter', () => {
  planTable(rule, [
    {
      title: 'an auth_token generated at apply (random_password.result) counts as set',
      resources: [
        group(
          { engine_version: '5.0.6', transit_encryption_enabled: true },
          { auth_token: true },
          { auth_token: { references: ['random_password.token.result', 'random_password.token'] } },
        ),
      ],
      resourceId: 'aws_elasticache_replication_group.sessions',
      compliance: 'COMPLIANT',
      annotation: /requires an AUTH token/,
    },
    {
      title: 'Redis OSS 6.x is outside ElastiCache.6',
      resources: [group({ engine_version: '6.x' })],
      resourceId: 'aws_elasticache_replication_group.sessions',
      compliance: 'NOT_APPLICABLE',
      annotation: /supports RBAC: outside ElastiCache\.6/,
    },
    {
      title:
        'with RequireAuthOnAllVersions, a user group created in the same plan (id known at apply) counts',
      resources: [
        group(
          { engine_version: '7.1' },
          { user_group_ids: true },
          {
            user_group_ids: {
              references: ['aws_elasticache_user_group.app.id', 'aws_elasticache_user_group.app'],
            },
          },
        ),
      ],
      resourceId: 'aws_elasticache_replication_group.sessions',
      compliance: 'COMPLIANT',
      annotation: /RBAC user group/,
      options: { parameters: { RequireAuthOnAllVersions: 'true' } },
    },
    {
      title: 'Valkey is outside ElastiCache.6',
      resources: [group({ engine: 'valkey', engine_version: '8.0' })],
      resourceId: 'aws_elasticache_replication_group.sessions',
      compliance: 'NOT_APPLICABLE',
      annotation: /Valkey 8\.0/,
    },
  ]);
});
