/**
 * Reading `terraform show -json` output (a saved plan, or a state) for the pre-deploy check. The format is
 * Terraform's "JSON Output Format" (internals/json-format in the Terraform docs): `format_version` 1.x,
 * `resource_changes[]` with `change.actions/after/after_unknown/after_sensitive`, `configuration` with each module's
 * `resources[].expressions` (`constant_value` or `references`) and `module_calls`, and for a state `values.root_module`
 * with `resources[].values/sensitive_values` and nested `child_modules`.
 *
 * This reader knows no control: it walks modules and resources, says which values are known before apply, resolves
 * the configuration's references (through module inputs and outputs), and never hands on a sensitive value — plans
 * carry them in clear text (`auth_token`, `password`, sensitive variables), so they are replaced here, at the edge.
 */
import { EXIT, PackError } from './errors';

/** The plan cannot be read as Terraform JSON output (or Terraform itself says the plan failed): as unreadable as a
 * broken template. */
export class TerraformPlanError extends PackError {
  override readonly name = 'TerraformPlanError';
  readonly code = 'terraform-plan';
  readonly exitStatus = EXIT.unreadable;
}

/** A value Terraform marks sensitive, or one that repeats a sensitive value: set, but never shown. */
export class SensitiveValue {
  toString(): string {
    return '(sensitive)';
  }
  toJSON(): string {
    return '(sensitive)';
  }
}
export const SENSITIVE: SensitiveValue = Object.freeze(new SensitiveValue());

/** Reads a text that is not JSON (YAML), or throws. */
export type TextParser = (text: string) => unknown;

/** A value as the plan knows it before apply. */
export type PlanValue = { readonly known: true; readonly value: unknown } | PlanUnknown;

/** Why a value cannot be read before apply: the words, and the argument path they are about (`engine_version`). */
export interface PlanUnknown {
  readonly known: false;
  readonly reason: string;
  readonly property: string;
}

/** What happens to a resource instance in this plan (`state`: read from a state file, nothing changes). */
export type PlanChange = 'create' | 'update' | 'replace' | 'no-op' | 'state';

export interface PlanResource {
  /** The full address, e.g. `module.cache.aws_elasticache_replication_group.sessions` or `aws_x.y["k"]`. */
  readonly address: string;
  /** The module instance part of the address (`module.cache`, `module.svc["a"]`), empty in the root module. */
  readonly moduleAddress: string;
  readonly type: string;
  readonly name: string;
  /** The `count` / `for_each` key of this instance, when it has one. */
  readonly index?: number | string;
  readonly change: PlanChange;
}

/**
 * What the plan says about a resource's values, kept inside the view: they are read only through `value`, `text`
 * and `tags`, which never return a secret.
 */
interface PlanValues {
  /** The values after the change, sensitive ones replaced by `SENSITIVE`. Unknown values are null or absent. */
  readonly values: Readonly<Record<string, unknown>>;
  /** `after_unknown`: `true` where a value is known only after apply. */
  readonly unknown: unknown;
}

/** Where a reference in the configuration leads. */
export interface ReferenceTargets {
  /** Managed resources of this plan the expression refers to. */
  readonly resources: readonly PlanResource[];
  /** Things outside the plan it refers to (a root input variable, a data source): named for messages. */
  readonly external: readonly string[];
  /** References the plan JSON cannot follow (locals are not in it), named for messages. */
  readonly unresolved: readonly string[];
}

/** An expression representation: `constant_value`, or `references` (strings naming what it reads). */
type Expression = Readonly<Record<string, unknown>>;

function referencesOf(expression: Expression): string[] {
  const references = expression.references;
  return Array.isArray(references)
    ? references.filter((reference): reference is string => typeof reference === 'string')
    : [];
}

interface ConfigModule {
  readonly resources: Map<string, Readonly<Record<string, unknown>>>;
  readonly calls: Map<
    string,
    { readonly expressions: Readonly<Record<string, unknown>>; readonly path: string }
  >;
  readonly outputs: Map<string, Expression>;
}

/** Secrets shorter than this are not searched for inside other values (they would match ordinary words). */
const MIN_REPEATED_SECRET = 6;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Whether parsed JSON is `terraform show -json` output: a `format_version` and the plan or state sections beside it.
 * An empty state is `{"format_version":"1.0"}` alone.
 */
export function isTerraformJson(document: unknown): document is Record<string, unknown> {
  if (!isRecord(document) || typeof document.format_version !== 'string') return false;
  const keys = Object.keys(document);
  return (
    keys.length === 1 ||
    [
      'terraform_version',
      'planned_values',
      'resource_changes',
      'values',
      'prior_state',
      'configuration',
    ].some((key) => key in document)
  );
}

/** Cheap test on the text before parsing it: Terraform JSON names its format version. */
export const MENTIONS_FORMAT_VERSION = /"format_version"\s*:\s*"/;

/** A stand-in document with these top-level keys, for `isTerraformJson`. */
const keysOnly = (members: ReadonlyMap<string, unknown>): Record<string, unknown> =>
  Object.fromEntries([...members.keys()].map((key) => [key, key === 'format_version' ? '1' : null]));

/**
 * Whether text is `terraform show -json` output, from its top-level keys alone (no parse). The scan stops once the
 * keys decide it: Terraform writes `format_version` and `terraform_version` first, so a 40 MB plan is claimed after
 * a few bytes instead of a walk through all of it (which readTerraformJson then does once).
 */
export function looksLikeTerraformJson(text: string): boolean {
  if (!MENTIONS_FORMAT_VERSION.test(text)) return false;
  let members: Map<string, { start: number; end: number }> | undefined;
  try {
    members = topLevelMembers(
      text,
      (found) => found.has('format_version') && found.size > 1 && isTerraformJson(keysOnly(found)),
    );
  } catch {
    return false;
  }
  if (members?.has('format_version') !== true) return false;
  return isTerraformJson(keysOnly(members));
}

/** One step of a module instance address: `module.name` with an optional key. */
const MODULE_STEP = /^module\.([A-Za-z_][A-Za-z0-9_-]*)(\[(?:\d+|"(?:[^"\\]|\\.)*")\])?/;

/** The steps of a module instance address (`module.a["x"].module.b` → two steps). */
function moduleSteps(address: string): { name: string; key?: number | string; text: string }[] {
  const steps: { name: string; key?: number | string; text: string }[] = [];
  let rest = address;
  while (rest !== '') {
    const match = MODULE_STEP.exec(rest);
    if (match === null) throw new TerraformPlanError(`unreadable module address "${address}"`);
    const [text, name, key] = match as unknown as [string, string, string | undefined];
    steps.push({ name, text, ...(key === undefined ? {} : { key: parseKey(key) }) });
    rest = rest.slice(text.length).replace(/^\./, '');
  }
  return steps;
}

/** `[0]` → 0, `["a"]` → "a". */
function parseKey(bracketed: string): number | string {
  const inner = bracketed.slice(1, -1);
  return inner.startsWith('"') ? (JSON.parse(inner) as string) : Number(inner);
}

/** The configuration path of a module instance: its address without instance keys. */
const configPath = (moduleAddress: string): string =>
  moduleSteps(moduleAddress)
    .map((step) => `module.${step.name}`)
    .join('.');

/** Whether an `after_unknown` (or `after_sensitive`) subtree has any `true` leaf. */
function containsUnknown(tree: unknown): boolean {
  if (tree === true) return true;
  if (Array.isArray(tree)) return tree.some(containsUnknown);
  if (isRecord(tree)) return Object.values(tree).some(containsUnknown);
  return false;
}

/** Readable path for messages: `client_authentication[0].unauthenticated`. */
function pathText(path: readonly (string | number)[]): string {
  return path
    .map((step, at) => (typeof step === 'number' ? `[${step}]` : at === 0 ? step : `.${step}`))
    .join('');
}

/** A parsed plan or state, read without deciding anything. */
export class PlanView {
  /** Resources to judge: managed, and not being deleted (a delete is never a finding). */
  readonly resources: readonly PlanResource[];
  private readonly byModuleAndName = new Map<string, PlanResource[]>();
  private readonly byTypeAndId = new Map<string, PlanResource>();
  private readonly byType = new Map<string, PlanResource[]>();
  private readonly planValues = new Map<PlanResource, PlanValues>();
  /** Module instances by their parent instance and call name (`|cache` → [`module.cache`]). */
  private readonly moduleInstances = new Map<string, Set<string>>();
  private readonly config = new Map<string, ConfigModule>();
  private readonly secrets = new Set<string>();
  private secretPrefixes: Map<string, string[]> | undefined;

  private constructor(
    readonly kind: 'plan' | 'state',
    resources: PlanResource[],
    private readonly textParser: TextParser | undefined,
  ) {
    this.resources = resources;
  }

  /**
   * Reads parsed `terraform show -json` output; the file name is for messages. `textParser` reads text a value holds
   * that is not JSON (an OpenAPI `body` from `file("openapi.yaml")`): the CLI gives its YAML reader, so rule bundles
   * stay free of one.
   */
  static parse(document: unknown, file: string, textParser?: TextParser): PlanView {
    if (!isTerraformJson(document)) {
      throw new TerraformPlanError(`${file}: not terraform show -json output (no format_version)`);
    }
    const major = /^(\d+)\./.exec(String(document.format_version))?.[1];
    if (major !== '1') {
      // Terraform's compatibility promise: a new major format version is not backward compatible.
      throw new TerraformPlanError(
        `${file}: Terraform JSON format_version ${String(document.format_version)} is not supported (only 1.x)`,
      );
    }
    if (document.errored === true) {
      throw new TerraformPlanError(
        `${file}: Terraform reports this plan as errored (planning did not finish); fix the plan errors and run terraform plan again`,
      );
    }
    const isPlan =
      'resource_changes' in document || 'planned_values' in document || 'configuration' in document;
    const view = new PlanView(isPlan ? 'plan' : 'state', [], textParser);
    view.collectSensitiveInputs(document);
    const resources: PlanResource[] = [];
    if (isPlan) {
      const changes = document.resource_changes;
      if (changes !== undefined && !Array.isArray(changes)) {
        throw new TerraformPlanError(`${file}: resource_changes is not a list`);
      }
      for (const change of changes ?? []) {
        const resource = view.fromChange(change, file);
        if (resource !== undefined) resources.push(resource);
      }
      view.readConfiguration(document.configuration, file);
    } else {
      const values = document.values;
      if (values !== undefined && !isRecord(values))
        throw new TerraformPlanError(`${file}: values is not an object`);
      view.walkState(values?.root_module, resources, file);
    }
    (view as { resources: readonly PlanResource[] }).resources = resources;
    for (const resource of resources) {
      const key = `${resource.moduleAddress}|${resource.type}.${resource.name}`;
      const list = view.byModuleAndName.get(key);
      if (list === undefined) view.byModuleAndName.set(key, [resource]);
      else list.push(resource);
      const id = view.valuesOf(resource).values.id;
      if (typeof id === 'string' && id !== '') view.byTypeAndId.set(`${resource.type}|${id}`, resource);
      const ofType = view.byType.get(resource.type);
      if (ofType === undefined) view.byType.set(resource.type, [resource]);
      else ofType.push(resource);
      const steps = resource.moduleAddress === '' ? [] : moduleSteps(resource.moduleAddress);
      steps.forEach((step, at) => {
        const parent = steps
          .slice(0, at)
          .map((item) => item.text)
          .join('.');
        const instance = parent === '' ? step.text : `${parent}.${step.text}`;
        const calls = view.moduleInstances.get(`${parent}|${step.name}`);
        if (calls === undefined) view.moduleInstances.set(`${parent}|${step.name}`, new Set([instance]));
        else calls.add(instance);
      });
    }
    return view;
  }

  /** Sensitive root variables and outputs: their values appear in clear text elsewhere in the plan. */
  private collectSensitiveInputs(document: Record<string, unknown>): void {
    const configuration = document.configuration;
    const rootModule = isRecord(configuration) ? configuration.root_module : undefined;
    const declared = isRecord(rootModule) ? rootModule.variables : undefined;
    const given = document.variables;
    if (isRecord(declared) && isRecord(given)) {
      for (const [name, declaration] of Object.entries(declared)) {
        if (isRecord(declaration) && declaration.sensitive === true) {
          const variable = given[name];
          this.remember(isRecord(variable) ? variable.value : undefined);
          this.remember(declaration.default);
        }
      }
    }
    const outputChanges = document.output_changes;
    if (isRecord(outputChanges)) {
      for (const output of Object.values(outputChanges)) {
        const change = isRecord(output) ? output.change : undefined;
        if (isRecord(change) && change.after_sensitive === true) this.remember(change.after);
      }
    }
    for (const section of [document.planned_values, document.values]) {
      const outputs = isRecord(section) ? section.outputs : undefined;
      if (!isRecord(outputs)) continue;
      for (const output of Object.values(outputs)) {
        if (isRecord(output) && output.sensitive === true) this.remember(output.value);
      }
    }
  }

  /** Keeps every string inside a sensitive value, so a copy of it elsewhere is caught too. */
  private remember(value: unknown): void {
    if (typeof value === 'string') {
      if (value.length >= MIN_REPEATED_SECRET) this.secrets.add(value);
    } else if (Array.isArray(value)) {
      for (const item of value) this.remember(item);
    } else if (isRecord(value)) {
      for (const item of Object.values(value)) this.remember(item);
    }
    this.secretPrefixes = undefined;
  }

  /** Replaces what `sensitive` marks in `value` by SENSITIVE (null stays null: not set), remembering the secrets. */
  private redact(value: unknown, sensitive: unknown): unknown {
    if (!containsUnknown(sensitive)) return value;
    if (sensitive === true) {
      if (value === null || value === undefined) return value;
      this.remember(value);
      return SENSITIVE;
    }
    if (Array.isArray(value) && Array.isArray(sensitive)) {
      return value.map((item, index) => this.redact(item, sensitive[index]));
    }
    if (isRecord(value) && isRecord(sensitive)) {
      const copy: Record<string, unknown> = { ...value };
      for (const [key, marks] of Object.entries(sensitive)) {
        if (key in copy) copy[key] = this.redact(copy[key], marks);
      }
      return copy;
    }
    return value;
  }

  private fromChange(raw: unknown, file: string): PlanResource | undefined {
    if (!isRecord(raw)) throw new TerraformPlanError(`${file}: a resource_changes entry is not an object`);
    const change = raw.change;
    const address = raw.address;
    if (typeof address !== 'string' || !isRecord(change) || !Array.isArray(change.actions)) {
      throw new TerraformPlanError(`${file}: a resource_changes entry has no address or change.actions`);
    }
    if (raw.mode !== 'managed' || raw.deposed !== undefined) return undefined;
    const actions = change.actions as unknown[];
    // ["delete"] removes the object; ["forget"] stops managing it without a new configuration: neither is deployed
    // by this plan. A replace (["delete","create"] / ["create","delete"]) deploys its "after".
    if (!actions.includes('create') && !actions.includes('update') && !actions.includes('no-op'))
      return undefined;
    const after = change.after;
    if (!isRecord(after)) throw new TerraformPlanError(`${file}: ${address} has no change.after values`);
    const kind: PlanChange = actions.includes('delete')
      ? 'replace'
      : actions.includes('create')
        ? 'create'
        : actions.includes('update')
          ? 'update'
          : 'no-op';
    return this.resource(raw, address, kind, after, change.after_sensitive, change.after_unknown, file);
  }

  private resource(
    raw: Record<string, unknown>,
    address: string,
    change: PlanChange,
    values: Record<string, unknown>,
    sensitive: unknown,
    unknown: unknown,
    file: string,
  ): PlanResource {
    const type = raw.type;
    const name = raw.name;
    if (typeof type !== 'string' || typeof name !== 'string') {
      throw new TerraformPlanError(`${file}: ${address} has no type or name`);
    }
    const moduleAddress = typeof raw.module_address === 'string' ? raw.module_address : moduleOf(address);
    const index = raw.index;
    const resource: PlanResource = {
      address,
      moduleAddress,
      type,
      name,
      ...(typeof index === 'number' || typeof index === 'string' ? { index } : {}),
      change,
    };
    this.planValues.set(resource, {
      values: this.redact(values, sensitive) as Record<string, unknown>,
      unknown: unknown ?? {},
    });
    return resource;
  }

  private valuesOf(resource: PlanResource): PlanValues {
    const found = this.planValues.get(resource);
    if (found === undefined)
      throw new TerraformPlanError(`${resource.address} is not a resource of this plan`);
    return found;
  }

  private walkState(module: unknown, into: PlanResource[], file: string): void {
    if (module === undefined) return;
    if (!isRecord(module)) throw new TerraformPlanError(`${file}: a state module is not an object`);
    for (const raw of Array.isArray(module.resources) ? (module.resources as unknown[]) : []) {
      if (!isRecord(raw) || typeof raw.address !== 'string') {
        throw new TerraformPlanError(`${file}: a state resource has no address`);
      }
      if (raw.mode !== 'managed') continue;
      const values = raw.values;
      if (!isRecord(values)) throw new TerraformPlanError(`${file}: ${raw.address} has no values`);
      const moduleAddress = moduleOf(raw.address);
      into.push(
        this.resource(
          { ...raw, module_address: moduleAddress },
          raw.address,
          'state',
          values,
          raw.sensitive_values,
          {},
          file,
        ),
      );
    }
    for (const child of Array.isArray(module.child_modules) ? (module.child_modules as unknown[]) : []) {
      this.walkState(child, into, file);
    }
  }

  private readConfiguration(configuration: unknown, file: string): void {
    if (configuration === undefined) return;
    if (!isRecord(configuration)) throw new TerraformPlanError(`${file}: configuration is not an object`);
    const visit = (module: unknown, path: string, depth: number): void => {
      if (!isRecord(module) || depth > 50) return;
      const resources = new Map<string, Readonly<Record<string, unknown>>>();
      for (const raw of Array.isArray(module.resources) ? (module.resources as unknown[]) : []) {
        if (isRecord(raw) && raw.mode === 'managed' && typeof raw.address === 'string') {
          resources.set(raw.address, isRecord(raw.expressions) ? raw.expressions : {});
        }
      }
      const calls = new Map<string, { expressions: Readonly<Record<string, unknown>>; path: string }>();
      const outputs = new Map<string, Expression>();
      if (isRecord(module.outputs)) {
        for (const [name, output] of Object.entries(module.outputs)) {
          if (isRecord(output) && isRecord(output.expression)) outputs.set(name, output.expression);
        }
      }
      this.config.set(path, { resources, calls, outputs });
      if (isRecord(module.module_calls)) {
        for (const [name, call] of Object.entries(module.module_calls)) {
          if (!isRecord(call)) continue;
          const childPath = path === '' ? `module.${name}` : `${path}.module.${name}`;
          calls.set(name, {
            expressions: isRecord(call.expressions) ? call.expressions : {},
            path: childPath,
          });
          visit(call.module, childPath, depth + 1);
        }
      }
    };
    visit(configuration.root_module, '', 0);
  }

  /** A JSON or YAML text inside a value (an OpenAPI `body`), or undefined when it does not parse. */
  parseText(text: string): unknown {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      try {
        return this.textParser?.(text);
      } catch {
        return undefined;
      }
    }
  }

  /** Every resource of these types that this plan deploys (for joins: the API of a route). */
  ofType(type: string): readonly PlanResource[] {
    return this.byType.get(type) ?? [];
  }

  /** The resource of this type whose known `id` is this one (an existing resource, or one read from state). */
  byId(type: string, id: string): PlanResource | undefined {
    return this.byTypeAndId.get(`${type}|${id}`);
  }

  /**
   * The value at a path (attribute names and list indexes), known only when nothing inside it is unknown. A
   * missing step is known and undefined; a string that repeats a sensitive value comes back as SENSITIVE.
   */
  value(resource: PlanResource, ...path: readonly (string | number)[]): PlanValue {
    const { values, unknown: unknownTree } = this.valuesOf(resource);
    let value: unknown = values;
    let unknown: unknown = unknownTree;
    for (const step of path) {
      if (unknown === true) return this.unknownAt(path);
      value = stepInto(value, step);
      unknown = stepInto(unknown, step);
    }
    if (containsUnknown(unknown)) return this.unknownAt(path);
    return { known: true, value: this.guard(value) };
  }

  /** As `value`, for text: numbers and booleans as text, absent or null as undefined, anything else unreadable. */
  text(
    resource: PlanResource,
    ...path: readonly (string | number)[]
  ): { known: true; value: string | undefined } | PlanUnknown {
    const found = this.value(resource, ...path);
    if (!found.known) return found;
    const plain = found.value;
    if (plain === undefined || plain === null) return { known: true, value: undefined };
    if (typeof plain === 'string') return { known: true, value: plain };
    if (typeof plain === 'number' || typeof plain === 'boolean') return { known: true, value: String(plain) };
    if (plain instanceof SensitiveValue) return { known: true, value: String(plain) };
    return { known: false, reason: `${pathText(path)} is not text`, property: pathText(path) };
  }

  /**
   * How many items a list (or set) holds, known when the list itself is: unlike `value`, items with values known only
   * after apply inside it (a user pool's region) do not make the count unknown.
   */
  count(
    resource: PlanResource,
    ...path: readonly (string | number)[]
  ): { known: true; count: number } | PlanUnknown {
    const { values, unknown: unknownTree } = this.valuesOf(resource);
    let value: unknown = values;
    let unknown: unknown = unknownTree;
    for (const step of path) {
      if (unknown === true) return this.unknownAt(path);
      value = stepInto(value, step);
      unknown = stepInto(unknown, step);
    }
    if (unknown === true) return this.unknownAt(path);
    return { known: true, count: Array.isArray(value) ? value.length : 0 };
  }

  /** What every evaluation of a plan resource starts from: named by its full address, with its tags. */
  subject(resource: PlanResource): {
    resourceId: string;
    logicalId: string;
    resourceName: string;
    tags: Record<string, string>;
  } {
    return {
      resourceId: resource.address,
      logicalId: resource.address,
      resourceName: resource.address,
      tags: this.tags(resource),
    };
  }

  private unknownAt(path: readonly (string | number)[]): PlanUnknown {
    return { known: false, reason: `${pathText(path)} is known only after apply`, property: pathText(path) };
  }

  /**
   * Whether the configuration sets this argument (so an unknown value comes from an expression, not from a
   * default the provider or the service chooses). Undefined when the input has no configuration (a state).
   */
  configured(resource: PlanResource, ...path: readonly string[]): boolean | undefined {
    const expressions = this.expressionsOf(resource);
    if (expressions === undefined) return undefined;
    let node: unknown = expressions;
    for (const step of path) {
      if (Array.isArray(node)) node = node[0];
      if (!isRecord(node)) return false;
      node = node[step];
    }
    return node !== undefined;
  }

  private expressionsOf(resource: PlanResource): Readonly<Record<string, unknown>> | undefined {
    if (this.config.size === 0) return undefined;
    return this.config
      .get(configPath(resource.moduleAddress))
      ?.resources.get(`${resource.type}.${resource.name}`);
  }

  /** Where the expression of an argument leads: the resources it names, through module inputs and outputs. */
  references(resource: PlanResource, attribute: string): ReferenceTargets {
    const expression = this.expressionsOf(resource)?.[attribute];
    const targets = {
      resources: new Set<PlanResource>(),
      external: new Set<string>(),
      unresolved: new Set<string>(),
    };
    if (isRecord(expression)) this.follow(expression, resource.moduleAddress, resource.index, targets, 0);
    return {
      resources: [...targets.resources],
      external: [...targets.external],
      unresolved: [...targets.unresolved],
    };
  }

  private follow(
    expression: Expression,
    moduleAddress: string,
    index: number | string | undefined,
    targets: { resources: Set<PlanResource>; external: Set<string>; unresolved: Set<string> },
    depth: number,
  ): void {
    if (depth > 20) return;
    const references = referencesOf(expression);
    const byInstanceKey =
      references.includes('count.index') || references.some((ref) => ref.startsWith('each.'));
    // Terraform lists each reference with every shorter prefix ("aws_x.a.id", "aws_x.a"): keep the most specific
    // target of each object, and skip the implied prefixes.
    const resourceTargets = new Map<string, Set<number | string | undefined>>();
    for (const reference of references) {
      if (/^(count|each|path|terraform|self)\./.test(reference)) continue;
      if (reference.startsWith('local.')) {
        targets.unresolved.add(reference.split('.').slice(0, 2).join('.'));
        continue;
      }
      if (reference.startsWith('data.')) {
        targets.external.add(reference.split('.').slice(0, 3).join('.').replace(/\[.*$/, ''));
        continue;
      }
      if (reference.startsWith('var.')) {
        this.followVariable(reference.split('.')[1] ?? '', moduleAddress, targets, depth);
        continue;
      }
      const moduleOutput =
        /^module\.([A-Za-z_][A-Za-z0-9_-]*)(\[(?:\d+|"(?:[^"\\]|\\.)*")\])?\.([A-Za-z_][A-Za-z0-9_-]*)/.exec(
          reference,
        );
      if (moduleOutput !== null) {
        const [, call, key, output] = moduleOutput as unknown as [string, string, string | undefined, string];
        this.followOutput(
          moduleAddress,
          call,
          key === undefined ? undefined : parseKey(key),
          output,
          targets,
          depth,
        );
        continue;
      }
      if (reference.startsWith('module.')) continue;
      const target =
        /^([A-Za-z_][A-Za-z0-9_-]*\.[A-Za-z_][A-Za-z0-9_-]*)(\[(?:\d+|"(?:[^"\\]|\\.)*")\])?/.exec(reference);
      if (target === null) continue;
      const [, name, key] = target as unknown as [string, string, string | undefined];
      const keys = resourceTargets.get(name) ?? new Set();
      keys.add(key === undefined ? undefined : parseKey(key));
      resourceTargets.set(name, keys);
    }
    for (const [name, keys] of resourceTargets) {
      const instances = this.byModuleAndName.get(`${moduleAddress}|${name}`) ?? [];
      const explicit = [...keys].filter((key) => key !== undefined);
      let chosen: PlanResource[];
      if (explicit.length > 0)
        chosen = instances.filter((instance) => explicit.some((key) => key === instance.index));
      else if (instances.length > 1 && byInstanceKey && index !== undefined)
        chosen = instances.filter((instance) => instance.index === index);
      else chosen = instances;
      for (const instance of chosen) targets.resources.add(instance);
    }
  }

  /** `var.x` inside a module: the expression its caller passes for x, followed in the caller's module. */
  private followVariable(
    name: string,
    moduleAddress: string,
    targets: { resources: Set<PlanResource>; external: Set<string>; unresolved: Set<string> },
    depth: number,
  ): void {
    if (moduleAddress === '') {
      targets.external.add(`var.${name}`);
      return;
    }
    const steps = moduleSteps(moduleAddress);
    const last = steps[steps.length - 1];
    const parentAddress = steps
      .slice(0, -1)
      .map((step) => step.text)
      .join('.');
    const call = this.config.get(configPath(parentAddress))?.calls.get(last?.name ?? '');
    const passed = call?.expressions[name];
    if (!isRecord(passed)) {
      // Not passed: the variable's default, a value, not a resource.
      targets.external.add(`var.${name}`);
      return;
    }
    if (referencesOf(passed).length === 0) {
      targets.external.add(`var.${name}`);
      return;
    }
    this.follow(passed, parentAddress, last?.key, targets, depth + 1);
  }

  /** `module.c.out`: the output's expression, followed in each instance of module c (or the one keyed). */
  private followOutput(
    moduleAddress: string,
    call: string,
    key: number | string | undefined,
    output: string,
    targets: { resources: Set<PlanResource>; external: Set<string>; unresolved: Set<string> },
    depth: number,
  ): void {
    const callPath = configPath(moduleAddress);
    const childPath = callPath === '' ? `module.${call}` : `${callPath}.module.${call}`;
    const expression = this.config.get(childPath)?.outputs.get(output);
    if (expression === undefined) {
      targets.unresolved.add(`module.${call}.${output}`);
      return;
    }
    for (const instance of this.moduleInstances.get(`${moduleAddress}|${call}`) ?? []) {
      if (key !== undefined && moduleSteps(instance).at(-1)?.key !== key) continue;
      this.follow(expression, instance, undefined, targets, depth + 1);
    }
  }

  /**
   * Tags for exceptions: `tags_all` (with the provider's default_tags) when it is known, else `tags`. Values not
   * known before apply, and values that are not text, are left out.
   */
  tags(resource: PlanResource): Record<string, string> {
    const { values, unknown: unknownTree } = this.valuesOf(resource);
    for (const attribute of ['tags_all', 'tags']) {
      const unknown = stepInto(unknownTree, attribute);
      if (unknown === true) continue;
      const value = values[attribute];
      if (!isRecord(value)) continue;
      const tags: Record<string, string> = {};
      for (const [key, item] of Object.entries(value)) {
        if (stepInto(unknown, key) === true) continue;
        const plain = this.guard(item);
        if (typeof plain === 'string') tags[key] = plain;
      }
      return tags;
    }
    return {};
  }

  /**
   * A string that repeats a sensitive value anywhere in the plan comes back as SENSITIVE, also inside lists and
   * maps; anything else as is.
   */
  private guard(value: unknown): unknown {
    if (this.secrets.size === 0 || value instanceof SensitiveValue) return value;
    if (typeof value === 'string') return this.repeatsSecret(value) ? SENSITIVE : value;
    if (Array.isArray(value)) return value.map((item) => this.guard(item));
    if (isRecord(value)) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.guard(item)]));
    }
    return value;
  }

  private repeatsSecret(value: string): boolean {
    if (value.length < MIN_REPEATED_SECRET) return false;
    // Indexed by their first characters, so a string is scanned once whatever the number of secrets.
    if (this.secretPrefixes === undefined) {
      this.secretPrefixes = new Map();
      for (const secret of this.secrets) {
        const prefix = secret.slice(0, MIN_REPEATED_SECRET);
        const list = this.secretPrefixes.get(prefix);
        if (list === undefined) this.secretPrefixes.set(prefix, [secret]);
        else list.push(secret);
      }
    }
    for (let at = 0; at + MIN_REPEATED_SECRET <= value.length; at += 1) {
      const candidates = this.secretPrefixes.get(value.slice(at, at + MIN_REPEATED_SECRET));
      if (candidates?.some((secret) => value.startsWith(secret, at)) === true) return true;
    }
    return false;
  }
}

function stepInto(value: unknown, step: string | number): unknown {
  if (typeof step === 'number') return Array.isArray(value) ? (value[step] as unknown) : undefined;
  return isRecord(value) ? value[step] : undefined;
}

/** The module part of a resource address (`module.a["x"].aws_y.z[0]` → `module.a["x"]`). */
function moduleOf(address: string): string {
  let rest = address;
  const parts: string[] = [];
  for (;;) {
    const match = MODULE_STEP.exec(rest);
    if (match === null) break;
    parts.push(match[0]);
    rest = rest.slice(match[0].length).replace(/^\./, '');
  }
  return parts.join('.');
}

/**
 * The top-level members of a JSON object text, as the ranges of their values, found in one pass that follows strings
 * and nesting (no parse). Lets the reader parse only the sections it reads: a 20,000-resource plan's
 * `planned_values` and `prior_state` repeat what `resource_changes` holds. Undefined when the text is no object.
 * `enough` ends the scan early, after the member that satisfies it.
 */
export function topLevelMembers(
  text: string,
  enough?: (members: ReadonlyMap<string, { start: number; end: number }>) => boolean,
): Map<string, { start: number; end: number }> | undefined {
  const members = new Map<string, { start: number; end: number }>();
  let at = text.search(/\S/);
  if (at < 0 || text[at] !== '{') return undefined;
  at += 1;
  const length = text.length;
  const skipSpace = (): void => {
    while (at < length) {
      const code = text.charCodeAt(at);
      if (code !== 32 && code !== 10 && code !== 13 && code !== 9) return;
      at += 1;
    }
  };
  /** From an opening quote to just past its closing one. */
  const skipString = (): void => {
    at += 1;
    for (;;) {
      const close = text.indexOf('"', at);
      if (close < 0) throw new SyntaxError('unterminated string');
      let backslashes = 0;
      for (let back = close - 1; text.charCodeAt(back) === 92; back -= 1) backslashes += 1;
      at = close + 1;
      if (backslashes % 2 === 0) return;
    }
  };
  for (;;) {
    skipSpace();
    if (text[at] === '}') return members;
    if (text[at] !== '"') return undefined;
    const keyStart = at;
    skipString();
    const key = JSON.parse(text.slice(keyStart, at)) as string;
    skipSpace();
    if (text[at] !== ':') return undefined;
    at += 1;
    skipSpace();
    const start = at;
    let depth = 0;
    while (at < length) {
      const char = text.charCodeAt(at);
      if (char === 34) {
        skipString();
        if (depth === 0) break;
        continue;
      }
      if (char === 123 || char === 91) depth += 1;
      else if (char === 125 || char === 93) {
        if (depth === 0) break;
        depth -= 1;
        if (depth === 0) {
          at += 1;
          break;
        }
      } else if (depth === 0 && char === 44) break;
      at += 1;
    }
    members.set(key, { start, end: at });
    if (enough?.(members) === true) return members;
    skipSpace();
    if (text[at] === ',') at += 1;
  }
}

/**
 * Sections of a plan the reader never reads: `planned_values` repeats `resource_changes` without the unknowns, and
 * `prior_state` is the state before. Left unparsed, they cost neither time nor memory (a third of a large plan).
 */
const UNREAD_SECTIONS = new Set(['planned_values', 'prior_state', 'resource_drift', 'relevant_attributes']);

/** Reads `terraform show -json` output from text; undefined when the text is not Terraform JSON output. */
export function readTerraformJson(text: string, file: string, textParser?: TextParser): PlanView | undefined {
  if (!MENTIONS_FORMAT_VERSION.test(text)) return undefined;
  let document: unknown;
  try {
    const members = topLevelMembers(text);
    document =
      members === undefined
        ? JSON.parse(text)
        : Object.fromEntries(
            [...members].map(([key, range]) => [
              key,
              UNREAD_SECTIONS.has(key) ? {} : (JSON.parse(text.slice(range.start, range.end)) as unknown),
            ]),
          );
  } catch {
    return undefined;
  }
  return isTerraformJson(document) ? PlanView.parse(document, file, textParser) : undefined;
}

/** A text value when it is known before apply and set, else undefined. */
export function knownText(
  plan: PlanView,
  resource: PlanResource,
  ...path: (string | number)[]
): string | undefined {
  const found = plan.text(resource, ...path);
  return found.known ? found.value : undefined;
}
