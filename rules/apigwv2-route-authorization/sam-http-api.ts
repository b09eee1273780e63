/**
 * `AWS::Serverless::HttpApi`, and the implicit `ServerlessHttpApi` that `HttpApi` events of functions without an
 * `ApiId` create → `AWS::ApiGatewayV2::Api` with an OpenAPI `Body` (aws-sam-translator 1.110; see rules/core/sam.ts).
 */
import { implicitApiEvents, type SamExpansion, type SamTemplate } from '../core/sam';
import type { RouteOrigin, TemplateResource } from '../core/template';
import {
  ANY_METHOD,
  INTEGRATION,
  conditionalContents,
  eventOrigin,
  fail,
  hasIntegration,
  isRecord,
  refName,
  routeEvent,
  samSource,
  withGlobals,
  type Json,
  type SamEvent,
} from '../core/sam/shared';

const IMPLICIT_HTTP_API = 'ServerlessHttpApi';

type HttpEvent = SamEvent;

function skeleton(): Json {
  return { openapi: '3.0.1', info: { version: '1.0', title: { Ref: 'AWS::StackName' } }, paths: {} };
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
      // A path item SAM finds inside a Fn::If gets the default authorizer in both branches.
      for (const item of Object.values(paths).flatMap(conditionalContents)) {
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

/** The API SAM makes of an HttpApi (or of the HttpApi events alone, `implicit`), with where each route is fixed. */
function httpApiResource(
  logicalId: string,
  properties: Json,
  line: number | undefined,
  managed: boolean,
  events: readonly HttpEvent[],
  implicit: boolean,
): TemplateResource {
  const origins: Record<string, RouteOrigin> = {};
  for (const event of events) {
    origins[routeKeyOf(event)] = eventOrigin(event, `function ${event.functionId} event ${event.eventName}`);
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
    ...(isRecord(properties.DefinitionBody) ? { bodyProperty: 'DefinitionBody' } : {}),
    sam: samSource('AWS::Serverless::HttpApi', logicalId, 'HttpApi', implicit),
    ...(definitionUri !== undefined && properties.DefinitionBody !== undefined
      ? fail(logicalId, "Specify either 'DefinitionUri' or 'DefinitionBody' property and not both.")
      : {}),
  };
}

/** The `HttpApi` events of the template's functions, by the API they make routes on. */
function httpEventsByApi(template: SamTemplate): Map<string, HttpEvent[]> {
  const eventsByApi = new Map<string, HttpEvent[]>();
  for (const event of template.events('HttpApi')) {
    const properties = event.properties;
    const apiId = properties.ApiId === undefined ? IMPLICIT_HTTP_API : refName(properties.ApiId);
    if (apiId === undefined)
      fail(
        event.ownerId,
        `event ${event.eventName}: ApiId must be a Ref to an AWS::Serverless::HttpApi in the template`,
      );
    let path = typeof properties.Path === 'string' ? properties.Path : '';
    let method = typeof properties.Method === 'string' ? properties.Method.toLowerCase() : '';
    if (path === '' && method === '') {
      path = '$default';
      method = ANY_METHOD;
    }
    if (method === 'any') method = ANY_METHOD;
    const list = eventsByApi.get(apiId) ?? [];
    list.push(routeEvent(event, path, method));
    eventsByApi.set(apiId, list);
  }
  return eventsByApi;
}

/** `AWS::Serverless::HttpApi`, and the implicit `ServerlessHttpApi` of events that name no API. */
export const samHttpApi: SamExpansion = {
  samType: 'AWS::Serverless::HttpApi',
  start(template) {
    const eventsByApi = httpEventsByApi(template);
    const implicitEvents = implicitApiEvents(
      template,
      'AWS::Serverless::HttpApi',
      IMPLICIT_HTTP_API,
      eventsByApi,
      (apiId, events) =>
        fail(
          events[0]?.functionId ?? apiId,
          `ApiId must be a valid reference to an 'AWS::Serverless::HttpApi' resource in same template (${apiId}).`,
        ),
    );
    return {
      implicit:
        implicitEvents === undefined
          ? []
          : [
              httpApiResource(
                IMPLICIT_HTTP_API,
                withGlobals({}, template.globals.HttpApi),
                undefined,
                true,
                implicitEvents,
                true,
              ),
            ],
      expand(resource) {
        // SAM's DefaultDefinitionBodyPlugin gives an HttpApi without a definition an empty one (1.110 accepts it).
        const merged = withGlobals(resource.properties, template.globals.HttpApi);
        return [
          httpApiResource(
            resource.logicalId,
            merged,
            resource.line,
            merged.DefinitionBody === undefined,
            eventsByApi.get(resource.logicalId) ?? [],
            false,
          ),
        ];
      },
    };
  },
};
