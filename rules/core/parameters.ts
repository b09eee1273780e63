/**
 * Rule parameters: declared with defaults beside each rule, validated before anything is evaluated.
 * Config passes `ruleParameters` as a JSON string of strings; a conformance pack passes "" for an unset optional one,
 * so an empty value means the default.
 */
import { ParameterError } from './errors';

export interface ParameterSpec<T> {
  readonly description: string;
  /** The default as written in the conformance pack ("" when the parameter is optional with no value). */
  readonly defaultText: string;
  readonly parse: (raw: string | undefined, name: string) => T;
  /** The values accepted, for docs and the pack's AllowedValues (absent: free text). */
  readonly allowedValues?: readonly string[];
}

export type ParameterSpecs = Readonly<Record<string, ParameterSpec<unknown>>>;
export type ParameterValues<P extends ParameterSpecs> = {
  readonly [K in keyof P]: P[K] extends ParameterSpec<infer T> ? T : never;
};

function isUnset(raw: string | undefined): raw is undefined {
  return raw === undefined || raw.trim() === '';
}

export function booleanParameter(description: string, defaultValue: boolean): ParameterSpec<boolean> {
  return {
    description,
    defaultText: String(defaultValue),
    allowedValues: ['true', 'false'],
    parse(raw, name) {
      if (isUnset(raw)) return defaultValue;
      const value = raw.trim().toLowerCase();
      if (value === 'true') return true;
      if (value === 'false') return false;
      throw new ParameterError(name, `"${raw}" is not true or false`);
    },
  };
}

/** One value out of a fixed set, or undefined when unset. */
export function optionalChoiceParameter<T extends string>(
  description: string,
  choices: readonly T[],
): ParameterSpec<T | undefined> {
  return {
    description,
    defaultText: '',
    allowedValues: choices,
    parse(raw, name) {
      if (isUnset(raw)) return undefined;
      const value = raw.trim();
      const match = choices.find((choice) => choice === value);
      if (match === undefined) {
        throw new ParameterError(name, `"${raw}" is not one of ${choices.join(', ')}`);
      }
      return match;
    },
  };
}

/** A comma-separated list drawn from a fixed set. */
export function choiceListParameter<T extends string>(
  description: string,
  choices: readonly T[],
  defaultValue: readonly T[],
): ParameterSpec<readonly T[]> {
  return {
    description,
    defaultText: defaultValue.join(','),
    allowedValues: choices,
    parse(raw, name) {
      if (isUnset(raw)) return defaultValue;
      const values = raw
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
      return values.map((value) => {
        const match = choices.find((choice) => choice === value);
        if (match === undefined)
          throw new ParameterError(name, `"${value}" is not one of ${choices.join(', ')}`);
        return match;
      });
    },
  };
}

/** A whole number within [min, max]. */
export function integerParameter(
  description: string,
  defaultValue: number,
  min: number,
  max: number,
): ParameterSpec<number> {
  return {
    description,
    defaultText: String(defaultValue),
    parse(raw, name) {
      if (isUnset(raw)) return defaultValue;
      const value = raw.trim();
      const number = Number(value);
      if (!/^\d+$/.test(value) || number < min || number > max) {
        throw new ParameterError(name, `"${raw}" is not a whole number from ${min} to ${max}`);
      }
      return number;
    },
  };
}

export function textParameter(
  description: string,
  defaultValue: string,
  pattern: RegExp,
  patternWords: string,
): ParameterSpec<string> {
  return {
    description,
    defaultText: defaultValue,
    parse(raw, name) {
      if (isUnset(raw)) return defaultValue;
      const value = raw.trim();
      if (!pattern.test(value)) throw new ParameterError(name, `"${raw}" ${patternWords}`);
      return value;
    },
  };
}

export function optionalTextParameter(
  description: string,
  pattern: RegExp,
  patternWords: string,
): ParameterSpec<string | undefined> {
  return {
    description,
    defaultText: '',
    parse(raw, name) {
      if (isUnset(raw)) return undefined;
      const value = raw.trim();
      if (!pattern.test(value)) throw new ParameterError(name, `"${raw}" ${patternWords}`);
      return value;
    },
  };
}

/** For a rule that takes no parameters of its own. */
export type NoParameters = Readonly<Record<string, never>>;

/**
 * Parameters of periodic rules, which the shared runtime reads (rules spread these into their own parameters).
 * Config bills every evaluation reported, so a stable estate costs only what changed plus an even trickle of
 * refreshes: Security Hub deletes a finding not updated for 90 days, so an unchanged result is renewed within
 * RefreshAfterDays (at most 89).
 */
export const PERIODIC_PARAMETERS = {
  ReportUnchanged: booleanParameter(
    'When true, every periodic run re-reports every resource; by default only new, changed and vanished ones are reported, plus unchanged ones due for refresh (RefreshAfterDays).',
    false,
  ),
  RefreshAfterDays: integerParameter(
    'An unchanged result is re-reported before it is this many days old, spread evenly over the days (about 1/RefreshAfterDays of the estate a day), so its Security Hub finding (deleted after 90 days without an update) and its evaluation time stay current.',
    30,
    1,
    89,
  ),
} as const;

export type PeriodicParameterValues = ParameterValues<typeof PERIODIC_PARAMETERS>;

/** Parameters every rule of the pack takes. */
export const COMMON_PARAMETERS = {
  ExecutionRoleName: optionalTextParameter(
    'Name of the role to assume in the evaluated account for every AWS call (organization deployments). Empty: use the function role.',
    /^[\w+=,.@-]{1,64}$/,
    'is not an IAM role name',
  ),
  ExceptionTagPrefix: textParameter(
    'Prefix of the exception tags (`<prefix>/<Control>` and `<prefix>-expires/<Control>`).',
    'authn-exception',
    /^(?!aws:)[A-Za-z0-9_./=+-]{1,64}$/,
    'may use only letters, digits and _ . / = + - (tag characters safe on every service)',
  ),
  ExceptionRequiresExpiry: booleanParameter(
    'When true, an exception without an `<prefix>-expires/<Control>` tag is not honoured.',
    false,
  ),
} as const;

export type CommonParameterValues = ParameterValues<typeof COMMON_PARAMETERS>;

/**
 * Reads `ruleParameters` (already a plain object) against the rule's specs; unknown names are refused. `periodic`
 * is the periodic runtime's typed view of the parameters periodic rules spread into theirs (defaults elsewhere).
 */
export function parseParameters<P extends ParameterSpecs>(
  specs: P,
  raw: Readonly<Record<string, unknown>>,
): { rule: ParameterValues<P>; common: CommonParameterValues; periodic: PeriodicParameterValues } {
  const known = new Set([...Object.keys(specs), ...Object.keys(COMMON_PARAMETERS)]);
  for (const [name, value] of Object.entries(raw)) {
    if (!known.has(name)) {
      throw new ParameterError(name, `unknown parameter; this rule takes ${[...known].join(', ')}`);
    }
    if (value !== undefined && value !== null && typeof value !== 'string') {
      throw new ParameterError(name, 'must be a string');
    }
  }
  const read = (name: string): string | undefined => {
    const value = raw[name];
    return typeof value === 'string' ? value : undefined;
  };
  const parseAll = <S extends ParameterSpecs>(group: S): ParameterValues<S> =>
    Object.fromEntries(
      Object.entries(group).map(([name, spec]) => [name, spec.parse(read(name), name)]),
    ) as ParameterValues<S>;
  return {
    rule: parseAll(specs),
    common: parseAll(COMMON_PARAMETERS),
    periodic: parseAll(PERIODIC_PARAMETERS),
  };
}

/** A rule's own parameter values from `Name → text` settings (CLI flags, CDK options); unset ones take defaults. */
export function ruleParameterValues(
  specs: ParameterSpecs,
  raw: Readonly<Record<string, string>>,
): Record<string, unknown> {
  return Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, spec.parse(raw[name], name)]));
}
