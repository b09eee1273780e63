/**
 * `AWS::Serverless::WebSocketApi` → an `AWS::ApiGatewayV2::Api` (WEBSOCKET) and one route per `Routes` key, with
 * `Auth.AuthType` on `$connect` only (aws-sam-translator 1.110; see rules/core/sam.ts).
 */
import type { SamExpansion } from '../core/sam';
import type { TemplateResource } from '../core/template';
import { fail, isRecord, samSource, type Json } from '../core/sam/shared';

function webSocketRouteId(apiId: string, routeKey: string): string {
  const special: Readonly<Record<string, string>> = {
    $connect: 'Connect',
    $disconnect: 'Disconnect',
    $default: 'Default',
  };
  const clean = special[routeKey] ?? `${routeKey.charAt(0).toUpperCase()}${routeKey.slice(1).toLowerCase()}`;
  return `${apiId}${clean}Route`;
}

/** The API and the routes SAM makes of a WebSocketApi. */
function webSocketApiResources(
  resource: TemplateResource,
  properties: Json,
  lineOf: (...path: (string | number)[]) => number | undefined,
): TemplateResource[] {
  const made: TemplateResource[] = [];
  const line = resource.line;
  const routes = properties.Routes;
  if (!isRecord(routes) || Object.keys(routes).length === 0)
    fail(resource.logicalId, 'WebSocket API must have at least one route.');
  const auth = isRecord(properties.Auth) ? properties.Auth : undefined;
  if (auth !== undefined && !Object.hasOwn(routes, '$connect')) {
    fail(resource.logicalId, 'Authorization is only available if there is a $connect route.');
  }
  const authType = typeof auth?.AuthType === 'string' ? auth.AuthType.toUpperCase() : undefined;
  if (auth !== undefined && !['NONE', 'AWS_IAM', 'CUSTOM'].includes(authType ?? '')) {
    fail(resource.logicalId, 'AuthType is not one of AWS_IAM, CUSTOM or NONE.');
  }
  made.push({
    logicalId: resource.logicalId,
    type: 'AWS::ApiGatewayV2::Api',
    properties: {
      Name: properties.Name ?? resource.logicalId,
      ProtocolType: 'WEBSOCKET',
      RouteSelectionExpression: properties.RouteSelectionExpression,
      Tags: { ...(isRecord(properties.Tags) ? properties.Tags : {}), 'websocketapi:createdBy': 'SAM' },
      ...(properties.DisableExecuteApiEndpoint === undefined
        ? {}
        : { DisableExecuteApiEndpoint: properties.DisableExecuteApiEndpoint }),
    },
    ...(line === undefined ? {} : { line }),
    sam: samSource('AWS::Serverless::WebSocketApi', resource.logicalId),
  });
  for (const routeKey of Object.keys(routes)) {
    const routeLine = lineOf(resource.logicalId, 'Properties', 'Routes', routeKey);
    made.push({
      logicalId: webSocketRouteId(resource.logicalId, routeKey),
      type: 'AWS::ApiGatewayV2::Route',
      properties: {
        ApiId: { Ref: resource.logicalId },
        RouteKey: routeKey,
        ...(routeKey === '$connect' && authType !== undefined ? { AuthorizationType: authType } : {}),
      },
      ...(routeLine === undefined ? {} : { line: routeLine }),
      sam: samSource('AWS::Serverless::WebSocketApi', resource.logicalId),
    });
  }
  return made;
}

export const samWebSocketApi: SamExpansion = {
  samType: 'AWS::Serverless::WebSocketApi',
  start: (template) => ({
    expand: (resource) => webSocketApiResources(resource, resource.properties, template.lineOf),
  }),
};
