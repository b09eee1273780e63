/**
 * ElastiCache.6: Redis OSS replication groups below 6.0 use AUTH.
 *
 * Replication groups are not recorded by Config, so this is a periodic rule over the ElastiCache API. A group's
 * engine version is not on the group itself: it is read from its member clusters (the lowest wins, mid-upgrade).
 */
import { ElastiCacheClient } from '@aws-sdk/client-elasticache';
import { PERIODIC_PARAMETERS, booleanParameter } from '../core/parameters';
import type { RemediationTarget, RuleDefinition, Verdict } from '../core/types';
import { sweepReplicationGroups } from './sweep';
import { replicationGroupTemplate } from './template';

export interface ReplicationGroupFacts {
  readonly groupId: string;
  /** Lower-case engine (`redis`, `valkey`), or undefined when neither the group nor its members say. */
  readonly engine: string | undefined;
  /** The lowest engine version among the members, or undefined when no member could be described. */
  readonly engineVersion: string | undefined;
  readonly authTokenEnabled: boolean | undefined;
  readonly userGroupIds: readonly string[];
  readonly transitEncryptionEnabled: boolean | undefined;
  readonly region: string;
  /** True when no version was chosen (a template without EngineVersion): the service then uses its latest. */
  readonly defaultEngineVersion?: boolean;
}

const parameters = {
  ...PERIODIC_PARAMETERS,
  RequireAuthOnAllVersions: booleanParameter(
    'When true, groups on Redis OSS 6.0+ and Valkey also need an AUTH token or an RBAC user group (beyond Security Hub).',
    false,
  ),
};

/** Major.minor as numbers; `6.x` reads as 6.0. Undefined for anything unreadable. */
export function parseVersion(version: string | undefined): [number, number] | undefined {
  const match = /^(\d+)(?:\.(\d+|x))?/.exec(version?.trim() ?? '');
  if (!match) return undefined;
  const minor = match[2] === undefined || match[2] === 'x' ? 0 : Number(match[2]);
  return [Number(match[1]), minor];
}

/** The lowest of several engine versions (members of one group can differ during an upgrade). */
export function lowestVersion(versions: readonly string[]): string | undefined {
  let lowest: { text: string; parsed: [number, number] } | undefined;
  for (const text of versions) {
    const parsed = parseVersion(text);
    if (parsed === undefined) return undefined; // one unreadable member: the version is not known
    if (
      lowest === undefined ||
      parsed[0] < lowest.parsed[0] ||
      (parsed[0] === lowest.parsed[0] && parsed[1] < lowest.parsed[1])
    ) {
      lowest = { text, parsed };
    }
  }
  return lowest?.text;
}

function transitAdvice(facts: ReplicationGroupFacts): string {
  if (facts.transitEncryptionEnabled === true) {
    return ' Roll out a token with --auth-token-update-strategy ROTATE, move clients, then SET.';
  }
  return ' AUTH needs in-transit encryption first (in place on Redis OSS 7.0+ only; else upgrade or recreate), then ROTATE and SET a token.';
}

export function evaluateReplicationGroup(
  facts: ReplicationGroupFacts,
  params: { readonly RequireAuthOnAllVersions: boolean },
): Verdict {
  const group = `Replication group "${facts.groupId}"`;
  if (facts.engine === 'memcached') {
    return { compliance: 'NOT_APPLICABLE', annotation: `${group} runs Memcached, outside ElastiCache.6.` };
  }
  if (facts.authTokenEnabled === true) {
    return { compliance: 'COMPLIANT', annotation: `${group} requires an AUTH token.` };
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
        annotation: `${group} runs ${described}, which supports RBAC: outside ElastiCache.6 (set RequireAuthOnAllVersions=true to check it).`,
      };
    }
    if (hasRbac)
      return { compliance: 'COMPLIANT', annotation: `${group} requires RBAC user group authentication.` };
    return {
      compliance: 'NON_COMPLIANT',
      annotation: `${group} (${described}) has neither an AUTH token nor an RBAC user group, so any client on its network can connect. Attach a user group (RBAC) or an AUTH token.`,
    };
  }
  if (version === undefined) {
    // Fail closed: without the version it cannot be shown that the group is outside ElastiCache.6.
    return {
      compliance: 'NON_COMPLIANT',
      annotation: `${group}: engine version could not be read and no AUTH token is enabled.${transitAdvice(facts)}`,
    };
  }
  return {
    compliance: 'NON_COMPLIANT',
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
    createClient: (settings) => new ElastiCacheClient(settings),
    iamActions: [
      'elasticache:DescribeReplicationGroups',
      'elasticache:DescribeCacheClusters',
      'elasticache:ListTagsForResource',
    ],
  },
  evaluate: evaluateReplicationGroup,
  remediation: replicationGroupRemediation,
  remediationHint: replicationGroupRemediationHint,
  sweep: sweepReplicationGroups,
  template: replicationGroupTemplate,
};
