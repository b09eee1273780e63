/**
 * The synthetic estates the bench sweeps, generated from an index (nothing is stored, so a 100,000-route estate
 * costs the server no memory), and what the rules must conclude about them.
 *
 * Routes: every API has ROUTES_PER_API routes. Nine APIs in ten are HTTP APIs whose routes use JWT, AWS_IAM or
 * CUSTOM except one with NONE; every fifth HTTP API documents an exception for that route in a tag (inline in
 * GetApis). Every tenth API is a WebSocket API whose $connect uses CUSTOM, so its other routes are NOT_APPLICABLE.
 *
 * Replication groups (two member clusters each, plus one standalone Memcached cluster per ten groups): six in ten
 * have an AUTH token; one is Valkey and one Redis OSS 7 with an RBAC user group (both NOT_APPLICABLE by default);
 * one is Redis OSS 5 without AUTH (NON_COMPLIANT); one is Redis OSS 4 without AUTH but with a documented exception.
 * The last two are the only ones whose tags are read.
 */

export const ROUTES_PER_API = 10;
export const ACCOUNT = '444455556666';
export const REGION = 'eu-west-1';
export const JUSTIFICATION = 'Public health check, reviewed by security (ticket SEC-1234)';

export type Compliance = 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE';

export interface BenchApi {
  readonly apiId: string;
  readonly name: string;
  readonly protocolType: 'HTTP' | 'WEBSOCKET';
  readonly tags: Readonly<Record<string, string>>;
}

export interface BenchRoute {
  readonly routeId: string;
  readonly routeKey: string;
  readonly authorizationType: string;
}

const id36 = (prefix: string, index: number, width: number): string =>
  `${prefix}${index.toString(36).padStart(width, '0')}`;

export function apiAt(index: number): BenchApi {
  const webSocket = index % 10 === 9;
  const exempt = !webSocket && index % 5 === 0;
  return {
    apiId: id36('a', index, 9),
    name: `${webSocket ? 'ws' : 'http'}-api-${index}`,
    protocolType: webSocket ? 'WEBSOCKET' : 'HTTP',
    tags: exempt
      ? { team: 'payments', 'authn-exception/APIGateway.8/GET /r9': JUSTIFICATION }
      : { team: 'payments' },
  };
}

const HTTP_AUTH = ['JWT', 'JWT', 'JWT', 'JWT', 'JWT', 'JWT', 'JWT', 'AWS_IAM', 'CUSTOM', 'NONE'];

export function routeAt(apiIndex: number, routeIndex: number): BenchRoute {
  const api = apiAt(apiIndex);
  const routeId = id36('r', apiIndex * ROUTES_PER_API + routeIndex, 7);
  if (api.protocolType === 'WEBSOCKET') {
    const routeKey = routeIndex === 0 ? '$connect' : routeIndex === 1 ? '$disconnect' : `action${routeIndex}`;
    return { routeId, routeKey, authorizationType: routeIndex === 0 ? 'CUSTOM' : 'NONE' };
  }
  return { routeId, routeKey: `GET /r${routeIndex}`, authorizationType: HTTP_AUTH[routeIndex % 10] ?? 'JWT' };
}

/** What APIGateway.8 must conclude about one route (default parameters). */
export function expectedRouteVerdict(apiIndex: number, routeIndex: number): Compliance {
  const api = apiAt(apiIndex);
  const route = routeAt(apiIndex, routeIndex);
  if (api.protocolType === 'WEBSOCKET') return route.routeKey === '$connect' ? 'COMPLIANT' : 'NOT_APPLICABLE';
  if (route.authorizationType !== 'NONE') return 'COMPLIANT';
  return api.tags[`authn-exception/APIGateway.8/${route.routeKey}`] === undefined
    ? 'NON_COMPLIANT'
    : 'COMPLIANT';
}

export interface EstateCounts {
  readonly resources: number;
  readonly COMPLIANT: number;
  readonly NON_COMPLIANT: number;
  readonly NOT_APPLICABLE: number;
}

function count(n: number, verdictAt: (index: number) => Compliance): EstateCounts {
  const counts = { COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0 };
  for (let index = 0; index < n; index += 1) counts[verdictAt(index)] += 1;
  return { resources: n, ...counts };
}

export function routeEstateCounts(apis: number): EstateCounts {
  return count(apis * ROUTES_PER_API, (index) =>
    expectedRouteVerdict(Math.floor(index / ROUTES_PER_API), index % ROUTES_PER_API),
  );
}

// ---------------------------------------------------------------------------------------------------------------

export interface BenchGroup {
  readonly groupId: string;
  readonly arn: string;
  readonly engine: 'redis' | 'valkey';
  readonly engineVersion: string;
  readonly authTokenEnabled: boolean;
  readonly transitEncryptionEnabled: boolean;
  readonly userGroupIds: readonly string[];
  readonly tags: readonly { Key: string; Value: string }[];
}

export interface BenchCluster {
  readonly cacheClusterId: string;
  readonly engine: string;
  readonly engineVersion: string;
  readonly replicationGroupId?: string;
}

export const MEMBERS_PER_GROUP = 2;

export function groupAt(index: number): BenchGroup {
  const groupId = id36('cache-', index, 6);
  const kind = index % 10;
  const base = {
    groupId,
    arn: `arn:aws:elasticache:${REGION}:${ACCOUNT}:replicationgroup:${groupId}`,
    transitEncryptionEnabled: kind < 6,
    userGroupIds: kind === 7 ? ['app-users'] : [],
  };
  if (kind < 6) return { ...base, engine: 'redis', engineVersion: '7.1.0', authTokenEnabled: true, tags: [] };
  if (kind === 6)
    return { ...base, engine: 'valkey', engineVersion: '8.0.1', authTokenEnabled: false, tags: [] };
  if (kind === 7)
    return { ...base, engine: 'redis', engineVersion: '7.0.7', authTokenEnabled: false, tags: [] };
  if (kind === 8) {
    return {
      ...base,
      engine: 'redis',
      engineVersion: '5.0.6',
      authTokenEnabled: false,
      tags: [{ Key: 'team', Value: 'legacy' }],
    };
  }
  return {
    ...base,
    engine: 'redis',
    engineVersion: '4.0.10',
    authTokenEnabled: false,
    tags: [
      { Key: 'team', Value: 'legacy' },
      { Key: 'authn-exception/ElastiCache.6', Value: JUSTIFICATION },
    ],
  };
}

/** Clusters in DescribeCacheClusters order: each group's members, then a standalone Memcached per ten groups. */
export function clusterCount(groups: number): number {
  return groups * MEMBERS_PER_GROUP + Math.floor(groups / 10);
}

export function clusterAt(index: number, groups: number): BenchCluster {
  const members = groups * MEMBERS_PER_GROUP;
  if (index >= members) {
    return {
      cacheClusterId: id36('memcached-', index - members, 5),
      engine: 'memcached',
      engineVersion: '1.6.22',
    };
  }
  const group = groupAt(Math.floor(index / MEMBERS_PER_GROUP));
  return {
    cacheClusterId: `${group.groupId}-00${(index % MEMBERS_PER_GROUP) + 1}`,
    engine: group.engine,
    engineVersion: group.engineVersion,
    replicationGroupId: group.groupId,
  };
}

export function expectedGroupVerdict(index: number): Compliance {
  const kind = index % 10;
  if (kind < 6 || kind === 9) return 'COMPLIANT';
  return kind === 8 ? 'NON_COMPLIANT' : 'NOT_APPLICABLE';
}

/** Groups whose tags the rule must read (those that would fail without an exception). */
export function groupsReadForTags(groups: number): number {
  let reads = 0;
  for (let index = 0; index < groups; index += 1) if (index % 10 >= 8) reads += 1;
  return reads;
}

export function groupEstateCounts(groups: number): EstateCounts {
  return count(groups, expectedGroupVerdict);
}
