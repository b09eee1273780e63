/**
 * OpenAPI security as API Gateway's import reads it, for every route of a definition: HTTP APIs (OpenAPI 3.0,
 * `components.securitySchemes`) and REST APIs (Swagger 2.0, `securityDefinitions`) alike. A plain function over a
 * resolved definition, so the template check, SAM, the deploy-time hook and a live sweep share it.
 *
 * From the API Gateway Developer Guide, "OpenAPI extensions for API Gateway":
 * - `x-amazon-apigateway-any-method` is the catch-all `ANY` method; with `isDefaultRoute: true` it is `$default`.
 * - `x-amazon-apigateway-authorizer` on a security scheme: `jwt` (HTTP APIs) is a JWT authorizer, `request` a Lambda
 *   authorizer (CUSTOM), `token` a REST Lambda token authorizer (CUSTOM), `cognito_user_pools` REST's Cognito.
 * - `x-amazon-apigateway-authtype: awsSigv4` on an apiKey scheme is IAM authorization (SAM's `AWS_IAM` scheme).
 * - `x-amazon-apigateway-auth` on an operation: `type` NONE or AWS_IAM, case-insensitive.
 * OpenAPI's own rules: an operation's `security` replaces the document's, `[]` removes it, `{}` inside the list
 * allows anonymous access, and the list is alternatives. API Gateway attaches one authorizer to a route; its
 * documentation does not say which alternative an import picks, so any alternative that is open makes the route open
 * (fail closed). A requirement that names no declared scheme (SAM writes `{NONE: []}` for `Authorizer: NONE`)
 * attaches nothing.
 *
 * Over 400 lines as one thing: one reading of a definition's security for HTTP APIs and REST APIs alike, so the two
 * kinds of API cannot drift apart in what they call open.
 */

/** How one route authenticates: an authorization type, none, or what cannot be told. */
export type OpenApiAuthorization =
  | { readonly kind: 'type'; readonly type: string; readonly scheme?: string }
  | { readonly kind: 'none'; readonly why: string }
  | { readonly kind: 'unknown'; readonly reason: string };

export interface OpenApiRoute {
  /** `GET /pets`, `ANY /{proxy+}`, or `$default`. */
  readonly routeKey: string;
  readonly path: string;
  /** The key in the path item (`get`, `x-amazon-apigateway-any-method`), for finding its line. */
  readonly methodKey: string;
  readonly authorization: OpenApiAuthorization;
}

const METHODS: Readonly<Record<string, string>> = {
  get: 'GET',
  put: 'PUT',
  post: 'POST',
  delete: 'DELETE',
  options: 'OPTIONS',
  head: 'HEAD',
  patch: 'PATCH',
  'x-amazon-apigateway-any-method': 'ANY',
};

const AUTHORIZER_TYPES: Readonly<Record<string, string>> = {
  jwt: 'JWT',
  request: 'CUSTOM',
  token: 'CUSTOM',
  cognito_user_pools: 'COGNITO_USER_POOLS',
};

type Record_ = Record<string, unknown>;

const isRecord = (value: unknown): value is Record_ =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `{ Ref: … }` or `{ "Fn::…": … }`: CloudFormation works it out at deploy. */
export function isIntrinsic(value: unknown): boolean {
  if (!isRecord(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0]?.startsWith('Fn::') === true);
}

/**
 * The branches a value may take at deploy: both sides of a `Fn::If` (SAM wraps the method of a function with a
 * Condition in one), without `AWS::NoValue`; the value itself otherwise.
 */
export function branchesOf(value: unknown): unknown[] {
  if (isRecord(value) && Array.isArray(value['Fn::If']) && Object.keys(value).length === 1) {
    const [, whenTrue, whenFalse] = value['Fn::If'] as unknown[];
    return [...branchesOf(whenTrue), ...branchesOf(whenFalse)];
  }
  if (isRecord(value) && value.Ref === 'AWS::NoValue' && Object.keys(value).length === 1) return [];
  return [value];
}

/** Whether a value is an OpenAPI 3 or Swagger 2 document with `paths` (what API Gateway imports). */
export function isOpenApiDocument(value: unknown): value is Record_ {
  return (
    isRecord(value) && (value.openapi !== undefined || value.swagger !== undefined) && isRecord(value.paths)
  );
}

/** The security schemes of either dialect. */
function schemesOf(document: Record_): Record_ | { unknown: string } {
  const components = document.components;
  if (isIntrinsic(components)) return { unknown: 'components is set at deploy' };
  const schemes = isRecord(components) ? components.securitySchemes : document.securityDefinitions;
  if (schemes === undefined) return {};
  if (isIntrinsic(schemes) || !isRecord(schemes))
    return { unknown: 'the security schemes are set at deploy' };
  return schemes;
}

function schemeType(name: string, scheme: unknown): OpenApiAuthorization {
  if (isIntrinsic(scheme)) return { kind: 'unknown', reason: `security scheme "${name}" is set at deploy` };
  if (!isRecord(scheme)) return { kind: 'unknown', reason: `security scheme "${name}" is not a mapping` };
  const authorizer = scheme['x-amazon-apigateway-authorizer'];
  if (authorizer !== undefined) {
    const type = isRecord(authorizer) ? authorizer.type : undefined;
    if (isIntrinsic(type) || isIntrinsic(authorizer)) {
      return { kind: 'unknown', reason: `the authorizer type of scheme "${name}" is set at deploy` };
    }
    const known = typeof type === 'string' ? AUTHORIZER_TYPES[type.toLowerCase()] : undefined;
    if (known === undefined) {
      return {
        kind: 'unknown',
        reason: `security scheme "${name}" has authorizer type ${JSON.stringify(type)}, which API Gateway does not define`,
      };
    }
    return { kind: 'type', type: known, scheme: name };
  }
  const authType = scheme['x-amazon-apigateway-authtype'];
  if (typeof authType === 'string' && authType.toLowerCase() === 'awssigv4') {
    return { kind: 'type', type: 'AWS_IAM', scheme: name };
  }
  if (isIntrinsic(authType))
    return { kind: 'unknown', reason: `the auth type of scheme "${name}" is set at deploy` };
  // An OpenAPI scheme API Gateway does not implement (a plain apiKey or oauth2): the import attaches no authorizer.
  return {
    kind: 'none',
    why: `security scheme "${name}" is no API Gateway authorizer (no x-amazon-apigateway-authorizer or awsSigv4 auth type)`,
  };
}

/** The weakest of alternatives: open if any is open, unknown if any is unknown, else the first type. */
function weakest(alternatives: readonly OpenApiAuthorization[]): OpenApiAuthorization {
  return (
    alternatives.find((alternative) => alternative.kind === 'none') ??
    alternatives.find((alternative) => alternative.kind === 'unknown') ??
    alternatives[0] ?? { kind: 'none', why: 'no security requirement applies' }
  );
}

function requirementAuthorization(requirement: unknown, schemes: Record_): OpenApiAuthorization {
  if (isIntrinsic(requirement)) return { kind: 'unknown', reason: 'a security requirement is set at deploy' };
  if (!isRecord(requirement)) return { kind: 'unknown', reason: 'a security requirement is not a mapping' };
  const names = Object.keys(requirement);
  if (names.length === 0)
    return { kind: 'none', why: 'an empty security requirement ({}) allows anonymous calls' };
  const declared = names.filter((name) => Object.hasOwn(schemes, name));
  if (declared.length === 0) {
    return {
      kind: 'none',
      why: `its security requirement names ${names.map((name) => `"${name}"`).join(', ')}, which no security scheme declares`,
    };
  }
  // All schemes of one requirement apply together; the route is as strong as any one of them.
  const types = declared.map((name) => schemeType(name, schemes[name]));
  return types.find((type) => type.kind === 'type') ?? weakest(types);
}

/**
 * An operation's security list, or what it already decides: `final` when the schemes cannot be read (nothing else
 * matters then), `decided` for no list, one set at deploy, a non-list or an empty list (`stated`: a list is given,
 * so `x-amazon-apigateway-auth` is weighed beside it), else the requirements to read with the declared schemes.
 */
type SecurityList =
  | { readonly final: OpenApiAuthorization }
  | { readonly decided: OpenApiAuthorization; readonly stated: boolean }
  | { readonly list: readonly unknown[]; readonly declared: Record_ };

function securityListOf(document: Record_, operation: Record_): SecurityList {
  const schemes = schemesOf(document);
  if ('unknown' in schemes && typeof schemes.unknown === 'string')
    return { final: { kind: 'unknown', reason: schemes.unknown } };
  const own = Object.hasOwn(operation, 'security');
  const security = own ? operation.security : document.security;
  if (security === undefined) {
    return {
      decided: { kind: 'none', why: 'neither the operation nor the document has a security requirement' },
      stated: false,
    };
  }
  if (isIntrinsic(security))
    return {
      decided: { kind: 'unknown', reason: 'its security requirement is set at deploy' },
      stated: true,
    };
  if (!Array.isArray(security))
    return { decided: { kind: 'unknown', reason: 'its security is not a list' }, stated: true };
  if (security.length === 0) {
    return {
      decided: {
        kind: 'none',
        why: own
          ? 'its security is an empty list, which removes the document’s'
          : 'the document’s security is empty',
      },
      stated: true,
    };
  }
  return { list: security, declared: schemes };
}

/**
 * `x-amazon-apigateway-auth` on the operation, combined with what its security gives: alone when no security list
 * is stated, unknown when the two name different types, else the weaker of the two.
 */
function withAuthExtension(
  operation: Record_,
  fromSecurity: OpenApiAuthorization,
  securityStated: boolean,
): OpenApiAuthorization {
  const auth = operation['x-amazon-apigateway-auth'];
  if (auth === undefined) return fromSecurity;
  const authType = isRecord(auth) ? auth.type : undefined;
  if (isIntrinsic(auth) || isIntrinsic(authType)) {
    return { kind: 'unknown', reason: 'its x-amazon-apigateway-auth is set at deploy' };
  }
  const normalized = typeof authType === 'string' ? authType.toUpperCase() : undefined;
  const fromAuth: OpenApiAuthorization =
    normalized === 'AWS_IAM'
      ? { kind: 'type', type: 'AWS_IAM' }
      : normalized === 'NONE'
        ? { kind: 'none', why: 'its x-amazon-apigateway-auth type is NONE' }
        : { kind: 'unknown', reason: `its x-amazon-apigateway-auth type is ${JSON.stringify(authType)}` };
  if (!securityStated) return fromAuth;
  if (fromAuth.kind === 'type' && fromSecurity.kind === 'type' && fromAuth.type !== fromSecurity.type) {
    return {
      kind: 'unknown',
      reason: `its x-amazon-apigateway-auth (${fromAuth.type}) and its security (${fromSecurity.type}) disagree`,
    };
  }
  return weakest([fromAuth, fromSecurity]);
}

/** The authorization API Gateway gives one operation of the document. */
export function operationAuthorization(document: Record_, operation: Record_): OpenApiAuthorization {
  const security = securityListOf(document, operation);
  if ('final' in security) return security.final;
  if ('decided' in security) return withAuthExtension(operation, security.decided, security.stated);
  const { list, declared } = security;
  const fromSecurity = weakest(list.map((requirement) => requirementAuthorization(requirement, declared)));
  return withAuthExtension(operation, fromSecurity, true);
}

/** One method of one path item: its operations (both branches of a `Fn::If`), or unknown when set at deploy. */
interface WalkedOperation {
  readonly documentPath: string;
  /** `GET`, …, `ANY`; `*` when the whole path item is set at deploy. */
  readonly method: string;
  /** `''` when the whole path item is set at deploy. */
  readonly methodKey: string;
  readonly operations: readonly Record_[];
  /** Why the operations cannot be read (the path item or the operation is set at deploy). */
  readonly unknown?: string;
}

/** Every path × method of the document, as the import walks them; operations SAM removes (`AWS::NoValue`) skipped. */
function walkOperations(document: Record_, pathOf: (documentPath: string) => string): WalkedOperation[] {
  const walked: WalkedOperation[] = [];
  const paths = document.paths;
  if (!isRecord(paths)) return walked;
  for (const [documentPath, rawItem] of Object.entries(paths)) {
    const path = pathOf(documentPath);
    for (const item of branchesOf(rawItem)) {
      if (!isRecord(item) || isIntrinsic(item)) {
        walked.push({
          documentPath,
          method: '*',
          methodKey: '',
          operations: [],
          unknown: `path ${path} is set at deploy, so its methods are unknown`,
        });
        continue;
      }
      for (const [methodKey, rawOperation] of Object.entries(item)) {
        const method = METHODS[methodKey.toLowerCase()];
        if (method === undefined) continue;
        const branches = branchesOf(rawOperation);
        if (branches.length === 0) continue;
        const operations = branches.filter(isRecord);
        walked.push({
          documentPath,
          method,
          methodKey,
          operations,
          ...(operations.length < branches.length ? { unknown: `${method} ${path} is set at deploy` } : {}),
        });
      }
    }
  }
  return walked;
}

/** Every route of the document (paths × methods), each with its authorization. */
export function openApiRoutes(document: Record_): OpenApiRoute[] {
  return walkOperations(document, (path) => path).map(
    ({ documentPath: path, method, methodKey, operations, unknown }): OpenApiRoute => {
      const authorization: OpenApiAuthorization =
        unknown !== undefined
          ? { kind: 'unknown', reason: unknown }
          : weakest(operations.map((operation) => operationAuthorization(document, operation)));
      const isDefault =
        method === 'ANY' &&
        (operations.some((operation) => operation.isDefaultRoute === true) || path === '$default');
      const routeKey = method === '*' ? `* ${path}` : isDefault ? '$default' : `${method} ${path}`;
      return { routeKey, path, methodKey, authorization };
    },
  );
}

/** API tags written in the document (`tags: [{name, x-amazon-apigateway-tag-value}]`), as SAM writes an HttpApi's. */
export function openApiTags(document: Record_): Record<string, string> {
  const tags: Record<string, string> = {};
  if (!Array.isArray(document.tags)) return tags;
  for (const tag of document.tags as unknown[]) {
    if (!isRecord(tag)) continue;
    const value = tag['x-amazon-apigateway-tag-value'];
    if (typeof tag.name === 'string' && (typeof value === 'string' || typeof value === 'number')) {
      tags[tag.name] = String(value);
    }
  }
  return tags;
}

/** Whether the document turns the execute-api endpoint off (`x-amazon-apigateway-endpoint-configuration`). */
export function openApiDisablesEndpoint(document: Record_): boolean {
  const servers = Array.isArray(document.servers) ? (document.servers as unknown[]) : [];
  const configurations = [
    document['x-amazon-apigateway-endpoint-configuration'],
    ...servers.map((server) =>
      isRecord(server) ? server['x-amazon-apigateway-endpoint-configuration'] : undefined,
    ),
  ];
  return configurations.some(
    (configuration) => isRecord(configuration) && configuration.disableExecuteApiEndpoint === true,
  );
}

/** How one REST API method authenticates after the import, and whether it also needs an API key. */
export interface RestApiMethod {
  /** The resource path, with the definition's base path applied as the import's `basepath` mode says. */
  readonly path: string;
  /** The path key in the definition, for finding its line. */
  readonly documentPath: string;
  /** `GET`, …, `ANY` (`x-amazon-apigateway-any-method`). */
  readonly httpMethod: string;
  /** The key in the path item (`get`, `x-amazon-apigateway-any-method`), for finding its line. */
  readonly methodKey: string;
  readonly authorization: OpenApiAuthorization;
  /** A security requirement names an API key scheme (`apiKeyRequired` on the method): not authentication. */
  readonly apiKeyRequired: boolean;
}

/** The REST import's `basepath` mode (`Parameters.basepath` of AWS::ApiGateway::RestApi): ignore by default. */
export type BasePathMode = 'ignore' | 'prepend' | 'split';

/** Whether a scheme is the API key of usage plans (`type: apiKey`, `name: x-api-key`) with no API Gateway auth. */
function isApiKeyScheme(name: string, scheme: unknown): boolean {
  if (!isRecord(scheme)) return false;
  if (scheme['x-amazon-apigateway-authorizer'] !== undefined) return false;
  if (scheme['x-amazon-apigateway-authtype'] !== undefined) return false;
  return (
    scheme.type === 'apiKey' &&
    (name === 'api_key' || (typeof scheme.name === 'string' && scheme.name.toLowerCase() === 'x-api-key'))
  );
}

/**
 * One REST operation as the import applies it. Unlike OpenAPI's alternatives, a REST method gets every requirement
 * of its list at once: one authorizer (or IAM) and, separately, `apiKeyRequired`. SAM relies on this — for an
 * `AWS::Serverless::Api` method with an authorizer and `ApiKeyRequired` it writes `[{Authorizer: []}, {api_key: []}]`
 * (aws-sam-translator 1.110, swagger/swagger.py), and the developer guide's "Configure a method to use API keys with
 * an OpenAPI definition" turns `{api_key: []}` into a key requirement. Two different authorizers on one method
 * cannot both attach, so that is reported as unknown rather than guessed.
 */
export function restOperationAuthorization(
  document: Record_,
  operation: Record_,
): { readonly authorization: OpenApiAuthorization; readonly apiKeyRequired: boolean } {
  const security = securityListOf(document, operation);
  if ('final' in security) return { authorization: security.final, apiKeyRequired: false };
  if ('decided' in security) {
    return {
      authorization: withAuthExtension(operation, security.decided, security.stated),
      apiKeyRequired: false,
    };
  }
  const { list, declared } = security;
  let apiKeyRequired = false;
  const found: OpenApiAuthorization[] = [];
  const ignored: string[] = [];
  for (const requirement of list) {
    if (isIntrinsic(requirement) || !isRecord(requirement)) {
      found.push({ kind: 'unknown', reason: 'a security requirement is set at deploy or not a mapping' });
      continue;
    }
    for (const name of Object.keys(requirement)) {
      // A name no scheme declares attaches nothing (SAM's `NONE` and `api_key_false` markers are such names).
      if (!Object.hasOwn(declared, name)) {
        ignored.push(name);
        continue;
      }
      if (isApiKeyScheme(name, declared[name])) {
        apiKeyRequired = true;
        continue;
      }
      found.push(schemeType(name, declared[name]));
    }
  }
  const unknown = found.find((entry) => entry.kind === 'unknown');
  const types = found.filter(
    (entry): entry is Extract<OpenApiAuthorization, { kind: 'type' }> => entry.kind === 'type',
  );
  const distinct = [...new Set(types.map((entry) => `${entry.type} ${entry.scheme ?? ''}`))];
  let fromSecurity: OpenApiAuthorization;
  if (unknown !== undefined) fromSecurity = unknown;
  else if (distinct.length > 1) {
    fromSecurity = {
      kind: 'unknown',
      reason: `its security names ${distinct.length} authorizers (${types.map((entry) => `"${entry.scheme ?? entry.type}"`).join(', ')}), and a REST method takes one`,
    };
  } else if (types[0] !== undefined) fromSecurity = types[0];
  else {
    const none = found.find((entry) => entry.kind === 'none');
    fromSecurity =
      none ??
      ({
        kind: 'none',
        why: apiKeyRequired
          ? 'its security requires only an API key'
          : `its security names ${ignored.map((name) => `"${name}"`).join(', ') || 'nothing'}, which no security scheme declares`,
      } as const);
  }
  return { authorization: withAuthExtension(operation, fromSecurity, true), apiKeyRequired };
}

/** `basePath` (Swagger 2) as the import mode applies it to a path: prepended, its first segment dropped, or not. */
function withBasePath(path: string, basePath: unknown, mode: BasePathMode): string {
  if (mode === 'ignore' || typeof basePath !== 'string') return path;
  const segments = basePath.split('/').filter((segment) => segment !== '');
  const kept = mode === 'split' ? segments.slice(1) : segments;
  if (kept.length === 0) return path;
  return `/${kept.join('/')}${path === '/' ? '' : path}`;
}

/**
 * Every method a REST API import makes from the document (paths × methods), with its authorization. The methods
 * API Gateway REST APIs have: GET, PUT, POST, DELETE, PATCH, HEAD, OPTIONS and ANY.
 */
export function restApiMethods(document: Record_, basePathMode: BasePathMode = 'ignore'): RestApiMethod[] {
  const pathOf = (documentPath: string): string =>
    withBasePath(documentPath, document.basePath, basePathMode);
  return walkOperations(document, pathOf).map(
    ({ documentPath, method: httpMethod, methodKey, operations, unknown }): RestApiMethod => {
      const path = pathOf(documentPath);
      if (unknown !== undefined) {
        return {
          path,
          documentPath,
          httpMethod,
          methodKey,
          authorization: { kind: 'unknown', reason: unknown },
          apiKeyRequired: false,
        };
      }
      const results = operations.map((operation) => restOperationAuthorization(document, operation));
      return {
        path,
        documentPath,
        httpMethod,
        methodKey,
        authorization: weakest(results.map((result) => result.authorization)),
        apiKeyRequired: results.some((result) => result.apiKeyRequired),
      };
    },
  );
}
