/**
 * Generators shared by the property-based tests: arbitrary values, "almost right" values for a known field (the
 * real values, the right type with a wrong value, the wrong type), and mutations of a real document (drop a field,
 * replace it, stringify it, break its JSON).
 */
import fc from 'fast-check';
import { MAX_ANNOTATION, cutAnnotation } from '../../rules/core/annotation';
import { CORE_CODES } from '../../rules/core/codes';
import type { Compliance, Verdict } from '../../rules/core/types';

/**
 * Runs per property: enough to find the shapes that matter, few enough that every file takes seconds. A deeper
 * search: `FC_RUNS=5000 npx mocha test/properties/*.test.ts`. A failure prints fast-check's seed and path.
 */
export const RUNS = Number(process.env.FC_RUNS ?? '300');

export const COMPLIANCE: readonly Compliance[] = ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE'];

/** Anything a JSON document or a JavaScript caller could put in a field. */
export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.anything({ maxDepth: 3, withNullPrototype: true, withBoxedValues: true }), weight: 3 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 3 },
  {
    arbitrary: fc.constantFrom<unknown>(
      undefined,
      null,
      '',
      ' ',
      'true',
      'false',
      'TRUE',
      0,
      1,
      -1,
      Number.NaN,
      true,
      false,
      [],
      {},
      [null],
      { Enabled: true },
      { toString: 1 },
      { valueOf: null, toString: null },
      { Ref: 'AWS::NoValue' },
      '__proto__',
      'constructor',
    ),
    weight: 2,
  },
);

/** A field as a real document might hold it: one of its real values, a near miss, or something else entirely. */
export function fieldValue(real: readonly unknown[]): fc.Arbitrary<unknown> {
  const strings = real.filter((value): value is string => typeof value === 'string');
  const nearMisses = strings.flatMap((value) => [
    value.toLowerCase(),
    value.toUpperCase(),
    ` ${value}`,
    `${value} `,
  ]);
  return fc.oneof(
    { arbitrary: fc.constantFrom(...real), weight: 5 },
    { arbitrary: nearMisses.length > 0 ? fc.constantFrom(...nearMisses) : fc.string(), weight: 1 },
    { arbitrary: fc.string({ maxLength: 12 }), weight: 1 },
    { arbitrary: anyValue, weight: 2 },
  );
}

/** An object with some of the given fields (each may be missing), sometimes with extra fields, sometimes not an object. */
export function partialObject(model: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: fc.record(model, { requiredKeys: [] }), weight: 6 },
    {
      arbitrary: fc
        .tuple(
          fc.record(model, { requiredKeys: [] }),
          fc.dictionary(fc.string({ maxLength: 8 }), anyValue, { maxKeys: 3 }),
        )
        .map(([known, extra]) => ({ ...extra, ...known })),
      weight: 2,
    },
    { arbitrary: anyValue, weight: 1 },
  );
}

/** A boolean switch as Config and templates write it, or not. */
export const switchValue = fieldValue([true, false, 'true', 'false', undefined]);

type Path = readonly (string | number)[];

/** Every path to a value inside a JSON document (the root excluded). */
export function pathsOf(document: unknown, prefix: Path = []): Path[] {
  if (typeof document !== 'object' || document === null) return [];
  const entries = Array.isArray(document)
    ? document.map((value, index) => [index, value] as const)
    : Object.entries(document as Record<string, unknown>);
  return entries.flatMap(([key, value]) => [[...prefix, key], ...pathsOf(value, [...prefix, key])]);
}

export type Mutation =
  | { readonly op: 'drop'; readonly path: Path }
  | { readonly op: 'replace'; readonly path: Path; readonly value: unknown }
  | { readonly op: 'stringify'; readonly path: Path };

/** Up to `max` mutations of the document's fields. */
export function mutations(document: unknown, max = 3): fc.Arbitrary<Mutation[]> {
  const paths = pathsOf(document);
  if (paths.length === 0) return fc.constant([]);
  const path = fc.constantFrom(...paths);
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    path.map((at): Mutation => ({ op: 'drop', path: at })),
    fc.tuple(path, anyValue).map(([at, value]): Mutation => ({ op: 'replace', path: at, value })),
    path.map((at): Mutation => ({ op: 'stringify', path: at })),
  );
  return fc.array(mutation, { minLength: 1, maxLength: max });
}

/** A deep copy of `document` with the mutations applied (a mutation whose path no longer exists does nothing). */
export function applyMutations(document: unknown, changes: readonly Mutation[]): unknown {
  const copy = structuredClone<unknown>(document);
  for (const change of changes) {
    let parent: unknown = copy;
    for (const key of change.path.slice(0, -1)) {
      parent =
        typeof parent === 'object' && parent !== null
          ? (parent as Record<string | number, unknown>)[key]
          : undefined;
    }
    // A boxed value is a leaf (JSON writes new String(' ') as " "): its indices are read-only, not a path.
    const boxed = parent instanceof String || parent instanceof Number || parent instanceof Boolean;
    if (typeof parent !== 'object' || parent === null || boxed) continue;
    const last = change.path[change.path.length - 1] as string | number;
    const holder = parent as Record<string | number, unknown>;
    if (!(last in holder)) continue;
    if (change.op === 'drop') {
      if (Array.isArray(holder)) holder.splice(Number(last), 1);
      else Reflect.deleteProperty(holder, last);
    } else if (change.op === 'replace') {
      holder[last] = change.value;
    } else {
      holder[last] = jsonText(holder[last]) ?? 'undefined';
    }
  }
  return copy;
}

/** JSON text of a value, or undefined for what JSON cannot hold (undefined itself, a function). */
export const jsonText = (value: unknown): string | undefined => JSON.stringify(value);

/** A verdict Config accepts: one of its three values and an annotation that survives the 256-character cut non-empty. */
export function assertDeliverableVerdict(
  verdict: Pick<Verdict, 'compliance' | 'annotation'> & { readonly code?: string },
  /** The rule's declared codes: the verdict's code must be one of them or one core gives. */
  codes?: readonly string[],
): void {
  if (codes !== undefined) {
    const known = new Set<string>([...codes, ...Object.values(CORE_CODES)]);
    if (verdict.code === undefined || !known.has(verdict.code))
      throw new Error(
        `code ${JSON.stringify(verdict.code)} is not one the rule declares (${verdict.annotation})`,
      );
  }
  if (!COMPLIANCE.includes(verdict.compliance))
    throw new Error(`verdict ${JSON.stringify(verdict.compliance)} is not one Config accepts`);
  if (typeof verdict.annotation !== 'string') throw new Error('annotation is not a string');
  const cut = cutAnnotation(verdict.annotation);
  if (cut.length === 0) throw new Error('annotation is empty');
  if (cut.length > MAX_ANNOTATION) throw new Error(`annotation is ${cut.length} characters after the cut`);
}

/** YYYY-MM-DD of a date in UTC. */
export const isoDay = (date: Date): string => date.toISOString().slice(0, 10);

/** Whether `text` names a real calendar day, worked out without Date (an oracle independent of the code under test). */
export function isCalendarDay(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return day <= (lengths[month - 1] ?? 0);
}
