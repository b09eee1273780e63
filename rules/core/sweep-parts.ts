/**
 * A periodic rule's sweep has one implementation: its parts (`resumableSweep`, types.ts `SweepPart`). The cycle
 * (periodic-cycle.ts) reads them across invocations; everything that needs the sweep whole in one go (the scan, a
 * function deployed without the state table, the tests) reads every part here. So the two ways a sweep runs cannot
 * drift apart: they list and read the same parts with the same calls.
 */
import { mapConcurrent } from './concurrency';
import type { SweepPart, SweptResource } from './types';

/** Every part read, `concurrency` at once; resources in the parts' order. A part that fails fails the sweep. */
export async function readEveryPart<Facts>(
  parts: readonly SweepPart<Facts>[],
  concurrency: number,
): Promise<SweptResource<Facts>[]> {
  const perPart = await mapConcurrent(parts, concurrency, (part) => part.read());
  return perPart.flat();
}
