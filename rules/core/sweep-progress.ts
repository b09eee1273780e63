/**
 * Progress of a periodic sweep that takes more than one invocation (records of kind `sweep` in the state table,
 * state-store.ts): the cycle record (where the sweep is, whose turn it is) and one record per finished part (the
 * resources it found, for the stale cleanup at the end of the cycle, and the evaluations it sends, so a part whose
 * delivery was interrupted is sent again exactly as it was planned: never with a different verdict, never dropped).
 *
 *   sk `cycle`                                the cycle record, JSON in `state`, `version` for conditional writes
 *   sk `part#<cycleId>#<seq>#<chunk>`         a finished part, gzip JSON in `data`, cut in `chunks` items
 *   sk `held#<cycleId>#<id>#<chunk>`          what Config held when the cycle began (held-snapshot.ts), gzip JSON
 *   sk `held-change#<epoch ms>#<id>#<chunk>`  resources a targeted run is about to report (held-snapshot.ts)
 */
import { randomUUID } from 'node:crypto';
import { packBlob, unpackBlob } from './blob';
import type { Evaluation } from './delivery';
import { StateStoreError } from './errors';

/** Where a cycle is. `cycleId` '' means no cycle is under way (the next invocation starts one). */
export interface CycleRecord {
  /** The first invocation's notificationCreationTime (ISO): names the cycle's part records. */
  readonly cycleId: string;
  /** Key of the last part finished in this cycle ('' before the first); parts are swept in key order. */
  readonly cursor: string;
  /** Part records written in this cycle (their sequence numbers are 0 … parts-1). */
  readonly parts: number;
  /** A part written whose delivery was not confirmed: the next invocation sends it again before anything else. */
  readonly pendingPart?: number;
  /**
   * Config refused the rule's resource type in this cycle: its groups are reported as one roll-up per parent
   * (parent-fallback.ts) until the cycle ends.
   */
  readonly rollUp?: boolean;
  /** Which invocation is sweeping, and until when (epoch ms) the others keep off. */
  readonly leaseOwner?: string;
  readonly leaseUntil: number;
  /** When StartConfigRulesEvaluation was last called for this rule (epoch ms; Config allows one a minute). */
  readonly lastStartRequestedAt: number;
  readonly cyclesFinished: number;
  /** The cycle's snapshot of what Config held (held-snapshot.ts), once written; later invocations read it. */
  readonly held?: HeldSnapshotRef;
  /** Increases with every write; each write is conditional on the version read. */
  readonly version: number;
}

export const NO_CYCLE: CycleRecord = {
  cycleId: '',
  cursor: '',
  parts: 0,
  leaseUntil: 0,
  lastStartRequestedAt: 0,
  cyclesFinished: 0,
  version: 0,
};

/** A finished part: every resource it found (`type|id`), and the evaluations planned for it. */
export interface PartRecord {
  readonly found: readonly string[];
  readonly send: readonly Evaluation[];
}

/** Where a cycle's snapshot of held results is, and when its read of Config began (epoch ms). */
export interface HeldSnapshotRef {
  readonly id: string;
  readonly chunks: number;
  readonly readAt: number;
}

/** Resources a targeted run reported (`type|id`), under a sort key that orders the notes by when they were made. */
export interface HeldChange {
  readonly sk: string;
  readonly keys: readonly string[];
}

/** The store a multi-invocation sweep keeps its progress in (DynamoDB here; an in-memory one for the bench). */
export interface CycleStore {
  /** The cycle record, or undefined before the first cycle. Throws StateStoreError when it cannot be read. */
  read(): Promise<CycleRecord | undefined>;
  /** Writes `next` if the stored version is still `expected` (undefined: no record yet); else a conflict. */
  write(next: CycleRecord, expected: number | undefined): Promise<void>;
  /** Writes a part and `next` together, conditional as `write`: both or neither. */
  commitPart(seq: number, part: PartRecord, next: CycleRecord, expected: number | undefined): Promise<void>;
  /** Parts `seqs` of cycle `cycleId`; a missing or unreadable part is a StateStoreError. */
  readParts(cycleId: string, seqs: readonly number[]): Promise<PartRecord[]>;
  /** Writes a snapshot (opaque JSON) of cycle `cycleId`; it counts only once a cycle record points to it. */
  writeHeld(cycleId: string, snapshot: unknown): Promise<{ id: string; chunks: number }>;
  /** The snapshot `ref` points to; missing or unreadable is a StateStoreError. */
  readHeld(cycleId: string, ref: HeldSnapshotRef): Promise<unknown>;
  /** Notes that a run outside the cycle is about to report `keys` (written before it delivers). */
  noteHeldChange(keys: readonly string[], at: Date): Promise<void>;
  /** The notes made at `from` or later (epoch ms), oldest first. */
  heldChanges(from: number): Promise<HeldChange[]>;
}

/** A note's sort key: ordered by time (15 digits of epoch ms), unique by id. */
export const heldChangeKey = (at: number, id: string): string =>
  `held-change#${String(Math.max(0, Math.floor(at))).padStart(15, '0')}#${id}`;

/** The same contract in memory: the bench's simulated runs and unit tests (no I/O, no TTL). */
export class MemoryCycleStore implements CycleStore {
  private record: CycleRecord | undefined;
  private readonly parts = new Map<string, string>();
  /** Bytes each part would take in DynamoDB (gzip), for the bench. */
  readonly partBytes: number[] = [];
  writes = 0;
  reads = 0;
  /** DynamoDB calls the snapshot and the notes would take (a PutItem per chunk, a Query page per 1 MB). */
  heldWrites = 0;
  heldReads = 0;
  private readonly held = new Map<string, Uint8Array[]>();
  private readonly changes = new Map<string, Uint8Array[]>();

  read(): Promise<CycleRecord | undefined> {
    this.reads += 1;
    return Promise.resolve(this.record);
  }

  write(next: CycleRecord, expected: number | undefined): Promise<void> {
    this.check(expected);
    this.writes += 1;
    this.record = next;
    return Promise.resolve();
  }

  commitPart(seq: number, part: PartRecord, next: CycleRecord, expected: number | undefined): Promise<void> {
    this.check(expected);
    this.writes += 1;
    const text = JSON.stringify(part);
    this.partBytes.push(packBlob(part).reduce((sum, chunk) => sum + chunk.length, 0));
    this.parts.set(`${next.cycleId}#${seq}`, text);
    this.record = next;
    return Promise.resolve();
  }

  readParts(cycleId: string, seqs: readonly number[]): Promise<PartRecord[]> {
    this.reads += seqs.length;
    return Promise.resolve(
      seqs.map((seq) => {
        const text = this.parts.get(`${cycleId}#${seq}`);
        if (text === undefined)
          throw new StateStoreError(`memory store: part ${seq} of ${cycleId} is missing`);
        const value = JSON.parse(text) as {
          found: string[];
          send: (Evaluation & { OrderingTimestamp: string })[];
        };
        return {
          found: value.found,
          send: value.send.map((evaluation) => ({
            ...evaluation,
            OrderingTimestamp: new Date(evaluation.OrderingTimestamp),
          })),
        };
      }),
    );
  }

  writeHeld(cycleId: string, snapshot: unknown): Promise<{ id: string; chunks: number }> {
    const id = randomUUID();
    const chunks = packBlob(snapshot);
    this.heldWrites += chunks.length;
    this.held.set(`${cycleId}#${id}`, chunks);
    return Promise.resolve({ id, chunks: chunks.length });
  }

  readHeld(cycleId: string, ref: HeldSnapshotRef): Promise<unknown> {
    const chunks = this.held.get(`${cycleId}#${ref.id}`);
    if (chunks?.length !== ref.chunks) {
      return Promise.reject(new StateStoreError(`memory store: snapshot ${ref.id} of ${cycleId} is missing`));
    }
    this.heldReads += queryPages(chunks);
    return Promise.resolve(unpackBlob(chunks, `snapshot ${ref.id} of cycle ${cycleId}`));
  }

  noteHeldChange(keys: readonly string[], at: Date): Promise<void> {
    this.heldWrites += 1;
    this.changes.set(heldChangeKey(at.getTime(), randomUUID()), packBlob(keys));
    return Promise.resolve();
  }

  heldChanges(from: number): Promise<HeldChange[]> {
    const start = heldChangeKey(from, '');
    const found = [...this.changes.entries()]
      .filter(([sk]) => sk >= start)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    this.heldReads += queryPages(found.flatMap(([, chunks]) => chunks));
    return Promise.resolve(
      found.map(([sk, chunks]) => ({ sk, keys: unpackBlob(chunks, `note ${sk}`) as string[] })),
    );
  }

  private check(expected: number | undefined): void {
    if (this.record?.version !== expected) {
      throw new StateStoreError('memory store: the cycle record changed meanwhile', true);
    }
  }
}

/** Query pages (1 MB each) the chunks would take to read. */
const queryPages = (chunks: readonly Uint8Array[]): number =>
  Math.max(1, Math.ceil(chunks.reduce((sum, chunk) => sum + chunk.length, 0) / 1_048_576));
