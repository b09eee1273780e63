/**
 * The sweep's progress (sweep-progress.ts) in the state table (state-store.ts), records of kind `sweep`:
 *
 *   sk `cycle`                           the cycle record: JSON in `state`, `version` for conditional writes
 *   sk `part#<cycleId>#<seq>#<chunk>`    a finished part: gzip JSON in `data`, cut in `chunks` items
 *   sk `held#<cycleId>#<id>#<chunk>`     the cycle's snapshot of held results (held-snapshot.ts), the same way
 *   sk `held-change#<ms>#<id>#<chunk>`   what a targeted run is about to report, written before it delivers
 *
 * A rule's handler.ts passes `stateRuntime()` to use it: only those bundles carry the DynamoDB client.
 */
import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { packBlob, unpackBlob } from './blob';
import type { Evaluation } from './delivery';
import { StateStoreError } from './errors';
import type { RuleRuntime } from './invocation';
import { DEFAULT_RETRY } from './retry';
import {
  PARTITION_KEY,
  SORT_KEY,
  StateStore,
  TTL_ATTRIBUTE,
  createStateClient,
  partitionKey,
  stateTableFromEnvironment,
  type Item,
  type StateScope,
} from './state-store';
import {
  heldChangeKey,
  type CycleRecord,
  type CycleStore,
  type HeldChange,
  type HeldSnapshotRef,
  type PartRecord,
} from './sweep-progress';
import type { Compliance } from './types';

/** Records live a week past their last write: a cycle that stalls longer starts again from the beginning. */
const RECORD_DAYS = 7;
const CYCLE_SK = 'cycle';

const partPrefix = (cycleId: string, seq: number): string =>
  `part#${cycleId}#${String(seq).padStart(6, '0')}#`;

interface StoredEvaluation {
  readonly t: string;
  readonly i: string;
  readonly c: Compliance;
  readonly a?: string;
  readonly o: number;
}

export class DynamoCycleStore implements CycleStore {
  private readonly pk: string;

  constructor(
    private readonly store: StateStore,
    scope: StateScope,
  ) {
    this.pk = partitionKey(scope, 'sweep');
  }

  async read(): Promise<CycleRecord | undefined> {
    const item = await this.store.get(this.pk, CYCLE_SK);
    if (item === undefined) return undefined;
    const state = item.state?.S;
    const version = Number(item.version?.N);
    if (state === undefined || !Number.isInteger(version)) {
      throw new StateStoreError(`state table: the cycle record of ${this.pk} is malformed`);
    }
    try {
      return { ...(JSON.parse(state) as Omit<CycleRecord, 'version'>), version };
    } catch (error) {
      throw new StateStoreError(`state table: the cycle record of ${this.pk} is not JSON`, false, {
        cause: error,
      });
    }
  }

  async write(next: CycleRecord, expected: number | undefined): Promise<void> {
    await this.store.writeAll([this.cyclePut(next, expected)], `write the cycle record of ${this.pk}`);
  }

  async commitPart(
    seq: number,
    part: PartRecord,
    next: CycleRecord,
    expected: number | undefined,
  ): Promise<void> {
    const stored = {
      found: part.found,
      send: part.send.map((evaluation): StoredEvaluation => ({
        t: evaluation.ComplianceResourceType,
        i: evaluation.ComplianceResourceId,
        c: evaluation.ComplianceType,
        ...(evaluation.Annotation === undefined ? {} : { a: evaluation.Annotation }),
        o: evaluation.OrderingTimestamp.getTime(),
      })),
    };
    const chunks = packBlob(stored);
    // TransactWriteItems takes at most 100 items and 4 MB: a part is kept well below (periodic-cycle.ts).
    if (chunks.length > 12) {
      throw new StateStoreError(`state table: part ${seq} is ${chunks.length} chunks, over 12 (3.6 MB)`);
    }
    const prefix = partPrefix(next.cycleId, seq);
    const puts = chunks.map((data, index): TransactWriteItem => ({
      Put: { TableName: this.store.tableName, Item: this.chunkItem(prefix, index, data, chunks.length) },
    }));
    await this.store.writeAll(
      [...puts, this.cyclePut(next, expected)],
      `write part ${seq} of cycle ${next.cycleId} of ${this.pk}`,
    );
  }

  async readParts(cycleId: string, seqs: readonly number[]): Promise<PartRecord[]> {
    const parts: PartRecord[] = [];
    for (const seq of seqs) {
      const items = await this.store.query(this.pk, partPrefix(cycleId, seq));
      const count = Number(items[0]?.chunks?.N);
      if (items.length === 0 || !Number.isInteger(count)) {
        throw new StateStoreError(`state table: part ${seq} of cycle ${cycleId} of ${this.pk} is missing`);
      }
      const chunks = Array.from({ length: count }, (_, index) => items[index]?.data?.B);
      const value = unpackBlob(chunks, `part ${seq} of cycle ${cycleId}`) as {
        found: string[];
        send: StoredEvaluation[];
      };
      parts.push({
        found: value.found,
        send: value.send.map((stored): Evaluation => ({
          ComplianceResourceType: stored.t,
          ComplianceResourceId: stored.i,
          ComplianceType: stored.c,
          ...(stored.a === undefined ? {} : { Annotation: stored.a }),
          OrderingTimestamp: new Date(stored.o),
        })),
      });
    }
    return parts;
  }

  async writeHeld(cycleId: string, snapshot: unknown): Promise<{ id: string; chunks: number }> {
    const id = randomUUID();
    const chunks = packBlob(snapshot);
    // One PutItem a chunk, not a transaction (4 MB at most): the snapshot counts only once the cycle record names
    // it, and the chunks of an attempt that failed part-way expire with the TTL.
    for (const [index, data] of chunks.entries()) {
      await this.store.put(this.chunkItem(`held#${cycleId}#${id}#`, index, data, chunks.length));
    }
    return { id, chunks: chunks.length };
  }

  async readHeld(cycleId: string, ref: HeldSnapshotRef): Promise<unknown> {
    const what = `the held-results snapshot ${ref.id} of cycle ${cycleId} of ${this.pk}`;
    const items = await this.store.query(this.pk, `held#${cycleId}#${ref.id}#`);
    if (items.length !== ref.chunks || items.some((item) => Number(item.chunks?.N) !== ref.chunks)) {
      throw new StateStoreError(`state table: ${what} is missing or incomplete`);
    }
    return unpackBlob(
      items.map((item) => item.data?.B),
      what,
    );
  }

  async noteHeldChange(keys: readonly string[], at: Date): Promise<void> {
    const prefix = `${heldChangeKey(at.getTime(), randomUUID())}#`;
    const chunks = packBlob(keys);
    if (chunks.length > 12) {
      throw new StateStoreError(`state table: a note of ${keys.length} changed resources is over 3.6 MB`);
    }
    // All chunks or none: a reader never sees part of a note.
    await this.store.writeAll(
      chunks.map((data, index) => ({
        Put: { TableName: this.store.tableName, Item: this.chunkItem(prefix, index, data, chunks.length) },
      })),
      `note ${keys.length} changed resource(s) of ${this.pk}`,
    );
  }

  async heldChanges(from: number): Promise<HeldChange[]> {
    const items = await this.store.query(this.pk, 'held-change#', heldChangeKey(from, ''));
    const notes = new Map<string, Item[]>();
    for (const item of items) {
      const sk = item[SORT_KEY]?.S ?? '';
      const note = sk.slice(0, sk.lastIndexOf('#'));
      notes.set(note, [...(notes.get(note) ?? []), item]);
    }
    return [...notes].map(([sk, chunks]) => {
      if (chunks.some((item) => Number(item.chunks?.N) !== chunks.length)) {
        throw new StateStoreError(`state table: the note ${sk} of ${this.pk} is incomplete`);
      }
      return {
        sk,
        keys: unpackBlob(
          chunks.map((item) => item.data?.B),
          `the note ${sk}`,
        ) as string[],
      };
    });
  }

  private chunkItem(prefix: string, index: number, data: Uint8Array, chunks: number): Item {
    return {
      [PARTITION_KEY]: { S: this.pk },
      [SORT_KEY]: { S: `${prefix}${String(index).padStart(3, '0')}` },
      data: { B: data },
      chunks: { N: String(chunks) },
      [TTL_ATTRIBUTE]: this.store.expiresAt(RECORD_DAYS),
    };
  }

  private cyclePut(next: CycleRecord, expected: number | undefined): TransactWriteItem {
    const { version, ...state } = next;
    const item: Item = {
      [PARTITION_KEY]: { S: this.pk },
      [SORT_KEY]: { S: CYCLE_SK },
      state: { S: JSON.stringify(state) },
      version: { N: String(version) },
      [TTL_ATTRIBUTE]: this.store.expiresAt(RECORD_DAYS),
    };
    return {
      Put: {
        TableName: this.store.tableName,
        Item: item,
        ...(expected === undefined
          ? {
              ConditionExpression: 'attribute_not_exists(#pk)',
              ExpressionAttributeNames: { '#pk': PARTITION_KEY },
            }
          : {
              ConditionExpression: '#version = :expected',
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: { ':expected': { N: String(expected) } },
            }),
      },
    };
  }
}

/**
 * What a rule's Lambda runtime needs to keep sweep progress in the table named by AUTHN_PACK_STATE_TABLE; with no
 * table named, nothing (the sweep must then finish in one invocation, as before).
 */
export function stateRuntime(
  environment: NodeJS.ProcessEnv = process.env,
): Pick<RuleRuntime<unknown>, 'cycleStore'> {
  const table = stateTableFromEnvironment(environment);
  if (table === undefined) return {};
  return {
    cycleStore: (scope) =>
      new DynamoCycleStore(new StateStore(createStateClient(scope.region), table, DEFAULT_RETRY), scope),
  };
}
