/**
 * CloudFormation → REST method facts for an `AWS::ApiGateway::RestApi` whose methods are imported from OpenAPI or
 * Swagger: an inline `Body` (a mapping, or JSON/YAML text), or a `BodyS3Location` / `AWS::Include` that the command
 * line maps to a local file (`--s3-file`). One finding per path × method, its authorization read as API Gateway's
 * REST import applies it (rules/core/openapi.ts `restApiMethods`).
 */
import { restApiMethods, type BasePathMode } from '../core/openapi';
import { openApiDefinitionOf } from '../core/openapi-definition';
import type { TemplateEvaluation, TemplateResource, TemplateView } from '../core/template';
import type { MethodFacts } from './facts';
import { samRestMethodFix } from './sam-fix';

/** `Parameters: {basepath: prepend}` on the RestApi is the import's base path mode; ignore is its default. */
function basePathModeOf(api: TemplateResource, view: TemplateView): BasePathMode {
  const mode = view.textAt(api.properties.Parameters, ['basepath'], 'Parameters.basepath');
  const value = mode.known ? mode.value?.toLowerCase() : undefined;
  return value === 'prepend' || value === 'split' ? value : 'ignore';
}

export function readOpenApiMethods(
  api: TemplateResource,
  view: TemplateView,
  endpointTypes: readonly string[],
): TemplateEvaluation<MethodFacts>[] {
  const definition = openApiDefinitionOf(api, view);
  const nameProperty = view.text(api.properties.Name, 'Name');
  const tags = view.tags(api.properties.Tags);
  const line = api.line;
  if (!definition.known) {
    const apiName =
      nameProperty.known && nameProperty.value !== undefined ? nameProperty.value : api.logicalId;
    return [
      {
        resourceId: `${api.logicalId}/openapi-methods`,
        logicalId: api.logicalId,
        resourceName: `${apiName} (methods from OpenAPI)`,
        tags,
        ...(line === undefined ? {} : { line }),
        property: 'Body',
        unverifiable: { reason: definition.reason },
        fix: definition.fix,
      },
    ];
  }
  const document = definition.document;
  const title = (document.info as { title?: unknown } | undefined)?.title;
  // The import names the API after info.title; a Name property wins over it (AWS::ApiGateway::RestApi docs).
  const apiName =
    nameProperty.known && nameProperty.value !== undefined
      ? nameProperty.value
      : typeof title === 'string'
        ? title
        : api.logicalId;
  return restApiMethods(document, basePathModeOf(api, view)).map(
    (method): TemplateEvaluation<MethodFacts> => {
      const methodLine = definition.inline
        ? view.lineAt(
            api.logicalId,
            'Properties',
            api.bodyProperty ?? 'Body',
            'paths',
            method.documentPath,
            ...(method.methodKey === '' ? [] : [method.methodKey]),
          )
        : line;
      // A method SAM makes from a function's event is fixed there: named and located by the event.
      const key = `${method.httpMethod} ${method.path}`;
      const origin = api.routeOrigins?.[key];
      const where = origin?.line ?? methodLine;
      const base = {
        resourceId: `${api.logicalId}/${key}`,
        logicalId: origin?.logicalId ?? api.logicalId,
        resourceName: `${apiName} ${key}${origin === undefined ? '' : ` (${origin.name})`}`,
        tags,
        holder: api.logicalId,
        ...(where === undefined ? {} : { line: where }),
      };
      if (method.authorization.kind === 'unknown') {
        return {
          ...base,
          unverifiable: { reason: `the OpenAPI definition of ${key}: ${method.authorization.reason}` },
          fix: 'state the method’s security in the OpenAPI definition with literal values, or document an exception tag',
          qualifiers: [key],
        };
      }
      // A SAM author fixes the event or the Api's Auth, not the transform's method (sam-fix.ts).
      const sam =
        api.sam === undefined
          ? undefined
          : samRestMethodFix(api, api.sam, view, key, method.httpMethod, origin);
      return {
        ...base,
        ...sam,
        facts: {
          apiId: api.logicalId,
          apiName,
          resourceId: method.path,
          path: method.path,
          httpMethod: method.httpMethod,
          authorizationType: method.authorization.kind === 'type' ? method.authorization.type : 'NONE',
          apiKeyRequired: method.apiKeyRequired,
          endpointTypes,
          region: undefined,
        },
      };
    },
  );
}
