/**
 * Deployment settings: from CDK context (`cdk synth -c key=value`, or `context` in cdk.json) or from props in code.
 * Every value is checked here, before any construct exists, so a typo fails the synth with the setting's name
 * instead of failing a deployment half-way.
 */
import { findRule, RULES } from '../rules/index';
import { COMMON_PARAMETERS } from '../rules/core/parameters';
import { FREQUENCIES, type AnyRule, type Frequency } from '../rules/core/types';

export type DeploymentMode = 'single' | 'organization';
export type StackSetCallAs = 'DELEGATED_ADMIN' | 'SELF';

export interface Settings {
  /** `single`: one account, no StackSets. `organization`: delegated administrator + member roles. */
  readonly mode: DeploymentMode;
  /** `o-…`; required in organization mode. */
  readonly organizationId?: string;
  /** The Config delegated administrator account that runs the Lambdas; required in organization mode. */
  readonly centralAccountId?: string;
  /** The management account (optional: pins the management-account stack to it). */
  readonly managementAccountId?: string;
  /** StackSet targets: OU ids (`ou-…`) or the root id (`r-…`) for the whole organization. */
  readonly organizationalUnitIds: readonly string[];
  /** Regions the rules run in (one central stack per Region). Empty in single mode: the CLI's Region. */
  readonly regions: readonly string[];
  /** Accounts the organization conformance pack skips (12 digits each). */
  readonly excludedAccounts: readonly string[];
  /** Periodic rules' frequency, by control id, rule name or folder name. */
  readonly frequencies: Readonly<Record<string, Frequency>>;
  /** Name of the execution role in every member account (organization mode). */
  readonly executionRoleName: string;
  /** Name prefix of the central Lambdas' role; the Region is appended (`<name>-<region>`). */
  readonly centralRoleName: string;
  /** How the StackSet is created: from the delegated administrator (default) or the management account. */
  readonly stackSetCallAs: StackSetCallAs;
  /**
   * Organization mode: when set, config.amazonaws.com may invoke the Lambdas only for these accounts
   * (`aws:SourceAccount`, one permission per account and function). Empty: any account's Config (see README).
   */
  readonly invokerAccountIds: readonly string[];
  /** Rule inputs by rule (control id, rule name or folder) and parameter name, as strings. */
  readonly ruleParameters: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Exception-tag prefix and expiry requirement for every rule ("" keeps the rules' defaults). */
  readonly exceptionTagPrefix: string;
  readonly exceptionRequiresExpiry: string;
  /** Retention of the functions' log groups, in days (a value CloudWatch Logs accepts). */
  readonly logRetentionDays: number;
  /** Name of the organization conformance pack. */
  readonly conformancePackName: string;
}

export const DEFAULT_SETTINGS: Settings = {
  mode: 'single',
  organizationalUnitIds: [],
  regions: [],
  excludedAccounts: [],
  frequencies: {},
  executionRoleName: 'authn-pack-execution',
  centralRoleName: 'authn-pack-evaluator',
  stackSetCallAs: 'DELEGATED_ADMIN',
  invokerAccountIds: [],
  ruleParameters: {},
  exceptionTagPrefix: '',
  exceptionRequiresExpiry: '',
  logRetentionDays: 365,
  conformancePackName: 'authn-pack',
};

/** Every setting, in the order deploy/README.md lists them (the compiler keeps this list complete). */
const KEYS = {
  mode: 0,
  organizationId: 0,
  centralAccountId: 0,
  managementAccountId: 0,
  organizationalUnitIds: 0,
  regions: 0,
  excludedAccounts: 0,
  frequencies: 0,
  executionRoleName: 0,
  centralRoleName: 0,
  stackSetCallAs: 0,
  invokerAccountIds: 0,
  ruleParameters: 0,
  exceptionTagPrefix: 0,
  exceptionRequiresExpiry: 0,
  logRetentionDays: 0,
  conformancePackName: 0,
} satisfies Record<keyof Settings, 0>;
export const SETTING_KEYS = Object.keys(KEYS) as (keyof Settings)[];

/** CloudWatch Logs' accepted retention values (days). */
const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

export class SettingsError extends Error {
  constructor(setting: string, message: string) {
    super(`Setting "${setting}": ${message}`);
    this.name = 'SettingsError';
  }
}

/** Reads a context value: CLI context is always a string, cdk.json context may be any JSON. */
type ContextReader = (key: string) => unknown;

function list(key: string, value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  if (Array.isArray(value)) return value.map((item) => String(item).trim()).filter((item) => item !== '');
  if (typeof value === 'string') {
    const text = value.trim();
    if (text.startsWith('[')) return list(key, parseJson(key, text));
    return text
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }
  throw new SettingsError(key, 'expected a comma-separated list or a JSON array');
}

function parseJson(key: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SettingsError(key, `not valid JSON: ${text}`);
  }
}

/** `{"a":"b"}` (JSON, or an object from cdk.json) or `a=b,c=d`. */
function record(key: string, value: unknown): Record<string, unknown> {
  if (value === undefined || value === null || value === '') return {};
  if (typeof value === 'string') {
    const text = value.trim();
    if (text.startsWith('{')) return record(key, parseJson(key, text));
    return Object.fromEntries(
      text.split(',').map((pair) => {
        const at = pair.indexOf('=');
        if (at <= 0) throw new SettingsError(key, `"${pair}" is not name=value`);
        return [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
      }),
    );
  }
  if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new SettingsError(key, 'expected a JSON object or name=value pairs');
}

function text(key: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return String(value).trim();
  throw new SettingsError(key, 'expected a string');
}

function matching(key: string, values: readonly string[], pattern: RegExp, words: string): void {
  for (const value of values) {
    if (!pattern.test(value)) throw new SettingsError(key, `"${value}" is not ${words}`);
  }
}

const ACCOUNT_ID = /^\d{12}$/;

/** One `aws:SourceAccount` permission is ~350 bytes of a function's resource policy; Lambda allows 20,480. */
export const MAX_INVOKER_ACCOUNTS = 50;

function ruleNamed(key: string, name: string): AnyRule {
  const rule = findRule(name);
  if (rule === undefined) {
    throw new SettingsError(
      key,
      `no rule "${name}" (use a control id such as ${RULES.map((r) => r.control).join(', ')})`,
    );
  }
  return rule;
}

function frequencies(key: string, value: unknown): Record<string, Frequency> {
  const result: Record<string, Frequency> = {};
  for (const [name, frequency] of Object.entries(record(key, value))) {
    const rule = ruleNamed(key, name);
    if (rule.trigger.kind !== 'periodic') {
      throw new SettingsError(key, `${rule.control} is change-triggered and has no frequency`);
    }
    const match = FREQUENCIES.find((candidate) => candidate === frequency);
    if (match === undefined)
      throw new SettingsError(key, `"${String(frequency)}" is not one of ${FREQUENCIES.join(', ')}`);
    result[rule.ruleName] = match;
  }
  return result;
}

function ruleParameters(key: string, value: unknown): Record<string, Record<string, string>> {
  const result: Record<string, Record<string, string>> = {};
  for (const [name, values] of Object.entries(record(key, value))) {
    const rule = ruleNamed(key, name);
    const checked: Record<string, string> = {};
    for (const [parameter, raw] of Object.entries(record(`${key}.${name}`, values))) {
      const spec = rule.parameters[parameter];
      if (spec === undefined) {
        const known = Object.keys(rule.parameters);
        throw new SettingsError(
          key,
          `${rule.control} has no parameter "${parameter}" (${known.length > 0 ? `it takes ${known.join(', ')}` : 'it takes none'})`,
        );
      }
      const textValue = text(`${key}.${name}.${parameter}`, raw) ?? '';
      try {
        spec.parse(textValue, parameter);
      } catch (error) {
        throw new SettingsError(
          key,
          `${rule.control}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      checked[parameter] = textValue;
    }
    result[rule.ruleName] = checked;
  }
  return result;
}

function common(key: string, name: keyof typeof COMMON_PARAMETERS, value: string): string {
  if (value === '') return value;
  try {
    COMMON_PARAMETERS[name].parse(value, name);
  } catch (error) {
    throw new SettingsError(key, error instanceof Error ? error.message : String(error));
  }
  return value;
}

/** Settings from a context reader (the app's node) with props on top; validated. */
export function readSettings(context: ContextReader, props: Partial<Settings> = {}): Settings {
  const get = (key: keyof Settings): unknown => (key in props ? props[key] : context(key));
  const mode = text('mode', get('mode')) ?? DEFAULT_SETTINGS.mode;
  if (mode !== 'single' && mode !== 'organization') {
    throw new SettingsError('mode', `"${mode}" is not single or organization`);
  }
  const callAs = text('stackSetCallAs', get('stackSetCallAs')) ?? DEFAULT_SETTINGS.stackSetCallAs;
  if (callAs !== 'DELEGATED_ADMIN' && callAs !== 'SELF') {
    throw new SettingsError('stackSetCallAs', `"${callAs}" is not DELEGATED_ADMIN or SELF`);
  }
  const retentionText = text('logRetentionDays', get('logRetentionDays'));
  const logRetentionDays =
    retentionText === undefined || retentionText === ''
      ? DEFAULT_SETTINGS.logRetentionDays
      : Number(retentionText);
  if (!RETENTION_DAYS.includes(logRetentionDays)) {
    throw new SettingsError(
      'logRetentionDays',
      `${retentionText} is not one of ${RETENTION_DAYS.join(', ')}`,
    );
  }
  const optional = (key: keyof Settings): string | undefined => {
    const value = text(key, get(key));
    return value === '' ? undefined : value;
  };

  const settings: Settings = {
    mode,
    ...(optional('organizationId') === undefined ? {} : { organizationId: optional('organizationId') }),
    ...(optional('centralAccountId') === undefined ? {} : { centralAccountId: optional('centralAccountId') }),
    ...(optional('managementAccountId') === undefined
      ? {}
      : { managementAccountId: optional('managementAccountId') }),
    organizationalUnitIds: list('organizationalUnitIds', get('organizationalUnitIds')),
    regions: list('regions', get('regions')),
    excludedAccounts: list('excludedAccounts', get('excludedAccounts')),
    frequencies: frequencies('frequencies', get('frequencies')),
    executionRoleName: optional('executionRoleName') ?? DEFAULT_SETTINGS.executionRoleName,
    centralRoleName: optional('centralRoleName') ?? DEFAULT_SETTINGS.centralRoleName,
    stackSetCallAs: callAs,
    invokerAccountIds: list('invokerAccountIds', get('invokerAccountIds')),
    ruleParameters: ruleParameters('ruleParameters', get('ruleParameters')),
    exceptionTagPrefix: common(
      'exceptionTagPrefix',
      'ExceptionTagPrefix',
      text('exceptionTagPrefix', get('exceptionTagPrefix')) ?? '',
    ),
    exceptionRequiresExpiry: common(
      'exceptionRequiresExpiry',
      'ExceptionRequiresExpiry',
      text('exceptionRequiresExpiry', get('exceptionRequiresExpiry')) ?? '',
    ),
    logRetentionDays,
    conformancePackName: optional('conformancePackName') ?? DEFAULT_SETTINGS.conformancePackName,
  };

  matching('regions', settings.regions, /^[a-z]{2}(-[a-z]+)+-\d$/, 'a Region name such as eu-west-1');
  matching('excludedAccounts', settings.excludedAccounts, ACCOUNT_ID, 'a 12-digit account id');
  matching('invokerAccountIds', settings.invokerAccountIds, ACCOUNT_ID, 'a 12-digit account id');
  matching(
    'organizationalUnitIds',
    settings.organizationalUnitIds,
    /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/,
    'an OU id (ou-…) or the root id (r-…)',
  );
  matching('executionRoleName', [settings.executionRoleName], /^[\w+=,.@-]{1,64}$/, 'an IAM role name');
  matching(
    'centralRoleName',
    [settings.centralRoleName],
    /^[\w+=,.@-]{1,45}$/,
    'an IAM role name of at most 45 characters (the Region is appended)',
  );
  matching(
    'conformancePackName',
    [settings.conformancePackName],
    /^[a-zA-Z][-a-zA-Z0-9]{0,127}$/,
    'a conformance pack name',
  );
  if (settings.invokerAccountIds.length > MAX_INVOKER_ACCOUNTS) {
    throw new SettingsError(
      'invokerAccountIds',
      `at most ${MAX_INVOKER_ACCOUNTS} accounts: each adds a ~350-byte statement to every function's resource policy, which Lambda caps at 20 KB`,
    );
  }
  if (settings.excludedAccounts.length > 1000)
    throw new SettingsError('excludedAccounts', 'at most 1000 accounts');
  if (settings.organizationId !== undefined) {
    matching('organizationId', [settings.organizationId], /^o-[a-z0-9]{10,32}$/, 'an organization id (o-…)');
  }
  for (const key of ['centralAccountId', 'managementAccountId'] as const) {
    const value = settings[key];
    if (value !== undefined) matching(key, [value], ACCOUNT_ID, 'a 12-digit account id');
  }

  if (settings.mode === 'organization') {
    const missing = (['organizationId', 'centralAccountId'] as const).filter(
      (key) => settings[key] === undefined,
    );
    const [first] = missing;
    if (first !== undefined) throw new SettingsError(first, 'required in organization mode');
    if (settings.organizationalUnitIds.length === 0) {
      throw new SettingsError(
        'organizationalUnitIds',
        'required in organization mode (the root id r-… targets every account)',
      );
    }
    if (settings.regions.length === 0) throw new SettingsError('regions', 'required in organization mode');
    if (settings.stackSetCallAs === 'SELF' && settings.managementAccountId === undefined) {
      throw new SettingsError(
        'managementAccountId',
        'required when stackSetCallAs is SELF (the StackSet is created there)',
      );
    }
  }
  return settings;
}

/** The frequency a periodic rule runs at under these settings. */
export function frequencyOf(settings: Settings, rule: AnyRule): Frequency | undefined {
  if (rule.trigger.kind !== 'periodic') return undefined;
  return settings.frequencies[rule.ruleName] ?? rule.trigger.defaultFrequency;
}
