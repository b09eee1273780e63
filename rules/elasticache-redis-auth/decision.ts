/** The replication group decision and its fixes: pure, over ReplicationGroupFacts. */
import type { RemediationTarget, Verdict } from '../core/types';
import { parseVersion, type ReplicationGroupFacts } from './facts';

/** Every reason code this decision gives (stable: users filter and dedupe on them, the docs list them). */
export const REPLICATION_GROUP_CODES = [
  'elasticache-memcached',
  'redis-auth-token',
  'redis-rbac-capable-not-checked',
  'redis-rbac-user-group',
  'redis-auth-and-rbac-missing',
  'redis-version-unreadable',
  'redis-auth-missing',
] as const;
export type ReplicationGroupCode = (typeof REPLICATION_GROUP_CODES)[number];

function transitAdvice(facts: ReplicationGroupFacts): string {
  if (facts.authTokenRefused === true) {
    return ' Its AuthToken is refused: ElastiCache accepts an AUTH token only with TransitEncryptionEnabled true, so set that too.';
  }
  if (facts.transitEncryptionEnabled === true) {
    return ' Roll out a token with --auth-token-update-strategy ROTATE, move clients, then SET.';
  }
  return ' AUTH needs in-transit encryption first (in place on Redis OSS 7.0+ only; else upgrade or recreate), then ROTATE and SET a token.';
}

export function evaluateReplicationGroup(
  facts: ReplicationGroupFacts,
  params: { readonly RequireAuthOnAllVersions: boolean },
): Verdict<ReplicationGroupCode> {
  const group = `Replication group "${facts.groupId}"`;
  if (facts.engine === 'memcached') {
    return {
      compliance: 'NOT_APPLICABLE',
      code: 'elasticache-memcached',
      annotation: `${group} runs Memcached, outside ElastiCache.6.`,
    };
  }
  if (facts.authTokenEnabled === true) {
    return {
      compliance: 'COMPLIANT',
      code: 'redis-auth-token',
      annotation: `${group} requires an AUTH token.`,
    };
  }
  // Only a named user group is RBAC (a blank id, as an unreadable value may leave, is none).
  const hasRbac = facts.userGroupIds.some((id) => id.trim() !== '');
  const version = parseVersion(facts.engineVersion);
  const modern =
    facts.engine === 'valkey' ||
    facts.defaultEngineVersion === true ||
    (version !== undefined && version[0] >= 6);
  const shownVersion =
    facts.engineVersion ?? (facts.defaultEngineVersion === true ? '(default, latest version)' : '');
  const described = `${facts.engine === 'valkey' ? 'Valkey' : 'Redis OSS'} ${shownVersion}`.trim();
  if (modern) {
    if (!params.RequireAuthOnAllVersions) {
      return {
        compliance: 'NOT_APPLICABLE',
        code: 'redis-rbac-capable-not-checked',
        annotation: `${group} runs ${described}, which supports RBAC: outside ElastiCache.6 (set RequireAuthOnAllVersions=true to check it).`,
      };
    }
    if (hasRbac)
      return {
        compliance: 'COMPLIANT',
        code: 'redis-rbac-user-group',
        annotation: `${group} requires RBAC user group authentication.`,
      };
    return {
      compliance: 'NON_COMPLIANT',
      code: 'redis-auth-and-rbac-missing',
      annotation: `${group} (${described}) has neither an AUTH token nor an RBAC user group, so any client on its network can connect. Attach a user group (RBAC) or an AUTH token.${facts.authTokenRefused === true ? transitAdvice(facts) : ''}`,
    };
  }
  if (version === undefined) {
    // Fail closed: without the version it cannot be shown that the group is outside ElastiCache.6.
    return {
      compliance: 'NON_COMPLIANT',
      code: 'redis-version-unreadable',
      annotation: `${group}: engine version could not be read and no AUTH token is enabled.${transitAdvice(facts)}`,
    };
  }
  return {
    compliance: 'NON_COMPLIANT',
    code: 'redis-auth-missing',
    annotation: `${group} runs ${described} without an AUTH token.${transitAdvice(facts)}`,
  };
}

export function replicationGroupRemediation(facts: ReplicationGroupFacts): string {
  const base = `aws elasticache modify-replication-group --region ${facts.region} --replication-group-id ${facts.groupId}`;
  const rollout =
    `${base} --auth-token "$TOKEN" --auth-token-update-strategy ROTATE --apply-immediately` +
    ` && ${base} --auth-token "$TOKEN" --auth-token-update-strategy SET --apply-immediately  # after clients use the token`;
  if (facts.transitEncryptionEnabled === true) return rollout;
  return `# in-transit encryption is off: on Redis OSS 7.0+ first ${base} --transit-encryption-enabled --transit-encryption-mode preferred --apply-immediately (then required); older versions: upgrade or recreate with --transit-encryption-enabled --auth-token. Then: ${rollout}`;
}

/**
 * The fix from the replication group's ARN (`...:replicationgroup:<id>`) or id alone. Whether in-transit encryption
 * is on is not in the id, so the hint includes the step that turns it on first.
 */
export function replicationGroupRemediationHint(target: RemediationTarget): string {
  const groupId = /:replicationgroup:([^:/]+)$/.exec(target.resourceId)?.[1] ?? target.resourceId;
  return replicationGroupRemediation({
    groupId,
    engine: 'redis',
    engineVersion: undefined,
    authTokenEnabled: undefined,
    userGroupIds: [],
    transitEncryptionEnabled: undefined,
    region: target.region,
  });
}
