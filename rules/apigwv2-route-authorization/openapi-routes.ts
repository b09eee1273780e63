/**
 * CloudFormation → route facts for an `AWS::ApiGatewayV2::Api` whose routes are imported from OpenAPI: an inline
 * `Body` (a mapping, or JSON/YAML text), or a `BodyS3Location` / `AWS::Include` that the command line maps to a local
 * file. One finding per route, its authorization read as API Gateway's import reads it (rules/core/openapi.ts).
 */
import { openApiDisablesEndpoint, openApiRoutes, openApiTags } from '../core/openapi';
import { openApiDefinitionOf } from '../core/openapi-definition';
import { flag } from '../core/facts';
import type { TemplateEvaluation, TemplateResource, TemplateView } from '../core/template';
import type { RouteFacts } from './facts';
import { samHttpRouteFix } from './sam-fix';

export function readOpenApiRoutes(
  api: TemplateResource,
  view: TemplateView,
): TemplateEvaluation<RouteFacts>[] {
  const definition = openApiDefinitionOf(api, view);
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
        property: 'Body',
        unverifiable: { reason: definition.reason },
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
          api.bodyProperty ?? 'Body',
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
        unverifiable: {
          reason: `the OpenAPI definition of ${route.routeKey}: ${route.authorization.reason}`,
        },
        fix: 'state the route’s security in the OpenAPI definition with literal values, or document an exception tag',
        qualifiers: [route.routeKey],
      };
    }
    // A SAM author fixes the event or the HttpApi's Auth, not the transform's route (sam-fix.ts).
    const sam =
      api.sam === undefined ? undefined : samHttpRouteFix(api, api.sam, view, route.routeKey, origin);
    return {
      ...base,
      ...sam,
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
