/**
 * Properties of the decisions and their fact adapters: arbitrary configuration items (and SDK-shaped sweep
 * results) always give a verdict Config accepts, and never COMPLIANT unless the facts that establish
 * authentication are there — checked against the raw input, not the adapter's reading of it. Through `decide`,
 * a COMPLIANT verdict that the facts alone do not give is always a documented exception ("Exception: …").
 */
import { expect } from 'chai';
import fc from 'fast-check';
import type { Api, Route } from '@aws-sdk/client-apigatewayv2';
import type { GraphqlApi } from '@aws-sdk/client-appsync';
import type { Endpoint } from '@aws-sdk/client-database-migration-service';
import type { CacheCluster, ReplicationGroup } from '@aws-sdk/client-elasticache';
import type { Cluster } from '@aws-sdk/client-kafka';
import type { Method, Resource, RestApi } from '@aws-sdk/client-api-gateway';
import type { FunctionUrlConfig } from '@aws-sdk/client-lambda';
import type { DBCluster } from '@aws-sdk/client-neptune';
import type { MethodFacts } from '../../rules/apigw-rest-method-authorization/facts';
import { apigwRestMethodAuthorization } from '../../rules/apigw-rest-method-authorization/rule';
import { methodFacts } from '../../rules/apigw-rest-method-authorization/sweep';
import type { RouteFacts } from '../../rules/apigwv2-route-authorization/facts';
import { apigwv2RouteAuthorization } from '../../rules/apigwv2-route-authorization/rule';
import { routeFacts } from '../../rules/apigwv2-route-authorization/sweep';
import { APPSYNC_AUTH_TYPES } from '../../rules/appsync-no-api-key/facts';
import { appsyncNoApiKey } from '../../rules/appsync-no-api-key/rule';
import { graphqlApiFacts } from '../../rules/appsync-no-api-key/sweep';
import { decide } from '../../rules/core/decide';
import { ParameterError } from '../../rules/core/errors';
import type { ParameterSpecs } from '../../rules/core/parameters';
import type { AnyRule, ConfigurationItem, RuleDefinition, Verdict } from '../../rules/core/types';
import { dmsMongodbAuthentication } from '../../rules/dms-mongodb-authentication/rule';
import { endpointFacts } from '../../rules/dms-mongodb-authentication/sweep';
import type { ReplicationGroupFacts } from '../../rules/elasticache-redis-auth/facts';
import { elasticacheRedisAuth } from '../../rules/elasticache-redis-auth/rule';
import { replicationGroupFacts } from '../../rules/elasticache-redis-auth/sweep';
import { mskNoUnauthenticatedAccess } from '../../rules/msk-no-unauthenticated-access/rule';
import { clusterFacts } from '../../rules/msk-no-unauthenticated-access/sweep';
import type { FunctionUrlFacts } from '../../rules/lambda-function-url-auth/facts';
import { lambdaFunctionUrlAuth } from '../../rules/lambda-function-url-auth/rule';
import { urlFacts } from '../../rules/lambda-function-url-auth/sweep';
import { neptuneIamAuth } from '../../rules/neptune-iam-auth/rule';
import { clusterFacts as neptuneClusterFacts } from '../../rules/neptune-iam-auth/sweep';
import { configurationItem } from '../helpers/events';
import {
  RUNS,
  anyValue,
  assertDeliverableVerdict,
  fieldValue,
  partialObject,
  switchValue,
} from './arbitraries';
import { TODAY, exceptionTags, honourableException } from './tags';

// ---------------------------------------------------------------------------------------------------------------
// Oracles read the raw input themselves.

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at a path of plain objects, or undefined. */
function at(value: unknown, ...path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isRecord(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

const isTrue = (value: unknown): boolean => value === true || value === 'true';
const absent = (value: unknown): boolean => value === undefined || value === null;
const lower = (value: unknown): string | undefined =>
  typeof value === 'string' ? value.toLowerCase() : undefined;

function majorVersion(version: unknown): number | undefined {
  const match = typeof version === 'string' ? /^\s*(\d+)/.exec(version) : null;
  return match === null ? undefined : Number(match[1]);
}

// ---------------------------------------------------------------------------------------------------------------
// Parameters: valid values only (invalid ones are refused before anything is evaluated; see parameters.property).

/** Valid parameter values of a rule, each drawn from the values its spec allows (or left unset). */
function validParameters(specs: ParameterSpecs): fc.Arbitrary<Record<string, unknown>> {
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const allowed = spec.allowedValues ?? [];
    const raw =
      allowed.length === 0
        ? fc.constant(undefined)
        : fc.oneof(
            fc.constant(undefined),
            fc.constantFrom(...allowed),
            fc.subarray([...allowed]).map((values) => values.join(',')),
          );
    const FAIL = Symbol('invalid');
    model[name] = raw
      .map((text) => {
        try {
          return spec.parse(text, name);
        } catch (error) {
          if (error instanceof ParameterError) return FAIL;
          throw error;
        }
      })
      .filter((value) => value !== FAIL);
  }
  return fc.record(model);
}

// ---------------------------------------------------------------------------------------------------------------
// Configuration items around arbitrary `configuration` objects.

const resourceName = fc.option(
  fc.oneof(
    fc.constantFrom('orders', '', ' '),
    fc.string({ maxLength: 20 }),
    fc.string({ minLength: 260, maxLength: 320 }),
  ),
  {
    nil: undefined,
  },
);

function itemWith(resourceType: string, configuration: unknown, name: string | undefined): ConfigurationItem {
  const item = configurationItem({
    resourceType,
    resourceId: 'arn:aws:svc:eu-west-1:444455556666:thing/t-1',
    configuration,
  });
  const rest = Object.fromEntries(Object.entries(item).filter(([field]) => field !== 'resourceName'));
  return (name === undefined ? rest : { ...rest, resourceName: name }) as unknown as ConfigurationItem;
}

/** A configuration: anything at all, or an object with some of the rule's real fields holding arbitrary values. */
const configurationOf = (structured: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
  fc.oneof({ arbitrary: structured, weight: 4 }, { arbitrary: anyValue, weight: 1 });

interface ChangeRuleCase {
  readonly rule: AnyRule;
  readonly configuration: fc.Arbitrary<unknown>;
  /** Whether the raw configuration establishes authentication under these parameters (the safety oracle). */
  readonly establishes: (configuration: unknown, params: Record<string, unknown>) => boolean;
}

const appsyncMode = fieldValue([...APPSYNC_AUTH_TYPES, 'NONE', '']);
const appsyncProvider = partialObject({ AuthenticationType: appsyncMode, LambdaAuthorizerConfig: anyValue });

const mskSwitch = (name: string): fc.Arbitrary<unknown> => partialObject({ [name]: switchValue });
const mskClientAuthentication = partialObject({
  Unauthenticated: mskSwitch('Enabled'),
  Sasl: partialObject({ Iam: mskSwitch('Enabled'), Scram: mskSwitch('Enabled') }),
  Tls: partialObject({
    Enabled: switchValue,
    CertificateAuthorityArnList: fieldValue([
      [],
      ['arn:aws:acm-pca:eu-west-1:444455556666:certificate-authority/ca-1'],
      [''],
      [null],
      'arn:x',
    ]),
  }),
});

/** The values of every field of an object whose name is `name` in any case (Config's bean-style RDS items). */
function fieldsNamed(value: unknown, name: string): unknown[] {
  if (!isRecord(value)) return [];
  return Object.entries(value)
    .filter(([key]) => key.toLowerCase() === name.toLowerCase())
    .map(([, found]) => found);
}

/** Neptune: the engine is Neptune and IAM database authentication is provably on, in every spelling recorded. */
function neptuneEstablishes(configuration: unknown): boolean {
  const engines = fieldsNamed(configuration, 'Engine');
  const iam = fieldsNamed(configuration, 'IAMDatabaseAuthenticationEnabled');
  return (
    engines.length > 0 &&
    engines.every((engine) => lower(engine) === 'neptune') &&
    iam.length > 0 &&
    iam.every(isTrue)
  );
}

/** MSK: unauthenticated access provably off, and at least one mechanism provably on. */
function mskEstablishes(configuration: unknown): boolean {
  const auth = at(configuration, 'ClientAuthentication');
  if (!isRecord(auth)) return false;
  const unauthenticated = at(auth, 'Unauthenticated');
  const off =
    absent(unauthenticated) ||
    (isRecord(unauthenticated) &&
      [undefined, null, false, 'false'].includes(at(unauthenticated, 'Enabled') as never));
  if (!off) return false;
  const tlsFlag = at(auth, 'Tls', 'Enabled');
  const authorities = at(auth, 'Tls', 'CertificateAuthorityArnList');
  const tls =
    isTrue(tlsFlag) ||
    (tlsFlag !== false &&
      tlsFlag !== 'false' &&
      Array.isArray(authorities) &&
      authorities.some((arn) => typeof arn === 'string' && arn !== ''));
  return isTrue(at(auth, 'Sasl', 'Iam', 'Enabled')) || isTrue(at(auth, 'Sasl', 'Scram', 'Enabled')) || tls;
}

const CHANGE_RULES: readonly ChangeRuleCase[] = [
  {
    rule: appsyncNoApiKey,
    configuration: configurationOf(
      partialObject({
        ApiId: fieldValue(['h3k9m2q7wzx4cd']),
        Name: fieldValue(['storefront', '', 'x'.repeat(300)]),
        AuthenticationType: appsyncMode,
        AdditionalAuthenticationProviders: fc.oneof(fc.array(appsyncProvider, { maxLength: 4 }), anyValue),
      }),
    ),
    establishes: (configuration, params) => {
      const allowed = params.AllowedAuthorizationTypes as readonly string[];
      const primary = at(configuration, 'AuthenticationType');
      if (typeof primary !== 'string' || !allowed.includes(primary)) return false;
      const additional = at(configuration, 'AdditionalAuthenticationProviders');
      if (absent(additional)) return true;
      return (
        Array.isArray(additional) &&
        additional.every((provider) => {
          const type = at(provider, 'AuthenticationType');
          return typeof type === 'string' && allowed.includes(type);
        })
      );
    },
  },
  {
    rule: mskNoUnauthenticatedAccess,
    configuration: configurationOf(
      partialObject({
        ClusterName: fieldValue(['clickstream', '']),
        ClientAuthentication: mskClientAuthentication,
        EncryptionInfo: partialObject({ EncryptionInTransit: partialObject({ InCluster: switchValue }) }),
        BrokerNodeGroupInfo: partialObject({
          ConnectivityInfo: partialObject({
            PublicAccess: partialObject({ Type: fieldValue(['DISABLED', 'SERVICE_PROVIDED_EIPS']) }),
          }),
        }),
      }),
    ),
    establishes: mskEstablishes,
  },
  {
    rule: dmsMongodbAuthentication,
    configuration: configurationOf(
      partialObject({
        EndpointIdentifier: fieldValue(['catalog-mongo', '']),
        EndpointType: fieldValue(['source', 'target']),
        EngineName: fieldValue(['mongodb', 'MongoDB', 'postgres', 'docdb', '']),
        MongoDbSettings: partialObject({
          AuthType: fieldValue(['password', 'PASSWORD', 'no', '']),
          AuthMechanism: fieldValue(['scram_sha_1', 'mongodb_cr', 'default']),
          Password: fieldValue(['hunter2-secret']),
        }),
      }),
    ),
    establishes: (configuration) =>
      lower(at(configuration, 'EngineName')) === 'mongodb' &&
      lower(at(configuration, 'MongoDbSettings', 'AuthType')) === 'password',
  },
  {
    rule: neptuneIamAuth,
    // As Config writes RDS items (bean style), with the advanced-query spelling and SDK casing beside it.
    configuration: configurationOf(
      partialObject({
        dBClusterIdentifier: fieldValue(['fraud-graph', '']),
        engine: fieldValue(['neptune', 'aurora-postgresql', 'docdb', '']),
        iAMDatabaseAuthenticationEnabled: switchValue,
        iamdatabaseAuthenticationEnabled: switchValue,
        Engine: fieldValue(['neptune']),
      }),
    ),
    establishes: neptuneEstablishes,
  },
];

/** The verdict of `decide` against the verdict of `evaluate`: tags only ever turn a failure into a documented exception. */
function assertTagsOnlyExempt(
  rule: AnyRule,
  facts: unknown,
  evaluated: Verdict,
  decided: Verdict,
  scenario: { tags: Record<string, string>; prefix: string; requiresExpiry: boolean },
): void {
  assertDeliverableVerdict(decided, rule.codes);
  if (evaluated.compliance !== 'NON_COMPLIANT') {
    expect(decided).to.deep.equal(evaluated);
    return;
  }
  if (decided.compliance === 'COMPLIANT') {
    expect(decided.annotation).to.match(/^Exception: \S/);
    const qualifiers = rule.exceptionQualifiers?.(facts);
    expect(
      honourableException(scenario.tags, rule.control, qualifiers, scenario.prefix, scenario.requiresExpiry),
      'a valid exception tag',
    ).to.equal(true);
  } else {
    expect(decided.compliance).to.equal('NON_COMPLIANT');
    expect(
      honourableException(
        scenario.tags,
        rule.control,
        rule.exceptionQualifiers?.(facts),
        scenario.prefix,
        scenario.requiresExpiry,
      ),
    ).to.equal(false);
  }
}

describe('properties: change-triggered rules over arbitrary configuration items', () => {
  for (const { rule, configuration, establishes } of CHANGE_RULES) {
    const fromItem = rule.fromConfigurationItem?.bind(rule);
    if (fromItem === undefined) throw new Error(`${rule.control} reads no configuration items`);

    it(`${rule.control}: a deliverable verdict, and COMPLIANT only when the configuration establishes authentication`, () => {
      const seen = new Set<string>();
      fc.assert(
        fc.property(configuration, resourceName, validParameters(rule.parameters), (raw, name, params) => {
          const verdict = rule.evaluate(fromItem(itemWith(rule.resourceType, raw, name)), params);
          assertDeliverableVerdict(verdict, rule.codes);
          seen.add(verdict.compliance);
          if (verdict.compliance === 'COMPLIANT') {
            expect(establishes(raw, params), `COMPLIANT: ${verdict.annotation}`).to.equal(true);
          }
        }),
        { numRuns: RUNS * 2 },
      );
      // The generators reach a passing verdict too: the safety property is not vacuous.
      expect([...seen]).to.include('COMPLIANT');
      expect([...seen]).to.include('NON_COMPLIANT');
    });

    it(`${rule.control}: through decide, arbitrary tags turn only a failure into COMPLIANT, and only as "Exception: …"`, () => {
      fc.assert(
        fc.property(
          configuration,
          validParameters(rule.parameters),
          exceptionTags(rule.control, []),
          (raw, params, scenario) => {
            const facts = fromItem(itemWith(rule.resourceType, raw, 'orders'));
            const settings = {
              prefix: scenario.prefix,
              requiresExpiry: scenario.requiresExpiry,
              today: TODAY,
            };
            assertTagsOnlyExempt(
              rule,
              facts,
              rule.evaluate(facts, params),
              decide(rule, facts, scenario.tags, params, settings),
              scenario,
            );
          },
        ),
        { numRuns: RUNS },
      );
    });
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Periodic rules: their facts come from the sweep (and the template check); the decision is fuzzed on facts directly.

const text = (values: readonly string[]): fc.Arbitrary<string> =>
  fc.oneof(fc.constantFrom(...values), fc.string({ maxLength: 16 }));

const routeFactsArbitrary: fc.Arbitrary<RouteFacts> = fc.record(
  {
    apiId: text(['a1b2c3', '']),
    apiName: text(['orders', '', 'x'.repeat(300)]),
    protocolType: fc.option(text(['HTTP', 'WEBSOCKET', 'websocket']), { nil: undefined }),
    routeId: text(['r1', '$default', '']),
    routeKey: text([
      '$connect',
      '$default',
      '$disconnect',
      'OPTIONS /orders',
      'OPTIONS',
      'options /x',
      'GET /health',
      'ANY /{proxy+}',
    ]),
    authorizationType: fc.option(text(['NONE', 'AWS_IAM', 'JWT', 'CUSTOM', 'jwt', 'none', '']), {
      nil: undefined,
    }),
    apiHasConnectRoute: fc.boolean(),
    region: text(['eu-west-1']),
    executeApiEndpoint: fc.option(fc.boolean(), { nil: undefined }),
  },
  {
    requiredKeys: [
      'apiId',
      'apiName',
      'protocolType',
      'routeId',
      'routeKey',
      'authorizationType',
      'apiHasConnectRoute',
      'region',
    ],
  },
);

const ROUTE_TYPES = new Set(['AWS_IAM', 'JWT', 'CUSTOM']);

function routeEstablishes(facts: RouteFacts, params: Record<string, unknown>, verdict: Verdict): boolean {
  if (facts.protocolType === 'WEBSOCKET' && facts.routeKey !== '$connect') return false;
  const type = facts.authorizationType;
  if (type !== undefined && ROUTE_TYPES.has(type))
    return params.authorizationType === undefined || params.authorizationType === type;
  // The documented CORS exemption: an HTTP OPTIONS route without authorization, said as an exception.
  return (
    params.ExemptCorsPreflightRoutes === true &&
    facts.protocolType !== 'WEBSOCKET' &&
    (type === undefined || type === 'NONE') &&
    facts.routeKey.startsWith('OPTIONS ') &&
    verdict.annotation.startsWith('Exception:')
  );
}

const groupFactsArbitrary: fc.Arbitrary<ReplicationGroupFacts> = fc.record(
  {
    groupId: text(['sessions', '', 'g'.repeat(300)]),
    engine: fc.option(text(['redis', 'valkey', 'memcached', 'REDIS']), { nil: undefined }),
    engineVersion: fc.option(
      text(['5.0.6', '4.0.10', '6.x', '6.2', '7.1', '6', '10.0', 'x', '', ' 6.2', 'v7', '5.0.6 ']),
      { nil: undefined },
    ),
    authTokenEnabled: fc.option(fc.boolean(), { nil: undefined }),
    userGroupIds: fc.array(text(['rbac-users', '', ' ']), { maxLength: 3 }),
    transitEncryptionEnabled: fc.option(fc.boolean(), { nil: undefined }),
    region: text(['eu-west-1']),
    defaultEngineVersion: fc.option(fc.boolean(), { nil: undefined }),
  },
  {
    requiredKeys: [
      'groupId',
      'engine',
      'engineVersion',
      'authTokenEnabled',
      'userGroupIds',
      'transitEncryptionEnabled',
      'region',
    ],
  },
);

/** ElastiCache: an AUTH token, or — when every version is in scope — RBAC on a version that supports it. */
function groupEstablishes(facts: ReplicationGroupFacts, params: Record<string, unknown>): boolean {
  if (facts.authTokenEnabled === true) return true;
  const rbac = facts.userGroupIds.some((id) => id.trim() !== '');
  const modern =
    facts.engine === 'valkey' ||
    facts.defaultEngineVersion === true ||
    (majorVersion(facts.engineVersion) ?? 0) >= 6;
  return params.RequireAuthOnAllVersions === true && rbac && modern;
}

interface PeriodicCase<Facts> {
  readonly rule: RuleDefinition<Facts, unknown, ParameterSpecs>;
  readonly facts: fc.Arbitrary<Facts>;
  readonly establishes: (facts: Facts, params: Record<string, unknown>, verdict: Verdict) => boolean;
  /** The outcomes the generated facts reach (a decision with no NOT_APPLICABLE names the other two). */
  readonly outcomes?: readonly Verdict['compliance'][];
}

function periodicProperties<Facts>({ rule, facts, establishes, outcomes }: PeriodicCase<Facts>): void {
  it(`${rule.control}: a deliverable verdict for any facts, and COMPLIANT only when they establish authentication`, () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(facts, validParameters(rule.parameters), (value, params) => {
        const verdict = rule.evaluate(value, params);
        assertDeliverableVerdict(verdict, rule.codes);
        seen.add(verdict.compliance);
        if (verdict.compliance === 'COMPLIANT')
          expect(establishes(value, params, verdict), `COMPLIANT: ${verdict.annotation}`).to.equal(true);
      }),
      { numRuns: RUNS * 2 },
    );
    expect([...seen]).to.have.members([...(outcomes ?? ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE'])]);
  });

  it(`${rule.control}: through decide, arbitrary tags turn only a failure into COMPLIANT, and only as "Exception: …"`, () => {
    const anyRule = rule as unknown as AnyRule;
    fc.assert(
      fc.property(
        facts.chain((value) =>
          fc.tuple(
            fc.constant(value),
            exceptionTags(rule.control, anyRule.exceptionQualifiers?.(value) ?? []),
          ),
        ),
        validParameters(rule.parameters),
        ([value, scenario], params) => {
          const settings = { prefix: scenario.prefix, requiresExpiry: scenario.requiresExpiry, today: TODAY };
          assertTagsOnlyExempt(
            anyRule,
            value,
            rule.evaluate(value, params),
            decide(anyRule, value, scenario.tags, params, settings),
            scenario,
          );
        },
      ),
      { numRuns: RUNS },
    );
  });
}

const methodFactsArbitrary: fc.Arbitrary<MethodFacts> = fc.record({
  apiId: text(['a1b2c3d4e5', '']),
  apiName: text(['orders', '', 'x'.repeat(300)]),
  resourceId: text(['r00t1d', 'abc123']),
  path: text(['/', '/orders', '/orders/{id}']),
  httpMethod: text(['GET', 'POST', 'OPTIONS', 'options', 'ANY']),
  authorizationType: fc.option(
    text(['NONE', 'AWS_IAM', 'COGNITO_USER_POOLS', 'CUSTOM', 'aws_iam', 'none', 'JWT', '']),
    { nil: undefined },
  ),
  apiKeyRequired: fc.boolean(),
  endpointTypes: fc.array(fc.constantFrom('EDGE', 'REGIONAL', 'PRIVATE'), { maxLength: 2 }),
  region: fc.option(text(['eu-west-1']), { nil: undefined }),
});

const REST_TYPES = new Set(['AWS_IAM', 'COGNITO_USER_POOLS', 'CUSTOM']);

/** REST: a known authorizer (an API key is no authentication), or the documented CORS exemption, said as one. */
function methodEstablishes(facts: MethodFacts, params: Record<string, unknown>, verdict: Verdict): boolean {
  const type = facts.authorizationType;
  if (type !== undefined && REST_TYPES.has(type)) return true;
  return (
    params.ExemptCorsPreflightMethods === true &&
    (type === undefined || type === 'NONE') &&
    facts.httpMethod.toUpperCase() === 'OPTIONS' &&
    verdict.annotation.startsWith('Exception:')
  );
}

const functionUrlFactsArbitrary: fc.Arbitrary<FunctionUrlFacts> = fc.record({
  functionName: text(['orders-api', '', 'f'.repeat(300)]),
  functionArn: fc.option(text(['arn:aws:lambda:eu-west-1:444455556666:function:orders-api']), {
    nil: undefined,
  }),
  qualifier: fc.option(text(['live', '$LATEST']), { nil: undefined }),
  authType: fc.option(text(['AWS_IAM', 'NONE', 'aws_iam', 'IAM', '']), { nil: undefined }),
  functionUrl: fc.option(text(['https://abc.lambda-url.eu-west-1.on.aws/']), { nil: undefined }),
  region: fc.option(text(['eu-west-1']), { nil: undefined }),
});

describe('properties: periodic rules over arbitrary facts', () => {
  periodicProperties({
    rule: apigwRestMethodAuthorization,
    facts: methodFactsArbitrary,
    establishes: methodEstablishes,
    outcomes: ['COMPLIANT', 'NON_COMPLIANT'],
  });
  periodicProperties({
    rule: lambdaFunctionUrlAuth,
    facts: functionUrlFactsArbitrary,
    // AWS_IAM exactly, as Lambda reports it: any other value, or none, is no proof of authentication.
    establishes: (facts) => facts.authType === 'AWS_IAM',
    outcomes: ['COMPLIANT', 'NON_COMPLIANT'],
  });
  periodicProperties({
    rule: apigwv2RouteAuthorization,
    facts: routeFactsArbitrary,
    establishes: routeEstablishes,
  });
  periodicProperties({
    rule: elasticacheRedisAuth,
    facts: groupFactsArbitrary,
    establishes: groupEstablishes,
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Sweep adapters: SDK-shaped results (every field optional, values as the SDK types them) → facts → verdict.

const optionalText = (values: readonly string[]): fc.Arbitrary<string | undefined> =>
  fc.option(text(values), { nil: undefined });
const optionalFlag = fc.option(fc.boolean(), { nil: undefined });
const sdk = <T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }): fc.Arbitrary<T> =>
  fc.record(model, { requiredKeys: [] }) as fc.Arbitrary<T>;

describe('properties: sweep adapters over SDK-shaped results', () => {
  const region = 'eu-west-1';

  it('APIGateway.8: routeFacts → verdict; COMPLIANT only for a route with AWS_IAM, JWT or CUSTOM (or the CORS exemption)', () => {
    const api = sdk<Api>({
      ApiId: optionalText(['a1b2c3']),
      Name: optionalText(['orders']),
      ProtocolType: fc.option(fc.constantFrom('HTTP', 'WEBSOCKET'), { nil: undefined }) as fc.Arbitrary<
        Api['ProtocolType']
      >,
      DisableExecuteApiEndpoint: optionalFlag,
    } as never);
    const route = sdk<Route>({
      RouteId: optionalText(['r1']),
      RouteKey: optionalText(['$connect', '$default', 'OPTIONS /x', 'GET /']),
      AuthorizationType: fc.option(fc.constantFrom('NONE', 'AWS_IAM', 'JWT', 'CUSTOM'), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        api,
        fc.array(route, { maxLength: 4 }),
        validParameters(apigwv2RouteAuthorization.parameters),
        (apiValue, routes, params) => {
          const all = routeFacts(apiValue, routes, region);
          expect(all).to.have.length(routes.length);
          all.forEach((facts, index) => {
            const verdict = apigwv2RouteAuthorization.evaluate(facts, params as never);
            assertDeliverableVerdict(verdict, apigwv2RouteAuthorization.codes);
            if (verdict.compliance !== 'COMPLIANT') return;
            const raw = routes[index]?.AuthorizationType;
            const cors =
              verdict.annotation.startsWith('Exception:') && params.ExemptCorsPreflightRoutes === true;
            expect(cors || (raw !== undefined && ROUTE_TYPES.has(raw)), verdict.annotation).to.equal(true);
          });
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('ElastiCache.6: replicationGroupFacts → verdict; COMPLIANT only with AUTH, or RBAC on a version known to be 6+', () => {
    const group = sdk<ReplicationGroup>({
      ReplicationGroupId: optionalText(['sessions']),
      Engine: optionalText(['redis', 'valkey', 'memcached']),
      AuthTokenEnabled: optionalFlag,
      UserGroupIds: fc.option(fc.array(text(['rbac-users', '']), { maxLength: 2 }), { nil: undefined }),
      TransitEncryptionEnabled: optionalFlag,
    });
    const member = sdk<CacheCluster>({
      Engine: optionalText(['redis', 'valkey']),
      EngineVersion: optionalText(['5.0.6', '6.2', '7.1', 'x', '']),
    });
    fc.assert(
      fc.property(
        group,
        fc.array(member, { maxLength: 3 }),
        validParameters(elasticacheRedisAuth.parameters),
        (groupValue, members, params) => {
          const facts = replicationGroupFacts(groupValue, members, region);
          const verdict = elasticacheRedisAuth.evaluate(facts, params as never);
          assertDeliverableVerdict(verdict, elasticacheRedisAuth.codes);
          if (verdict.compliance !== 'COMPLIANT') return;
          const engine = lower(groupValue.Engine ?? members.find((m) => m.Engine !== undefined)?.Engine);
          const versionKnownModern =
            members.length > 0 && members.every((m) => (majorVersion(m.EngineVersion) ?? 0) >= 6);
          const rbac = (groupValue.UserGroupIds ?? []).some((id) => id.trim() !== '');
          expect(
            groupValue.AuthTokenEnabled === true ||
              (params.RequireAuthOnAllVersions === true &&
                rbac &&
                (engine === 'valkey' || versionKnownModern)),
            verdict.annotation,
          ).to.equal(true);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('AppSync.5: graphqlApiFacts → verdict; COMPLIANT only when every mode (camelCase API shape) is allowed', () => {
    const mode = optionalText([...APPSYNC_AUTH_TYPES]);
    const api = sdk<GraphqlApi>({
      apiId: optionalText(['h3k9']),
      name: optionalText(['storefront']),
      authenticationType: mode,
      additionalAuthenticationProviders: fc.option(
        fc.array(sdk({ authenticationType: mode }), { maxLength: 3 }),
        { nil: undefined },
      ),
    } as never);
    fc.assert(
      fc.property(api, validParameters(appsyncNoApiKey.parameters), (value, params) => {
        const verdict = appsyncNoApiKey.evaluate(graphqlApiFacts(value, region), params as never);
        assertDeliverableVerdict(verdict, appsyncNoApiKey.codes);
        if (verdict.compliance !== 'COMPLIANT') return;
        const allowed = params.AllowedAuthorizationTypes as readonly string[];
        const modes = [
          value.authenticationType,
          ...(value.additionalAuthenticationProviders ?? []).map((p) => p.authenticationType),
        ];
        expect(
          modes.every((m) => m !== undefined && allowed.includes(m)),
          verdict.annotation,
        ).to.equal(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('MSK.6: clusterFacts → verdict; COMPLIANT only with unauthenticated access off and a mechanism on', () => {
    const cluster = sdk<Cluster>({
      ClusterArn: optionalText(['arn:aws:kafka:eu-west-1:444455556666:cluster/c/1']),
      ClusterName: optionalText(['clickstream']),
      ClusterType: fc.option(fc.constantFrom('PROVISIONED', 'SERVERLESS'), { nil: undefined }),
      Provisioned: fc.option(
        sdk({
          ClientAuthentication: fc.option(
            sdk({
              Unauthenticated: fc.option(sdk({ Enabled: optionalFlag }), { nil: undefined }),
              Sasl: fc.option(
                sdk({ Iam: sdk({ Enabled: optionalFlag }), Scram: sdk({ Enabled: optionalFlag }) }),
                { nil: undefined },
              ),
              Tls: fc.option(
                sdk({
                  Enabled: optionalFlag,
                  CertificateAuthorityArnList: fc.option(fc.array(text(['arn:ca']), { maxLength: 2 }), {
                    nil: undefined,
                  }),
                }),
                { nil: undefined },
              ),
            }),
            { nil: undefined },
          ),
        }),
        { nil: undefined },
      ),
    } as never);
    fc.assert(
      fc.property(cluster, (value) => {
        const verdict = mskNoUnauthenticatedAccess.evaluate(clusterFacts(value, region), {});
        assertDeliverableVerdict(verdict, mskNoUnauthenticatedAccess.codes);
        if (verdict.compliance === 'COMPLIANT')
          expect(mskEstablishes(value.Provisioned), verdict.annotation).to.equal(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('DMS.11: endpointFacts → verdict; COMPLIANT only for MongoDB with AuthType password', () => {
    const endpoint = sdk<Endpoint>({
      EndpointArn: optionalText(['arn:aws:dms:eu-west-1:444455556666:endpoint:X']),
      EndpointIdentifier: optionalText(['catalog']),
      EndpointType: fc.option(fc.constantFrom('source', 'target', 'SOURCE'), { nil: undefined }),
      EngineName: optionalText(['mongodb', 'MONGODB', 'postgres', '']),
      MongoDbSettings: fc.option(
        sdk({
          AuthType: optionalText(['password', 'no', 'PASSWORD']),
          AuthMechanism: optionalText(['scram_sha_1', 'mongodb_cr']),
        }),
        {
          nil: undefined,
        },
      ),
    } as never);
    fc.assert(
      fc.property(endpoint, (value) => {
        const verdict = dmsMongodbAuthentication.evaluate(endpointFacts(value, region), {});
        assertDeliverableVerdict(verdict, dmsMongodbAuthentication.codes);
        if (verdict.compliance !== 'COMPLIANT') return;
        expect(
          lower(value.EngineName) === 'mongodb' && lower(value.MongoDbSettings?.AuthType) === 'password',
          verdict.annotation,
        ).to.equal(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('AUTHN-APIGW-REST: methodFacts → verdict; COMPLIANT only with AWS_IAM, COGNITO_USER_POOLS or CUSTOM (or the CORS exemption)', () => {
    const api = sdk<RestApi>({
      id: optionalText(['a1b2c3d4e5']),
      name: optionalText(['orders']),
      endpointConfiguration: fc.option(
        sdk({ types: fc.array(fc.constantFrom('EDGE', 'REGIONAL', 'PRIVATE'), { maxLength: 2 }) }),
        { nil: undefined },
      ),
    });
    const resource = sdk<Resource>({ id: optionalText(['r00t1d']), path: optionalText(['/', '/orders']) });
    const method = sdk<Method>({
      httpMethod: optionalText(['GET', 'OPTIONS']),
      authorizationType: optionalText(['NONE', 'AWS_IAM', 'COGNITO_USER_POOLS', 'CUSTOM']),
      apiKeyRequired: optionalFlag,
    });
    const rule = apigwRestMethodAuthorization;
    fc.assert(
      fc.property(
        api,
        resource,
        fc.constantFrom('GET', 'OPTIONS', 'ANY'),
        method,
        validParameters(rule.parameters),
        (apiValue, resourceValue, verb, methodValue, params) => {
          const facts = methodFacts(apiValue, resourceValue, verb, methodValue, region);
          const verdict = rule.evaluate(facts, params as never);
          assertDeliverableVerdict(verdict, rule.codes);
          if (verdict.compliance !== 'COMPLIANT') return;
          const raw = methodValue.authorizationType;
          const cors =
            verdict.annotation.startsWith('Exception:') &&
            params.ExemptCorsPreflightMethods === true &&
            (methodValue.httpMethod ?? verb).toUpperCase() === 'OPTIONS';
          expect(cors || (raw !== undefined && REST_TYPES.has(raw)), verdict.annotation).to.equal(true);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('AUTHN-LAMBDA-URL: urlFacts → verdicts, one per distinct URL; COMPLIANT only with AuthType AWS_IAM', () => {
    // Lambda always answers with the URL (https://<url-id>.lambda-url.<region>.on.aws/).
    const url = fc.option(
      fc.constantFrom('https://abc.lambda-url.eu-west-1.on.aws/', 'https://def.lambda-url.eu-west-1.on.aws/'),
      { nil: undefined },
    );
    const config = sdk<FunctionUrlConfig>({
      FunctionUrl: url,
      FunctionArn: optionalText([
        'arn:aws:lambda:eu-west-1:444455556666:function:orders-api',
        'arn:aws:lambda:eu-west-1:444455556666:function:orders-api:live',
      ]),
      AuthType: fc.option(fc.constantFrom('AWS_IAM', 'NONE'), { nil: undefined }) as fc.Arbitrary<
        FunctionUrlConfig['AuthType']
      >,
    } as never);
    const found = fc.record({
      config,
      askedQualifier: fc.option(fc.constantFrom('live', 'blue'), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        optionalText(['orders-api']),
        fc.array(found, { maxLength: 3 }),
        validParameters(lambdaFunctionUrlAuth.parameters),
        (name, urls, params) => {
          const all = urlFacts({ FunctionName: name, FunctionArn: undefined }, urls, region);
          // Fail closed: no URL the reads found is dropped (only one reached twice is counted once).
          const reported = new Set(all.map((facts) => facts.functionUrl));
          for (const { config: found } of urls) {
            if (found.FunctionUrl !== undefined) expect(reported.has(found.FunctionUrl)).to.equal(true);
          }
          for (const facts of all) {
            const verdict = lambdaFunctionUrlAuth.evaluate(facts, params as never);
            assertDeliverableVerdict(verdict, lambdaFunctionUrlAuth.codes);
            if (verdict.compliance !== 'COMPLIANT' || facts.functionUrl === undefined) continue;
            // The URL's own configuration (its first read) says AWS_IAM.
            const source = urls.find(({ config: found }) => found.FunctionUrl === facts.functionUrl);
            expect(source?.config.AuthType, verdict.annotation).to.equal('AWS_IAM');
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('Neptune.7: clusterFacts → verdict; COMPLIANT only for a Neptune cluster with IAMDatabaseAuthenticationEnabled true', () => {
    const cluster = sdk<DBCluster>({
      DBClusterIdentifier: optionalText(['fraud-graph']),
      DBClusterArn: optionalText(['arn:aws:rds:eu-west-1:444455556666:cluster:fraud-graph']),
      Engine: optionalText(['neptune', 'NEPTUNE', 'aurora-mysql', '']),
      IAMDatabaseAuthenticationEnabled: optionalFlag,
    });
    fc.assert(
      fc.property(cluster, (value) => {
        const verdict = neptuneIamAuth.evaluate(neptuneClusterFacts(value, region), {});
        assertDeliverableVerdict(verdict, neptuneIamAuth.codes);
        if (verdict.compliance !== 'COMPLIANT') return;
        expect(
          lower(value.Engine) === 'neptune' && value.IAMDatabaseAuthenticationEnabled === true,
          verdict.annotation,
        ).to.equal(true);
      }),
      { numRuns: RUNS },
    );
  });
});
