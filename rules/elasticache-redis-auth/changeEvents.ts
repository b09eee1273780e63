/**
 * The ElastiCache management calls that can change a replication group's verdict, and which group each changed.
 *
 * EventBridge delivers them with `source` aws.elasticache and CloudTrail `eventSource` elasticache.amazonaws.com
 * (ElastiCache user guide, "Logging Amazon ElastiCache API calls with AWS CloudTrail": every ElastiCache API call
 * is recorded). CloudTrail records the request's members in lower camel case: `replicationGroupId`, and for the
 * tagging calls `resourceName`, the ARN. A call whose group cannot be read from the record is `unknown`: the next
 * run sweeps everything rather than miss it.
 */
import type { ElastiCacheClient } from '@aws-sdk/client-elasticache';
import { textField, type ChangeEvents, type ChangeMapping, type CloudTrailCall } from '../core/change-events';
import type { ReplicationGroupFacts } from './facts';
// The sweep (and with it the SDK client) loads on first use, as in rule.ts: the registry loads this file, and
// `check-template`, `--help` and the CDK plugin call no AWS API.
/* eslint-disable @typescript-eslint/no-require-imports */
const sweeps = (): typeof import('./sweep') => require('./sweep') as typeof import('./sweep');
/* eslint-enable @typescript-eslint/no-require-imports */

export const REPLICATION_GROUP_EVENT_NAMES = [
  'CreateReplicationGroup',
  'ModifyReplicationGroup',
  'DeleteReplicationGroup',
  'AddTagsToResource',
  'RemoveTagsFromResource',
] as const;

/** `arn:aws:elasticache:eu-west-1:111122223333:replicationgroup:orders` → `orders`; a cluster or a user → undefined. */
export function groupIdOfArn(arn: string): string | undefined {
  return /^arn:[^:]+:elasticache:[^:]*:[^:]*:replicationgroup:([^:]+)$/.exec(arn)?.[1];
}

export function replicationGroupChangedKeys(call: CloudTrailCall): ChangeMapping {
  if (call.eventName === 'AddTagsToResource' || call.eventName === 'RemoveTagsFromResource') {
    // Exception tags are read from the group; tags on a cluster, a snapshot or a user change no verdict.
    const arn = textField(call.requestParameters, 'resourceName');
    if (arn === undefined) {
      return { kind: 'unknown', reason: `${call.eventName} without resourceName in its CloudTrail record` };
    }
    const groupId = groupIdOfArn(arn);
    return groupId === undefined
      ? { kind: 'unrelated', reason: `tags of ${arn}, not of a replication group` }
      : { kind: 'changed', keys: [{ key: groupId }] };
  }
  const groupId =
    textField(call.requestParameters, 'replicationGroupId') ??
    textField(call.responseElements, 'replicationGroupId');
  if (groupId === undefined) {
    return {
      kind: 'unknown',
      reason: `${call.eventName} without replicationGroupId in its CloudTrail record`,
    };
  }
  return { kind: 'changed', keys: [{ key: groupId }] };
}

export const replicationGroupChangeEvents: ChangeEvents<ElastiCacheClient, ReplicationGroupFacts> = {
  source: 'aws.elasticache',
  eventSource: 'elasticache.amazonaws.com',
  eventNames: REPLICATION_GROUP_EVENT_NAMES,
  changedKeys: replicationGroupChangedKeys,
  reread: (client, keys, context) => sweeps().rereadReplicationGroups(client, keys, context),
};
