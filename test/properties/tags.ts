/**
 * Tag maps for the exception convention: justification and expiry tags for a control (resource-wide or per
 * qualifier) with justifications of every length and expiries of every shape, mixed with unrelated tags.
 */
import fc from 'fast-check';
import { anyValue, isCalendarDay } from './arbitraries';

/** The clock of the property tests; an expiry of this day is still valid. */
export const TODAY = '2026-10-04';

export const justification: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 14 }),
  fc.constantFrom(
    '',
    'short',
    '123456789',
    '1234567890',
    '         x',
    '   123456789   ',
    ' '.repeat(12),
    '\t\n\t\n\t\n\t\n\t\n',
    'legacy producers until the Q2 cut-over',
  ),
  fc.string({ minLength: 240, maxLength: 400 }),
);

export const expiry: fc.Arbitrary<string> = fc.oneof(
  fc
    .date({
      min: new Date('2020-01-01T00:00:00Z'),
      max: new Date('2032-12-31T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((date) => date.toISOString().slice(0, 10)),
  fc.constantFrom(
    '',
    ' ',
    TODAY,
    '2026-10-03',
    '2026-10-05',
    ` ${TODAY} `,
    '2026-02-29',
    '2028-02-29',
    '2026-02-30',
    '2026-13-01',
    '2026-00-10',
    '2026-1-1',
    '26-10-04',
    '2026/10/04',
    '2026-10-04T00:00:00Z',
    '9999-12-31',
    '0000-01-01',
    'never',
  ),
  fc.string({ maxLength: 12 }),
);

export interface TagScenario {
  readonly tags: Record<string, string>;
  readonly prefix: string;
  readonly requiresExpiry: boolean;
}

/**
 * Tags for `control` under one of `prefixes`: per entry an optional justification and an optional expiry, each
 * resource-wide or for one of `qualifiers` (or a qualifier that names nothing), plus unrelated noise.
 */
export function exceptionTags(
  control: string,
  qualifiers: readonly string[],
  prefixes: readonly string[] = ['authn-exception', 'corp-waiver'],
): fc.Arbitrary<TagScenario> {
  const qualifier = fc.option(fc.constantFrom(...qualifiers, 'no-such-route', ''), { freq: 2 });
  const target = fc.oneof(
    { arbitrary: fc.constant(control), weight: 5 },
    fc.constantFrom('MSK.6', 'Other.1', control.toLowerCase(), ''),
  );
  const entry = fc.record({
    prefix: fc.constantFrom(...prefixes),
    control: target,
    qualifier,
    justification: fc.option(justification, { freq: 4 }),
    expiry: fc.option(expiry, { freq: 2 }),
  });
  return fc
    .record({
      entries: fc.array(entry, { maxLength: 3 }),
      noise: fc.dictionary(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), { maxKeys: 3 }),
      prefix: fc.constantFrom(...prefixes),
      requiresExpiry: fc.boolean(),
    })
    .map(({ entries, noise, prefix, requiresExpiry }) => {
      const tags: Record<string, string> = { ...noise };
      for (const item of entries) {
        const suffix = `${item.control}${item.qualifier === null ? '' : `/${item.qualifier}`}`;
        if (item.justification !== null) tags[`${item.prefix}/${suffix}`] = item.justification;
        if (item.expiry !== null) tags[`${item.prefix}-expires/${suffix}`] = item.expiry;
      }
      return { tags, prefix, requiresExpiry };
    });
}

/** Arbitrary tag maps, values included of the wrong type (a caller outside TypeScript). */
export const wildTags: fc.Arbitrary<Record<string, string>> = fc.dictionary(
  fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.constantFrom('__proto__', 'constructor', 'toString', 'authn-exception/', 'authn-exception-expires/'),
  ),
  fc.oneof({ arbitrary: fc.string(), weight: 4 }, anyValue),
  { maxKeys: 6 },
) as fc.Arbitrary<Record<string, string>>;

/**
 * Whether the tags hold an exception the convention honours for `control` (resource-wide or for a qualifier):
 * a justification of at least 10 characters and, when there is one or one is required, a real, unexpired date.
 * Worked out independently of rules/core/exceptions.ts.
 */
export function honourableException(
  tags: Readonly<Record<string, unknown>>,
  control: string,
  qualifiers: readonly string[] | undefined,
  prefix: string,
  requiresExpiry: boolean,
): boolean {
  // A qualifier tags cannot hold (empty, or with characters outside the safe set) names no tag. The most specific
  // justification tag present decides (route id, route key, then the resource-wide one): a malformed route-level
  // exception is not rescued by an API-wide one.
  const usable = (qualifiers ?? []).filter((qualifier) => /^[A-Za-z0-9 _./=+-]+$/.test(qualifier));
  const suffixes = [...usable.map((qualifier) => `${control}/${qualifier}`), control];
  const suffix = suffixes.find((candidate) => Object.hasOwn(tags, `${prefix}/${candidate}`));
  if (suffix === undefined) return false;
  const reason = tags[`${prefix}/${suffix}`];
  if (typeof reason !== 'string' || reason.trim().length < 10) return false;
  const until = Object.hasOwn(tags, `${prefix}-expires/${suffix}`)
    ? tags[`${prefix}-expires/${suffix}`]
    : undefined;
  if (typeof until !== 'string' || until.trim() === '') return !requiresExpiry;
  return isCalendarDay(until.trim()) && until.trim() >= TODAY;
}
