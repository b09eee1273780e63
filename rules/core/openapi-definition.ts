/**
 * The OpenAPI definition an API Gateway API imports, as a template states it: an inline `Body` (a mapping, or JSON/YAML
 * text), or a `BodyS3Location` / `AWS::Include` that the command line maps to a local file (`--s3-file`). Shared by
 * the adapters of HTTP and REST APIs; it knows nothing of any control.
 */
import { isOpenApiDocument } from './openapi';
import type { TemplateResource, TemplateView } from './template';

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
