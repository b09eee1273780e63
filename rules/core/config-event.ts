/**
 * Reading the Lambda event Config sends to a custom rule. `invokingEvent` and `ruleParameters` are JSON strings;
 * the three message types a rule of this pack receives are parsed into one discriminated union.
 */
import type { ConfigurationItem as ApiConfigurationItem } from '@aws-sdk/client-config-service';
import { MalformedEventError } from './errors';
import type { ConfigurationItem } from './types';

/** The top-level event (no official TypeScript type exists for it). */
export interface ConfigRuleEvent {
  readonly version?: string;
  readonly invokingEvent: string;
  readonly ruleParameters?: string;
  readonly resultToken: string;
  readonly eventLeftScope?: boolean;
  readonly executionRoleArn?: string;
  readonly configRuleArn?: string;
  readonly configRuleName: string;
  readonly configRuleId?: string;
  readonly accountId: string;
}

export interface ConfigurationItemSummary {
  readonly resourceType: string;
  readonly resourceId: string;
  readonly resourceName?: string;
  readonly configurationItemStatus: string;
  readonly configurationItemCaptureTime: string;
}

interface InvocationBase {
  readonly resultToken: string;
  readonly configRuleName: string;
  readonly configRuleArn?: string;
  readonly accountId: string;
  readonly eventLeftScope: boolean;
  readonly ruleParameters: Readonly<Record<string, unknown>>;
}

export type RuleInvocation =
  | (InvocationBase & { readonly kind: 'change'; readonly item: ConfigurationItem })
  | (InvocationBase & { readonly kind: 'oversized'; readonly summary: ConfigurationItemSummary })
  | (InvocationBase & { readonly kind: 'scheduled'; readonly notificationCreationTime: Date });

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJsonObject(text: unknown, field: string): Json {
  if (isObject(text)) return text;
  if (typeof text !== 'string') throw new MalformedEventError(`${field} must be a JSON string`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new MalformedEventError(`${field} is not valid JSON`, { cause });
  }
  if (!isObject(parsed)) throw new MalformedEventError(`${field} must encode a JSON object`);
  return parsed;
}

function requireString(source: Json, field: string, where: string): string {
  const value = source[field];
  if (typeof value !== 'string' || value === '')
    throw new MalformedEventError(`${where}.${field} is missing`);
  return value;
}

function requireTime(source: Json, field: string, where: string): string {
  const value = requireString(source, field, where);
  if (Number.isNaN(new Date(value).getTime()))
    throw new MalformedEventError(`${where}.${field} is not a timestamp`);
  return value;
}

function readTags(value: unknown): Record<string, string> {
  if (!isObject(value)) return {};
  return Object.fromEntries(
    Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

/** Config leaves resourceName out (or null) for unnamed resources; any other non-string is a malformed item. */
function readOptionalName(source: Json, where: string): { readonly resourceName?: string } {
  const name = source.resourceName;
  if (name === undefined || name === null) return {};
  if (typeof name !== 'string') throw new MalformedEventError(`${where}.resourceName must be a string`);
  return { resourceName: name };
}

function readItem(raw: unknown): ConfigurationItem {
  if (!isObject(raw)) throw new MalformedEventError('invokingEvent.configurationItem is missing');
  const where = 'configurationItem';
  const rest: Json = { ...raw };
  delete rest.resourceName;
  return {
    ...rest,
    ...readOptionalName(raw, where),
    resourceType: requireString(raw, 'resourceType', where),
    resourceId: requireString(raw, 'resourceId', where),
    configurationItemStatus: requireString(raw, 'configurationItemStatus', where),
    configurationItemCaptureTime: requireTime(raw, 'configurationItemCaptureTime', where),
    configuration: raw.configuration,
    tags: readTags(raw.tags),
  };
}

function readSummary(raw: unknown): ConfigurationItemSummary {
  if (!isObject(raw)) throw new MalformedEventError('invokingEvent.configurationItemSummary is missing');
  const where = 'configurationItemSummary';
  return {
    resourceType: requireString(raw, 'resourceType', where),
    resourceId: requireString(raw, 'resourceId', where),
    ...readOptionalName(raw, where),
    configurationItemStatus: requireString(raw, 'configurationItemStatus', where),
    configurationItemCaptureTime: requireTime(raw, 'configurationItemCaptureTime', where),
  };
}

/** Parses and checks a Config rule event; throws MalformedEventError naming the first missing or bad field. */
export function parseConfigRuleEvent(event: unknown): RuleInvocation {
  if (!isObject(event)) throw new MalformedEventError('the event is not a JSON object');
  const invoking = parseJsonObject(event.invokingEvent, 'invokingEvent');
  const ruleParameters =
    event.ruleParameters === undefined || event.ruleParameters === null || event.ruleParameters === ''
      ? {}
      : parseJsonObject(event.ruleParameters, 'ruleParameters');
  const resultToken = requireString(event, 'resultToken', 'event');
  const configRuleName = requireString(event, 'configRuleName', 'event');
  const accountFromInvoking = invoking.awsAccountId;
  const accountId =
    typeof event.accountId === 'string' && event.accountId !== ''
      ? event.accountId
      : typeof accountFromInvoking === 'string' && accountFromInvoking !== ''
        ? accountFromInvoking
        : undefined;
  if (accountId === undefined) throw new MalformedEventError('event.accountId is missing');
  if (event.eventLeftScope !== undefined && typeof event.eventLeftScope !== 'boolean') {
    throw new MalformedEventError('event.eventLeftScope must be a boolean');
  }
  const base: InvocationBase = {
    resultToken,
    configRuleName,
    ...(typeof event.configRuleArn === 'string' ? { configRuleArn: event.configRuleArn } : {}),
    accountId,
    eventLeftScope: event.eventLeftScope === true,
    ruleParameters,
  };
  const messageType = invoking.messageType;
  if (messageType === undefined || messageType === null || messageType === '') {
    throw new MalformedEventError('invokingEvent.messageType is missing');
  }
  switch (messageType) {
    case 'ConfigurationItemChangeNotification':
      return { ...base, kind: 'change', item: readItem(invoking.configurationItem) };
    case 'OversizedConfigurationItemChangeNotification':
      return { ...base, kind: 'oversized', summary: readSummary(invoking.configurationItemSummary) };
    case 'ScheduledNotification':
      return {
        ...base,
        kind: 'scheduled',
        notificationCreationTime: new Date(
          requireTime(invoking, 'notificationCreationTime', 'invokingEvent'),
        ),
      };
    default:
      throw new MalformedEventError(
        `invokingEvent.messageType ${JSON.stringify(messageType)} is not one this rule handles ` +
          '(ConfigurationItemChangeNotification, OversizedConfigurationItemChangeNotification, ScheduledNotification)',
      );
  }
}

function parseEmbeddedJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    // Unreadable configuration stays a string: the rule's adapter then finds no facts and fails closed.
    return value;
  }
}

/**
 * GetResourceConfigHistory returns the API model (`arn`, `accountId`, `configuration` as a JSON string);
 * rules read the invocation model. This converts one to the other.
 */
export function fromApiConfigurationItem(item: ApiConfigurationItem): ConfigurationItem {
  if (!item.resourceType || !item.resourceId) {
    throw new MalformedEventError(
      'GetResourceConfigHistory returned an item without resourceType/resourceId',
    );
  }
  // A Date from the SDK; a string when the response was replayed from JSON.
  const captured: unknown = item.configurationItemCaptureTime;
  const supplementary = Object.fromEntries(
    Object.entries(item.supplementaryConfiguration ?? {}).map(([key, value]) => [
      key,
      parseEmbeddedJson(value),
    ]),
  );
  return {
    configurationItemVersion: item.version,
    configurationItemCaptureTime:
      captured instanceof Date ? captured.toISOString() : typeof captured === 'string' ? captured : '',
    configurationStateId: item.configurationStateId,
    awsAccountId: item.accountId,
    configurationItemStatus: item.configurationItemStatus ?? 'OK',
    resourceType: item.resourceType,
    resourceId: item.resourceId,
    resourceName: item.resourceName,
    ARN: item.arn,
    awsRegion: item.awsRegion,
    availabilityZone: item.availabilityZone,
    configurationStateMd5Hash: item.configurationItemMD5Hash,
    tags: item.tags ?? {},
    relationships: (item.relationships ?? []).map((relationship) => ({
      resourceId: relationship.resourceId,
      resourceType: relationship.resourceType,
      resourceName: relationship.resourceName,
      name: relationship.relationshipName,
    })),
    configuration: parseEmbeddedJson(item.configuration),
    supplementaryConfiguration: supplementary,
  };
}
