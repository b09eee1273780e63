/**
 * A stand-in for the ElastiCache API on 127.0.0.1, speaking its query protocol (form-encoded POST, XML answers) so
 * the real SDK client inside the real bundled handler talks to it unchanged: DescribeReplicationGroups and
 * DescribeCacheClusters paged by Marker/MaxRecords (20–100, as the service enforces), and ListTagsForResource.
 * Every request waits `latencyMs`; requests beyond the quota get the service's `Throttling` error.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  clusterAt,
  clusterCount,
  groupAt,
  MEMBERS_PER_GROUP,
  type BenchCluster,
  type BenchGroup,
} from '../estates';
import { Counters, ServerQuota, delay, listen, readBody, type CallCounts, type Quota } from './common';

const NAMESPACE = 'http://elasticache.amazonaws.com/doc/2015-02-02/';

export interface ElastiCacheServerOptions {
  readonly groups: number;
  readonly latencyMs: number;
  readonly quota?: Quota;
}

export interface ElastiCacheServer {
  readonly endpoint: string;
  counts(): CallCounts;
  resetCounts(): void;
  stop(): Promise<void>;
}

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const element = (name: string, value: string | number | boolean): string =>
  `<${name}>${escapeXml(String(value))}</${name}>`;

let requestSequence = 0;
const requestId = (): string => `bench-${(requestSequence += 1).toString(16).padStart(8, '0')}`;

function sendXml(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'text/xml' });
  response.end(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
}

function sendResult(response: ServerResponse, action: string, result: string): void {
  sendXml(
    response,
    200,
    `<${action}Response xmlns="${NAMESPACE}"><${action}Result>${result}</${action}Result>` +
      `<ResponseMetadata><RequestId>${requestId()}</RequestId></ResponseMetadata></${action}Response>`,
  );
}

function sendError(response: ServerResponse, status: number, code: string, message: string): void {
  sendXml(
    response,
    status,
    `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>Sender</Type>${element('Code', code)}${element('Message', message)}</Error>` +
      `<RequestId>${requestId()}</RequestId></ErrorResponse>`,
  );
}

function groupXml(group: BenchGroup): string {
  const members = Array.from({ length: MEMBERS_PER_GROUP }, (_, member) =>
    element('ClusterId', `${group.groupId}-00${member + 1}`),
  ).join('');
  return (
    '<ReplicationGroup>' +
    element('ReplicationGroupId', group.groupId) +
    element('Description', `bench group ${group.groupId}`) +
    element('Status', 'available') +
    `<MemberClusters>${members}</MemberClusters>` +
    element('AuthTokenEnabled', group.authTokenEnabled) +
    element('TransitEncryptionEnabled', group.transitEncryptionEnabled) +
    element('ARN', group.arn) +
    `<UserGroupIds>${group.userGroupIds.map((id) => element('member', id)).join('')}</UserGroupIds>` +
    element('Engine', group.engine) +
    '</ReplicationGroup>'
  );
}

function clusterXml(cluster: BenchCluster): string {
  return (
    '<CacheCluster>' +
    element('CacheClusterId', cluster.cacheClusterId) +
    element('Engine', cluster.engine) +
    element('EngineVersion', cluster.engineVersion) +
    element('CacheClusterStatus', 'available') +
    element('NumCacheNodes', 1) +
    (cluster.replicationGroupId === undefined
      ? ''
      : element('ReplicationGroupId', cluster.replicationGroupId)) +
    '</CacheCluster>'
  );
}

export async function startElastiCacheServer(options: ElastiCacheServerOptions): Promise<ElastiCacheServer> {
  const counters = new Counters();
  const quota = new ServerQuota(options.quota);
  const groupsByArn = new Map<string, number>();
  for (let index = 0; index < options.groups; index += 1) groupsByArn.set(groupAt(index).arn, index);
  const clusters = clusterCount(options.groups);

  /** Marker/MaxRecords paging; undefined when the parameters are invalid (an error was sent). */
  const pageOf = (
    response: ServerResponse,
    params: URLSearchParams,
    total: number,
  ): { start: number; end: number; marker?: string } | undefined => {
    const rawMax = params.get('MaxRecords');
    const max = rawMax === null ? 100 : Number(rawMax);
    if (!Number.isInteger(max) || max < 20 || max > 100) {
      sendError(
        response,
        400,
        'InvalidParameterValue',
        `MaxRecords must be between 20 and 100, not ${rawMax ?? ''}`,
      );
      return undefined;
    }
    const rawMarker = params.get('Marker');
    const start = rawMarker === null ? 0 : Number(rawMarker);
    if (!Number.isInteger(start) || start < 0 || start > total) {
      sendError(response, 400, 'InvalidParameterValue', 'Invalid Marker');
      return undefined;
    }
    const end = Math.min(total, start + max);
    return { start, end, ...(end < total ? { marker: String(end) } : {}) };
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const arrival = Date.now();
    const params = new URLSearchParams(await readBody(request));
    const action = params.get('Action') ?? 'Unknown';
    counters.begin(action);
    try {
      const admitted = quota.admit(action);
      await delay(options.latencyMs - (Date.now() - arrival));
      if (!admitted) {
        counters.throttle(action);
        sendError(response, 400, 'Throttling', 'Rate exceeded');
        return;
      }
      switch (action) {
        case 'DescribeReplicationGroups': {
          const page = pageOf(response, params, options.groups);
          if (page === undefined) return;
          let items = '';
          for (let index = page.start; index < page.end; index += 1) items += groupXml(groupAt(index));
          sendResult(
            response,
            action,
            `${page.marker === undefined ? '' : element('Marker', page.marker)}<ReplicationGroups>${items}</ReplicationGroups>`,
          );
          return;
        }
        case 'DescribeCacheClusters': {
          const page = pageOf(response, params, clusters);
          if (page === undefined) return;
          let items = '';
          for (let index = page.start; index < page.end; index += 1)
            items += clusterXml(clusterAt(index, options.groups));
          sendResult(
            response,
            action,
            `${page.marker === undefined ? '' : element('Marker', page.marker)}<CacheClusters>${items}</CacheClusters>`,
          );
          return;
        }
        case 'ListTagsForResource': {
          const index = groupsByArn.get(params.get('ResourceName') ?? '');
          if (index === undefined) {
            sendError(
              response,
              404,
              'ReplicationGroupNotFoundFault',
              `No replication group ${params.get('ResourceName') ?? ''}`,
            );
            return;
          }
          const tags = groupAt(index)
            .tags.map((tag) => `<Tag>${element('Key', tag.Key)}${element('Value', tag.Value)}</Tag>`)
            .join('');
          sendResult(response, action, `<TagList>${tags}</TagList>`);
          return;
        }
        default:
          sendError(response, 400, 'InvalidAction', `not served by the bench: ${action}`);
      }
    } finally {
      counters.end();
    }
  };

  const listening = await listen(handle);
  return {
    endpoint: listening.endpoint,
    counts: () => counters.snapshot(),
    resetCounts: () => {
      counters.reset();
    },
    stop: () => listening.stop(),
  };
}
