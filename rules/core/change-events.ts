/**
 * Management calls as EventBridge delivers them from CloudTrail ("AWS API Call via CloudTrail"), and what a rule
 * declares about them (its folder's `changeEvents.ts`): which calls concern it and which of its resources a call
 * changed. Core stays control-free: it reads the envelope, the rule reads `requestParameters`/`responseElements`.
 *
 * The envelope is EventBridge's (`source`, `detail-type`, `account`, `region`, `time`, `detail`); `detail` is the
 * CloudTrail record (CloudTrail user guide, "CloudTrail record contents": `eventSource`, `eventName`,
 * `requestParameters`, `responseElements`, `errorCode` on a call that failed).
 */
import { MalformedEventError } from './errors';
import type { SweepContext, SweptResource } from './types';

export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

type Json = Readonly<Record<string, unknown>>;

/** One management call, as the rule's mapping reads it. */
export interface CloudTrailCall {
  readonly source: string;
  readonly eventSource: string;
  readonly eventName: string;
  /** The account the call was made in (EventBridge keeps it when a rule forwards the event to another account). */
  readonly account: string;
  readonly region: string;
  readonly time: Date;
  readonly eventId: string | undefined;
  readonly requestParameters: Json;
  readonly responseElements: Json;
  /** Set when the call failed: nothing changed. */
  readonly errorCode: string | undefined;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireText(source: Json, field: string, where: string): string {
  const value = source[field];
  if (typeof value !== 'string' || value === '')
    throw new MalformedEventError(`${where}.${field} is missing`);
  return value;
}

/** Reads an EventBridge event carrying a CloudTrail management call; anything else is a MalformedEventError. */
export function parseCloudTrailEvent(raw: unknown): CloudTrailCall {
  if (!isObject(raw)) throw new MalformedEventError('the EventBridge event is not an object');
  const detailType = raw['detail-type'];
  if (detailType !== CLOUDTRAIL_DETAIL_TYPE) {
    throw new MalformedEventError(
      `detail-type is ${JSON.stringify(detailType)}, not "${CLOUDTRAIL_DETAIL_TYPE}"`,
    );
  }
  const detail = raw.detail;
  if (!isObject(detail)) throw new MalformedEventError('event.detail is missing');
  const time = new Date(requireText(raw, 'time', 'event'));
  if (Number.isNaN(time.getTime())) throw new MalformedEventError('event.time is not a timestamp');
  const errorCode = detail.errorCode;
  const eventId = detail.eventID;
  return {
    source: requireText(raw, 'source', 'event'),
    eventSource: requireText(detail, 'eventSource', 'event.detail'),
    eventName: requireText(detail, 'eventName', 'event.detail'),
    account: requireText(raw, 'account', 'event'),
    region: requireText(raw, 'region', 'event'),
    time,
    eventId: typeof eventId === 'string' ? eventId : undefined,
    requestParameters: isObject(detail.requestParameters) ? detail.requestParameters : {},
    responseElements: isObject(detail.responseElements) ? detail.responseElements : {},
    errorCode: typeof errorCode === 'string' && errorCode !== '' ? errorCode : undefined,
  };
}

/** A string field of a CloudTrail element, or undefined. */
export function textField(element: Json, field: string): string | undefined {
  const value = element[field];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** One changed resource of a rule, named by the key its re-read takes (an API id, a replication group id). */
export interface ChangedKey {
  readonly key: string;
  /** Ids of resources the call removed, as the rule reports them (a deleted route's ARN): not found → NOT_APPLICABLE. */
  readonly removedIds?: readonly string[];
  /**
   * The call may remove resources under the key without naming them (DeleteApi, ReimportApi): every earlier result
   * under the key that the re-read does not find becomes NOT_APPLICABLE.
   */
  readonly removesUnnamed?: boolean;
}

/** What a call means to a rule. */
export type ChangeMapping =
  /** These resources changed. */
  | { readonly kind: 'changed'; readonly keys: readonly ChangedKey[] }
  /** The call is one of the rule's event names but not about its resources (a REST API's TagResource). */
  | { readonly kind: 'unrelated'; readonly reason: string }
  /** The call concerns the rule but does not say which resource: the next run sweeps everything. */
  | { readonly kind: 'unknown'; readonly reason: string };

/**
 * What a rule reports under one key: the ids its earlier results can carry. Both when the key's own resource and its
 * children are reported (a function's URL is the function's ARN, an alias URL is `<ARN>:<alias>`: the prefix is
 * `<ARN>:`, so a function `orders` never claims the URLs of `orders-export`).
 */
export type ReportedUnder =
  | { readonly exactId: string; readonly idPrefix?: undefined }
  | { readonly idPrefix: string; readonly exactId?: undefined }
  | { readonly exactId: string; readonly idPrefix: string };

/** A key read again: what the rule reports under it now (nothing when the resource is gone). */
export interface KeyReading<Facts> {
  readonly key: string;
  readonly gone: boolean;
  readonly resources: readonly SweptResource<Facts>[];
  readonly reportedUnder: ReportedUnder;
}

/** A rule's change events: declared in its folder, used by the change recorder and the targeted run. */
export interface ChangeEvents<Client, Facts> {
  /** EventBridge `source`, e.g. `aws.apigateway`. */
  readonly source: string;
  /** CloudTrail `eventSource`, e.g. `apigateway.amazonaws.com`. */
  readonly eventSource: string;
  /** The CloudTrail event names that can change a verdict. */
  readonly eventNames: readonly string[];
  /**
   * Beginnings of event names that also match (EventBridge's `prefix` matching): for a service that has logged its
   * names with an API-version suffix (Lambda's `TagResource20170331v2`). The mapping reads the name itself.
   */
  readonly eventNamePrefixes?: readonly string[];
  /** Which of the rule's resources a (successful) call changed. Pure. */
  changedKeys(call: CloudTrailCall): ChangeMapping;
  /** Reads the keys again (a few calls each); a key that no longer exists is `gone`, never an error. */
  reread(client: Client, keys: readonly string[], context: SweepContext): Promise<KeyReading<Facts>[]>;
}

/** The key under which "sweep everything" is recorded (a call that did not say which resource). */
export const FULL_SWEEP_KEY = '*';

/** Folds several changes of one key into one: a burst of 500 route changes in one API is one re-read. */
export function coalesce(changes: readonly ChangedKey[]): ChangedKey[] {
  const byKey = new Map<string, { removed: Set<string>; removesUnnamed: boolean }>();
  for (const change of changes) {
    const merged = byKey.get(change.key) ?? { removed: new Set<string>(), removesUnnamed: false };
    for (const id of change.removedIds ?? []) merged.removed.add(id);
    merged.removesUnnamed ||= change.removesUnnamed === true;
    byKey.set(change.key, merged);
  }
  return [...byKey].map(([key, merged]) => ({
    key,
    ...(merged.removed.size > 0 ? { removedIds: [...merged.removed].sort() } : {}),
    ...(merged.removesUnnamed ? { removesUnnamed: true } : {}),
  }));
}

type EventNames = Pick<ChangeEvents<unknown, unknown>, 'eventNames' | 'eventNamePrefixes'>;

/** Whether a call's event name is one of these change events' (exactly, or by one of their prefixes). */
export function matchesEventName(changeEvents: EventNames, eventName: string): boolean {
  return (
    changeEvents.eventNames.includes(eventName) ||
    (changeEvents.eventNamePrefixes ?? []).some((prefix) => eventName.startsWith(prefix))
  );
}

/** One entry of an EventBridge pattern's `eventName` list: an exact name, or a prefix to match. */
export type EventNameMatch = string | { readonly prefix: string };

/** The EventBridge event pattern matching every call of these rules' change events (one entry per source). */
export function eventPattern(
  changeEvents: readonly Pick<
    ChangeEvents<unknown, unknown>,
    'source' | 'eventSource' | 'eventNames' | 'eventNamePrefixes'
  >[],
): {
  source: string[];
  'detail-type': string[];
  detail: { eventSource: string[]; eventName: EventNameMatch[] };
} {
  const sources = [...new Set(changeEvents.map((events) => events.source))].sort();
  const eventSources = [...new Set(changeEvents.map((events) => events.eventSource))].sort();
  const names = [...new Set(changeEvents.flatMap((events) => events.eventNames))].sort();
  const prefixes = [...new Set(changeEvents.flatMap((events) => events.eventNamePrefixes ?? []))].sort();
  return {
    source: sources,
    'detail-type': [CLOUDTRAIL_DETAIL_TYPE],
    detail: {
      eventSource: eventSources,
      eventName: [...names, ...prefixes.map((prefix) => ({ prefix }))],
    },
  };
}
