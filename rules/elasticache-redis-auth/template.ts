/**
 * CloudFormation → replication group facts (`AWS::ElastiCache::ReplicationGroup`). Without `EngineVersion` the
 * service creates the latest version (6.0 or later); `AuthToken` counts when present, whatever resolves it at deploy
 * (usually a Secrets Manager dynamic reference), unless it is conditional.
 */
import { flag } from '../core/facts';
import type { TemplateEvaluation, TemplateResource, TemplateView } from '../core/template';
import type { TemplateAdapter } from '../core/types';
import type { ReplicationGroupFacts } from './facts';

function isConditional(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'Fn::If' in value;
}

/** `!Ref AWS::NoValue`: CloudFormation removes the value at deploy. */
function isNoValue(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { Ref?: unknown }).Ref === 'AWS::NoValue';
}

/** `{ Ref: … }` or `{ "Fn::…": … }`: a value CloudFormation works out at deploy. */
function isIntrinsic(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  const [key] = keys;
  return keys.length === 1 && key !== undefined && (key === 'Ref' || key.startsWith('Fn::'));
}

/**
 * Whether the template sets an AUTH token: text, or an intrinsic that yields it at deploy (a dynamic reference, a
 * NoEcho parameter). `!Ref AWS::NoValue`, null, and values that are not text (true, a list, a mapping) set none.
 */
function setsAuthToken(value: unknown): boolean {
  if (typeof value === 'string') return value.trim() !== '';
  return isIntrinsic(value) && !isNoValue(value);
}

function read(resource: TemplateResource, view: TemplateView): TemplateEvaluation<ReplicationGroupFacts>[] {
  const properties = resource.properties;
  const base = view.subject(resource, 'ReplicationGroupId');
  const resourceName = base.resourceName;
  const engine = view.text(properties.Engine, 'Engine');
  if (!engine.known) return [{ ...base, unverifiable: { property: engine.property, reason: engine.reason } }];
  const version = view.text(properties.EngineVersion, 'EngineVersion');
  if (!version.known)
    return [{ ...base, unverifiable: { property: version.property, reason: version.reason } }];
  if (isConditional(properties.AuthToken)) {
    return [
      {
        ...base,
        unverifiable: {
          property: 'AuthToken',
          reason: 'AuthToken is conditional (Fn::If), so whether it is set is known only at deploy',
        },
        fix: 'set AuthToken unconditionally (a Secrets Manager dynamic reference), or document an exception tag',
      },
    ];
  }
  // A user group is usually a `!Ref` to one in the template: it counts, though its id is known only at deploy.
  const userGroups = view.locate(properties.UserGroupIds);
  if (!userGroups.known)
    return [
      {
        ...base,
        unverifiable: {
          property: 'UserGroupIds',
          reason: `UserGroupIds is not known before deploy (${userGroups.reason})`,
        },
      },
    ];
  const listed: unknown[] = Array.isArray(userGroups.value) ? userGroups.value : [];
  if (listed.some(isConditional)) {
    return [
      {
        ...base,
        unverifiable: {
          property: 'UserGroupIds',
          reason:
            'UserGroupIds is conditional (Fn::If), so whether a user group is attached is known only at deploy',
        },
      },
    ];
  }
  const userGroupIds = listed
    .map((group: unknown) => {
      if (isNoValue(group)) return undefined;
      const id = view.resolve(group);
      if (id.known) return typeof id.value === 'string' ? id.value : undefined;
      // A group named at deploy (`!Ref`, `!GetAtt`, an import) counts; a value that is no id at all does not.
      return isIntrinsic(group) ? (view.resourceOf(group)?.logicalId ?? '(set at deploy)') : undefined;
    })
    .filter((group): group is string => group !== undefined && group !== '');
  const transit = view.resolve(properties.TransitEncryptionEnabled);
  const token = setsAuthToken(properties.AuthToken);
  if (token && !transit.known) {
    return [
      {
        ...base,
        unverifiable: {
          property: 'TransitEncryptionEnabled',
          reason: `TransitEncryptionEnabled is not known before deploy (${transit.reason}), and ElastiCache takes AuthToken only with in-transit encryption`,
        },
      },
    ];
  }
  // As it will behave: without in-transit encryption ElastiCache refuses the token, and the group has no AUTH.
  const refused = token && transit.known && flag(transit.value) !== true;
  return [
    {
      ...base,
      facts: {
        groupId: resourceName,
        engine: (engine.value ?? 'redis').toLowerCase(),
        engineVersion: version.value,
        ...(version.value === undefined ? { defaultEngineVersion: true } : {}),
        authTokenEnabled: token && !refused,
        ...(refused ? { authTokenRefused: true } : {}),
        userGroupIds,
        transitEncryptionEnabled: transit.known ? flag(transit.value) : undefined,
        region: '<region>',
      },
    },
  ];
}

export const replicationGroupTemplate: TemplateAdapter<ReplicationGroupFacts> = {
  resourceTypes: ['AWS::ElastiCache::ReplicationGroup'],
  property: 'AuthToken',
  read,
  fix: (facts) =>
    `set TransitEncryptionEnabled: true and AuthToken to a Secrets Manager dynamic reference ('{{resolve:secretsmanager:…}}')${facts.transitEncryptionEnabled === true ? '' : '; enabling transit encryption on Redis OSS below 7.0 replaces the group'}, or use EngineVersion 7.1+ with UserGroupIds (RBAC)`,
};
