/**
 * CloudFormation → REST method facts for an `AWS::ApiGateway::RestApi` whose methods are imported from OpenAPI or
 * Swagger: an inline `Body` (a mapping, or JSON/YAML text), or a `BodyS3Location` / `AWS::Include` that the command
 * line maps to a local file (`--s3-file`). One finding per path × method, its authorization read as API Gateway's
 * REST import applies it (rules/core/openapi.ts `restApiMethods`).
 */
import { restApiMethods, type BasePathMode, type RestApiMethod } from '../core/openapi';
import { readDefinitionOperations } from '../core/openapi-definition';
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
  return readDefinitionOperations<RestApiMethod, MethodFacts>(api, view, {
    plural: 'methods',
    singular: 'method',
    operations: (document) => restApiMethods(document, basePathModeOf(api, view)),
    place: (method) => ({ ...method, key: `${method.httpMethod} ${method.path}` }),
    // A SAM author fixes the event or the Api's Auth, not the transform's method (sam-fix.ts).
    samFix: (sam, method, key, origin) => samRestMethodFix(api, sam, view, key, method.httpMethod, origin),
    facts: (_document, apiName) => (method, authorizationType) => ({
      apiId: api.logicalId,
      apiName,
      resourceId: method.path,
      path: method.path,
      httpMethod: method.httpMethod,
      authorizationType,
      apiKeyRequired: method.apiKeyRequired,
      endpointTypes,
      region: undefined,
    }),
  });
}
