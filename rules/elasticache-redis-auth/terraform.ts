/**
 * Terraform → replication group facts (`aws_elasticache_replication_group`). `engine` defaults to redis in the
 * provider; without `engine_version` in the configuration the service creates its latest version (the plan shows it
 * as known only after apply). `auth_token` is sensitive: only whether it is set is read.
 */
import { SensitiveValue, type PlanResource, type PlanView } from '../core/terraform';
import type { TemplateEvaluation } from '../core/template';
import type { TerraformAdapter } from '../core/types';
import type { ReplicationGroupFacts } from './facts';

/** Whether an AUTH token is set: text (shown or not), or a value generated at apply (a random_password, a secret). */
function setsAuthToken(resource: PlanResource, plan: PlanView): boolean {
  const token = plan.value(resource, 'auth_token');
  if (!token.known) return plan.configured(resource, 'auth_token') !== false;
  return (
    token.value instanceof SensitiveValue || (typeof token.value === 'string' && token.value.trim() !== '')
  );
}

function userGroups(resource: PlanResource, plan: PlanView): string[] {
  const listed = plan.count(resource, 'user_group_ids');
  // A group created in the same plan has an id known only at apply: it counts.
  if (!listed.known) return plan.configured(resource, 'user_group_ids') === false ? [] : ['(set at apply)'];
  const groups: string[] = [];
  for (let index = 0; index < listed.count; index += 1) {
    const id = plan.text(resource, 'user_group_ids', index);
    if (!id.known) groups.push('(set at apply)');
    else if (id.value !== undefined && id.value !== '') groups.push(id.value);
  }
  return groups;
}

function read(resource: PlanResource, plan: PlanView): TemplateEvaluation<ReplicationGroupFacts>[] {
  const base = plan.subject(resource);
  const engine = plan.text(resource, 'engine');
  if (!engine.known) return [{ ...base, unverifiable: { property: engine.property, reason: engine.reason } }];
  const version = plan.text(resource, 'engine_version');
  const defaultVersion = !version.known && plan.configured(resource, 'engine_version') === false;
  if (!version.known && !defaultVersion)
    return [{ ...base, unverifiable: { property: version.property, reason: version.reason } }];
  const groupId = plan.text(resource, 'replication_group_id');
  const transit = plan.value(resource, 'transit_encryption_enabled');
  return [
    {
      ...base,
      facts: {
        groupId: groupId.known && groupId.value !== undefined ? groupId.value : resource.address,
        engine: (engine.value ?? 'redis').toLowerCase(),
        engineVersion: version.known ? version.value : undefined,
        ...(defaultVersion ? { defaultEngineVersion: true } : {}),
        authTokenEnabled: setsAuthToken(resource, plan),
        userGroupIds: userGroups(resource, plan),
        transitEncryptionEnabled:
          transit.known && typeof transit.value === 'boolean' ? transit.value : undefined,
        region: '<region>',
      },
    },
  ];
}

export const replicationGroupTerraform: TerraformAdapter<ReplicationGroupFacts> = {
  resourceTypes: ['aws_elasticache_replication_group'],
  read,
  fix: (facts) =>
    `set transit_encryption_enabled = true and auth_token from a sensitive variable or a Secrets Manager secret (never a literal)${facts.transitEncryptionEnabled === true ? '' : '; enabling transit encryption on Redis OSS below 7.0 replaces the group'}, or use engine_version 7.1+ with user_group_ids (RBAC)`,
};
