/**
 * The plan's `configuration` section, and where its expressions lead. Each module's resources list their arguments'
 * `references` (`aws_api_gateway_rest_api.api.id`, `var.api_id`, `module.api.id`); following them through module
 * inputs (what the caller passes) and outputs (what the child returns) finds the resources of the plan an argument
 * known only after apply will point at. Locals are not in the plan JSON: those are named, never guessed.
 */
import { configPath, moduleSteps, parseKey } from './addresses';
import { TerraformPlanError, isRecord, type PlanResource, type ReferenceTargets } from './model';

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

/** What `follow` collects, deduplicated. */
interface Targets {
  resources: Set<PlanResource>;
  external: Set<string>;
  unresolved: Set<string>;
}

/** Each module of the configuration by its path (`module.a.module.b`, root ''): resources, calls and outputs. */
function readConfiguration(configuration: unknown, file: string): Map<string, ConfigModule> {
  const config = new Map<string, ConfigModule>();
  if (configuration === undefined) return config;
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
    config.set(path, { resources, calls, outputs });
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
  return config;
}

/** The configuration of a plan, joined to the resource instances the plan deploys. */
export class ConfigurationReferences {
  private readonly config: Map<string, ConfigModule>;
  private readonly byModuleAndName = new Map<string, PlanResource[]>();
  /** Module instances by their parent instance and call name (`|cache` → [`module.cache`]). */
  private readonly moduleInstances = new Map<string, Set<string>>();

  /** `configuration` is the plan's section (undefined for a state); the file name is for messages. */
  constructor(configuration: unknown, resources: readonly PlanResource[], file: string) {
    this.config = readConfiguration(configuration, file);
    for (const resource of resources) {
      const key = `${resource.moduleAddress}|${resource.type}.${resource.name}`;
      const list = this.byModuleAndName.get(key);
      if (list === undefined) this.byModuleAndName.set(key, [resource]);
      else list.push(resource);
      const steps = resource.moduleAddress === '' ? [] : moduleSteps(resource.moduleAddress);
      steps.forEach((step, at) => {
        const parent = steps
          .slice(0, at)
          .map((item) => item.text)
          .join('.');
        const instance = parent === '' ? step.text : `${parent}.${step.text}`;
        const calls = this.moduleInstances.get(`${parent}|${step.name}`);
        if (calls === undefined) this.moduleInstances.set(`${parent}|${step.name}`, new Set([instance]));
        else calls.add(instance);
      });
    }
  }

  private expressionsOf(resource: PlanResource): Readonly<Record<string, unknown>> | undefined {
    if (this.config.size === 0) return undefined;
    return this.config
      .get(configPath(resource.moduleAddress))
      ?.resources.get(`${resource.type}.${resource.name}`);
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

  /** Where the expression of an argument leads: the resources it names, through module inputs and outputs. */
  references(resource: PlanResource, attribute: string): ReferenceTargets {
    const expression = this.expressionsOf(resource)?.[attribute];
    const targets: Targets = {
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
    targets: Targets,
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
  private followVariable(name: string, moduleAddress: string, targets: Targets, depth: number): void {
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
    targets: Targets,
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
}
