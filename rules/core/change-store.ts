/**
 * Change records in the state table: what EventBridge said changed, per rule, account and Region, until a run has
 * re-read it; and one trigger item per rule that debounces StartConfigRulesEvaluation (Config allows one call a
 * minute per rule and refuses one while an evaluation is in progress: LimitExceededException).
 *
 * Items (partition `<rule>#<account>#<region>#changed`):
 * - sort `key#<key>`: one changed resource. Every event for it bumps `version` and merges what it removed, so a
 *   burst of 500 route changes in one API is one item; a run deletes it only if `version` is still the one it read.
 * - sort `#trigger`: `wantedSeq` (bumped by every event), `lastStartAt` / `consumedStartAt` (a start, and whether a
 *   run has claimed it), `inProgressSince` (a run is working), `waiterUntil` (one recorder waits for the minute),
 *   `configRuleName` (learned from the rule's own invocations: conformance-pack rules get a suffix in members).
 */
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { ChangedKey } from './change-events';
import {
  PARTITION_KEY,
  SORT_KEY,
  TTL_ATTRIBUTE,
  createStateClient,
  partitionKey,
  stateTableFromEnvironment,
} from './state-store';

/** Whose changes: one Config rule in one account and Region. */
export interface ChangeScope {
  readonly ruleName: string;
  readonly account: string;
  readonly region: string;
}

export interface PendingChange extends ChangedKey {
  readonly version: number;
  readonly firstSeen: Date;
}

export interface TriggerState {
  readonly wantedSeq: number;
  readonly lastStartAt?: Date;
  /** The start the last run claimed: a later `lastStartAt` is a start whose run has not begun yet. */
  readonly consumedStartAt?: Date;
  readonly inProgressSince?: Date;
  readonly configRuleName?: string;
}

/** A run's hold on its scope: whether a change started it, and the `wantedSeq` it has seen. */
export interface ChangeSession {
  readonly startedByChange: boolean;
  readonly wantedSeq: number;
}

export interface ChangeStore {
  record(scope: ChangeScope, changes: readonly ChangedKey[], now: Date): Promise<void>;
  /** Bumps `wantedSeq`: a run in progress sees it when it closes. */
  want(scope: ChangeScope): Promise<TriggerState>;
  /** Takes the minute's start, unless a start is younger than a minute or a run is in progress. */
  claimStart(scope: ChangeScope, now: Date): Promise<boolean>;
  /** Makes this recorder the one that waits out the minute (until `until`); false when another already waits. */
  claimWaiter(scope: ChangeScope, now: Date, until: Date): Promise<boolean>;
  releaseWaiter(scope: ChangeScope): Promise<void>;
  /** Gives back a start Config refused, so the next event may try again at once. */
  releaseStart(scope: ChangeScope, startedAt: Date): Promise<void>;
  open(scope: ChangeScope, configRuleName: string, now: Date): Promise<ChangeSession>;
  pending(scope: ChangeScope): Promise<PendingChange[]>;
  /** Deletes what a run has reported; a record that changed meanwhile stays. */
  consume(scope: ChangeScope, changes: readonly PendingChange[]): Promise<{ consumed: number; kept: number }>;
  /** Ends the run's hold if no event came since `wantedSeq`; otherwise returns the newer sequence. */
  close(
    scope: ChangeScope,
    wantedSeq: number,
  ): Promise<{ closed: true } | { closed: false; wantedSeq: number }>;
  /** Ends the run's hold whatever came (a run that failed). */
  release(scope: ChangeScope): Promise<void>;
}

/** How long the records of a change that no run consumed are kept: the scheduled sweep (at most daily) covers it. */
export const CHANGE_TTL_SECONDS = 3 * 24 * 3600;
/** Config allows one StartConfigRulesEvaluation a minute per rule. */
export const START_INTERVAL_MS = 60_000;
/** A run holding the scope longer than a Lambda can run (15 minutes) has died: its hold no longer counts. */
export const STUCK_AFTER_MS = 16 * 60_000;
/** A start not claimed by a run within this long was lost (Config invokes within seconds): the next run is scheduled. */
export const START_CLAIM_WINDOW_MS = 15 * 60_000;

const REMOVES_UNNAMED = 'removesUnnamed';
const [PK, SK, TTL] = [PARTITION_KEY, SORT_KEY, TTL_ATTRIBUTE];

/** The state table's `changed` kind (rules/core/state-store.ts): the rule's name leads, for dynamodb:LeadingKeys. */
const partitionOf = (scope: ChangeScope): string =>
  partitionKey({ ruleName: scope.ruleName, accountId: scope.account, region: scope.region }, 'changed');
const keyItem = (key: string): string => `key#${key}`;
const TRIGGER = '#trigger';
const s = (value: string): AttributeValue => ({ S: value });
const n = (value: number): AttributeValue => ({ N: String(value) });
const iso = (date: Date): string => date.toISOString();
const epochSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);

function text(item: Record<string, AttributeValue> | undefined, name: string): string | undefined {
  const value = item?.[name];
  return value !== undefined && 'S' in value ? value.S : undefined;
}

function number(item: Record<string, AttributeValue> | undefined, name: string): number {
  const value = item?.[name];
  return value !== undefined && 'N' in value && value.N !== undefined ? Number(value.N) : 0;
}

function dateOf(item: Record<string, AttributeValue> | undefined, name: string): Date | undefined {
  const value = text(item, name);
  return value === undefined ? undefined : new Date(value);
}

function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error instanceof Error && error.name === 'ConditionalCheckFailedException')
  );
}

export class DynamoChangeStore implements ChangeStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  private key(scope: ChangeScope, sort: string): Record<string, AttributeValue> {
    return { [PK]: s(partitionOf(scope)), [SK]: s(sort) };
  }

  async record(scope: ChangeScope, changes: readonly ChangedKey[], now: Date): Promise<void> {
    for (const change of changes) {
      const adds = ['version :one'];
      const values: Record<string, AttributeValue> = {
        ':one': n(1),
        ':now': s(iso(now)),
        ':ttl': n(epochSeconds(now) + CHANGE_TTL_SECONDS),
      };
      if (change.removedIds !== undefined && change.removedIds.length > 0) {
        adds.push('removedIds :removed');
        values[':removed'] = { SS: [...new Set(change.removedIds)] };
      }
      if (change.removesUnnamed === true) {
        adds.push('flags :flags');
        values[':flags'] = { SS: [REMOVES_UNNAMED] };
      }
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: this.key(scope, keyItem(change.key)),
          UpdateExpression: `SET changedKey = :key, firstSeen = if_not_exists(firstSeen, :now), lastSeen = :now, ${TTL} = :ttl ADD ${adds.join(', ')}`,
          ExpressionAttributeValues: { ...values, ':key': s(change.key) },
        }),
      );
    }
  }

  async want(scope: ChangeScope): Promise<TriggerState> {
    const response = await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: this.key(scope, TRIGGER),
        UpdateExpression: 'ADD wantedSeq :one',
        ExpressionAttributeValues: { ':one': n(1) },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return triggerState(response.Attributes);
  }

  async claimStart(scope: ChangeScope, now: Date): Promise<boolean> {
    return this.conditional({
      Key: this.key(scope, TRIGGER),
      UpdateExpression: 'SET lastStartAt = :now',
      ConditionExpression:
        '(attribute_not_exists(lastStartAt) OR lastStartAt < :minuteAgo) AND (attribute_not_exists(inProgressSince) OR inProgressSince < :stuck)',
      ExpressionAttributeValues: {
        ':now': s(iso(now)),
        ':minuteAgo': s(iso(new Date(now.getTime() - START_INTERVAL_MS))),
        ':stuck': s(iso(new Date(now.getTime() - STUCK_AFTER_MS))),
      },
    });
  }

  async claimWaiter(scope: ChangeScope, now: Date, until: Date): Promise<boolean> {
    return this.conditional({
      Key: this.key(scope, TRIGGER),
      UpdateExpression: 'SET waiterUntil = :until',
      ConditionExpression: 'attribute_not_exists(waiterUntil) OR waiterUntil < :now',
      ExpressionAttributeValues: { ':until': s(iso(until)), ':now': s(iso(now)) },
    });
  }

  async releaseWaiter(scope: ChangeScope): Promise<void> {
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: this.key(scope, TRIGGER),
        UpdateExpression: 'REMOVE waiterUntil',
      }),
    );
  }

  async releaseStart(scope: ChangeScope, startedAt: Date): Promise<void> {
    await this.conditional({
      Key: this.key(scope, TRIGGER),
      UpdateExpression: 'REMOVE lastStartAt',
      ConditionExpression: 'lastStartAt = :mine',
      ExpressionAttributeValues: { ':mine': s(iso(startedAt)) },
    });
  }

  async open(scope: ChangeScope, configRuleName: string, now: Date): Promise<ChangeSession> {
    const response = await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: this.key(scope, TRIGGER),
        UpdateExpression:
          'SET inProgressSince = :now, configRuleName = :name, consumedStartAt = if_not_exists(lastStartAt, :none)',
        ExpressionAttributeValues: { ':now': s(iso(now)), ':name': s(configRuleName), ':none': s('') },
        ReturnValues: 'ALL_OLD',
      }),
    );
    const before = response.Attributes;
    const started = text(before, 'lastStartAt');
    const consumed = text(before, 'consumedStartAt') ?? '';
    const startedByChange =
      started !== undefined &&
      started > consumed &&
      new Date(started).getTime() > now.getTime() - START_CLAIM_WINDOW_MS;
    return { startedByChange, wantedSeq: number(before, 'wantedSeq') };
  }

  async pending(scope: ChangeScope): Promise<PendingChange[]> {
    const changes: PendingChange[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: `${PK} = :pk AND begins_with(${SK}, :prefix)`,
          ExpressionAttributeValues: { ':pk': s(partitionOf(scope)), ':prefix': s('key#') },
          ConsistentRead: true,
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        }),
      );
      for (const item of page.Items ?? []) {
        const key = text(item, 'changedKey');
        if (key === undefined) throw new Error(`change record ${text(item, SK) ?? '?'} has no changedKey`);
        const removed =
          item.removedIds !== undefined && 'SS' in item.removedIds ? item.removedIds.SS : undefined;
        const flags = item.flags !== undefined && 'SS' in item.flags ? (item.flags.SS ?? []) : [];
        changes.push({
          key,
          version: number(item, 'version'),
          firstSeen: dateOf(item, 'firstSeen') ?? new Date(0),
          ...(removed === undefined || removed.length === 0 ? {} : { removedIds: [...removed].sort() }),
          ...(flags.includes(REMOVES_UNNAMED) ? { removesUnnamed: true } : {}),
        });
      }
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return changes;
  }

  async consume(
    scope: ChangeScope,
    changes: readonly PendingChange[],
  ): Promise<{ consumed: number; kept: number }> {
    let consumed = 0;
    for (const change of changes) {
      try {
        await this.client.send(
          new DeleteItemCommand({
            TableName: this.tableName,
            Key: this.key(scope, keyItem(change.key)),
            ConditionExpression: 'version = :seen',
            ExpressionAttributeValues: { ':seen': n(change.version) },
          }),
        );
        consumed += 1;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    return { consumed, kept: changes.length - consumed };
  }

  async close(
    scope: ChangeScope,
    wantedSeq: number,
  ): Promise<{ closed: true } | { closed: false; wantedSeq: number }> {
    const closed = await this.conditional({
      Key: this.key(scope, TRIGGER),
      UpdateExpression: 'REMOVE inProgressSince',
      ConditionExpression: wantedSeq === 0 ? 'attribute_not_exists(wantedSeq)' : 'wantedSeq = :seq',
      ...(wantedSeq === 0 ? {} : { ExpressionAttributeValues: { ':seq': n(wantedSeq) } }),
    });
    if (closed) return { closed: true };
    const response = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: this.key(scope, TRIGGER), ConsistentRead: true }),
    );
    return { closed: false, wantedSeq: number(response.Item, 'wantedSeq') };
  }

  async release(scope: ChangeScope): Promise<void> {
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: this.key(scope, TRIGGER),
        UpdateExpression: 'REMOVE inProgressSince',
      }),
    );
  }

  async trigger(scope: ChangeScope): Promise<TriggerState> {
    const response = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: this.key(scope, TRIGGER), ConsistentRead: true }),
    );
    return triggerState(response.Item);
  }

  private async conditional(
    input: Omit<ConstructorParameters<typeof UpdateItemCommand>[0], 'TableName'>,
  ): Promise<boolean> {
    try {
      await this.client.send(new UpdateItemCommand({ TableName: this.tableName, ...input }));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}

function triggerState(item: Record<string, AttributeValue> | undefined): TriggerState {
  const lastStartAt = dateOf(item, 'lastStartAt');
  const consumed = text(item, 'consumedStartAt');
  const consumedStartAt = consumed === undefined || consumed === '' ? undefined : new Date(consumed);
  const inProgressSince = dateOf(item, 'inProgressSince');
  const configRuleName = text(item, 'configRuleName');
  return {
    wantedSeq: number(item, 'wantedSeq'),
    ...(lastStartAt === undefined ? {} : { lastStartAt }),
    ...(consumedStartAt === undefined ? {} : { consumedStartAt }),
    ...(inProgressSince === undefined ? {} : { inProgressSince }),
    ...(configRuleName === undefined ? {} : { configRuleName }),
  };
}

/** The state table named by the environment, one client per process. */
let environmentStore: { table: string | undefined; store: ChangeStore | undefined } | undefined;
export function changeStoreFromEnvironment(): ChangeStore | undefined {
  const table = stateTableFromEnvironment();
  if (environmentStore !== undefined && environmentStore.table === table) return environmentStore.store;
  const store =
    table === undefined ? undefined : new DynamoChangeStore(createStateClient(process.env.AWS_REGION), table);
  environmentStore = { table, store };
  return store;
}
