/**
 * CloudFormation → route facts for an `AWS::ApiGatewayV2::Api` whose routes are imported from OpenAPI: an inline
 * `Body` (a mapping, or JSON/YAML text), or a `BodyS3Location` / `AWS::Include` that the command line maps to a local
 * file. One finding per route, its authorization read as API Gateway's import reads it (rules/core/openapi.ts).
 */
import { isOpenApiDocument, openApiDisablesEndpoint, openApiRoutes, openApiTags } from '../core/openapi';
import { flag } from '../core/facts';
import type { TemplateEvaluation, TemplateResource, TemplateView } from '../core/template';
import type { RouteFacts } from './facts';

/** The definition, or why it cannot be read before deploy. */
type Definition =
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

function fromText(text: string, where: string, view: TemplateView): Definition {
  const value = parseText(text, view);
  if (!isOpenApiDocument(value)) {
    return {
      known: false,
      reason: `${where} is not an OpenAPI definition with paths`,
      fix: 'make it an OpenAPI 3.0 definition API Gateway can import',
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

function fromS3(uri: string | undefined, what: string, view: TemplateView): Definition {
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

function definitionOf(api: TemplateResource, view: TemplateView): Definition {
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

export function readOpenApiRoutes(
  api: TemplateResource,
  view: TemplateView,
): TemplateEvaluation<RouteFacts>[] {
  const definition = definitionOf(api, view);
  const nameProperty = view.text(api.properties.Name, 'Name');
  const ownTags = view.tags(api.properties.Tags);
  const line = api.line;
  if (!definition.known) {
    const apiName =
      nameProperty.known && nameProperty.value !== undefined ? nameProperty.value : api.logicalId;
    return [
      {
        resourceId: `${api.logicalId}/openapi-routes`,
        logicalId: api.logicalId,
        resourceName: `${apiName} (routes from OpenAPI)`,
        tags: ownTags,
        ...(line === undefined ? {} : { line }),
        unverifiable: definition.reason,
        fix: definition.fix,
      },
    ];
  }
  const document = definition.document;
  const title = (document.info as { title?: unknown } | undefined)?.title;
  const apiName =
    nameProperty.known && nameProperty.value !== undefined
      ? nameProperty.value
      : typeof title === 'string'
        ? title
        : api.logicalId;
  // Tags in the definition, as SAM writes an HttpApi's; the resource's own Tags beside them.
  const tags = { ...openApiTags(document), ...ownTags };
  const disabled = view.resolve(api.properties.DisableExecuteApiEndpoint);
  const executeApiEndpoint = !(
    (disabled.known && flag(disabled.value) === true) ||
    openApiDisablesEndpoint(document)
  );
  return openApiRoutes(document).map((route): TemplateEvaluation<RouteFacts> => {
    const routeLine = definition.inline
      ? view.lineAt(
          api.logicalId,
          'Properties',
          'Body',
          'paths',
          route.path,
          ...(route.methodKey === '' ? [] : [route.methodKey]),
        )
      : line;
    // A route SAM makes from a function's event is fixed there: named and located by the event.
    const origin = api.routeOrigins?.[route.routeKey];
    const where = origin?.line ?? routeLine;
    const base = {
      resourceId: `${api.logicalId}/${route.routeKey}`,
      logicalId: origin?.logicalId ?? api.logicalId,
      resourceName: `${apiName} ${route.routeKey}${origin === undefined ? '' : ` (${origin.name})`}`,
      tags,
      holder: api.logicalId,
      ...(where === undefined ? {} : { line: where }),
    };
    if (route.authorization.kind === 'unknown') {
      return {
        ...base,
        unverifiable: `the OpenAPI definition of ${route.routeKey}: ${route.authorization.reason}`,
        fix: 'state the route’s security in the OpenAPI definition with literal values, or document an exception tag',
        qualifiers: [route.routeKey],
      };
    }
    return {
      ...base,
      facts: {
        apiId: api.logicalId,
        apiName,
        protocolType: 'HTTP',
        routeId: route.routeKey,
        routeKey: route.routeKey,
        authorizationType: route.authorization.kind === 'type' ? route.authorization.type : 'NONE',
        apiHasConnectRoute: false,
        region: '<region>',
        executeApiEndpoint,
      },
    };
  });
}
