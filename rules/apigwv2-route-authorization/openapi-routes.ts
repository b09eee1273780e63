/**
 * CloudFormation → route facts for an `AWS::ApiGatewayV2::Api` whose routes are imported from OpenAPI: an inline
 * `Body` (a mapping, or JSON/YAML text), or a `BodyS3Location` / `AWS::Include` that the command line maps to a local
 * file. One finding per route, its authorization read as API Gateway's import reads it (rules/core/openapi.ts).
 */
import { openApiDisablesEndpoint, openApiRoutes, openApiTags, type OpenApiRoute } from '../core/openapi';
import { readDefinitionOperations } from '../core/openapi-definition';
import { flag } from '../core/facts';
import type { TemplateEvaluation, TemplateResource, TemplateView } from '../core/template';
import type { RouteFacts } from './facts';
import { samHttpRouteFix } from './sam-fix';

export function readOpenApiRoutes(
  api: TemplateResource,
  view: TemplateView,
): TemplateEvaluation<RouteFacts>[] {
  return readDefinitionOperations<OpenApiRoute, RouteFacts>(api, view, {
    plural: 'routes',
    singular: 'route',
    operations: openApiRoutes,
    place: (route) => ({ ...route, key: route.routeKey, documentPath: route.path }),
    // Tags in the definition, as SAM writes an HttpApi's; the resource's own Tags beside them.
    documentTags: openApiTags,
    // A SAM author fixes the event or the HttpApi's Auth, not the transform's route (sam-fix.ts).
    samFix: (sam, _route, key, origin) => samHttpRouteFix(api, sam, view, key, origin),
    facts: (document, apiName) => {
      const disabled = view.resolve(api.properties.DisableExecuteApiEndpoint);
      const executeApiEndpoint = !(
        (disabled.known && flag(disabled.value) === true) ||
        openApiDisablesEndpoint(document)
      );
      return (route, authorizationType) => ({
        apiId: api.logicalId,
        apiName,
        protocolType: 'HTTP',
        routeId: route.routeKey,
        routeKey: route.routeKey,
        authorizationType,
        apiHasConnectRoute: false,
        region: '<region>',
        executeApiEndpoint,
      });
    },
  });
}
