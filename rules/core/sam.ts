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
 */
import { isIntrinsic } from './openapi';
import {
  TemplateError,
  type ParsedTemplate,
  type RouteOrigin,
  type SamSource,
  type TemplateResource,
} from './template';

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
  /** The line of the event's `Auth.Authorizer`, when written. */
  readonly authorizerLine: number | undefined;
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

/** Where a route an event makes is fixed: the event, at its `Auth.Authorizer` when that is written. */
function eventOrigin(event: HttpEvent | RestEvent, name: string): RouteOrigin {
  const line = event.authorizerLine ?? event.line;
  const authorizer = event.auth?.Authorizer;
  return {
    logicalId: event.functionId,
    name,
    eventName: event.eventName,
    ...(authorizer === undefined ? {} : { authorizer }),
    ...(line === undefined ? {} : { line }),
  };
}

/** The route key API Gateway gives an event's path and method. */
function routeKeyOf(event: HttpEvent): string {
  if (event.method === ANY_METHOD) return event.path === '$default' ? '$default' : `ANY ${event.path}`;
  return `${event.method.toUpperCase()} ${event.path}`;
}

function samSource(type: string, logicalId: string, globals?: string, implicit = false): SamSource {
  return {
    type,
    logicalId,
    ...(globals === undefined ? {} : { globals }),
    ...(implicit ? { implicit } : {}),
  };
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

// ---- REST APIs (AWS::Serverless::Api and the implicit ServerlessRestApi), from aws-sam-translator 1.110:
// plugins/api/default_definition_body_plugin.py, model/eventsources/push.py (Api), swagger/swagger.py,
// model/api/api_generator.py (_add_cors, _add_auth, _openapi_postprocess) and model/apigateway.py (authorizers).

const IMPLICIT_REST_API = 'ServerlessRestApi';
const OPENAPI_3 = /^3\.\d+(\.\d+)?$/;

interface RestEvent {
  /** The function or state machine whose event this is. */
  readonly functionId: string;
  readonly kind: 'function' | 'state machine';
  readonly eventName: string;
  readonly path: string;
  /** Lower case, `x-amazon-apigateway-any-method` for `any`, as SAM's SwaggerEditor normalizes it. */
  readonly method: string;
  /** The event's Method in lower case, as MergeDefinitions keys the merged method. */
  readonly rawMethod: string;
  readonly auth: Json | undefined;
  readonly condition: unknown;
  readonly line: number | undefined;
  /** The line of the event's `Auth.Authorizer`, when written. */
  readonly authorizerLine: number | undefined;
}

/** Python's truthiness, which SAM applies to these settings. */
const truthy = (value: unknown): boolean => Boolean(value);

function swaggerSkeleton(): Json {
  return { swagger: '2.0', info: { version: '1.0', title: { Ref: 'AWS::StackName' } }, paths: {} };
}

/** SwaggerEditor.is_valid: a mapping with `paths` and `swagger`, or `openapi` 3.x. */
function isSwagger(definition: unknown): definition is Json {
  if (!isRecord(definition) || !isRecord(definition.paths)) return false;
  if (truthy(definition.swagger)) return true;
  return typeof definition.openapi === 'string' && OPENAPI_3.test(definition.openapi);
}

/** The definitions of a method, both sides of a `Fn::If` SAM wrapped it in (get_conditional_contents). */
function conditionalContents(value: unknown): Json[] {
  if (isRecord(value) && Array.isArray(value['Fn::If']) && Object.keys(value).length === 1) {
    return (value['Fn::If'] as unknown[])
      .slice(1)
      .filter((branch): branch is Json => isRecord(branch) && !(branch.Ref === 'AWS::NoValue'));
  }
  return isRecord(value) ? [value] : [];
}

/** Methods of a path SAM edits: skips `parameters`/`summary`/`description`, and methods without an integration. */
function integratedMethods(item: unknown): [string, Json][] {
  const methods: [string, Json][] = [];
  for (const pathItem of conditionalContents(item)) {
    for (const [name, value] of Object.entries(pathItem)) {
      if (['parameters', 'summary', 'description'].includes(name)) continue;
      for (const method of conditionalContents(value)) {
        if (hasIntegration(method)) methods.push([name.toLowerCase(), method]);
      }
    }
  }
  return methods;
}

function securityOf(method: Json, where: string, apiId: string): Json[] {
  const security = method.security ?? [];
  if (!Array.isArray(security)) fail(apiId, `Type of security for ${where} must be a list`);
  return (security as unknown[]).map((entry) => {
    if (!isRecord(entry))
      fail(apiId, `${JSON.stringify(entry)} in Security for ${where} is not a valid dictionary.`);
    return entry;
  });
}

/** The securityDefinitions SAM writes, created on first use. */
function definitionsOf(body: Json): Json {
  if (body.securityDefinitions === undefined) body.securityDefinitions = {};
  const definitions = body.securityDefinitions;
  if (!isRecord(definitions)) fail('DefinitionBody', 'securityDefinitions must be a dictionary.');
  return definitions;
}

function addIamScheme(body: Json): void {
  const definitions = definitionsOf(body);
  definitions.AWS_IAM ??= {
    'x-amazon-apigateway-authtype': 'awsSigv4',
    type: 'apiKey',
    name: 'Authorization',
    in: 'header',
  };
}

function addApiKeyScheme(body: Json): void {
  const definitions = definitionsOf(body);
  definitions.api_key ??= { type: 'apiKey', name: 'x-api-key', in: 'header' };
}

/** The security definition SAM writes for one `Auth.Authorizers` entry (ApiGatewayAuthorizer.generate_swagger). */
function restSchemeOf(name: string, authorizer: unknown, apiId: string): Json {
  if (!isRecord(authorizer)) fail(apiId, `Property 'Auth.Authorizers.${name}' should be a map.`);
  const payload = authorizer.FunctionPayloadType;
  if (payload !== undefined && payload !== 'TOKEN' && payload !== 'REQUEST') {
    fail(apiId, `${name} Authorizer has invalid 'FunctionPayloadType': ${JSON.stringify(payload)}.`);
  }
  const identity = isRecord(authorizer.Identity) ? authorizer.Identity : undefined;
  // _is_missing_identity_source: an authorizer that never caches (ReauthorizeEvery 0) needs no identity source.
  const uncached = Number(identity?.ReauthorizeEvery) === 0 && identity?.ReauthorizeEvery !== undefined;
  if (
    payload === 'REQUEST' &&
    !uncached &&
    identity?.Headers === undefined &&
    identity?.QueryStrings === undefined &&
    identity?.StageVariables === undefined &&
    identity?.Context === undefined
  ) {
    fail(
      apiId,
      `${name} Authorizer must specify Identity with at least one of Headers, QueryStrings, StageVariables, or Context.`,
    );
  }
  const header = typeof identity?.Header === 'string' ? identity.Header : 'Authorization';
  if (authorizer.UserPoolArn !== undefined) {
    return {
      type: 'apiKey',
      name: header,
      in: 'header',
      'x-amazon-apigateway-authtype': 'cognito_user_pools',
      'x-amazon-apigateway-authorizer': {
        type: 'cognito_user_pools',
        providerARNs: Array.isArray(authorizer.UserPoolArn)
          ? authorizer.UserPoolArn
          : [authorizer.UserPoolArn],
      },
    };
  }
  return {
    type: 'apiKey',
    name: payload === 'REQUEST' ? 'Unused' : header,
    in: 'header',
    'x-amazon-apigateway-authtype': 'custom',
    'x-amazon-apigateway-authorizer': { type: payload === 'REQUEST' ? 'request' : 'token' },
  };
}

/** One event's Auth on its method (push.py add_auth_to_swagger, SwaggerEditor.add_auth_to_method). */
function addEventAuth(body: Json, event: RestEvent, apiAuth: Json | undefined, apiId: string): void {
  const auth = event.auth;
  if (auth === undefined) return;
  const eventId = `${event.functionId}${event.eventName}`;
  const where = `API method [${event.method}] for path [${event.path}]`;
  const authorizer = auth.Authorizer;
  const apiAuthorizers = isRecord(apiAuth?.Authorizers) ? apiAuth.Authorizers : undefined;
  if (authorizer !== undefined && authorizer !== null && authorizer !== '' && authorizer !== 'AWS_IAM') {
    if (authorizer === 'NONE') {
      if (apiAuth?.DefaultAuthorizer === undefined || apiAuth.DefaultAuthorizer === '') {
        fail(
          eventId,
          `Unable to set Authorizer on ${where} because 'NONE' is only a valid value when a DefaultAuthorizer on the API is specified.`,
        );
      }
    } else if (apiAuthorizers === undefined || Object.keys(apiAuthorizers).length === 0) {
      fail(
        eventId,
        `Unable to set Authorizer [${JSON.stringify(authorizer)}] on ${where} because the related API does not define any Authorizers.`,
      );
    } else if (typeof authorizer !== 'string' || !Object.hasOwn(apiAuthorizers, authorizer)) {
      fail(
        eventId,
        `Unable to set Authorizer [${JSON.stringify(authorizer)}] on ${where} because it wasn't defined in the API's Authorizers.`,
      );
    }
  }
  // Python truthiness, as SAM tests these settings: absent/null is no setting, anything else true or false.
  const apiKey =
    auth.ApiKeyRequired === undefined || auth.ApiKeyRequired === null
      ? undefined
      : truthy(auth.ApiKeyRequired);
  if (apiKey === false && !truthy(apiAuth?.ApiKeyRequired)) {
    fail(
      eventId,
      `Unable to set ApiKeyRequired [False] on ${where} because the related API does not specify any ApiKeyRequired.`,
    );
  }
  const item = (body.paths as Json)[event.path];
  const methods = isRecord(item)
    ? conditionalContents(item).flatMap((pathItem) => conditionalContents(pathItem[event.method]))
    : [];
  for (const method of methods) {
    if (typeof authorizer === 'string' && authorizer !== '') {
      const security = [...securityOf(method, where, apiId), { [authorizer]: [] }];
      method.security = security;
      if (Object.hasOwn(security[0] ?? {}, 'AWS_IAM')) addIamScheme(body);
    }
    if (apiKey !== undefined) {
      if (apiKey) addApiKeyScheme(body);
      method.security = [...securityOf(method, where, apiId), { [apiKey ? 'api_key' : 'api_key_false']: [] }];
    }
  }
}

/** The CORS preflight SAM adds to every path without an OPTIONS method (a mock integration). */
function addCors(body: Json): void {
  for (const item of Object.values(body.paths as Json)) {
    for (const pathItem of conditionalContents(item)) {
      if (Object.hasOwn(pathItem, 'options')) continue;
      pathItem.options = {
        summary: 'CORS support',
        responses: { '200': { description: 'Default response for CORS method' } },
        'x-amazon-apigateway-integration': { type: 'mock' },
      };
    }
  }
}

/** Auth on the API: authorizers, the default authorizer on every integrated method, the default API key. */
function addApiAuth(body: Json, auth: Json, apiId: string): void {
  const authorizers: Json = {};
  const defaultAuthorizer = auth.DefaultAuthorizer;
  if (defaultAuthorizer === 'AWS_IAM') authorizers.AWS_IAM = 'iam';
  if (auth.Authorizers !== undefined && !isRecord(auth.Authorizers))
    fail(apiId, "Property 'Auth.Authorizers' should be a map.");
  if (isRecord(auth.Authorizers)) Object.assign(authorizers, auth.Authorizers);
  const paths = body.paths as Json;
  if (Object.keys(authorizers).length > 0) {
    const definitions = definitionsOf(body);
    for (const [name, authorizer] of Object.entries(authorizers)) {
      definitions[name] =
        authorizer === 'iam'
          ? {
              type: 'apiKey',
              name: 'Authorization',
              in: 'header',
              'x-amazon-apigateway-authtype': 'awsSigv4',
            }
          : restSchemeOf(name, authorizer, apiId);
    }
    if (defaultAuthorizer !== undefined && defaultAuthorizer !== null && defaultAuthorizer !== '') {
      if (typeof defaultAuthorizer !== 'string') fail(apiId, 'DefaultAuthorizer is not a string.');
      if (!Object.hasOwn(authorizers, defaultAuthorizer)) {
        fail(
          apiId,
          `Unable to set DefaultAuthorizer because '${defaultAuthorizer}' was not defined in 'Authorizers'.`,
        );
      }
      const toPreflight = auth.AddDefaultAuthorizerToCorsPreflight !== false;
      const names = new Set(['AWS_IAM', ...Object.keys(authorizers)]);
      for (const [path, item] of Object.entries(paths)) {
        for (const [name, method] of integratedMethods(item)) {
          if (!toPreflight && name === 'options') continue;
          const where = `path ${path} method ${name}`;
          const existing = securityOf(method, where, apiId);
          const others = existing.filter((entry) => !Object.keys(entry).some((key) => names.has(key)));
          const own = existing.filter((entry) => Object.keys(entry).some((key) => names.has(key)));
          const none = others.findIndex((entry) => Object.hasOwn(entry, 'NONE'));
          let chosen: Json[] = [];
          if (none > -1) others.splice(none, 1);
          else chosen = own.length > 0 ? own : [{ [defaultAuthorizer]: [] }];
          const security = [...others, ...chosen];
          if (security.length > 0) {
            method.security = security;
            if (Object.hasOwn(security[0] ?? {}, 'AWS_IAM')) addIamScheme(body);
          }
        }
      }
    }
  }
  if (auth.ApiKeyRequired === true) {
    addApiKeyScheme(body);
    const toPreflight = auth.AddApiKeyRequiredToCorsPreflight !== false;
    for (const [path, item] of Object.entries(paths)) {
      for (const [name, method] of integratedMethods(item)) {
        const existing = securityOf(method, `path ${path} method ${name}`, apiId);
        const isKey = (entry: Json): boolean =>
          Object.hasOwn(entry, 'api_key') || Object.hasOwn(entry, 'api_key_false');
        const others = existing.filter((entry) => !isKey(entry));
        const keys = existing.filter(isKey);
        const off = keys.findIndex((entry) => Object.hasOwn(entry, 'api_key_false'));
        let security = off > -1 ? [...others] : [...others, { api_key: [] }];
        if (name === 'options' && !toPreflight) security = others;
        if (JSON.stringify(security) !== JSON.stringify(existing)) method.security = security;
      }
    }
  }
}

/** One event's method in the definition (SwaggerEditor.add_lambda_integration), then its Auth. */
function addEventMethod(body: Json, event: RestEvent, apiAuth: Json | undefined, apiId: string): void {
  const paths = body.paths as Json;
  const item = isRecord(paths[event.path]) ? (paths[event.path] as Json) : {};
  paths[event.path] = item;
  const existing = item[event.method];
  if (conditionalContents(existing).some(hasIntegration)) {
    fail(
      `${event.functionId}${event.eventName}`,
      `API method "${event.method}" defined multiple times for path "${event.path}".`,
    );
  }
  const method: Json = isRecord(existing) ? { ...existing } : {};
  method[INTEGRATION] = {
    type: event.kind === 'function' ? 'aws_proxy' : 'aws',
    httpMethod: 'POST',
    uri: { 'Fn::GetAtt': [event.functionId, 'Arn'] },
  };
  method.responses ??= {};
  item[event.method] =
    event.condition === undefined ? method : { 'Fn::If': [event.condition, method, { Ref: 'AWS::NoValue' }] };
  addEventAuth(body, event, apiAuth, apiId);
}

/** The RestApi's Body after the transform: events added (when SAM manages it), CORS, Auth, OpenAPI 3 schemes. */
function restApiBody(apiId: string, properties: Json, events: readonly RestEvent[]): unknown {
  const definition = properties.DefinitionBody;
  const managed = definition === undefined;
  const auth = properties.Auth;
  const cors = properties.Cors;
  if (definition !== undefined && !isSwagger(definition)) {
    if (auth !== undefined && auth !== null) {
      fail(
        apiId,
        "Unable to add Auth configuration because 'DefinitionBody' does not contain a valid Swagger definition.",
      );
    }
    if (truthy(cors)) {
      fail(
        apiId,
        "Unable to add Cors configuration because 'DefinitionBody' does not contain a valid Swagger definition.",
      );
    }
    // AWS::Include or a definition built at deploy: the transform adds nothing to it, and neither can the check.
    return definition;
  }
  const body: Json = managed ? swaggerSkeleton() : structuredClone(definition);
  const paths = body.paths as Json;
  const apiAuth = isRecord(auth) ? auth : undefined;
  for (const event of events) {
    if (properties.MergeDefinitions === true && !managed) {
      // push.py _get_merged_definitions: the event's method is made in an empty definition, then merged in, SAM's
      // values winning where both have a key.
      const generated = swaggerSkeleton();
      addEventMethod(generated, event, apiAuth, apiId);
      const item = isRecord(paths[event.path]) ? (paths[event.path] as Json) : {};
      paths[event.path] = item;
      const own = item[event.rawMethod];
      if (own !== undefined && !isRecord(own))
        fail(apiId, `Property 'DefinitionBody.paths.${event.path}.${event.rawMethod}' should be a map.`);
      // Only the method is merged (keyed by the event's Method as written, lower case); the schemes SAM made for it
      // are not, and come only from the API's Auth.
      item[event.rawMethod] = {
        ...own,
        ...(((generated.paths as Json)[event.path] as Json)[event.method] as Json),
      };
      continue;
    }
    if (managed) {
      addEventMethod(body, event, apiAuth, apiId);
    } else if (event.auth?.OverrideApiAuth === true) {
      addEventAuth(body, event, apiAuth, apiId);
    }
  }
  if (truthy(cors)) addCors(body);
  if (auth !== undefined && auth !== null) {
    if (!isRecord(auth)) fail(apiId, "Invalid value for 'Auth' property");
    addApiAuth(body, auth, apiId);
  }
  if (isRecord(body.securityDefinitions) && Object.keys(body.securityDefinitions).length === 0)
    delete body.securityDefinitions;
  // _openapi_postprocess: an OpenAPI 3 definition gets SAM's securityDefinitions as components.securitySchemes.
  const version = typeof properties.OpenApiVersion === 'string' ? properties.OpenApiVersion : body.openapi;
  if (
    body.swagger === undefined &&
    typeof version === 'string' &&
    OPENAPI_3.test(version) &&
    isRecord(body.securityDefinitions)
  ) {
    const components = isRecord(body.components) ? body.components : {};
    body.components = { ...components, securitySchemes: body.securityDefinitions };
    delete body.securityDefinitions;
  }
  return body;
}

/** `EndpointConfiguration: REGIONAL` or `{Type: PRIVATE}` → the RestApi's `{Types: [...]}`. */
function restEndpointConfiguration(value: unknown): Json | undefined {
  if (value === undefined || value === null) return undefined;
  if (isRecord(value) && value.Type !== undefined) return { Types: [value.Type] };
  return { Types: [value] };
}

/** `s3://bucket/key` or `{Bucket, Key, Version}` as the RestApi's BodyS3Location. */
function bodyS3Location(uri: unknown): unknown {
  if (typeof uri === 'string') {
    const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
    return match === null ? uri : { Bucket: match[1], Key: match[2] };
  }
  return uri;
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
  const restEventsByApi = new Map<string, RestEvent[]>();
  for (const resource of parsed.resources) {
    const isStateMachine = resource.type === 'AWS::Serverless::StateMachine';
    if (resource.type !== 'AWS::Serverless::Function' && !isStateMachine) continue;
    const events = resource.properties.Events;
    if (!isRecord(events)) continue;
    const raw = (parsed.body?.Resources as Json | undefined)?.[resource.logicalId];
    const condition = isRecord(raw) ? raw.Condition : undefined;
    for (const [eventName, event] of Object.entries(events)) {
      if (isStateMachine && !(isRecord(event) && event.Type === 'Api')) continue;
      if (isRecord(event) && event.Type === 'Api') {
        const properties = isRecord(event.Properties) ? event.Properties : {};
        const restApiId =
          properties.RestApiId === undefined ? IMPLICIT_REST_API : refName(properties.RestApiId);
        const eventId = `${resource.logicalId}${eventName}`;
        if (restApiId === undefined)
          fail(
            eventId,
            "RestApiId must be a valid reference to an 'AWS::Serverless::Api' resource in same template.",
          );
        if (typeof properties.Path !== 'string') fail(eventId, "Missing required property 'Path'.");
        if (typeof properties.Method !== 'string') fail(eventId, "Missing required property 'Method'.");
        const lower = properties.Method.toLowerCase();
        const list = restEventsByApi.get(restApiId) ?? [];
        list.push({
          functionId: resource.logicalId,
          kind: isStateMachine ? 'state machine' : 'function',
          eventName,
          path: properties.Path,
          method: lower === 'any' ? ANY_METHOD : lower,
          rawMethod: lower,
          auth: isRecord(properties.Auth) ? properties.Auth : undefined,
          condition,
          line: lineOf(resource.logicalId, 'Properties', 'Events', eventName),
          authorizerLine: lineOf(
            resource.logicalId,
            'Properties',
            'Events',
            eventName,
            'Properties',
            'Auth',
            'Authorizer',
          ),
        });
        restEventsByApi.set(restApiId, list);
        continue;
      }
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
        authorizerLine: lineOf(
          resource.logicalId,
          'Properties',
          'Events',
          eventName,
          'Properties',
          'Auth',
          'Authorizer',
        ),
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
  const restApi = (logicalId: string, properties: Json, line: number | undefined): TemplateResource => {
    const events = restEventsByApi.get(logicalId) ?? [];
    const definitionUri = properties.DefinitionUri;
    if (definitionUri !== undefined && properties.DefinitionBody !== undefined)
      fail(logicalId, "Specify either 'DefinitionUri' or 'DefinitionBody' property and not both.");
    if (definitionUri !== undefined && properties.Auth !== undefined && properties.Auth !== null)
      fail(logicalId, "Auth works only with inline Swagger specified in 'DefinitionBody' property.");
    if (definitionUri !== undefined && Boolean(properties.Cors))
      fail(logicalId, "Cors works only with inline Swagger specified in 'DefinitionBody' property.");
    // A method SAM makes from an event is fixed at the event; with a DefinitionBody of the user's, SAM adds none.
    const origins: Record<string, RouteOrigin> = {};
    if (properties.DefinitionBody === undefined || properties.MergeDefinitions === true) {
      for (const event of events) {
        const method = event.method === ANY_METHOD ? 'ANY' : event.method.toUpperCase();
        origins[`${method} ${event.path}`] = eventOrigin(
          event,
          `${event.kind} ${event.functionId} event ${event.eventName}`,
        );
      }
    }
    const endpoint = restEndpointConfiguration(properties.EndpointConfiguration);
    return {
      logicalId,
      type: 'AWS::ApiGateway::RestApi',
      properties: {
        ...(definitionUri === undefined
          ? { Body: restApiBody(logicalId, properties, events) }
          : { BodyS3Location: bodyS3Location(definitionUri) }),
        ...(properties.Name === undefined ? {} : { Name: properties.Name }),
        ...(endpoint === undefined ? {} : { EndpointConfiguration: endpoint }),
      },
      ...(line === undefined ? {} : { line }),
      routeOrigins: origins,
      ...(isRecord(properties.DefinitionBody) ? { bodyProperty: 'DefinitionBody' } : {}),
      sam: samSource('AWS::Serverless::Api', logicalId, 'Api', !explicitRestApis.has(logicalId)),
    };
  };
  if (restEventsByApi.has(IMPLICIT_REST_API) && !explicitRestApis.has(IMPLICIT_REST_API)) {
    resources.push(restApi(IMPLICIT_REST_API, withGlobals({}, globals.Api), undefined));
  }
  const parameterDefault = (value: unknown): unknown => {
    const name = refName(value);
    if (typeof value === 'string' || name === undefined) return value;
    const parameter = (parsed.body?.Parameters as Json | undefined)?.[name];
    return isRecord(parameter) ? parameter.Default : undefined;
  };
  const httpApi = (
    logicalId: string,
    properties: Json,
    line: number | undefined,
    managed: boolean,
  ): TemplateResource => {
    const events = eventsByApi.get(logicalId) ?? [];
    const origins: Record<string, RouteOrigin> = {};
    for (const event of events) {
      origins[routeKeyOf(event)] = eventOrigin(
        event,
        `function ${event.functionId} event ${event.eventName}`,
      );
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
      sam: samSource('AWS::Serverless::HttpApi', logicalId, 'HttpApi', !explicitHttpApis.has(logicalId)),
      ...(definitionUri !== undefined && properties.DefinitionBody !== undefined
        ? fail(logicalId, "Specify either 'DefinitionUri' or 'DefinitionBody' property and not both.")
        : {}),
    };
  };
  if (eventsByApi.has(IMPLICIT_HTTP_API) && !explicitHttpApis.has(IMPLICIT_HTTP_API)) {
    resources.push(httpApi(IMPLICIT_HTTP_API, withGlobals({}, globals.HttpApi), undefined, true));
  }
  /** FunctionUrlConfig → `<Function>Url` (AWS::Lambda::Url), on the AutoPublishAlias's alias when there is one. */
  const functionUrl = (fn: TemplateResource, properties: Json): TemplateResource[] => {
    const config = properties.FunctionUrlConfig;
    if (config === undefined || config === null) return [];
    const authType = isRecord(config) ? config.AuthType : undefined;
    if (
      isRecord(config) &&
      !isIntrinsic(config) &&
      !isIntrinsic(authType) &&
      authType !== 'AWS_IAM' &&
      authType !== 'NONE'
    ) {
      fail(
        fn.logicalId,
        'AuthType is required to configure function property `FunctionUrlConfig`. Please provide either AWS_IAM or NONE.',
      );
    }
    const made: TemplateResource[] = [];
    let target: unknown = { Ref: fn.logicalId };
    if (properties.AutoPublishAlias !== undefined) {
      const alias = parameterDefault(properties.AutoPublishAlias);
      if (typeof alias !== 'string')
        fail(fn.logicalId, "'AutoPublishAlias' must be a string or a Ref to a template parameter");
      const aliasId = `${fn.logicalId}Alias${alias.replace(/[^A-Za-z0-9]/g, '')}`;
      made.push({
        logicalId: aliasId,
        type: 'AWS::Lambda::Alias',
        properties: { Name: alias, FunctionName: { Ref: fn.logicalId } },
        ...(fn.line === undefined ? {} : { line: fn.line }),
      });
      target = { Ref: aliasId };
    }
    const urlLine = lineOf(fn.logicalId, 'Properties', 'FunctionUrlConfig') ?? fn.line;
    made.push({
      logicalId: `${fn.logicalId}Url`,
      type: 'AWS::Lambda::Url',
      properties: {
        TargetFunctionArn: target,
        // SAM reads AuthType off the mapping; of an intrinsic it reads nothing, and neither does the check.
        ...(authType === undefined ? {} : { AuthType: authType }),
      },
      ...(urlLine === undefined ? {} : { line: urlLine }),
      sam: samSource('AWS::Serverless::Function', fn.logicalId, 'Function'),
    });
    return made;
  };
  for (const resource of parsed.resources) {
    const properties = resource.properties as Json;
    const line = resource.line;
    if (resource.type === 'AWS::Serverless::Api') {
      resources.push(restApi(resource.logicalId, withGlobals(properties, globals.Api), line));
    } else if (resource.type === 'AWS::Serverless::Function') {
      resources.push(resource, ...functionUrl(resource, withGlobals(properties, globals.Function)));
    } else if (resource.type === 'AWS::Serverless::HttpApi') {
      // SAM's DefaultDefinitionBodyPlugin gives an HttpApi without a definition an empty one (1.110 accepts it).
      const merged = withGlobals(properties, globals.HttpApi);
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
        sam: samSource('AWS::Serverless::WebSocketApi', resource.logicalId),
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
          sam: samSource('AWS::Serverless::WebSocketApi', resource.logicalId),
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
        sam: samSource('AWS::Serverless::GraphQLApi', resource.logicalId),
      });
    } else {
      resources.push(resource);
    }
  }
  return { ...parsed, resources };
}
