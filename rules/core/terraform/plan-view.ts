/**
 * The view the controls' Terraform adapters read a plan through: the resources to judge, their values as known
 * before apply, and where their arguments' references lead. It composes the reader's parts (resources.ts,
 * known.ts, references.ts) and puts every value it hands on through the sensitive-value guard (sensitive.ts).
 */
import { parseTerraformJson, isTerraformJson } from './json-output';
import { countAt, knownTags, pathText, valueAt } from './known';
import {
  TerraformPlanError,
  type PlanResource,
  type PlanUnknown,
  type PlanValue,
  type PlanValues,
  type ReferenceTargets,
  type TextParser,
} from './model';
import { ConfigurationReferences } from './references';
import { readChanges, readState } from './resources';
import { SecretGuard, SensitiveValue } from './sensitive';

/** A parsed plan or state, read without deciding anything. */
export class PlanView {
  /** Resources to judge: managed, and not being deleted (a delete is never a finding). */
  readonly resources: readonly PlanResource[];
  private readonly byTypeAndId = new Map<string, PlanResource>();
  private readonly byType = new Map<string, PlanResource[]>();

  private constructor(
    readonly kind: 'plan' | 'state',
    private readonly planValues: ReadonlyMap<PlanResource, PlanValues>,
    private readonly configuration: ConfigurationReferences,
    private readonly secrets: SecretGuard,
    private readonly textParser: TextParser | undefined,
  ) {
    this.resources = [...planValues.keys()];
    for (const resource of this.resources) {
      const id = this.valuesOf(resource).values.id;
      if (typeof id === 'string' && id !== '') this.byTypeAndId.set(`${resource.type}|${id}`, resource);
      const ofType = this.byType.get(resource.type);
      if (ofType === undefined) this.byType.set(resource.type, [resource]);
      else ofType.push(resource);
    }
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
    const secrets = new SecretGuard();
    secrets.collectSensitiveInputs(document);
    const planValues = isPlan
      ? readChanges(document.resource_changes, secrets, file)
      : readState(document.values, secrets, file);
    const configuration = new ConfigurationReferences(
      isPlan ? document.configuration : undefined,
      [...planValues.keys()],
      file,
    );
    return new PlanView(isPlan ? 'plan' : 'state', planValues, configuration, secrets, textParser);
  }

  private valuesOf(resource: PlanResource): PlanValues {
    const found = this.planValues.get(resource);
    if (found === undefined)
      throw new TerraformPlanError(`${resource.address} is not a resource of this plan`);
    return found;
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
    const found = valueAt(this.valuesOf(resource), path);
    return found.known ? { known: true, value: this.secrets.guard(found.value) } : found;
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
    return countAt(this.valuesOf(resource), path);
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

  /**
   * Tags for exceptions: `tags_all` (with the provider's default_tags) when it is known, else `tags`. Values not
   * known before apply, and values that are not text, are left out.
   */
  tags(resource: PlanResource): Record<string, string> {
    return knownTags(this.valuesOf(resource), (value) => this.secrets.guard(value));
  }

  /**
   * Whether the configuration sets this argument (so an unknown value comes from an expression, not from a
   * default the provider or the service chooses). Undefined when the input has no configuration (a state).
   */
  configured(resource: PlanResource, ...path: readonly string[]): boolean | undefined {
    return this.configuration.configured(resource, ...path);
  }

  /** Where the expression of an argument leads: the resources it names, through module inputs and outputs. */
  references(resource: PlanResource, attribute: string): ReferenceTargets {
    return this.configuration.references(resource, attribute);
  }
}

/** Reads `terraform show -json` output from text; undefined when the text is not Terraform JSON output. */
export function readTerraformJson(text: string, file: string, textParser?: TextParser): PlanView | undefined {
  const document = parseTerraformJson(text);
  return document === undefined ? undefined : PlanView.parse(document, file, textParser);
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
