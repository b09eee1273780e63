/**
 * SAM (`Transform: AWS::Serverless-2016-10-31`) → the CloudFormation resources the SAM transform makes for the
 * front doors the controls judge, so a SAM template goes through the same adapters and decisions as its transformed
 * output. What this mirrors, from aws-sam-translator 1.110 (the transform AWS runs):
 *
 * - `AWS::Serverless::HttpApi`, and the implicit `ServerlessHttpApi` that `HttpApi` events of functions without an
 *   `ApiId` create → `AWS::ApiGatewayV2::Api` with an OpenAPI `Body`: `DefinitionBody` (or an empty definition), one
 *   path and method per event (`$default` and `x-amazon-apigateway-any-method` without Path and Method) unless the
 *   definition already integrates it, the event's `Auth.Authorizer` as the method's security (`NONE` as `{NONE: []}`),
 *   `Auth.Authorizers` and `Auth.EnableIamAuthorizer` as security schemes, `Auth.DefaultAuthorizer` on every method
 *   with an integration and no security (OPTIONS excepted), and `Tags` in the definition's tags list.
 * - `AWS::Serverless::WebSocketApi` → an `AWS::ApiGatewayV2::Api` (WEBSOCKET) and one route per `Routes` key, with
 *   `Auth.AuthType` on `$connect` only.
 * - `AWS::Serverless::GraphQLApi` → `AWS::AppSync::GraphQLApi` with `Auth.Type` and `Auth.Additional`.
 * - `AWS::Serverless::Api`, and the implicit `ServerlessRestApi` that `Api` events without a `RestApiId` create →
 *   `AWS::ApiGateway::RestApi` with a Swagger 2.0 `Body`: one method per event when SAM manages the definition (no
 *   `DefinitionBody`, or `MergeDefinitions`), the event's `Auth.Authorizer` (`NONE` as the `{NONE: []}` marker) and
 *   `Auth.ApiKeyRequired` in the method's security, CORS preflight (`OPTIONS`, a mock integration) on every path with
 *   `Cors`, `Auth.Authorizers` (Cognito, Lambda TOKEN/REQUEST) and the IAM scheme as securityDefinitions,
 *   `Auth.DefaultAuthorizer` on every integrated method without its own (OPTIONS only with
 *   `AddDefaultAuthorizerToCorsPreflight`), `Auth.ApiKeyRequired` on every integrated method, the definitions moved to
 *   `components.securitySchemes` for OpenAPI 3, and `EndpointConfiguration`. `Tags` go to the stage, not the API.
 * - `FunctionUrlConfig` on `AWS::Serverless::Function` (Globals merged) → `<Function>Url` (`AWS::Lambda::Url`) with
 *   its `AuthType`, targeting the `<Function>Alias<alias>` alias of `AutoPublishAlias` when there is one.
 *
 * A template the transform would refuse (an event naming an authorizer the API does not define, `Authorizer: NONE`
 * without a default authorizer) is refused here too, with the transform's reason: it never deploys, so it never
 * passes. test/rules/core/sam.test.ts runs the real translator on every SAM template of the tests and checks the
 * verdicts are the same.
 *
 * Each SAM type's expansion is its own module in rules/core/sam/ (http-api, rest-api, websocket-api, graphql-api,
 * function-url); the events of functions that make routes and methods are collected once (sam/events.ts).
 */
import type { ParsedTemplate, TemplateResource } from './template';
import { samEvents } from './sam/events';
import { functionUrlResources } from './sam/function-url';
import { graphQlApiResource } from './sam/graphql-api';
import { IMPLICIT_HTTP_API, httpApiResource } from './sam/http-api';
import { IMPLICIT_REST_API, restApiResource } from './sam/rest-api';
import { fail, isRecord, refName, withGlobals, type Json } from './sam/shared';
import { webSocketApiResources } from './sam/websocket-api';

export const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';

/** Whether the template asks for the SAM transform. */
export function isSamTemplate(parsed: ParsedTemplate): boolean {
  const transform = parsed.body?.Transform;
  const names = Array.isArray(transform) ? transform : [transform];
  return names.some((name) => name === SAM_TRANSFORM);
}

/**
 * The template with its SAM front doors replaced by what the transform makes of them; other resources as they are
 * (a resource of another SAM type is no resource of the controls, before or after the transform).
 */
export function expandSam(parsed: ParsedTemplate): ParsedTemplate {
  if (!isSamTemplate(parsed)) return parsed;
  const globals = isRecord(parsed.body?.Globals) ? parsed.body.Globals : {};
  const lineOf = (...path: (string | number)[]): number | undefined =>
    parsed.lineOf?.(['Resources', ...path]);
  const { http: eventsByApi, rest: restEventsByApi } = samEvents(parsed, lineOf);
  const resources: TemplateResource[] = [];
  const explicitHttpApis = new Set(
    parsed.resources
      .filter((resource) => resource.type === 'AWS::Serverless::HttpApi')
      .map((r) => r.logicalId),
  );
  for (const apiId of eventsByApi.keys()) {
    if (apiId !== IMPLICIT_HTTP_API && !explicitHttpApis.has(apiId)) {
      fail(
        eventsByApi.get(apiId)?.[0]?.functionId ?? apiId,
        `ApiId must be a valid reference to an 'AWS::Serverless::HttpApi' resource in same template (${apiId}).`,
      );
    }
  }
  const explicitRestApis = new Set(
    parsed.resources.filter((resource) => resource.type === 'AWS::Serverless::Api').map((r) => r.logicalId),
  );
  for (const [apiId, events] of restEventsByApi) {
    if (apiId !== IMPLICIT_REST_API && !explicitRestApis.has(apiId)) {
      fail(
        `${events[0]?.functionId ?? ''}${events[0]?.eventName ?? apiId}`,
        "RestApiId must be a valid reference to an 'AWS::Serverless::Api' resource in same template.",
      );
    }
  }
  if (restEventsByApi.has(IMPLICIT_REST_API) && !explicitRestApis.has(IMPLICIT_REST_API)) {
    resources.push(
      restApiResource(
        IMPLICIT_REST_API,
        withGlobals({}, globals.Api),
        undefined,
        restEventsByApi.get(IMPLICIT_REST_API) ?? [],
        true,
      ),
    );
  }
  const parameterDefault = (value: unknown): unknown => {
    const name = refName(value);
    if (typeof value === 'string' || name === undefined) return value;
    const parameter = (parsed.body?.Parameters as Json | undefined)?.[name];
    return isRecord(parameter) ? parameter.Default : undefined;
  };
  if (eventsByApi.has(IMPLICIT_HTTP_API) && !explicitHttpApis.has(IMPLICIT_HTTP_API)) {
    resources.push(
      httpApiResource(
        IMPLICIT_HTTP_API,
        withGlobals({}, globals.HttpApi),
        undefined,
        true,
        eventsByApi.get(IMPLICIT_HTTP_API) ?? [],
        true,
      ),
    );
  }
  for (const resource of parsed.resources) {
    const properties = resource.properties as Json;
    const line = resource.line;
    if (resource.type === 'AWS::Serverless::Api') {
      resources.push(
        restApiResource(
          resource.logicalId,
          withGlobals(properties, globals.Api),
          line,
          restEventsByApi.get(resource.logicalId) ?? [],
          false,
        ),
      );
    } else if (resource.type === 'AWS::Serverless::Function') {
      resources.push(
        resource,
        ...functionUrlResources(
          resource,
          withGlobals(properties, globals.Function),
          parameterDefault,
          lineOf,
        ),
      );
    } else if (resource.type === 'AWS::Serverless::HttpApi') {
      // SAM's DefaultDefinitionBodyPlugin gives an HttpApi without a definition an empty one (1.110 accepts it).
      const merged = withGlobals(properties, globals.HttpApi);
      resources.push(
        httpApiResource(
          resource.logicalId,
          merged,
          line,
          merged.DefinitionBody === undefined,
          eventsByApi.get(resource.logicalId) ?? [],
          false,
        ),
      );
    } else if (resource.type === 'AWS::Serverless::WebSocketApi') {
      resources.push(...webSocketApiResources(resource, properties, lineOf));
    } else if (resource.type === 'AWS::Serverless::GraphQLApi') {
      resources.push(graphQlApiResource(resource, properties));
    } else {
      resources.push(resource);
    }
  }
  return { ...parsed, resources };
}
