/**
 * What is known before apply: Terraform's `after_unknown` tree marks with `true` every value that is set only when
 * the plan is applied, and a value is read as known only when nothing inside it is so marked. Kept apart from the
 * sensitive-value guard, which the view applies to whatever these return.
 */
import { isRecord, type PlanUnknown, type PlanValues } from './model';

/** Whether an `after_unknown` (or `after_sensitive`) subtree has any `true` leaf. */
export function containsUnknown(tree: unknown): boolean {
  if (tree === true) return true;
  if (Array.isArray(tree)) return tree.some(containsUnknown);
  if (isRecord(tree)) return Object.values(tree).some(containsUnknown);
  return false;
}

/** One step down a value (or an `after_unknown` tree): an attribute of an object, an index of a list. */
export function stepInto(value: unknown, step: string | number): unknown {
  if (typeof step === 'number') return Array.isArray(value) ? (value[step] as unknown) : undefined;
  return isRecord(value) ? value[step] : undefined;
}

/** Readable path for messages: `client_authentication[0].unauthenticated`. */
export function pathText(path: readonly (string | number)[]): string {
  return path
    .map((step, at) => (typeof step === 'number' ? `[${step}]` : at === 0 ? step : `.${step}`))
    .join('');
}

export function unknownAt(path: readonly (string | number)[]): PlanUnknown {
  return { known: false, reason: `${pathText(path)} is known only after apply`, property: pathText(path) };
}

/**
 * Walks a path through the values and the unknown tree together: the value it reaches, or PlanUnknown when a step on
 * the way is known only after apply, or `unknownAtEnd` says so of the unknown subtree it reaches.
 */
function reach(
  { values, unknown: unknownTree }: PlanValues,
  path: readonly (string | number)[],
  unknownAtEnd: (tree: unknown) => boolean,
): { value: unknown } | PlanUnknown {
  let value: unknown = values;
  let unknown: unknown = unknownTree;
  for (const step of path) {
    if (unknown === true) return unknownAt(path);
    value = stepInto(value, step);
    unknown = stepInto(unknown, step);
  }
  return unknownAtEnd(unknown) ? unknownAt(path) : { value };
}

/** The value at a path, known only when nothing inside it is unknown; a missing step is known and undefined. */
export function valueAt(
  planValues: PlanValues,
  path: readonly (string | number)[],
): { known: true; value: unknown } | PlanUnknown {
  const found = reach(planValues, path, containsUnknown);
  return 'known' in found ? found : { known: true, value: found.value };
}

/** How many items a list holds, known when the list itself is, whatever is unknown inside its items. */
export function countAt(
  planValues: PlanValues,
  path: readonly (string | number)[],
): { known: true; count: number } | PlanUnknown {
  const found = reach(planValues, path, (tree) => tree === true);
  return 'known' in found
    ? found
    : { known: true, count: Array.isArray(found.value) ? found.value.length : 0 };
}

/**
 * The known text tags: `tags_all` (with the provider's default_tags) when it is known, else `tags`. Each value
 * passes through `guard` first; values known only after apply, and values that are not text, are left out.
 */
export function knownTags(
  { values, unknown: unknownTree }: PlanValues,
  guard: (value: unknown) => unknown,
): Record<string, string> {
  for (const attribute of ['tags_all', 'tags']) {
    const unknown = stepInto(unknownTree, attribute);
    if (unknown === true) continue;
    const value = values[attribute];
    if (!isRecord(value)) continue;
    const tags: Record<string, string> = {};
    for (const [key, item] of Object.entries(value)) {
      if (stepInto(unknown, key) === true) continue;
      const plain = guard(item);
      if (typeof plain === 'string') tags[key] = plain;
    }
    return tags;
  }
  return {};
}
