/**
 * Deployment settings: from CDK context (`cdk synth -c key=value`, or `context` in cdk.json) or from props in code.
 * Each setting is declared once in `SETTING_SPECS` (its name, type, default, validation and the words the README's
 * settings table shows); `Settings`, `DEFAULT_SETTINGS`, `readSettings` and that table all come from it, and
 * `crossChecks` holds the rules between settings. Every value is checked before any construct exists, so a typo fails
 * the synth with the setting's name instead of failing a deployment half-way.
 *
 * Longer than most files, and one thing: the declaration is most of it (a setting's parser beside its README words),
 * and splitting it would put a setting's parts in two places again.
 */
import { PackError, EXIT } from '../rules/core/errors';
import { findRule, RULES } from '../rules/index';
import { COMMON_PARAMETERS } from '../rules/core/parameters';
import { FREQUENCIES, type AnyRule, type Frequency } from '../rules/core/types';

export type DeploymentMode = 'single' | 'organization';
export type StackSetCallAs = 'DELEGATED_ADMIN' | 'SELF';

/** A setting that cannot be used as given. The synth stops before anything is built. */
export class SettingsError extends PackError {
  override readonly name = 'SettingsError';
  readonly code = 'settings';
  readonly exitStatus = EXIT.usage;
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(`Setting "${setting}": ${message}`);
  }
}

/** One setting: how to read it (context strings, cdk.json JSON or typed props) and what the README says of it. */
export interface SettingSpec<T> {
  /** The value when the setting is not given (undefined: an optional setting with no value). */
  readonly default: T;
  /** The README table's default column (markdown). */
  readonly defaultText: string;
  /** The README table's meaning column (markdown). */
  readonly description: string;
  /** Reads and validates a given value (never undefined or null: those mean the default). */
  readonly parse: (value: unknown, key: string) => T;
}

function setting<T>(spec: SettingSpec<T>): SettingSpec<T> {
  return spec;
}

const isUnset = (value: unknown): boolean => value === undefined || value === null;

function text(key: string, value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return String(value).trim();
  throw new SettingsError(key, 'expected a string');
}

function parseJson(key: string, source: string): unknown {
  try {
    return JSON.parse(source) as unknown;
  } catch {
    throw new SettingsError(key, `not valid JSON: ${source}`);
  }
}

function list(key: string, value: unknown): string[] {
  if (isUnset(value) || value === '') return [];
  if (Array.isArray(value)) return value.map((item) => String(item).trim()).filter((item) => item !== '');
  if (typeof value === 'string') {
    const source = value.trim();
    if (source.startsWith('[')) return list(key, parseJson(key, source));
    return source
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }
  throw new SettingsError(key, 'expected a comma-separated list or a JSON array');
}

/** `{"a":"b"}` (JSON, or an object from cdk.json) or `a=b,c=d`. */
function record(key: string, value: unknown): Record<string, unknown> {
  if (isUnset(value) || value === '') return {};
  if (typeof value === 'string') {
    const source = value.trim();
    if (source.startsWith('{')) return record(key, parseJson(key, source));
    return Object.fromEntries(
      source.split(',').map((pair) => {
        const at = pair.indexOf('=');
        if (at <= 0) throw new SettingsError(key, `"${pair}" is not name=value`);
        return [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
      }),
    );
  }
  if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new SettingsError(key, 'expected a JSON object or name=value pairs');
}

function matching(key: string, values: readonly string[], pattern: RegExp, words: string): void {
  for (const value of values) {
    if (!pattern.test(value)) throw new SettingsError(key, `"${value}" is not ${words}`);
  }
}

/** One of a fixed set of words. */
function choice<T extends string>(choices: readonly T[]): (value: unknown, key: string) => T {
  return (value, key) => {
    const given = text(key, value);
    const match = choices.find((candidate) => candidate === given);
    if (match === undefined) throw new SettingsError(key, `"${given}" is not ${choices.join(' or ')}`);
    return match;
  };
}

/** A string matching `pattern`; "" keeps the default. */
function named(fallback: string, pattern: RegExp, words: string): (value: unknown, key: string) => string {
  return (value, key) => {
    const given = text(key, value);
    if (given === '') return fallback;
    matching(key, [given], pattern, words);
    return given;
  };
}

/** An optional string matching `pattern`; "" means unset. */
function optionalNamed(pattern: RegExp, words: string): (value: unknown, key: string) => string | undefined {
  return (value, key) => {
    const given = text(key, value);
    if (given === '') return undefined;
    matching(key, [given], pattern, words);
    return given;
  };
}

/** A list whose every item matches `pattern`, at most `max` long. */
function listOf(
  pattern: RegExp,
  words: string,
  max?: { count: number; why: string },
): (value: unknown, key: string) => readonly string[] {
  return (value, key) => {
    const items = list(key, value);
    matching(key, items, pattern, words);
    if (max !== undefined && items.length > max.count) throw new SettingsError(key, max.why);
    return items;
  };
}

const ACCOUNT_ID = /^\d{12}$/;
const ACCOUNT_WORDS = 'a 12-digit account id';

/** One `aws:SourceAccount` permission is ~350 bytes of a function's resource policy; Lambda allows 20,480. */
export const MAX_INVOKER_ACCOUNTS = 50;

/** CloudWatch Logs' accepted retention values (days). */
const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

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

function frequencies(value: unknown, key: string): Readonly<Record<string, Frequency>> {
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

function ruleParameters(
  value: unknown,
  key: string,
): Readonly<Record<string, Readonly<Record<string, string>>>> {
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
      const textValue = isUnset(raw) ? '' : text(`${key}.${name}.${parameter}`, raw);
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

/** A value for one of the parameters every rule takes, checked by its parser; "" keeps the rules' default. */
function commonParameter(name: keyof typeof COMMON_PARAMETERS): (value: unknown, key: string) => string {
  return (value, key) => {
    const given = text(key, value);
    if (given === '') return given;
    try {
      COMMON_PARAMETERS[name].parse(given, name);
    } catch (error) {
      throw new SettingsError(key, error instanceof Error ? error.message : String(error));
    }
    return given;
  };
}

function logRetention(value: unknown, key: string): number {
  const given = text(key, value);
  if (given === '') return 365;
  const days = Number(given);
  if (!RETENTION_DAYS.includes(days)) {
    throw new SettingsError(key, `${given} is not one of ${RETENTION_DAYS.join(', ')}`);
  }
  return days;
}

function quotaShare(value: unknown, key: string): number {
  const given = text(key, value);
  const share = given === '' ? 0.5 : Number(given);
  if (!(share > 0 && share <= 1)) {
    throw new SettingsError(key, `${given} is not a share above 0 and at most 1 (e.g. 0.5)`);
  }
  return share;
}

const REQUIRED_IN_ORGANIZATION = '— (required in `organization`)';

/** The periodic rules' controls, for the words of the `frequencies` setting. */
const PERIODIC_CONTROLS = RULES.filter((rule) => rule.trigger.kind === 'periodic').map(
  (rule) => rule.control,
);

/** Every setting, in the order the README's settings table lists them. */
export const SETTING_SPECS = {
  mode: setting<DeploymentMode>({
    default: 'single',
    defaultText: '`single`',
    description:
      '`single`: one account. `organization`: central account, member roles, organization conformance pack.',
    parse: choice(['single', 'organization']),
  }),
  organizationId: setting<string | undefined>({
    default: undefined,
    defaultText: REQUIRED_IN_ORGANIZATION,
    description:
      '`o-…`. Trusted in the member roles (`aws:PrincipalOrgID`) and the only organization the central role may assume into (`aws:ResourceOrgID`).',
    parse: optionalNamed(/^o-[a-z0-9]{10,32}$/, 'an organization id (o-…)'),
  }),
  centralAccountId: setting<string | undefined>({
    default: undefined,
    defaultText: REQUIRED_IN_ORGANIZATION,
    description:
      'The Config delegated administrator account that runs the functions; the stacks `AuthnPackOrganization-*` are pinned to it.',
    parse: optionalNamed(ACCOUNT_ID, ACCOUNT_WORDS),
  }),
  managementAccountId: setting<string | undefined>({
    default: undefined,
    defaultText: '—',
    description:
      'Pins `AuthnPackManagementAccountRole` and `AuthnPackManagementAccountChangeEvents-*` (and the StackSet stack with `stackSetCallAs=SELF`) to that account, so a deploy with the wrong credentials is refused.',
    parse: optionalNamed(ACCOUNT_ID, ACCOUNT_WORDS),
  }),
  organizationalUnitIds: setting<readonly string[]>({
    default: [],
    defaultText: REQUIRED_IN_ORGANIZATION,
    description:
      'Comma-separated StackSet targets: OU ids (`ou-…`), or the root id (`r-…`) for every account. Accounts outside them get no execution role: exclude them from the pack with `excludedAccounts`.',
    parse: listOf(
      /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/,
      'an OU id (ou-…) or the root id (r-…)',
    ),
  }),
  regions: setting<readonly string[]>({
    default: [],
    defaultText: REQUIRED_IN_ORGANIZATION,
    description:
      "Comma-separated Regions the rules run in: one central stack (functions + pack) per Region. The StackSet deploys the global IAM role in the first one. In `single` mode: one `AuthnPack-<region>` stack per Region (empty: one `AuthnPack` stack in the CLI's Region).",
    parse: listOf(/^[a-z]{2}(-[a-z]+)+-\d$/, 'a Region name such as eu-west-1'),
  }),
  excludedAccounts: setting<readonly string[]>({
    default: [],
    defaultText: 'none',
    description: 'Comma-separated account ids the organization conformance pack skips (at most 1,000).',
    parse: listOf(ACCOUNT_ID, ACCOUNT_WORDS, { count: 1000, why: 'at most 1000 accounts' }),
  }),
  frequencies: setting<Readonly<Record<string, Frequency>>>({
    default: {},
    defaultText: "each rule's registry default (`TwentyFour_Hours`)",
    description: `How often the periodic rules (${PERIODIC_CONTROLS.join(', ')}) sweep each account: \`${PERIODIC_CONTROLS.map((control, index) => `${control}=${index % 2 === 0 ? 'Six_Hours' : 'One_Hour'}`).join(',')}\` or JSON. Keys: control id, rule name or folder. Values: ${FREQUENCIES.map((frequency) => `\`${frequency}\``).join(', ')}.`,
    parse: frequencies,
  }),
  executionRoleName: setting<string>({
    default: 'authn-pack-execution',
    defaultText: '`authn-pack-execution`',
    description:
      "Name of the role in every member account, and the rules' `ExecutionRoleName` parameter in the pack.",
    parse: named('authn-pack-execution', /^[\w+=,.@-]{1,64}$/, 'an IAM role name'),
  }),
  centralRoleName: setting<string>({
    default: 'authn-pack-evaluator',
    defaultText: '`authn-pack-evaluator`',
    description:
      "Name prefix of the central functions' role; the Region is appended (`authn-pack-evaluator-eu-west-1`).",
    parse: named(
      'authn-pack-evaluator',
      /^[\w+=,.@-]{1,45}$/,
      'an IAM role name of at most 45 characters (the Region is appended)',
    ),
  }),
  stackSetCallAs: setting<StackSetCallAs>({
    default: 'DELEGATED_ADMIN',
    defaultText: '`DELEGATED_ADMIN`',
    description:
      '`DELEGATED_ADMIN`: the StackSet is created from the central account, registered as a StackSets delegated administrator. `SELF`: from the management account (then `managementAccountId` is required).',
    parse: choice(['DELEGATED_ADMIN', 'SELF']),
  }),
  invokerAccountIds: setting<readonly string[]>({
    default: [],
    defaultText: 'none',
    description:
      'Organization mode: when set, `config.amazonaws.com` may invoke the functions only for these accounts (at most 50). See "Who may invoke the functions".',
    parse: listOf(ACCOUNT_ID, ACCOUNT_WORDS, {
      count: MAX_INVOKER_ACCOUNTS,
      why: `at most ${MAX_INVOKER_ACCOUNTS} accounts: each adds a ~350-byte statement to every function's resource policy, which Lambda caps at 20 KB`,
    }),
  }),
  ruleParameters: setting<Readonly<Record<string, Readonly<Record<string, string>>>>>({
    default: {},
    defaultText: 'the registry defaults',
    description:
      'Rule parameters as JSON, by rule (control id, rule name or folder): `{"<control>":{"<Parameter>":"<value>"}}`, with the parameters its page in docs/controls/ lists. Each value is checked by the rule\'s own parser.',
    parse: ruleParameters,
  }),
  exceptionTagPrefix: setting<string>({
    default: '',
    defaultText: "the rules' default, `authn-exception`",
    description:
      'Prefix of the exception tags for every rule (`<prefix>/<Control>`, `<prefix>-expires/<Control>`). Keep the SCP below in step.',
    parse: commonParameter('ExceptionTagPrefix'),
  }),
  exceptionRequiresExpiry: setting<string>({
    default: '',
    defaultText: "the rules' default, `false`",
    description: '`true`: an exception without an expiry tag is not honoured.',
    parse: commonParameter('ExceptionRequiresExpiry'),
  }),
  apiGatewayQuotaShare: setting<number>({
    default: 0.5,
    defaultText: '`0.5`',
    description:
      "Share of the account's API Gateway management quota (10 requests a second per account and Region, not adjustable) the periodic sweeps may use together; the rest is left for deployments and consoles. Split evenly between the periodic rules whose sweeps call API Gateway (the HTTP/WebSocket route rule and the REST method rule: Config may run them at once), so `0.5` gives each 2.5 requests a second. Above 0, at most 1.",
    parse: quotaShare,
  }),
  logRetentionDays: setting<number>({
    default: 365,
    defaultText: '`365`',
    description:
      "Retention of the functions' log groups, in days (a value CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, …). The groups are kept when a stack is deleted.",
    parse: logRetention,
  }),
  conformancePackName: setting<string>({
    default: 'authn-pack',
    defaultText: '`authn-pack`',
    description:
      'Name of the organization conformance pack. Members see it as `OrgConformsPack-<name>-<suffix>`.',
    parse: named('authn-pack', /^[a-zA-Z][-a-zA-Z0-9]{0,127}$/, 'a conformance pack name'),
  }),
  hookFailureMode: setting<'WARN' | 'FAIL'>({
    default: 'WARN',
    defaultText: '`WARN`',
    description:
      "The deploy-time hook's `FailureMode`: `WARN` shows a failing resource in the stack's events and lets it deploy (the rollout default); `FAIL` stops the stack operation.",
    parse: choice(['WARN', 'FAIL']),
  }),
  hookStatus: setting<'ENABLED' | 'DISABLED'>({
    default: 'ENABLED',
    defaultText: '`ENABLED`',
    description: "The hook's `HookStatus`: `DISABLED` keeps it deployed but never invoked.",
    parse: choice(['ENABLED', 'DISABLED']),
  }),
  hookExcludedStacks: setting<readonly string[]>({
    default: [],
    defaultText: 'none',
    description:
      'Comma-separated stack names the hook leaves out (`StackFilters`, at most 50). Needs `hookCloudControl=false`: stack filters do not apply to Cloud Control API operations.',
    parse: listOf(/^[a-zA-Z][-a-zA-Z0-9]{0,127}$/, 'a stack name', {
      count: 50,
      why: 'at most 50 stacks (StackFilters.StackNames.Exclude)',
    }),
  }),
  hookCloudControl: setting<boolean>({
    default: true,
    defaultText: '`true`',
    description:
      '`true`: the hook also judges Cloud Control API operations (`TargetOperations` `RESOURCE` and `CLOUD_CONTROL`); `false`: stack operations only.',
    parse: (value, key) => choice(['true', 'false'])(value, key) === 'true',
  }),
};

type Specs = typeof SETTING_SPECS;
type ValueOf<K extends keyof Specs> = Specs[K] extends SettingSpec<infer T> ? T : never;
type OptionalKey = { [K in keyof Specs]: undefined extends ValueOf<K> ? K : never }[keyof Specs];

/** The settings as `SETTING_SPECS` declares them; a setting whose default is undefined is an optional property. */
export type Settings = { readonly [K in Exclude<keyof Specs, OptionalKey>]: ValueOf<K> } & {
  readonly [K in OptionalKey]?: Exclude<ValueOf<K>, undefined>;
};

export const SETTING_KEYS = Object.keys(SETTING_SPECS) as (keyof Settings)[];

function definedValues(read: (key: keyof Specs) => unknown): Settings {
  const entries = SETTING_KEYS.map((key) => [key, read(key)] as const).filter(
    ([, value]) => value !== undefined,
  );
  return Object.fromEntries(entries) as Settings;
}

export const DEFAULT_SETTINGS: Settings = definedValues((key) => SETTING_SPECS[key].default);

/** Reads a context value: CLI context is always a string, cdk.json context may be any JSON. */
type ContextReader = (key: string) => unknown;

/** Settings from a context reader (the app's node) with props on top; each validated, then checked together. */
export function readSettings(context: ContextReader, props: Partial<Settings> = {}): Settings {
  const settings = definedValues((key) => {
    const given: unknown = key in props ? props[key] : context(key);
    const spec: SettingSpec<unknown> = SETTING_SPECS[key];
    return isUnset(given) ? spec.default : spec.parse(given, key);
  });
  crossChecks(settings);
  return settings;
}

/** The rules between settings: what the hook's stack filters and organization mode require. */
export function crossChecks(settings: Settings): void {
  if (settings.hookExcludedStacks.length > 0 && settings.hookCloudControl) {
    throw new SettingsError(
      'hookExcludedStacks',
      'stack filters are ignored when a hook targets Cloud Control API operations (Hooks User Guide, stack level filters): set hookCloudControl=false to leave stacks out',
    );
  }
  if (settings.mode !== 'organization') return;
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

/** The README's settings table, rendered from `SETTING_SPECS` (test/deploy/settings.test.ts compares the two). */
export function settingsTableRows(): readonly (readonly [string, string, string])[] {
  return SETTING_KEYS.map((key) => [
    `\`${key}\``,
    SETTING_SPECS[key].defaultText,
    SETTING_SPECS[key].description,
  ]);
}

/** The frequency a periodic rule runs at under these settings. */
export function frequencyOf(settings: Settings, rule: AnyRule): Frequency | undefined {
  if (rule.trigger.kind !== 'periodic') return undefined;
  return settings.frequencies[rule.ruleName] ?? rule.trigger.defaultFrequency;
}
