/**
 * Properties of rule parameters: any string is a value of the parameter's type or a ParameterError that names the
 * parameter; any `ruleParameters` object is read in full or refused naming the offending parameter.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { ParameterError } from '../../rules/core/errors';
import {
  COMMON_PARAMETERS,
  PERIODIC_PARAMETERS,
  parseParameters,
  type ParameterSpec,
} from '../../rules/core/parameters';
import { RULES } from '../../rules/index';
import { RUNS, anyValue } from './arbitraries';

/** Strings near a spec's allowed values (case, spaces, lists, separators) and arbitrary ones. */
function rawFor(spec: ParameterSpec<unknown>): fc.Arbitrary<string | undefined> {
  const allowed = spec.allowedValues ?? [];
  const near = allowed.flatMap((value) => [
    value,
    value.toLowerCase(),
    value.toUpperCase(),
    ` ${value} `,
    `${value},`,
    `,${value}`,
  ]);
  return fc.oneof(
    fc.constant(undefined),
    fc.constantFrom(
      '',
      ' ',
      ',',
      ',,',
      spec.defaultText,
      'aws:reserved',
      'a'.repeat(65),
      'with space',
      'x:y',
      'true',
      'FALSE',
    ),
    ...(near.length > 0
      ? [fc.constantFrom(...near), fc.subarray([...allowed]).map((values) => values.join(' , '))]
      : []),
    fc.string({ maxLength: 30 }),
    fc.string({ unit: 'binary', maxLength: 30 }),
  );
}

function assertTyped(spec: ParameterSpec<unknown>, value: unknown): void {
  if (typeof value === 'number') {
    expect(Number.isInteger(value), 'a number parameter is a whole number').to.equal(true);
    return;
  }
  const allowed = spec.allowedValues;
  if (allowed === undefined) {
    expect(value === undefined || typeof value === 'string', 'free text is a string or unset').to.equal(true);
  } else if (Array.isArray(value)) {
    for (const item of value as unknown[]) expect(allowed).to.include(item);
  } else if (typeof value === 'boolean') {
    expect(allowed).to.have.members(['true', 'false']);
  } else if (value !== undefined) {
    expect(allowed).to.include(value);
  }
}

const SPECS: readonly [string, string, ParameterSpec<unknown>][] = [
  ...RULES.flatMap((rule) =>
    Object.entries(rule.parameters).map(
      ([name, spec]) => [rule.control, name, spec] as [string, string, ParameterSpec<unknown>],
    ),
  ),
  ...Object.entries({ ...COMMON_PARAMETERS, ...PERIODIC_PARAMETERS }).map(
    ([name, spec]) =>
      ['every rule', name, spec as ParameterSpec<unknown>] as [string, string, ParameterSpec<unknown>],
  ),
];

describe('properties: rule parameters', () => {
  for (const [owner, name, spec] of SPECS) {
    it(`${owner} ${name}: any string is a value of its type or a ParameterError naming ${name}`, () => {
      fc.assert(
        fc.property(rawFor(spec), (raw) => {
          let value: unknown;
          try {
            value = spec.parse(raw, name);
          } catch (error) {
            if (!(error instanceof ParameterError)) throw error;
            expect(error.parameter).to.equal(name);
            expect(error.message).to.include(name);
            return;
          }
          assertTyped(spec, value);
          if (raw === undefined || raw.trim() === '')
            expect(value).to.deep.equal(spec.parse(undefined, name));
        }),
        { numRuns: 100 },
      );
    });
  }

  it('parseParameters reads any ruleParameters object in full or refuses it naming one of its parameters', () => {
    for (const rule of RULES) {
      const names = [...Object.keys(rule.parameters), ...Object.keys(COMMON_PARAMETERS)];
      fc.assert(
        fc.property(
          fc.dictionary(
            fc.oneof(
              { arbitrary: fc.constantFrom(...names), weight: 4 },
              fc.string({ maxLength: 12 }),
              fc.constantFrom('__proto__', 'constructor', 'toString'),
            ),
            fc.oneof(
              { arbitrary: fc.string({ maxLength: 20 }), weight: 3 },
              fc.constantFrom('', 'true', 'false', 'AWS_IAM', 'authn-exception'),
              anyValue,
            ),
            { maxKeys: 4 },
          ),
          (raw) => {
            try {
              const { rule: values, common } = parseParameters(rule.parameters, raw);
              expect(Object.keys(values)).to.have.members(Object.keys(rule.parameters));
              expect(Object.keys(common)).to.have.members(Object.keys(COMMON_PARAMETERS));
            } catch (error) {
              if (!(error instanceof ParameterError)) throw error;
              expect(Object.keys(raw), error.message).to.include(error.parameter);
            }
          },
        ),
        { numRuns: RUNS },
      );
    }
  });
});
