/**
 * The AppSync Event API management calls that can change an Event API's verdict, and which API each one changed.
 *
 * EventBridge delivers them with `source` aws.appsync and CloudTrail `eventSource` appsync.amazonaws.com (EventBridge
 * event reference, "AWS AppSync events"). CloudTrail records a call's path parameters in `requestParameters` under
 * their API model names (AppSync API reference: `apiId`, the namespace `name`, and `resourceArn` for the tagging
 * calls) and the output in `responseElements`, where a new API is (`api.apiId`). The AppSync developer guide's
 * CloudTrail examples (`CreateApiKey`, `GetGraphqlApi`) show `apiId` in requestParameters; the Event API calls'
 * records were not seen, so their fields follow the API model.
 *
 * The decision reads the API's connection and default auth modes, each namespace's own publish/subscribe modes, and
 * the API's tags (exceptions): the API calls, the namespace calls and the API's tags. GraphQL APIs (AppSync.5) have
 * calls of their own (`CreateGraphqlApi`, …) that this rule does not hear, and Config reports their changes to
 * AppSync.5; only `TagResource`/`UntagResource` are shared, and a GraphQL API's ARN has the same form (`apis/<id>`),
 * so the re-read decides: an API GetApi does not answer as an Event API is not this rule's.
 */
import type { AppSyncClient } from '@aws-sdk/client-appsync';
import { textField, type ChangeEvents, type ChangeMapping, type CloudTrailCall } from '../core/change-events';
import type { EventApiFacts } from './facts';
// The re-read (and with it the SDK) loads on first use, as in rule.ts: the registry loads this file, and
// `check-template`, `--help` and the CDK plugin call no AWS API.
/* eslint-disable @typescript-eslint/no-require-imports */
const rereads = (): typeof import('./reread') => require('./reread') as typeof import('./reread');
/* eslint-enable @typescript-eslint/no-require-imports */

export const EVENT_API_EVENT_NAMES = [
  'CreateApi',
  'UpdateApi',
  'DeleteApi',
  'CreateChannelNamespace',
  'UpdateChannelNamespace',
  'DeleteChannelNamespace',
  'TagResource',
  'UntagResource',
] as const;

/** `arn:aws:appsync:eu-west-1:111122223333:apis/abcdefghijklmnopqrstuvwxyz` → the API id; a namespace, a key → undefined. */
export function apiIdOfArn(arn: string): string | undefined {
  return /^arn:[^:]+:appsync:[^:]*:[^:]*:apis\/([^/]+)$/.exec(arn)?.[1];
}

function apiIdOf(call: CloudTrailCall): string | undefined {
  const created = call.responseElements.api;
  return (
    textField(call.requestParameters, 'apiId') ??
    (typeof created === 'object' && created !== null && !Array.isArray(created)
      ? textField(created as Readonly<Record<string, unknown>>, 'apiId')
      : undefined)
  );
}

const unknown = (call: CloudTrailCall, what: string): ChangeMapping => ({
  kind: 'unknown',
  reason: `${call.eventName} without ${what} in its CloudTrail record`,
});

export function eventApiChangedKeys(call: CloudTrailCall): ChangeMapping {
  if (call.eventName === 'TagResource' || call.eventName === 'UntagResource') {
    // Exception tags are read from the API; a namespace's tags change no verdict.
    const arn = textField(call.requestParameters, 'resourceArn');
    if (arn === undefined) return unknown(call, 'resourceArn');
    const apiId = apiIdOfArn(arn);
    return apiId === undefined
      ? { kind: 'unrelated', reason: `tags of ${arn}, not of an API` }
      : { kind: 'changed', keys: [{ key: apiId }] };
  }
  const apiId = apiIdOf(call);
  // One evaluation per API: a deleted namespace changes its API's verdict, and a deleted API is not found again.
  return apiId === undefined ? unknown(call, 'apiId') : { kind: 'changed', keys: [{ key: apiId }] };
}

export const eventApiChangeEvents: ChangeEvents<AppSyncClient, EventApiFacts> = {
  source: 'aws.appsync',
  eventSource: 'appsync.amazonaws.com',
  eventNames: EVENT_API_EVENT_NAMES,
  changedKeys: eventApiChangedKeys,
  reread: (client, keys, context) => rereads().rereadEventApis(client, keys, context),
};
