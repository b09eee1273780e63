/**
 * The pack's state table: one DynamoDB table per deployment and Region (the CDK app creates it: on-demand, encrypted
 * with the AWS managed key, point-in-time recovery, TTL on `expiresAt`), shared by every kind of record the runtime
 * keeps between invocations. Its name reaches a function in `AUTHN_PACK_STATE_TABLE`; without it (the CLI, most
 * tests) nothing is kept and a periodic sweep must finish in one invocation, as before.
 *
 * Key schema (both keys strings), so any number of record kinds can live side by side:
 *
 *   pk  `<ruleName>#<accountId>#<region>#<kind>`   one partition per rule, evaluated account, Region and kind
 *   sk  the record inside that partition, chosen by the kind's module
 *   expiresAt  epoch seconds; DynamoDB deletes an expired item within a few days, so readers skip expired items too
 *
 * Kinds: `sweep` (periodic-cycle.ts: the cycle record at sk `cycle`, finished parts at `part#<cycle>#<seq>#<chunk>`,
 * the cycle's snapshot of held results at `held#…` and targeted runs' notes at `held-change#…`, held-snapshot.ts),
 * `changed` (resources named by change events, read by the next invocation). The rule name leads the key, so a
 * function's role can be limited to its own rule's items with the `dynamodb:LeadingKeys` condition (`<ruleName>#*`).
 *
 * Every failure here is a `StateStoreError` and is never swallowed: a sweep that cannot read or write its progress
 * must not guess (it could report a resource twice with different verdicts, or drop one).
 */
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  TransactionCanceledException,
  type AttributeValue,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { clientSettings } from './clients';
import { StateStoreError, describeError } from './errors';
import { withRetries, type RetryPolicy } from './retry';

/** The environment variable that names the table (set by the CDK app on the functions that use it). */
export const STATE_TABLE_VARIABLE = 'AUTHN_PACK_STATE_TABLE';
export const PARTITION_KEY = 'pk';
export const SORT_KEY = 'sk';
export const TTL_ATTRIBUTE = 'expiresAt';

/** The record kinds the table holds; add one here when a module starts keeping a new kind. */
export type RecordKind = 'sweep' | 'changed';

/** Whose records: one rule in one evaluated account and Region. */
export interface StateScope {
  readonly ruleName: string;
  readonly accountId: string;
  readonly region: string;
}

export function partitionKey(scope: StateScope, kind: RecordKind): string {
  return `${scope.ruleName}#${scope.accountId}#${scope.region}#${kind}`;
}

export type Item = Record<string, AttributeValue>;

/** The table a Lambda function was given, or undefined when it was given none. */
export function stateTableFromEnvironment(environment: NodeJS.ProcessEnv = process.env): string | undefined {
  const name = environment[STATE_TABLE_VARIABLE]?.trim();
  return name === undefined || name === '' ? undefined : name;
}

export function createStateClient(region: string | undefined): DynamoDBClient {
  // The function's own credentials: the table is in the deploying account, never in an evaluated one.
  return new DynamoDBClient(clientSettings(region));
}

export class StateStore {
  constructor(
    private readonly client: DynamoDBClient,
    readonly tableName: string,
    private readonly retry: RetryPolicy,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** One item, or undefined when there is none (or it has expired). */
  async get(pk: string, sk: string): Promise<Item | undefined> {
    const response = await this.call(`read ${pk} ${sk}`, () =>
      this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: { [PARTITION_KEY]: { S: pk }, [SORT_KEY]: { S: sk } },
          ConsistentRead: true,
        }),
      ),
    );
    const item = response.Item;
    return item === undefined || this.expired(item) ? undefined : item;
  }

  /**
   * Every live item of a partition whose sort key starts with `prefix` (and, with `after`, is not below it), all
   * pages, in sort-key order.
   */
  async query(pk: string, prefix: string, after?: string): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    // Sort keys here are ASCII: every key with the prefix sorts below prefix + U+FFFF.
    const condition: { expression: string; values: Item } =
      after === undefined
        ? { expression: 'begins_with(#sk, :prefix)', values: { ':prefix': { S: prefix } } }
        : {
            expression: '#sk BETWEEN :after AND :last',
            values: { ':after': { S: after }, ':last': { S: `${prefix}\uffff` } },
          };
    do {
      const from = start;
      const page = await this.call(`read ${pk} ${prefix}*`, () =>
        this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: `#pk = :pk AND ${condition.expression}`,
            ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#sk': SORT_KEY },
            ExpressionAttributeValues: { ':pk': { S: pk }, ...condition.values },
            ConsistentRead: true,
            ...(from === undefined ? {} : { ExclusiveStartKey: from }),
          }),
        ),
      );
      for (const item of page.Items ?? []) if (!this.expired(item)) items.push(item);
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return items;
  }

  /** Writes one item; with `condition`, only if it holds (else a conflict StateStoreError). */
  async put(
    item: Item,
    condition?: { expression: string; names?: Record<string, string>; values?: Item },
  ): Promise<void> {
    await this.call(`write ${item[PARTITION_KEY]?.S ?? ''} ${item[SORT_KEY]?.S ?? ''}`, () =>
      this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: item,
          ...(condition === undefined
            ? {}
            : {
                ConditionExpression: condition.expression,
                ...(condition.names === undefined ? {} : { ExpressionAttributeNames: condition.names }),
                ...(condition.values === undefined ? {} : { ExpressionAttributeValues: condition.values }),
              }),
        }),
      ),
    );
  }

  /** Several writes that all happen or none does (at most 100 items, 4 MB): DynamoDB's TransactWriteItems. */
  async writeAll(writes: readonly TransactWriteItem[], what: string): Promise<void> {
    const withTable = writes.map((write): TransactWriteItem => {
      if (write.Put !== undefined) return { Put: { ...write.Put, TableName: this.tableName } };
      if (write.Update !== undefined) return { Update: { ...write.Update, TableName: this.tableName } };
      if (write.Delete !== undefined) return { Delete: { ...write.Delete, TableName: this.tableName } };
      if (write.ConditionCheck !== undefined)
        return { ConditionCheck: { ...write.ConditionCheck, TableName: this.tableName } };
      return write;
    });
    await this.call(what, () =>
      this.client.send(new TransactWriteItemsCommand({ TransactItems: withTable })),
    );
  }

  /** An `expiresAt` for an item that should live `days` from now. */
  expiresAt(days: number): AttributeValue {
    return { N: String(Math.floor(this.now().getTime() / 1000) + Math.round(days * 86_400)) };
  }

  private expired(item: Item): boolean {
    const at = Number(item[TTL_ATTRIBUTE]?.N);
    return Number.isFinite(at) && at * 1000 <= this.now().getTime();
  }

  private async call<T>(what: string, send: () => Promise<T>): Promise<T> {
    try {
      return await withRetries(this.retry, send);
    } catch (error) {
      const conflict =
        error instanceof ConditionalCheckFailedException ||
        (error instanceof TransactionCanceledException &&
          (error.CancellationReasons ?? []).some((reason) => reason.Code === 'ConditionalCheckFailed'));
      throw new StateStoreError(
        `state table ${this.tableName}: could not ${what}: ${describeError(error)}`,
        conflict,
        { cause: error },
      );
    }
  }
}
