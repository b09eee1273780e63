/**
 * What Config holds for a rule, read once per sweep cycle instead of once per invocation (issue 12: at 100,000
 * results that read is 1,000 GetComplianceDetailsByConfigRule pages at about 10 a second). The cycle's first
 * invocation reads Config and keeps a compact snapshot in the state table (sweep-progress.ts); later invocations
 * read the snapshot. Why that is as good as reading Config again:
 *
 *  - The cycle's own deliveries do not matter to it: each group is planned against the held results of its own
 *    resources, which no earlier group of the cycle reported (a part is swept once a cycle), and the stale cleanup
 *    only looks at held results the cycle did not find, while the cycle reports only what it found.
 *  - The only other writer is a targeted run (targeted.ts, after a change event). Before it delivers, it notes the
 *    resources it is about to report (`noteHeldChange`). For a resource in any note made since 16 minutes before the
 *    snapshot's read began (a targeted run ends within a Lambda invocation's 15 minutes of its note, so an older
 *    note's delivery was done before the read), the snapshot is not used: the cycle sends its own verdict whatever
 *    the snapshot says (its read of the resource is the later one if its part was not swept yet), and the stale
 *    cleanup leaves the resource alone (if its part was swept before the note, the targeted run's read is the later
 *    one; if not, and it is gone, the targeted run reported it gone or the next cycle does).
 *
 * The notes are looked for before each group is planned and before the stale cleanup. A snapshot the cycle record
 * names that cannot be read fails the invocation (a StateStoreError), as an unreadable part does.
 */
import { StateStoreError } from './errors';
import type { HeldResults } from './periodic-plan';
import { ResourceIndex, type ReportedResult } from './stale';
import type { CycleRecord, CycleStore } from './sweep-progress';

/** How far before the snapshot's read a note may be and still be unsure: one Lambda invocation and a minute. */
export const NOTE_MARGIN_MS = 16 * 60_000;

/** The snapshot as stored: types and annotations once each, one row per result. */
interface CompactHeld {
  readonly v: 1;
  readonly types: readonly string[];
  readonly notes: readonly string[];
  /** Type index, resource id, 1 for NON_COMPLIANT (0 COMPLIANT), annotation index (-1 none), recorded (-1 none). */
  readonly rows: readonly (readonly [number, string, 0 | 1, number, number])[];
}

export function packHeld(results: readonly ReportedResult[]): CompactHeld {
  const types = new Map<string, number>();
  const notes = new Map<string, number>();
  const indexOf = (table: Map<string, number>, text: string): number => {
    let index = table.get(text);
    if (index === undefined) table.set(text, (index = table.size));
    return index;
  };
  const rows = results.map(
    (result) =>
      [
        indexOf(types, result.resourceType),
        result.resourceId,
        result.compliance === 'COMPLIANT' ? 0 : 1,
        result.annotation === undefined ? -1 : indexOf(notes, result.annotation),
        result.recordedAt?.getTime() ?? -1,
      ] as const,
  );
  return { v: 1, types: [...types.keys()], notes: [...notes.keys()], rows };
}

export function unpackHeld(value: unknown, what: string): ReportedResult[] {
  const held = value as Partial<CompactHeld> | null;
  if (
    held?.v !== 1 ||
    !Array.isArray(held.types) ||
    !Array.isArray(held.notes) ||
    !Array.isArray(held.rows)
  ) {
    throw new StateStoreError(`state table: ${what} is not a snapshot of held results`);
  }
  const types: readonly unknown[] = held.types;
  const notes: readonly unknown[] = held.notes;
  const rows: readonly unknown[] = held.rows;
  return rows.map((row): ReportedResult => {
    const [type, resourceId, compliance, note, recordedAt] = (Array.isArray(row) ? row : []) as unknown[];
    const resourceType = types[Number(type)];
    const annotation = note === -1 ? undefined : notes[Number(note)];
    if (
      typeof resourceType !== 'string' ||
      typeof resourceId !== 'string' ||
      (compliance !== 0 && compliance !== 1) ||
      (note !== -1 && typeof annotation !== 'string') ||
      typeof recordedAt !== 'number'
    ) {
      throw new StateStoreError(`state table: ${what} has a malformed row`);
    }
    return {
      resourceType,
      resourceId,
      compliance: compliance === 0 ? 'COMPLIANT' : 'NON_COMPLIANT',
      ...(typeof annotation === 'string' ? { annotation } : {}),
      ...(recordedAt === -1 ? {} : { recordedAt: new Date(recordedAt) }),
    };
  });
}

/** What the cycle holds as Config's results, and the resources targeted runs made unsure since. */
export class CycleHoldings {
  private constructor(
    readonly held: HeldResults,
    private readonly store: CycleStore,
    /** Notes from this time on (epoch ms) make their resources unsure. */
    private readonly notesFrom: number,
  ) {}

  /**
   * The snapshot the record names, or (none yet) Config read now and kept as the cycle's snapshot; an unreadable
   * Config is returned as such and no snapshot kept, so the next invocation reads Config again.
   */
  static async open(options: {
    readonly store: CycleStore;
    readonly record: CycleRecord;
    readonly save: (changes: Partial<CycleRecord>) => Promise<void>;
    readonly readConfig: () => Promise<HeldResults>;
    readonly now: () => number;
  }): Promise<CycleHoldings> {
    const { store, record } = options;
    if (record.held !== undefined) {
      const what = `the held-results snapshot of cycle ${record.cycleId}`;
      const results = unpackHeld(await store.readHeld(record.cycleId, record.held), what);
      return new CycleHoldings({ readable: true, results }, store, record.held.readAt - NOTE_MARGIN_MS);
    }
    const readAt = options.now();
    const held = await options.readConfig();
    if (held.readable) {
      const { id, chunks } = await store.writeHeld(record.cycleId, packHeld(held.results));
      await options.save({ held: { id, chunks, readAt } });
    }
    return new CycleHoldings(held, store, readAt - NOTE_MARGIN_MS);
  }

  /** Resources noted by targeted runs since the snapshot's read (less the margin), looked for now. */
  async unsure(): Promise<ResourceIndex<true>> {
    const unsure = new ResourceIndex<true>();
    // Unreadable held results are not used for anything a note could change.
    if (!this.held.readable) return unsure;
    for (const note of await this.store.heldChanges(this.notesFrom)) {
      for (const key of note.keys) {
        const split = key.indexOf('|');
        unsure.set(key.slice(0, split), key.slice(split + 1), true);
      }
    }
    return unsure;
  }
}
