/**
 * When an unchanged result is re-reported anyway. Security Hub deletes a finding that has not been updated for 90
 * days (Security Hub user guide, "Creating and updating findings": retained for 90 days after the most recent
 * `UpdatedAt`), and auditors read evaluation times, so a result that never changes must still be renewed.
 *
 * Each resource has a fixed phase inside a window of `RefreshAfterDays` (from a hash of its type and id), and is
 * re-reported the first run after its phase comes round: exactly once a window whatever the schedule, so a result is
 * never older than the window plus one run, and an estate reported all on one day is renewed spread evenly over the
 * window (about 1/RefreshAfterDays of it a day) instead of all on one day.
 */

const DAY_MS = 86_400_000;

/**
 * FNV-1a over the string, then MurmurHash3's 32-bit finaliser: a stable, well-spread number (no crypto needed: this
 * only spreads work). FNV alone leaves ids that differ in their last characters (route ARNs) clustered in the high
 * bits; measured over 600 route ARNs in 30 slots: 0 to 47 a slot without the finaliser, 9 to 28 with it.
 */
function spreadHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** The resource's phase inside the window, in milliseconds. */
export function refreshPhaseMs(resourceType: string, resourceId: string, windowMs: number): number {
  return (spreadHash(`${resourceType}|${resourceId}`) / 0x1_0000_0000) * windowMs;
}

/** Whether a result recorded at `recordedAt` is due for re-reporting at `now`. Unknown recording time: due. */
export function refreshDue(
  resource: { readonly resourceType: string; readonly resourceId: string; readonly recordedAt?: Date },
  now: Date,
  refreshAfterDays: number,
): boolean {
  if (resource.recordedAt === undefined) return true;
  const windowMs = refreshAfterDays * DAY_MS;
  const phase = refreshPhaseMs(resource.resourceType, resource.resourceId, windowMs);
  const windowOf = (time: number): number => Math.floor((time - phase) / windowMs);
  return windowOf(now.getTime()) > windowOf(resource.recordedAt.getTime());
}
