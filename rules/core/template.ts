/**
 * Reading CloudFormation templates (JSON or YAML with the short-form intrinsics) for the pre-deploy check.
 * A value is either known statically — a literal, or a `Ref` to a parameter with a `Default` — or it is not, and
 * then the check says "cannot be verified before deploy" instead of guessing.
 *
 * Over 400 lines as one thing: the template types and the view every adapter reads through (resources, references,
 * known values, tags, lines), so each adapter resolves a value the same way.
 */
import type { Tags as YamlTags } from 'yaml';
import { TemplateError } from './template-error';
export { TemplateError } from './template-error';
import {
  SourceError,
  readSource,
  type PathStep,
  type ShortForm,
  type TemplateSource,
} from './template-source';

/** A statically known value, or why it is not known. */
export type Resolution =
  { readonly known: true; readonly value: unknown } | { readonly known: false; readonly reason: string };

export interface TemplateResource {
  readonly logicalId: string;
  readonly type: string;
  readonly properties: Readonly<Record<string, unknown>>;
  /** 1-based line of the resource in its file, when known. */
  readonly line?: number;
  /** For an API SAM makes (rules/core/sam.ts): the function event behind each route key, where to fix it. */
  readonly routeOrigins?: Readonly<Record<string, RouteOrigin>>;
  /** For an API SAM makes: the source property its `Body` was written as (`DefinitionBody`), for finding lines. */
  readonly bodyProperty?: string;
  /** For a resource the SAM transform makes: the SAM resource its author wrote, where a failing finding is fixed. */
  readonly sam?: SamSource;
}

/** What in the template makes a route: a SAM function's event, with its line. */
export interface RouteOrigin {
  readonly logicalId: string;
  /** In words: `function Hello event Greet`. */
  readonly name: string;
  /** The line of the event's `Auth.Authorizer` when it is written, else of the event. */
  readonly line?: number;
  /** The event's name under `Events` of the function. */
  readonly eventName?: string;
  /** The event's `Auth.Authorizer` as written (`NONE`, `AWS_IAM`, an authorizer's name), when it is. */
  readonly authorizer?: unknown;
}

/**
 * The SAM resource a CloudFormation resource of the transform comes from (`AWS::Serverless::HttpApi` for an
 * `AWS::ApiGatewayV2::Api`): a SAM author fixes the SAM resource's properties, not the transform's output.
 */
export interface SamSource {
  /** The SAM type (`AWS::Serverless::Function`). */
  readonly type: string;
  /** The SAM resource's logical id (`ServerlessHttpApi` for the API SAM makes from function events). */
  readonly logicalId: string;
  /** Made by the transform from function events (`ServerlessHttpApi`, `ServerlessRestApi`): not in the template. */
  readonly implicit?: boolean;
  /** The section of `Globals` whose properties the transform merges under the resource's own (`HttpApi`). */
  readonly globals?: string;
}

/** Where a SAM property is to be set: the resource's own, or `Globals` when only Globals writes it (the line there). */
export interface SamSetting {
  /** `Auth.DefaultAuthorizer`, or `Globals.HttpApi.Auth.DefaultAuthorizer`. */
  readonly property: string;
  /** The line of what is written of it (the deepest part written), else the resource's. */
  readonly line?: number;
  /** Whether the place is Globals. */
  readonly inGlobals: boolean;
  /** Whether the whole path is written there (else only a part of it, or none). */
  readonly written: boolean;
}

/** A local file that stands for an S3 object the template names (`--s3-file s3://bucket/key=path`). */
export type S3FileReader = (uri: string) => { readonly path: string; readonly text: string } | undefined;

/**
 * Why a resource's facts cannot be known before deploy. `reason` is the words the finding shows ("AuthToken is
 * conditional (Fn::If), …"); `property` is the property path they are about (`ClientAuthentication.Tls.Enabled`,
 * `AdditionalAuthenticationProviders[0].AuthenticationType`), absent when no one property is to blame.
 */
export interface Unverifiable {
  readonly property?: string;
  readonly reason: string;
}

/** A property read as text: its value, or why it cannot be known (naming the property). */
export type TextResolution =
  | { readonly known: true; readonly value: string | undefined }
  | { readonly known: false; readonly reason: string; readonly property: string };

/** What a rule's template adapter produces for one resource: facts, or the reason they cannot be known. */
export type TemplateEvaluation<Facts> = {
  readonly resourceId: string;
  readonly resourceName: string;
  readonly logicalId: string;
  readonly line?: number;
  readonly tags: Readonly<Record<string, string>>;
} & (
  | { readonly facts: Facts }
  | {
      readonly unverifiable: Unverifiable;
      /** Exception qualifiers known even so (a route's key), so a route-level exception still applies. */
      readonly qualifiers?: readonly string[];
    }
) & {
    /**
     * The template change for a failing finding when the adapter's does not fit: of unknown facts, what makes them
     * checkable (else "make <property> a literal"); of known facts, the fix in the terms the author wrote them in
     * (a SAM resource's properties, not the CloudFormation the transform makes of them).
     */
    readonly fix?: string;
    /** Logical id of the resource that holds this one's exception tags (the API of a route). */
    readonly holder?: string;
    /**
     * The property a failing finding on this resource points at, when not the adapter's (`Target` for the route a
     * quick-create API makes).
     */
    readonly property?: string;
  };

const FUNCTIONS = [
  'Base64',
  'Cidr',
  'FindInMap',
  'GetAZs',
  'ImportValue',
  'Join',
  'Select',
  'Split',
  'Sub',
  'Transform',
  'And',
  'Equals',
  'If',
  'Not',
  'Or',
  'ToJsonString',
  'Length',
];

/** One short-form intrinsic, in its scalar, sequence and mapping spellings. */
function shortForm(tag: string, toLong: ShortForm['toLong']): YamlTags {
  const tags: unknown[] = [
    { tag, identify: () => false, resolve: (value: string) => toLong(value) },
    { tag, collection: 'seq', identify: () => false, resolve: (value: unknown) => toLong(toJs(value)) },
    { tag, collection: 'map', identify: () => false, resolve: (value: unknown) => toLong(toJs(value)) },
  ];
  return tags as YamlTags;
}

function getAtt(value: unknown): unknown {
  if (typeof value !== 'string') return { 'Fn::GetAtt': value };
  const dot = value.indexOf('.');
  return { 'Fn::GetAtt': dot === -1 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
}

/** The short-form intrinsics (`!Ref`, `!GetAtt`, `!Sub`, …) and their long form. */
export const SHORT_FORMS: readonly ShortForm[] = [
  { tag: '!Ref', toLong: (value) => ({ Ref: value }) },
  { tag: '!Condition', toLong: (value) => ({ Condition: value }) },
  { tag: '!GetAtt', toLong: getAtt },
  ...FUNCTIONS.map((name) => ({ tag: `!${name}`, toLong: (value: unknown) => ({ [`Fn::${name}`]: value }) })),
];

/** The same, as tags of the yaml package. */
export const CLOUDFORMATION_TAGS: YamlTags = SHORT_FORMS.flatMap((form) => shortForm(form.tag, form.toLong));

function toJs(value: unknown): unknown {
  if (
    value !== null &&
    typeof value === 'object' &&
    'toJSON' in value &&
    typeof value.toJSON === 'function'
  ) {
    return (value as { toJSON: () => unknown }).toJSON();
  }
  return value;
}

export interface ParsedTemplate {
  readonly resources: readonly TemplateResource[];
  readonly parameters: Readonly<Record<string, unknown>>;
  /** The whole template, for the sections a reader needs beyond Resources (SAM's `Transform` and `Globals`). */
  readonly body?: Readonly<Record<string, unknown>>;
  /** The 1-based line of a node below the top (`['Resources', id, 'Properties', …]`), when the text says. */
  readonly lineOf?: (path: readonly PathStep[]) => number | undefined;
}

/** Parses a template (JSON or YAML) and keeps each resource's line. */
export function parseTemplate(text: string, file = 'template'): ParsedTemplate {
  let source: TemplateSource;
  try {
    source = readSource(text, file, { yaml: CLOUDFORMATION_TAGS, shortForms: SHORT_FORMS });
  } catch (error) {
    if (error instanceof SourceError) throw new TemplateError(error.message);
    throw error;
  }
  const body = source.value;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new TemplateError(`${file}: not a CloudFormation template (no top-level mapping)`);
  }
  const template = body as Record<string, unknown>;
  const resources = template.Resources;
  if (typeof resources !== 'object' || resources === null || Array.isArray(resources)) {
    throw new TemplateError(`${file}: not a CloudFormation template (no Resources section)`);
  }
  const parsed: TemplateResource[] = [];
  for (const [logicalId, raw] of Object.entries(resources as Record<string, unknown>)) {
    if (typeof raw !== 'object' || raw === null) continue;
    const resource = raw as Record<string, unknown>;
    const properties = resource.Properties;
    const line = source.lineOf(['Resources', logicalId]);
    parsed.push({
      logicalId,
      type: typeof resource.Type === 'string' ? resource.Type : '',
      properties:
        typeof properties === 'object' && properties !== null && !Array.isArray(properties)
          ? (properties as Record<string, unknown>)
          : {},
      ...(line === undefined ? {} : { line }),
    });
  }
  const parameters = template.Parameters;
  return {
    resources: parsed,
    parameters:
      typeof parameters === 'object' && parameters !== null ? (parameters as Record<string, unknown>) : {},
    body: template,
    lineOf: (path) => source.lineOf(path),
  };
}

/**
 * The value a parameter takes when the stack is deployed without overriding it: its Default, split into a list for
 * list types. A parameter read from Systems Manager holds a parameter name as Default, not the value: unknown.
 */
function parameterDefault(name: string, parameter: Record<string, unknown>): Resolution {
  const type = typeof parameter.Type === 'string' ? parameter.Type : 'String';
  if (type.startsWith('AWS::SSM::Parameter::Value<')) {
    return { known: false, reason: `parameter ${name} is read from SSM Parameter Store at deploy` };
  }
  const fallback = parameter.Default;
  if (fallback === undefined) return { known: false, reason: `parameter ${name} has no Default` };
  if ((type === 'CommaDelimitedList' || type.startsWith('List<')) && typeof fallback === 'string') {
    return { known: true, value: fallback === '' ? [] : fallback.split(',').map((item) => item.trim()) };
  }
  return { known: true, value: fallback };
}

function intrinsicName(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const [key] = keys;
  return key === 'Ref' || key?.startsWith('Fn::') === true || key === 'Condition' ? key : undefined;
}

/** Statically resolves values of one template. */
export class TemplateView {
  private readonly byId: Map<string, TemplateResource>;
  private readonly references = new Map<string, Map<string, TemplateResource[]>>();

  constructor(
    readonly template: ParsedTemplate,
    private readonly s3Files: S3FileReader = () => undefined,
  ) {
    this.byId = new Map(template.resources.map((resource) => [resource.logicalId, resource]));
  }

  /** A JSON or YAML text inside the template (an OpenAPI `Body` string), or undefined when it does not parse. */
  parseText(text: string): unknown {
    try {
      return readSource(text, 'Body', { yaml: CLOUDFORMATION_TAGS, shortForms: SHORT_FORMS }).value;
    } catch {
      return undefined;
    }
  }

  /** The local file given for an S3 object (an OpenAPI definition in `BodyS3Location`), if any. */
  s3File(uri: string): { readonly path: string; readonly text: string } | undefined {
    return this.s3Files(uri);
  }

  get resources(): readonly TemplateResource[] {
    return this.template.resources;
  }

  resource(logicalId: string): TemplateResource | undefined {
    return this.byId.get(logicalId);
  }

  /** The line of a node inside a resource (`lineAt('Fn', 'Properties', 'Events', 'Get')`), else the resource's. */
  lineAt(logicalId: string, ...path: readonly PathStep[]): number | undefined {
    return this.template.lineOf?.(['Resources', logicalId, ...path]) ?? this.byId.get(logicalId)?.line;
  }

  /**
   * Where a property of a SAM resource is to be set (`samSetting(sam, 'Auth', 'DefaultAuthorizer')`): the resource's
   * own, unless its Globals section writes more of the path than the resource does (the transform merges Globals
   * under the resource's properties) or the resource is one the transform makes from events (only Globals reach it).
   */
  samSetting(sam: SamSource, ...path: readonly string[]): SamSetting {
    const body = this.template.body;
    const recordOf = (value: unknown): Record<string, unknown> | undefined =>
      typeof value === 'object' && value !== null && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : undefined;
    const written = (root: unknown): number => {
      let depth = 0;
      let current = root;
      for (const key of path) {
        current = recordOf(current)?.[key];
        if (current === undefined) break;
        depth += 1;
      }
      return depth;
    };
    const own =
      sam.implicit === true ? 0 : written(recordOf(recordOf(body?.Resources)?.[sam.logicalId])?.Properties);
    const section = sam.globals;
    const global = section === undefined ? 0 : written(recordOf(body?.Globals)?.[section]);
    if (section !== undefined && (global > own || sam.implicit === true)) {
      const line =
        global === 0 ? undefined : this.template.lineOf?.(['Globals', section, ...path.slice(0, global)]);
      return {
        property: `Globals.${section}.${path.join('.')}`,
        inGlobals: true,
        written: global === path.length,
        ...(line === undefined ? {} : { line }),
      };
    }
    const line =
      own === 0
        ? this.template.lineOf?.(['Resources', sam.logicalId])
        : this.template.lineOf?.(['Resources', sam.logicalId, 'Properties', ...path.slice(0, own)]);
    return {
      property: path.join('.'),
      inGlobals: false,
      written: own === path.length,
      ...(line === undefined ? {} : { line }),
    };
  }

  /**
   * The resources of a type whose `property` is a `Ref`/`GetAtt` to `logicalId` (the routes of an API). Indexed once
   * per type and property: looking through every resource for each route made a 20,000-route template take 40 s.
   */
  referencing(logicalId: string, type: string, property: string): readonly TemplateResource[] {
    const key = `${type}\u0000${property}`;
    let index = this.references.get(key);
    if (index === undefined) {
      index = new Map();
      for (const resource of this.template.resources) {
        if (resource.type !== type) continue;
        const target = this.resourceOf(resource.properties[property])?.logicalId;
        if (target === undefined) continue;
        const list = index.get(target) ?? [];
        list.push(resource);
        index.set(target, list);
      }
      this.references.set(key, index);
    }
    return index.get(logicalId) ?? [];
  }

  /** The logical id a `Ref` names, when it names a resource of this template. */
  referencedResource(value: unknown): TemplateResource | undefined {
    if (intrinsicName(value) !== 'Ref') return undefined;
    const target = (value as { Ref: unknown }).Ref;
    return typeof target === 'string' ? this.byId.get(target) : undefined;
  }

  /** The resource a `Ref` or `Fn::GetAtt` points at, when it is in this template. */
  resourceOf(value: unknown): TemplateResource | undefined {
    const name = intrinsicName(value);
    if (name === 'Ref') return this.referencedResource(value);
    if (name === 'Fn::GetAtt') {
      const target = (value as { 'Fn::GetAtt': unknown })['Fn::GetAtt'];
      const id = Array.isArray(target) ? (target[0] as unknown) : undefined;
      return typeof id === 'string' ? this.byId.get(id) : undefined;
    }
    return undefined;
  }

  /** Resolves a property to a string; absent is undefined, anything else unknown is reported. */
  text(value: unknown, property: string): TextResolution {
    if (value === undefined) return { known: true, value: undefined };
    const resolved = this.resolve(value);
    if (!resolved.known)
      return {
        known: false,
        property,
        reason: `${property} is not known before deploy (${resolved.reason})`,
      };
    const plain = resolved.value;
    if (typeof plain === 'string') return { known: true, value: plain };
    if (typeof plain === 'number' || typeof plain === 'boolean') return { known: true, value: String(plain) };
    return { known: false, property, reason: `${property} is not a string` };
  }

  /**
   * Follows a path into a property, resolving only the intrinsics on that path (siblings may stay unknown, such as
   * an authorizer's `!GetAtt` beside the authentication type), and returns what is there without resolving inside
   * it. A missing step is known and undefined.
   */
  locate(value: unknown, ...path: readonly string[]): Resolution {
    let current = this.shallow(value);
    for (const key of path) {
      if (!current.known) return current;
      const here = current.value;
      if (typeof here !== 'object' || here === null || Array.isArray(here))
        return { known: true, value: undefined };
      current = this.shallow((here as Record<string, unknown>)[key]);
    }
    return current;
  }

  /** As `text`, for a field deep inside a property (see `locate`); `property` names it in the reason. */
  textAt(value: unknown, path: readonly string[], property: string): TextResolution {
    const located = this.locate(value, ...path);
    if (!located.known)
      return { known: false, property, reason: `${property} is not known before deploy (${located.reason})` };
    return this.text(located.value, property);
  }

  private shallow(value: unknown): Resolution {
    return intrinsicName(value) === undefined ? { known: true, value } : this.resolve(value);
  }

  /** Resolves a value deeply: every intrinsic inside must be a `Ref` to a parameter with a Default. */
  resolve(value: unknown): Resolution {
    const name = intrinsicName(value);
    if (name === 'Ref') {
      const target = (value as { Ref: unknown }).Ref;
      if (typeof target !== 'string') return { known: false, reason: 'a Ref with no name' };
      const parameter = this.template.parameters[target];
      if (typeof parameter === 'object' && parameter !== null)
        return parameterDefault(target, parameter as Record<string, unknown>);
      if (this.byId.has(target)) return { known: false, reason: `Ref to resource ${target}` };
      if (target.startsWith('AWS::'))
        return { known: false, reason: `pseudo parameter ${target} is set only at deploy` };
      return { known: false, reason: `Ref to ${target}, which this template does not define` };
    }
    if (name !== undefined) return { known: false, reason: `${name} is evaluated only at deploy` };
    if (Array.isArray(value)) {
      const items: unknown[] = [];
      for (const item of value) {
        const resolved = this.resolve(item);
        if (!resolved.known) return resolved;
        items.push(resolved.value);
      }
      return { known: true, value: items };
    }
    if (typeof value === 'object' && value !== null) {
      const entries: [string, unknown][] = [];
      for (const [key, item] of Object.entries(value)) {
        const resolved = this.resolve(item);
        if (!resolved.known) return resolved;
        entries.push([key, resolved.value]);
      }
      return { known: true, value: Object.fromEntries(entries) };
    }
    return { known: true, value };
  }

  /**
   * What every evaluation of a resource starts from: named by logical id, shown by its name property when that is
   * known statically, with its tags and line.
   */
  subject(
    resource: TemplateResource,
    nameProperty: string,
  ): {
    resourceId: string;
    logicalId: string;
    resourceName: string;
    tags: Record<string, string>;
    line?: number;
  } {
    const name = this.text(resource.properties[nameProperty], nameProperty);
    return {
      resourceId: resource.logicalId,
      logicalId: resource.logicalId,
      resourceName:
        name.known && name.value !== undefined && name.value !== '' ? name.value : resource.logicalId,
      tags: this.tags(resource.properties.Tags),
      ...(resource.line === undefined ? {} : { line: resource.line }),
    };
  }

  /**
   * Tags in either CloudFormation shape (a `[{Key, Value}]` list or a map); values not known statically, and values
   * that are not text (a list or a mapping is no tag value), are left out.
   */
  tags(value: unknown): Record<string, string> {
    const tags: Record<string, string> = {};
    const add = (key: unknown, raw: unknown): void => {
      const resolvedKey = this.resolve(key);
      const resolvedValue = this.resolve(raw);
      if (!resolvedKey.known || !resolvedValue.known || typeof resolvedKey.value !== 'string') return;
      const plain = resolvedValue.value;
      if (typeof plain === 'string' || typeof plain === 'number' || typeof plain === 'boolean') {
        tags[resolvedKey.value] = String(plain);
      }
    };
    if (Array.isArray(value)) {
      for (const tag of value) {
        if (typeof tag === 'object' && tag !== null)
          add((tag as Record<string, unknown>).Key, (tag as Record<string, unknown>).Value);
      }
    } else if (typeof value === 'object' && value !== null && intrinsicName(value) === undefined) {
      for (const [key, raw] of Object.entries(value)) add(key, raw);
    }
    return tags;
  }
}
