/**
 * The OpenAPI definition an API Gateway API imports, as a template states it: an inline `Body` (a mapping, or JSON/YAML
 * text), or a `BodyS3Location` / `AWS::Include` that the command line maps to a local file (`--s3-file`). Shared by
 * the adapters of HTTP and REST APIs, with the findings they make of its operations; it knows nothing of any control.
 */
import { isOpenApiDocument, type OpenApiAuthorization } from './openapi';
import type { RouteOrigin, SamSource, TemplateEvaluation, TemplateResource, TemplateView } from './template';

/** The definition, or why it cannot be read before deploy (with the template change that makes it readable). */
export type OpenApiDefinition =
  | { readonly known: true; readonly document: Record<string, unknown>; readonly inline: boolean }
  | { readonly known: false; readonly reason: string; readonly fix: string };

const FIX_LOCATION =
  'give the definition file on the command line (--s3-file s3://bucket/key=path/to/openapi.yaml), inline it as Body, or document an API-wide exception tag';

/** JSON, else YAML (the template reader's, so the rule bundles stay free of a YAML parser). */
function parseText(text: string, view: TemplateView): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return view.parseText(text);
  }
}

function fromText(text: string, where: string, view: TemplateView): OpenApiDefinition {
  const value = parseText(text, view);
  if (!isOpenApiDocument(value)) {
    return {
      known: false,
      reason: `${where} is not an OpenAPI definition with paths`,
      fix: 'make it an OpenAPI 3.0 (or Swagger 2.0) definition API Gateway can import',
    };
  }
  return { known: true, document: value, inline: false };
}

/** `s3://bucket/key` of a BodyS3Location or an AWS::Include Location, when the template states it. */
function s3UriOf(value: unknown, view: TemplateView): string | undefined {
  const location = view.resolve(value);
  if (!location.known) return undefined;
  const plain = location.value;
  if (typeof plain === 'string') return plain.startsWith('s3://') ? plain : undefined;
  if (typeof plain === 'object' && plain !== null) {
    const { Bucket, Key } = plain as { Bucket?: unknown; Key?: unknown };
    if (typeof Bucket === 'string' && typeof Key === 'string') return `s3://${Bucket}/${Key}`;
  }
  return undefined;
}

function fromS3(uri: string | undefined, what: string, view: TemplateView): OpenApiDefinition {
  if (uri === undefined) {
    return {
      known: false,
      reason: `its OpenAPI definition is in S3 (${what}) at a location known only at deploy`,
      fix: FIX_LOCATION,
    };
  }
  const local = view.s3File(uri);
  if (local === undefined) {
    return {
      known: false,
      reason: `its OpenAPI definition is in S3 (${what} ${uri}), which is read only at deploy`,
      fix: FIX_LOCATION,
    };
  }
  return fromText(local.text, `${local.path} (for ${uri})`, view);
}

export function openApiDefinitionOf(api: TemplateResource, view: TemplateView): OpenApiDefinition {
  const body = api.properties.Body;
  if (body !== undefined) {
    if (typeof body === 'string') {
      // A JSON or YAML string: its lines are not the template's, so findings point at the API.
      return fromText(body, 'Body', view);
    }
    const include =
      typeof body === 'object' && body !== null
        ? (body as Record<string, unknown>)['Fn::Transform']
        : undefined;
    if (typeof include === 'object' && include !== null) {
      const { Name, Parameters } = include as { Name?: unknown; Parameters?: unknown };
      if (Name === 'AWS::Include') {
        const location =
          typeof Parameters === 'object' && Parameters !== null
            ? (Parameters as { Location?: unknown }).Location
            : undefined;
        return fromS3(s3UriOf(location, view), 'AWS::Include', view);
      }
    }
    if (isOpenApiDocument(body)) return { known: true, document: body, inline: true };
    return {
      known: false,
      reason: 'its OpenAPI Body is built at deploy or has no paths',
      fix: 'write Body as an OpenAPI mapping with paths, or document an API-wide exception tag',
    };
  }
  return fromS3(s3UriOf(api.properties.BodyS3Location, view), 'BodyS3Location', view);
}

/** Where one operation (a route or a method) of a definition stands, and how it authenticates. */
export interface DefinitionOperation {
  /** `GET /pets`, `$default`: the finding's key and exception qualifier. */
  readonly key: string;
  /** The path key and the method key in the definition (`''` for a whole path item), for finding the line. */
  readonly documentPath: string;
  readonly methodKey: string;
  readonly authorization: OpenApiAuthorization;
}

/** What a SAM operation's finding says and points at instead of the transformed API's. */
export interface SamOperationFix {
  readonly fix: string;
  readonly logicalId: string;
  readonly property: string;
  readonly line?: number;
}

export interface DefinitionReading<Operation, Facts> {
  /** What the operations are, in the findings' names: `methods`, `routes`. */
  readonly plural: string;
  /** `method`, `route`, in the fix of one whose security cannot be read. */
  readonly singular: string;
  readonly operations: (document: Record<string, unknown>) => readonly Operation[];
  readonly place: (operation: Operation) => DefinitionOperation;
  /** Tags the definition itself states, beside the resource's own `Tags` (which win). */
  readonly documentTags?: (document: Record<string, unknown>) => Record<string, string>;
  /**
   * For an API the SAM transform makes (`api.sam`): where a failing operation is fixed in the SAM its author wrote
   * (the fix, and the resource, property and line it points at), instead of the transform's output.
   */
  readonly samFix?: (
    sam: SamSource,
    operation: Operation,
    key: string,
    origin: RouteOrigin | undefined,
  ) => SamOperationFix | undefined;
  /** The facts of each operation whose authorization is known, from what holds for the whole document. */
  readonly facts: (
    document: Record<string, unknown>,
    apiName: string,
  ) => (operation: Operation, authorizationType: string) => Facts;
}

/**
 * One evaluation per operation of the API's imported definition, named `<API> <key>`: the API's name is its `Name`,
 * else the definition's `info.title` (the import names the API after it; a Name property wins), else the logical id.
 * An operation SAM makes from a function's event is named and located by the event (`routeOrigins`); the rest by
 * their line in an inline definition. A definition that cannot be read is one evaluation for the whole API.
 */
export function readDefinitionOperations<Operation, Facts>(
  api: TemplateResource,
  view: TemplateView,
  reading: DefinitionReading<Operation, Facts>,
): TemplateEvaluation<Facts>[] {
  const definition = openApiDefinitionOf(api, view);
  const nameProperty = view.text(api.properties.Name, 'Name');
  const named = nameProperty.known ? nameProperty.value : undefined;
  const ownTags = view.tags(api.properties.Tags);
  const line = api.line;
  if (!definition.known) {
    return [
      {
        resourceId: `${api.logicalId}/openapi-${reading.plural}`,
        logicalId: api.logicalId,
        resourceName: `${named ?? api.logicalId} (${reading.plural} from OpenAPI)`,
        tags: ownTags,
        ...(line === undefined ? {} : { line }),
        property: 'Body',
        unverifiable: { reason: definition.reason },
        fix: definition.fix,
      },
    ];
  }
  const document = definition.document;
  const title = (document.info as { title?: unknown } | undefined)?.title;
  const apiName = named ?? (typeof title === 'string' ? title : api.logicalId);
  const tags =
    reading.documentTags === undefined ? ownTags : { ...reading.documentTags(document), ...ownTags };
  const factsOf = reading.facts(document, apiName);
  return reading.operations(document).map((operation): TemplateEvaluation<Facts> => {
    const { key, documentPath, methodKey, authorization } = reading.place(operation);
    const operationLine = definition.inline
      ? view.lineAt(
          api.logicalId,
          'Properties',
          api.bodyProperty ?? 'Body',
          'paths',
          documentPath,
          ...(methodKey === '' ? [] : [methodKey]),
        )
      : line;
    const origin = api.routeOrigins?.[key];
    const where = origin?.line ?? operationLine;
    const base = {
      resourceId: `${api.logicalId}/${key}`,
      logicalId: origin?.logicalId ?? api.logicalId,
      resourceName: `${apiName} ${key}${origin === undefined ? '' : ` (${origin.name})`}`,
      tags,
      holder: api.logicalId,
      ...(where === undefined ? {} : { line: where }),
    };
    if (authorization.kind === 'unknown') {
      return {
        ...base,
        unverifiable: { reason: `the OpenAPI definition of ${key}: ${authorization.reason}` },
        fix: `state the ${reading.singular}’s security in the OpenAPI definition with literal values, or document an exception tag`,
        qualifiers: [key],
      };
    }
    const sam = api.sam === undefined ? undefined : reading.samFix?.(api.sam, operation, key, origin);
    return {
      ...base,
      ...sam,
      facts: factsOf(operation, authorization.kind === 'type' ? authorization.type : 'NONE'),
    };
  });
}
