/**
 * Properties of the template reader and the pre-deploy check: any text is a parsed template or a TemplateError;
 * any Properties of the five resource types give findings Config-shaped verdicts, without throwing, and never
 * COMPLIANT unless the template states the facts that establish authentication (a value known only at deploy
 * establishes nothing) or a documented exception covers the resource.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { checkTemplate } from '../../cli/check-template';
import type { Finding } from '../../cli/findings';
import { APPSYNC_AUTH_TYPES } from '../../rules/appsync-no-api-key/facts';
import { appsyncNoApiKey } from '../../rules/appsync-no-api-key/rule';
import { ParameterError } from '../../rules/core/errors';
import { TemplateError, TemplateView, parseTemplate, type TemplateResource } from '../../rules/core/template';
import { findRule } from '../../rules/index';
import {
  RUNS,
  anyValue,
  assertDeliverableVerdict,
  fieldValue,
  isCalendarDay,
  switchValue,
} from './arbitraries';
import { TODAY, justification, expiry } from './tags';

// ---------------------------------------------------------------------------------------------------------------
// parseTemplate over arbitrary text.

function parseOrExplain(text: string): void {
  try {
    const parsed = parseTemplate(text, 'fuzz.yaml');
    for (const resource of parsed.resources) {
      expect(resource.logicalId).to.be.a('string');
      expect(resource.type).to.be.a('string');
      expect(resource.properties).to.be.an('object');
    }
  } catch (error) {
    if (!(error instanceof TemplateError)) {
      throw new Error(`unexplained ${error instanceof Error ? error.name : typeof error}: ${String(error)}`, {
        cause: error,
      });
    }
    // The file, then where in it when the text does not parse: `fuzz.yaml:3:7: not a readable template: …`.
    expect(error.message).to.match(/^fuzz\.yaml(:\d+:\d+)?: \S/);
  }
}

/** Lines that look like YAML, CloudFormation short forms, anchors, aliases, merge keys and document markers included. */
const yamlish: fc.Arbitrary<string> = fc
  .array(
    fc
      .tuple(
        fc.constantFrom('', '  ', '    ', '- ', '  - ', '\t'),
        fc.oneof(
          fc.constantFrom(
            'Resources:',
            'Parameters:',
            'AWSTemplateFormatVersion: "2010-09-09"',
            'Type: AWS::MSK::Cluster',
            'Properties:',
            'X:',
            '<<: *a',
            '---',
            '...',
          ),
          fc
            .tuple(
              fc.oneof(
                fc.constantFrom('A', 'Resources', 'Properties', 'Type', 'Tags', '? [a, b]', '"q"', 'k'),
                fc.string({ maxLength: 6 }),
              ),
              fc.oneof(
                fc.constantFrom(
                  '',
                  ' !Ref P',
                  ' !GetAtt A.B',
                  ' !Sub "${x}"',
                  ' !If [c, a, b]',
                  ' &a [1, 2]',
                  ' *a',
                  ' *missing',
                  ' !!binary aGk=',
                  ' !!set {a}',
                  ' !!omap [a: 1]',
                  ' !Foo x',
                  ' {',
                  ' [',
                  ' "unterminated',
                  " 'x'",
                  ' |',
                  ' >-',
                  ' null',
                  ' ~',
                  ' 1e999',
                  ' !Ref [a, b]',
                  ' !GetAtt {a: 1}',
                ),
                fc.string({ maxLength: 10 }).map((value) => ` ${value}`),
              ),
            )
            .map(([key, value]) => `${key}:${value}`),
        ),
      )
      .map(([indent, line]) => `${indent}${line}`),
    { maxLength: 12 },
  )
  .map((lines) => lines.join('\n'));

/** Aliases nested so that expanding them would be enormous (the "billion laughs" shape). */
const aliasBomb: fc.Arbitrary<string> = fc.integer({ min: 2, max: 9 }).map((depth) => {
  const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let level = 1; level <= depth; level += 1) {
    const previous = `*a${level - 1}`;
    lines.push(`a${level}: &a${level} [${Array.from({ length: 10 }, () => previous).join(', ')}]`);
  }
  lines.push('Resources: {}');
  return lines.join('\n');
});

describe('properties: the template reader (parseTemplate)', () => {
  it('answers any string with a parsed template or a TemplateError', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' })), parseOrExplain), {
      numRuns: RUNS,
    });
  });

  it('answers YAML-ish text (short forms, anchors, aliases, merge keys, several documents) with a parsed template or a TemplateError', () => {
    fc.assert(fc.property(yamlish, parseOrExplain), { numRuns: RUNS * 2 });
  });

  it('answers nested aliases (resource exhaustion) and aliases without anchors with a TemplateError', () => {
    fc.assert(fc.property(aliasBomb, parseOrExplain), { numRuns: 8 });
    expect(() => parseTemplate('Resources: *nowhere', 'fuzz.yaml')).to.throw(TemplateError);
  });

  it('answers any JSON text with a parsed template or a TemplateError', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.json({ maxDepth: 4 }),
          fc
            .dictionary(fc.string({ maxLength: 8 }), anyValue, { maxKeys: 4 })
            .map((resources) => JSON.stringify({ Resources: resources })),
        ),
        parseOrExplain,
      ),
      { numRuns: RUNS },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Templates of the five resource types with arbitrary Properties.

const PARAMETER_NAMES = ['P1', 'P2', 'P3'];
const LOGICAL_IDS = ['HttpApi', 'R1', 'R2', 'R3'];

/** A value known only at deploy, a Ref the check can resolve, or one it cannot. */
const intrinsic: fc.Arbitrary<unknown> = fc.oneof(
  fc
    .constantFrom(...PARAMETER_NAMES, 'AWS::NoValue', 'AWS::Region', 'Missing', ...LOGICAL_IDS)
    .map((name) => ({ Ref: name })),
  fc.constant({ Ref: 5 }),
  fc.tuple(fc.constantFrom('IsProd'), anyValue, anyValue).map((branches) => ({ 'Fn::If': branches })),
  fc.constant({ 'Fn::Sub': '{{resolve:secretsmanager:token}}' }),
  fc.constant({ 'Fn::GetAtt': ['R1', 'Arn'] }),
  fc.constant({ 'Fn::ImportValue': 'shared-value' }),
  fc.constant({ 'Fn::Join': ['', ['a', { Ref: 'AWS::Region' }]] }),
);

/** A property as a template may write it: a real value, a near miss, anything, or an intrinsic. */
const prop = (real: readonly unknown[]): fc.Arbitrary<unknown> =>
  fc.oneof({ arbitrary: fieldValue(real), weight: 4 }, { arbitrary: intrinsic, weight: 1 });

const props = (model: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> =>
  fc.oneof(
    { arbitrary: fc.record(model, { requiredKeys: [] }), weight: 6 },
    { arbitrary: anyValue, weight: 1 },
    { arbitrary: intrinsic, weight: 1 },
  );

/** Tags in either shape: exception tags for a control (literal), plus noise whose values may be anything. */
function tagsFor(control: string, qualifiers: readonly string[]): fc.Arbitrary<unknown> {
  const suffix = fc.oneof(
    fc.constant(control),
    fc.constantFrom(...qualifiers, 'nope').map((q) => `${control}/${q}`),
  );
  const exceptionEntries = fc.array(
    fc.oneof(
      fc.tuple(
        suffix.map((s) => `authn-exception/${s}`),
        justification,
      ),
      fc.tuple(
        suffix.map((s) => `authn-exception-expires/${s}`),
        expiry,
      ),
    ),
    { maxLength: 3 },
  );
  const noise = fc.array(
    fc.tuple(fc.string({ maxLength: 10 }), fc.oneof(fc.string({ maxLength: 10 }), anyValue, intrinsic)),
    { maxLength: 2 },
  );
  return fc
    .tuple(exceptionEntries, noise, fc.constantFrom('map', 'list', 'junk'))
    .map(([entries, extra, shape]) => {
      const all: [string, unknown][] = [...extra, ...entries];
      if (shape === 'map') return Object.fromEntries(all);
      if (shape === 'list') return all.map(([Key, Value]) => ({ Key, Value }));
      return all.length > 0 ? 'not tags' : undefined;
    });
}

const modeValues = [...APPSYNC_AUTH_TYPES, 'NONE', ''];
const mskSwitch = (key: string): fc.Arbitrary<unknown> => props({ [key]: fc.oneof(switchValue, intrinsic) });

interface Generated {
  readonly Type: string;
  readonly Properties: unknown;
}

const RESOURCES: Record<string, fc.Arbitrary<Generated>> = {
  appsync: props({
    Name: prop(['reviews']),
    AuthenticationType: prop(modeValues),
    AdditionalAuthenticationProviders: fc.oneof(
      fc.array(props({ AuthenticationType: prop(modeValues), LambdaAuthorizerConfig: intrinsic }), {
        maxLength: 3,
      }),
      prop([[], null]),
    ),
    Tags: tagsFor('AppSync.5', []),
  }).map((Properties) => ({ Type: 'AWS::AppSync::GraphQLApi', Properties })),
  msk: props({
    ClusterName: prop(['clickstream']),
    ClientAuthentication: props({
      Unauthenticated: fc.oneof(mskSwitch('Enabled'), prop([true, false])),
      Sasl: props({ Iam: mskSwitch('Enabled'), Scram: mskSwitch('Enabled') }),
      Tls: props({
        Enabled: fc.oneof(switchValue, intrinsic),
        CertificateAuthorityArnList: fc.oneof(
          prop([[], ['arn:ca'], [''], [null]]),
          fc.array(intrinsic, { maxLength: 2 }),
        ),
      }),
    }),
    EncryptionInfo: props({ EncryptionInTransit: props({ InCluster: switchValue }) }),
    Tags: tagsFor('MSK.6', []),
  }).map((Properties) => ({ Type: 'AWS::MSK::Cluster', Properties })),
  dms: props({
    EndpointIdentifier: prop(['catalog']),
    EndpointType: prop(['source', 'target']),
    EngineName: prop(['mongodb', 'MONGODB', 'postgres']),
    MongoDbSettings: props({
      AuthType: prop(['password', 'no', 'PASSWORD']),
      AuthMechanism: prop(['scram_sha_1', 'mongodb_cr']),
    }),
    Tags: tagsFor('DMS.11', []),
  }).map((Properties) => ({ Type: 'AWS::DMS::Endpoint', Properties })),
  elasticache: props({
    ReplicationGroupId: prop(['sessions']),
    Engine: prop(['redis', 'valkey', 'memcached', 'Redis']),
    EngineVersion: prop(['5.0.6', '6.2', '7.1', '6.x', 'x', 7]),
    AuthToken: prop(['{{resolve:secretsmanager:redis-token}}', 'a-literal-token-0001', '', ' ', null]),
    UserGroupIds: fc.oneof(
      prop([[], ['ug-1'], [''], [' ']]),
      fc.array(fc.oneof(intrinsic, fc.constantFrom('ug-1', '')), { maxLength: 2 }),
    ),
    TransitEncryptionEnabled: switchValue,
    Tags: tagsFor('ElastiCache.6', []),
  }).map((Properties) => ({ Type: 'AWS::ElastiCache::ReplicationGroup', Properties })),
  route: props({
    ApiId: fc.oneof(
      fc.constantFrom(
        { Ref: 'HttpApi' },
        { 'Fn::GetAtt': ['HttpApi', 'ApiId'] },
        { Ref: 'Missing' },
        'literal-api-id',
      ),
      intrinsic,
    ),
    RouteKey: prop(['$connect', '$default', 'GET /health', 'OPTIONS /orders', 'POST /orders', 'options /x']),
    AuthorizationType: prop(['NONE', 'AWS_IAM', 'JWT', 'CUSTOM', 'jwt']),
  }).map((Properties) => ({ Type: 'AWS::ApiGatewayV2::Route', Properties })),
  overrides: props({
    ApiId: fc.constantFrom({ Ref: 'HttpApi' }, { Ref: 'R1' }),
    Route: props({ AuthorizationType: prop(['NONE', 'AWS_IAM', 'JWT']) }),
  }).map((Properties) => ({ Type: 'AWS::ApiGatewayV2::ApiGatewayManagedOverrides', Properties })),
};

const httpApi: fc.Arbitrary<Generated> = props({
  Name: prop(['partner-api']),
  ProtocolType: prop(['HTTP', 'WEBSOCKET']),
  Target: fc.option(prop(['arn:aws:lambda:eu-west-1:444455556666:function:f']), { nil: undefined }),
  Body: fc.option(anyValue, { nil: undefined, freq: 4 }),
  DisableExecuteApiEndpoint: switchValue,
  Tags: tagsFor('APIGateway.8', ['R1', 'R2', 'R3', 'GET /health', 'OPTIONS /orders', '$default']),
}).map((Properties) => ({ Type: 'AWS::ApiGatewayV2::Api', Properties }));

const parameter = fc.record(
  {
    Type: fc.constantFrom(
      'String',
      'String',
      'CommaDelimitedList',
      'Number',
      'AWS::SSM::Parameter::Value<String>',
      'List<String>',
    ),
    Default: fc.oneof(
      fc.constantFrom(
        'AWS_IAM',
        'API_KEY',
        'JWT',
        'NONE',
        'password',
        'mongodb',
        'true',
        'false',
        '7.1',
        '5.0.6',
        'ug-1',
        'redis',
        'valkey',
        '',
        'AWS_IAM,API_KEY',
      ),
      anyValue,
    ),
  },
  { requiredKeys: ['Type'] },
);

interface TemplateCase {
  readonly body: Record<string, unknown>;
  readonly asText: 'json' | 'yaml' | 'direct';
  readonly parameters: Record<string, string>;
  readonly requireExpiry: boolean;
}

const templateCase: fc.Arbitrary<TemplateCase> = fc.record({
  body: fc
    .record({
      api: fc.option(httpApi, { freq: 3 }),
      others: fc.array(
        fc.constantFrom(...Object.values(RESOURCES)).chain((arbitrary) => arbitrary),
        { minLength: 1, maxLength: 3 },
      ),
      parameters: fc.dictionary(fc.constantFrom(...PARAMETER_NAMES), parameter, { maxKeys: 3 }),
    })
    .map(({ api, others, parameters }) => {
      const resources: Record<string, Generated> = {};
      if (api !== null) resources.HttpApi = api;
      others.forEach((resource, index) => {
        resources[`R${index + 1}`] = resource;
      });
      return { Parameters: parameters, Resources: resources };
    }),
  asText: fc.constantFrom('json', 'yaml', 'direct'),
  parameters: fc.record(
    {
      ExemptCorsPreflightRoutes: fc.constantFrom('true', 'false'),
      authorizationType: fc.constantFrom('', 'AWS_IAM', 'JWT', 'CUSTOM'),
      RequireAuthOnAllVersions: fc.constantFrom('true', 'false'),
      AllowedAuthorizationTypes: fc.subarray([...APPSYNC_AUTH_TYPES]).map((types) => types.join(',')),
    },
    { requiredKeys: [] },
  ),
  requireExpiry: fc.boolean(),
});

function viewOf(testCase: TemplateCase): TemplateView | undefined {
  try {
    if (testCase.asText === 'direct') {
      const resources = Object.entries(testCase.body.Resources as Record<string, Generated>).map(
        ([logicalId, resource]) => ({
          logicalId,
          type: resource.Type,
          properties: (typeof resource.Properties === 'object' &&
          resource.Properties !== null &&
          !Array.isArray(resource.Properties)
            ? resource.Properties
            : {}) as Record<string, unknown>,
        }),
      );
      return new TemplateView({ resources, parameters: testCase.body.Parameters as Record<string, unknown> });
    }
    const text = testCase.asText === 'json' ? JSON.stringify(testCase.body) : stringify(testCase.body);
    return new TemplateView(parseTemplate(text, 'fuzz'));
  } catch (error) {
    // Values fast-check makes that neither JSON nor YAML can carry (undefined, -0 as text, …) may be refused: only as TemplateError.
    if (error instanceof TemplateError) return undefined;
    throw error;
  }
}

// The oracle: its own static resolution (a Ref to a parameter with a Default; anything else is unknown at deploy).

const UNKNOWN = Symbol('known only at deploy');

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function intrinsicName(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  const keys = Object.keys(value);
  const [key] = keys;
  return keys.length === 1 &&
    key !== undefined &&
    (key === 'Ref' || key === 'Condition' || key.startsWith('Fn::'))
    ? key
    : undefined;
}

class Oracle {
  constructor(private readonly parameters: Readonly<Record<string, unknown>>) {}

  resolve(value: unknown): unknown {
    const name = intrinsicName(value);
    if (name === 'Ref') {
      const target = (value as { Ref: unknown }).Ref;
      const parameter =
        typeof target === 'string' && Object.hasOwn(this.parameters, target)
          ? this.parameters[target]
          : undefined;
      if (!isRecord(parameter) || parameter.Default === undefined) return UNKNOWN;
      const type = typeof parameter.Type === 'string' ? parameter.Type : 'String';
      if (type.startsWith('AWS::SSM::Parameter::Value<')) return UNKNOWN;
      if (
        (type === 'CommaDelimitedList' || type.startsWith('List<')) &&
        typeof parameter.Default === 'string'
      ) {
        return parameter.Default === '' ? [] : parameter.Default.split(',').map((item) => item.trim());
      }
      return parameter.Default;
    }
    if (name !== undefined) return UNKNOWN;
    if (Array.isArray(value)) {
      const items = value.map((item) => this.resolve(item));
      return items.includes(UNKNOWN) ? UNKNOWN : items;
    }
    if (isRecord(value)) {
      const entries = Object.entries(value).map(([key, item]) => [key, this.resolve(item)] as const);
      return entries.some(([, item]) => item === UNKNOWN) ? UNKNOWN : Object.fromEntries(entries);
    }
    return value;
  }

  /** Follows a path resolving only what is on it (siblings may stay unknown). */
  at(value: unknown, ...path: readonly string[]): unknown {
    let current = intrinsicName(value) === undefined ? value : this.resolve(value);
    for (const key of path) {
      if (current === UNKNOWN || !isRecord(current)) return current === UNKNOWN ? UNKNOWN : undefined;
      const next = Object.hasOwn(current, key) ? current[key] : undefined;
      current = intrinsicName(next) === undefined ? next : this.resolve(next);
    }
    return current;
  }
}

const isTrue = (value: unknown): boolean => value === true || value === 'true';
const absent = (value: unknown): boolean => value === undefined || value === null;
const lower = (value: unknown): string | undefined =>
  typeof value === 'string' ? value.toLowerCase() : undefined;
const named = (value: unknown): boolean => typeof value === 'string' && value.trim() !== '';
/** An intrinsic that names a value at deploy; `!Ref AWS::NoValue` and a condition may name none. */
const deployTimeValue = (value: unknown): boolean =>
  intrinsicName(value) !== undefined &&
  intrinsicName(value) !== 'Fn::If' &&
  !(isRecord(value) && value.Ref === 'AWS::NoValue');

function appsyncEstablishes(o: Oracle, p: unknown, allowed: readonly string[]): boolean {
  const primary = o.at(p, 'AuthenticationType');
  if (typeof primary !== 'string' || !allowed.includes(primary)) return false;
  const providers = o.at(p, 'AdditionalAuthenticationProviders');
  if (absent(providers)) return true;
  return (
    Array.isArray(providers) &&
    providers.every((provider) => {
      const type = o.at(provider, 'AuthenticationType');
      return typeof type === 'string' && allowed.includes(type);
    })
  );
}

function mskEstablishes(o: Oracle, p: unknown): boolean {
  const auth = o.at(p, 'ClientAuthentication');
  if (!isRecord(auth)) return false;
  const unauthenticated = o.at(auth, 'Unauthenticated');
  const off =
    absent(unauthenticated) ||
    (isRecord(unauthenticated) &&
      [undefined, null, false, 'false'].includes(o.at(unauthenticated, 'Enabled') as never));
  if (!off) return false;
  const tlsFlag = o.at(auth, 'Tls', 'Enabled');
  const authorities = o.at(auth, 'Tls', 'CertificateAuthorityArnList');
  const tls =
    isTrue(tlsFlag) ||
    (tlsFlag !== false &&
      tlsFlag !== 'false' &&
      tlsFlag !== UNKNOWN &&
      Array.isArray(authorities) &&
      authorities.some((arn) => named(arn) || deployTimeValue(arn)));
  return (
    isTrue(o.at(auth, 'Sasl', 'Iam', 'Enabled')) || isTrue(o.at(auth, 'Sasl', 'Scram', 'Enabled')) || tls
  );
}

function dmsEstablishes(o: Oracle, p: unknown): boolean {
  return (
    lower(o.at(p, 'EngineName')) === 'mongodb' && lower(o.at(p, 'MongoDbSettings', 'AuthType')) === 'password'
  );
}

function elasticacheEstablishes(o: Oracle, p: unknown, requireAll: boolean): boolean {
  const token = isRecord(p) ? p.AuthToken : undefined;
  if (named(token) || deployTimeValue(token)) return true;
  if (!requireAll) return false;
  const groups = o.at(p, 'UserGroupIds');
  const rbac =
    Array.isArray(groups) && groups.some((group) => named(o.resolve(group)) || deployTimeValue(group));
  const engine = o.at(p, 'Engine');
  const version = o.at(p, 'EngineVersion');
  const major =
    typeof version === 'string' || typeof version === 'number'
      ? /^\s*(\d+)/.exec(String(version))?.[1]
      : undefined;
  const modern =
    lower(engine) === 'valkey' || version === undefined || (major !== undefined && Number(major) >= 6);
  return rbac && modern;
}

/** AllowedAuthorizationTypes as the rule reads it (unset or empty: the default list). */
function allowedModes(raw: string | undefined): readonly string[] {
  return appsyncNoApiKey.parameters.AllowedAuthorizationTypes.parse(raw, 'AllowedAuthorizationTypes');
}

const ROUTE_TYPES = ['AWS_IAM', 'JWT', 'CUSTOM'];

function routeEstablishes(o: Oracle, finding: Finding, view: TemplateView, required: string): boolean {
  const resource = view.resource(finding.logicalId ?? '');
  if (resource === undefined) return false;
  if (resource.type === 'AWS::ApiGatewayV2::Route') {
    const type = o.at(resource.properties, 'AuthorizationType');
    return typeof type === 'string' && ROUTE_TYPES.includes(type) && (required === '' || type === required);
  }
  const routeType = (override: TemplateResource): boolean => {
    const type = o.at(override.properties, 'Route', 'AuthorizationType');
    return typeof type === 'string' && ROUTE_TYPES.includes(type) && (required === '' || type === required);
  };
  // A quick-create API's $default route with an override: the finding points at the override, which sets it.
  if (resource.type === 'AWS::ApiGatewayV2::ApiGatewayManagedOverrides') return routeType(resource);
  // A quick-create API's $default route: authorization only through a managed override of that API.
  return view.resources.some((other) => {
    if (other.type !== 'AWS::ApiGatewayV2::ApiGatewayManagedOverrides') return false;
    const target = other.properties.ApiId;
    if (!isRecord(target) || target.Ref !== resource.logicalId) return false;
    return routeType(other);
  });
}

describe('properties: the template check over arbitrary Properties of the five resource types', () => {
  it('never throws, gives every resource a Config-shaped verdict, and COMPLIANT only with the facts or a valid exception', () => {
    const seen = new Map<string, Set<string>>();
    fc.assert(
      fc.property(templateCase, (testCase) => {
        const view = viewOf(testCase);
        if (view === undefined) return;
        let findings: Finding[];
        try {
          ({ findings } = checkTemplate(view, 'fuzz.yaml', {
            now: new Date(`${TODAY}T12:00:00Z`),
            exceptionPrefix: 'authn-exception',
            requireExpiry: testCase.requireExpiry,
            parameters: testCase.parameters,
          }));
        } catch (error) {
          // Parameter values are drawn from the allowed ones, but a combination can still be refused: only that way.
          if (error instanceof ParameterError) return;
          throw error;
        }
        const oracle = new Oracle(view.template.parameters);
        for (const finding of findings) {
          assertDeliverableVerdict(finding);
          const outcomes = seen.get(finding.control) ?? new Set<string>();
          outcomes.add(finding.compliance);
          seen.set(finding.control, outcomes);
          if (finding.compliance !== 'COMPLIANT') continue;
          if (finding.annotation.startsWith('Exception:')) {
            const cors =
              finding.exception === null &&
              testCase.parameters.ExemptCorsPreflightRoutes === 'true' &&
              /OPTIONS /.test(finding.annotation);
            if (cors) continue;
            expect(finding.exception, finding.annotation).not.to.equal(null);
            const exception = finding.exception;
            if (exception === null) return;
            expect(exception.justification.trim().length).to.be.at.least(10);
            if (exception.expires !== null)
              expect(
                isCalendarDay(exception.expires) && exception.expires >= TODAY,
                exception.expires,
              ).to.equal(true);
            else expect(testCase.requireExpiry).to.equal(false);
            continue;
          }
          const properties = view.resource(finding.logicalId ?? '')?.properties;
          const established =
            finding.control === 'AppSync.5'
              ? appsyncEstablishes(
                  oracle,
                  properties,
                  allowedModes(testCase.parameters.AllowedAuthorizationTypes),
                )
              : finding.control === 'MSK.6'
                ? mskEstablishes(oracle, properties)
                : finding.control === 'DMS.11'
                  ? dmsEstablishes(oracle, properties)
                  : finding.control === 'ElastiCache.6'
                    ? elasticacheEstablishes(
                        oracle,
                        properties,
                        testCase.parameters.RequireAuthOnAllVersions === 'true',
                      )
                    : routeEstablishes(oracle, finding, view, testCase.parameters.authorizationType ?? '');
          expect(established, `${finding.control} ${finding.logicalId}: ${finding.annotation}`).to.equal(
            true,
          );
        }
      }),
      { numRuns: RUNS * 2 },
    );
    for (const rule of ['AppSync.5', 'MSK.6', 'DMS.11', 'ElastiCache.6', 'APIGateway.8']) {
      expect(findRule(rule), rule).not.to.equal(undefined);
      expect([...(seen.get(rule) ?? [])], `${rule} reached`).to.include('NON_COMPLIANT');
    }
  });
});
