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
 *
 * A template the transform would refuse (an event naming an authorizer the API does not define) is refused here too,
 * with the transform's reason: it never deploys, so it never passes. test/cli/sam-transform.test.ts runs the real
 * translator on every SAM template of the tests and checks the verdicts are the same.
 */
import { TemplateError, type ParsedTemplate, type RouteOrigin, type TemplateResource } from './template';

export const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';
const IMPLICIT_HTTP_API = 'ServerlessHttpApi';
const ANY_METHOD = 'x-amazon-apigateway-any-method';
const INTEGRATION = 'x-amazon-apigateway-integration';

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether the template asks for the SAM transform. */
export function isSamTemplate(parsed: ParsedTemplate): boolean {
  const transform = parsed.body?.Transform;
  const names = Array.isArray(transform) ? transform : [transform];
  return names.some((name) => name === SAM_TRANSFORM);
}

interface HttpEvent {
  readonly functionId: string;
  readonly eventName: string;
  readonly path: string;
  readonly method: string;
  readonly auth: Json | undefined;
  readonly condition: unknown;
  readonly line: number | undefined;
}

function refName(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isRecord(value) && typeof value.Ref === 'string') return value.Ref;
  return undefined;
}

function fail(logicalId: string, reason: string): never {
  throw new TemplateError(`SAM transform would fail: resource ${logicalId}: ${reason}`);
}

/** SAM's Globals for a resource type, merged under the resource's own properties (mappings key by key). */
function withGlobals(properties: Json, globals: unknown): Json {
  if (!isRecord(globals)) return properties;
  const merged: Json = { ...globals };
  for (const [key, value] of Object.entries(properties)) {
    const global = merged[key];
    merged[key] = isRecord(global) && isRecord(value) ? { ...global, ...value } : value;
  }
  return merged;
}

function skeleton(): Json {
  return { openapi: '3.0.1', info: { version: '1.0', title: { Ref: 'AWS::StackName' } }, paths: {} };
}

function hasIntegration(method: unknown): boolean {
  return isRecord(method) && method[INTEGRATION] !== undefined;
}

/** The OpenAPI security scheme SAM writes for one authorizer of `Auth.Authorizers` (or the IAM one). */
function schemeOf(name: string, authorizer: unknown, apiId: string): Json {
  if (name === 'AWS_IAM' && authorizer === 'iam') {
    return {
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authtype': 'awsSigv4',
    };
  }
  if (!isRecord(authorizer)) fail(apiId, `Auth.Authorizers.${name} must be a map`);
  if (authorizer.JwtConfiguration !== undefined) {
    return {
      type: 'oauth2',
      'x-amazon-apigateway-authorizer': {
        jwtConfiguration: authorizer.JwtConfiguration,
        identitySource: authorizer.IdentitySource,
        type: 'jwt',
      },
    };
  }
  if (authorizer.FunctionArn === undefined) {
    fail(apiId, `Lambda authorizer ${name} needs a FunctionArn (or a JwtConfiguration for a JWT authorizer)`);
  }
  return {
    type: 'apiKey',
    name: 'Unused',
    in: 'header',
    'x-amazon-apigateway-authorizer': { type: 'request' },
  };
}

/** The definition of one HTTP API after the transform: events added, authorizers, default authorizer, tags. */
function httpApiBody(
  apiId: string,
  properties: Json,
  events: readonly HttpEvent[],
  managed: boolean,
): unknown {
  const definition = properties.DefinitionBody;
  const inline = isRecord(definition) && isRecord(definition.paths) && definition.openapi !== undefined;
  if (definition !== undefined && !inline) {
    // AWS::Include or a definition built at deploy: the transform adds nothing to it, and neither can the check.
    return definition;
  }
  const body: Json = inline ? structuredClone(definition) : skeleton();
  const paths = body.paths as Json;
  const auth = isRecord(properties.Auth) ? properties.Auth : undefined;
  const authorizers: Json = {};
  if (auth?.EnableIamAuthorizer === true) authorizers.AWS_IAM = 'iam';
  if (isRecord(auth?.Authorizers)) Object.assign(authorizers, auth.Authorizers);
  const defaultAuthorizer = typeof auth?.DefaultAuthorizer === 'string' ? auth.DefaultAuthorizer : undefined;
  for (const event of events) {
    const item = isRecord(paths[event.path]) ? (paths[event.path] as Json) : {};
    paths[event.path] = item;
    const existing = item[event.method];
    if (!hasIntegration(existing)) {
      const method: Json = isRecord(existing) ? { ...existing } : {};
      method[INTEGRATION] = {
        type: 'aws_proxy',
        httpMethod: 'POST',
        payloadFormatVersion: '2.0',
        uri: { 'Fn::GetAtt': [event.functionId, 'Arn'] },
      };
      if (event.path === '$default' && event.method === ANY_METHOD) method.isDefaultRoute = true;
      method.responses ??= {};
      item[event.method] =
        event.condition === undefined
          ? method
          : { 'Fn::If': [event.condition, method, { Ref: 'AWS::NoValue' }] };
    } else if (!managed && event.auth === undefined) {
      continue;
    }
    if (event.auth === undefined) continue;
    let authorizer = event.auth.Authorizer;
    const where = `API method [${event.method}] for path [${event.path}]`;
    if (authorizer === undefined) {
      if (defaultAuthorizer === undefined) {
        fail(
          `${event.functionId}${event.eventName}`,
          "'Auth' section requires either an explicit 'Authorizer' set or a 'DefaultAuthorizer' configured on the HttpApi.",
        );
      }
      authorizer = defaultAuthorizer;
    }
    if (typeof authorizer !== 'string')
      fail(event.functionId, `Auth.Authorizer of event ${event.eventName} must be a string`);
    if (authorizer === 'NONE') {
      if (defaultAuthorizer === undefined) {
        fail(
          event.functionId,
          `Unable to set Authorizer on ${where} because 'NONE' is only a valid value when a DefaultAuthorizer on the API is specified.`,
        );
      }
    } else if (
      !(authorizer === 'AWS_IAM' && authorizers.AWS_IAM === 'iam') &&
      !Object.hasOwn(authorizers, authorizer)
    ) {
      fail(
        event.functionId,
        `Unable to set Authorizer [${authorizer}] on ${where} because it wasn't defined in the API's Authorizers.`,
      );
    }
    for (const method of [item[event.method]].flatMap((value) =>
      isRecord(value) && Array.isArray(value['Fn::If']) ? [(value['Fn::If'] as unknown[])[1]] : [value],
    )) {
      if (!isRecord(method)) continue;
      const existingSecurity: unknown[] = Array.isArray(method.security)
        ? (method.security as unknown[])
        : [];
      method.security = [...existingSecurity, { [authorizer]: [] }];
    }
  }
  if (auth !== undefined) {
    const components = isRecord(body.components) ? body.components : {};
    const schemes = isRecord(components.securitySchemes) ? { ...components.securitySchemes } : {};
    for (const [name, authorizer] of Object.entries(authorizers))
      schemes[name] = schemeOf(name, authorizer, apiId);
    if (Object.keys(schemes).length > 0) body.components = { ...components, securitySchemes: schemes };
    if (defaultAuthorizer !== undefined) {
      if (!Object.hasOwn(authorizers, defaultAuthorizer)) {
        fail(
          apiId,
          `Unable to set DefaultAuthorizer because '${defaultAuthorizer}' was not defined in 'Authorizers'.`,
        );
      }
      for (const item of Object.values(paths)) {
        if (!isRecord(item)) continue;
        for (const [methodName, value] of Object.entries(item)) {
          if (methodName === 'parameters' || methodName.toLowerCase() === 'options') continue;
          const branches =
            isRecord(value) && Array.isArray(value['Fn::If'])
              ? (value['Fn::If'] as unknown[]).slice(1)
              : [value];
          for (const method of branches) {
            // SAM puts the default authorizer only on methods it can see integrated, and never over a method's own.
            if (!isRecord(method) || !hasIntegration(method)) continue;
            if (Array.isArray(method.security) && method.security.length > 0) continue;
            method.security = [{ [defaultAuthorizer]: [] }];
          }
        }
      }
    }
  }
  const tags: Json = { ...(isRecord(properties.Tags) ? properties.Tags : {}), 'httpapi:createdBy': 'SAM' };
  const tagList = Array.isArray(body.tags) ? [...(body.tags as unknown[])] : [];
  for (const [name, value] of Object.entries(tags)) {
    const index = tagList.findIndex((tag) => isRecord(tag) && tag.name === name);
    const entry = { name, 'x-amazon-apigateway-tag-value': value };
    if (index === -1) tagList.push(entry);
    else tagList[index] = { ...(tagList[index] as Json), 'x-amazon-apigateway-tag-value': value };
  }
  body.tags = tagList;
  if (properties.DisableExecuteApiEndpoint !== undefined) {
    body.servers = [
      {
        'x-amazon-apigateway-endpoint-configuration': {
          disableExecuteApiEndpoint: properties.DisableExecuteApiEndpoint,
        },
      },
    ];
  }
  return body;
}

/** The route key API Gateway gives an event's path and method. */
function routeKeyOf(event: HttpEvent): string {
  if (event.method === ANY_METHOD) return event.path === '$default' ? '$default' : `ANY ${event.path}`;
  return `${event.method.toUpperCase()} ${event.path}`;
}

function webSocketRouteId(apiId: string, routeKey: string): string {
  const special: Readonly<Record<string, string>> = {
    $connect: 'Connect',
    $disconnect: 'Disconnect',
    $default: 'Default',
  };
  const clean = special[routeKey] ?? `${routeKey.charAt(0).toUpperCase()}${routeKey.slice(1).toLowerCase()}`;
  return `${apiId}${clean}Route`;
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
  const eventsByApi = new Map<string, HttpEvent[]>();
  for (const resource of parsed.resources) {
    if (resource.type !== 'AWS::Serverless::Function') continue;
    const events = resource.properties.Events;
    if (!isRecord(events)) continue;
    const raw = (parsed.body?.Resources as Json | undefined)?.[resource.logicalId];
    const condition = isRecord(raw) ? raw.Condition : undefined;
    for (const [eventName, event] of Object.entries(events)) {
      if (!isRecord(event) || event.Type !== 'HttpApi') continue;
      const properties = isRecord(event.Properties) ? event.Properties : {};
      const apiId = properties.ApiId === undefined ? IMPLICIT_HTTP_API : refName(properties.ApiId);
      if (apiId === undefined)
        fail(
          resource.logicalId,
          `event ${eventName}: ApiId must be a Ref to an AWS::Serverless::HttpApi in the template`,
        );
      let path = typeof properties.Path === 'string' ? properties.Path : '';
      let method = typeof properties.Method === 'string' ? properties.Method.toLowerCase() : '';
      if (path === '' && method === '') {
        path = '$default';
        method = ANY_METHOD;
      }
      if (method === 'any') method = ANY_METHOD;
      const list = eventsByApi.get(apiId) ?? [];
      list.push({
        functionId: resource.logicalId,
        eventName,
        path,
        method,
        auth: isRecord(properties.Auth) ? properties.Auth : undefined,
        condition,
        line: lineOf(resource.logicalId, 'Properties', 'Events', eventName),
      });
      eventsByApi.set(apiId, list);
    }
  }
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
  const httpApi = (
    logicalId: string,
    properties: Json,
    line: number | undefined,
    managed: boolean,
  ): TemplateResource => {
    const events = eventsByApi.get(logicalId) ?? [];
    const origins: Record<string, RouteOrigin> = {};
    for (const event of events) {
      const eventLine = event.line;
      origins[routeKeyOf(event)] = {
        logicalId: event.functionId,
        name: `function ${event.functionId} event ${event.eventName}`,
        ...(eventLine === undefined ? {} : { line: eventLine }),
      };
    }
    const body = httpApiBody(logicalId, properties, events, managed);
    const definitionUri = properties.DefinitionUri;
    return {
      logicalId,
      type: 'AWS::ApiGatewayV2::Api',
      properties: {
        ...(definitionUri === undefined
          ? { Body: body }
          : { BodyS3Location: typeof definitionUri === 'string' ? definitionUri : definitionUri }),
        ...(properties.Name === undefined ? {} : { Name: properties.Name }),
      },
      ...(line === undefined ? {} : { line }),
      routeOrigins: origins,
      ...(definitionUri !== undefined && properties.DefinitionBody !== undefined
        ? fail(logicalId, "Specify either 'DefinitionUri' or 'DefinitionBody' property and not both.")
        : {}),
    };
  };
  if (eventsByApi.has(IMPLICIT_HTTP_API) && !explicitHttpApis.has(IMPLICIT_HTTP_API)) {
    resources.push(httpApi(IMPLICIT_HTTP_API, withGlobals({}, globals.HttpApi), undefined, true));
  }
  for (const resource of parsed.resources) {
    const properties = resource.properties as Json;
    const line = resource.line;
    if (resource.type === 'AWS::Serverless::HttpApi') {
      const merged = withGlobals(properties, globals.HttpApi);
      if (
        merged.DefinitionBody === undefined &&
        merged.DefinitionUri === undefined &&
        !eventsByApi.has(resource.logicalId)
      ) {
        fail(
          resource.logicalId,
          "'DefinitionUri' or 'DefinitionBody' are required properties of an 'AWS::Serverless::HttpApi'. Add a value for one of these properties or add a 'HttpApi' event to an 'AWS::Serverless::Function'.",
        );
      }
      resources.push(httpApi(resource.logicalId, merged, line, merged.DefinitionBody === undefined));
    } else if (resource.type === 'AWS::Serverless::WebSocketApi') {
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
      resources.push({
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
      });
      for (const routeKey of Object.keys(routes)) {
        const routeLine = lineOf(resource.logicalId, 'Properties', 'Routes', routeKey);
        resources.push({
          logicalId: webSocketRouteId(resource.logicalId, routeKey),
          type: 'AWS::ApiGatewayV2::Route',
          properties: {
            ApiId: { Ref: resource.logicalId },
            RouteKey: routeKey,
            ...(routeKey === '$connect' && authType !== undefined ? { AuthorizationType: authType } : {}),
          },
          ...(routeLine === undefined ? {} : { line: routeLine }),
        });
      }
    } else if (resource.type === 'AWS::Serverless::GraphQLApi') {
      const auth = isRecord(properties.Auth) ? properties.Auth : undefined;
      if (auth === undefined) fail(resource.logicalId, 'Auth is a required property.');
      const additional = Array.isArray(auth.Additional) ? auth.Additional : [];
      const tags = { ...(isRecord(properties.Tags) ? properties.Tags : {}), 'graphqlapi:createdBy': 'SAM' };
      resources.push({
        logicalId: resource.logicalId,
        type: 'AWS::AppSync::GraphQLApi',
        properties: {
          Name: properties.Name ?? resource.logicalId,
          AuthenticationType: auth.Type,
          ...(additional.length === 0
            ? {}
            : {
                AdditionalAuthenticationProviders: additional.map((provider: unknown) => ({
                  AuthenticationType: isRecord(provider) ? provider.Type : undefined,
                })),
              }),
          Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
        },
        ...(line === undefined ? {} : { line }),
      });
    } else {
      resources.push(resource);
    }
  }
  return { ...parsed, resources };
}
