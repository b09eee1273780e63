/**
 * `AWS::Serverless::Api`, and the implicit `ServerlessRestApi` that `Api` events without a `RestApiId` create →
 * `AWS::ApiGateway::RestApi` with a Swagger 2.0 `Body`, from aws-sam-translator 1.110:
 * plugins/api/default_definition_body_plugin.py, model/eventsources/push.py (Api), swagger/swagger.py,
 * model/api/api_generator.py (_add_cors, _add_auth, _openapi_postprocess) and model/apigateway.py (authorizers).
 * Over 400 lines as one cohesive thing: the transform's edits of one Swagger definition, in the order SAM makes them.
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

const IMPLICIT_REST_API = 'ServerlessRestApi';
const OPENAPI_3 = /^3\.\d+(\.\d+)?$/;

interface RestEvent extends SamEvent {
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

/** The RestApi SAM makes of an Api (or of the Api events alone, `implicit`), with where each method is fixed. */
function restApiResource(
  logicalId: string,
  properties: Json,
  line: number | undefined,
  events: readonly RestEvent[],
  implicit: boolean,
): TemplateResource {
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
    sam: samSource('AWS::Serverless::Api', logicalId, 'Api', implicit),
  };
}

/** The `Api` events of the template's functions and state machines, by the API they make methods on. */
function restEventsByApi(template: SamTemplate): Map<string, RestEvent[]> {
  const eventsByApi = new Map<string, RestEvent[]>();
  for (const event of template.events('Api', [
    'AWS::Serverless::Function',
    'AWS::Serverless::StateMachine',
  ])) {
    const properties = event.properties;
    const restApiId = properties.RestApiId === undefined ? IMPLICIT_REST_API : refName(properties.RestApiId);
    const eventId = `${event.ownerId}${event.eventName}`;
    if (restApiId === undefined)
      fail(
        eventId,
        "RestApiId must be a valid reference to an 'AWS::Serverless::Api' resource in same template.",
      );
    if (typeof properties.Path !== 'string') fail(eventId, "Missing required property 'Path'.");
    if (typeof properties.Method !== 'string') fail(eventId, "Missing required property 'Method'.");
    const lower = properties.Method.toLowerCase();
    const list = eventsByApi.get(restApiId) ?? [];
    list.push({
      ...routeEvent(event, properties.Path, lower === 'any' ? ANY_METHOD : lower),
      kind: event.ownerType === 'AWS::Serverless::StateMachine' ? 'state machine' : 'function',
      rawMethod: lower,
    });
    eventsByApi.set(restApiId, list);
  }
  return eventsByApi;
}

/** `AWS::Serverless::Api`, and the implicit `ServerlessRestApi` of events that name no API. */
export const samRestApi: SamExpansion = {
  samType: 'AWS::Serverless::Api',
  start(template) {
    const eventsByApi = restEventsByApi(template);
    const implicitEvents = implicitApiEvents(
      template,
      'AWS::Serverless::Api',
      IMPLICIT_REST_API,
      eventsByApi,
      (apiId, events) =>
        fail(
          `${events[0]?.functionId ?? ''}${events[0]?.eventName ?? apiId}`,
          "RestApiId must be a valid reference to an 'AWS::Serverless::Api' resource in same template.",
        ),
    );
    return {
      implicit:
        implicitEvents === undefined
          ? []
          : [
              restApiResource(
                IMPLICIT_REST_API,
                withGlobals({}, template.globals.Api),
                undefined,
                implicitEvents,
                true,
              ),
            ],
      expand: (resource) => [
        restApiResource(
          resource.logicalId,
          withGlobals(resource.properties, template.globals.Api),
          resource.line,
          eventsByApi.get(resource.logicalId) ?? [],
          false,
        ),
      ],
    };
  },
};
