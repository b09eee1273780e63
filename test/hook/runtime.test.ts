/**
 * The deploy-time hook's handler on requests shaped as the Hooks User Guide documents them: every control passing and
 * failing, updates, exception tags, string-typed values, malformed requests and the documented message limit.
 * Route requests, which read their API live, are tested with the emulator in
 * test/rules/apigwv2-route-authorization/hook.test.ts.
 */
import { expect } from 'chai';
import { HOOK_BUDGET_MS, readHookSettings } from '../../hook/runtime';
import { MAX_HOOK_MESSAGE } from '../../hook/response';
import { hookRequest, testHookHandler, type HookRequestShape } from '../helpers/hook';

const TOKEN = 'f0e1d2c3-b4a5-4697-8877-665544332211';
/** Distinctive secrets: no answer may ever contain them. */
const DMS_PASSWORD = 'Zq9-dms-SECRET-pass-7731';
const REDIS_TOKEN = 'Yw4-redis-SECRET-auth-0420';

const mongo = (
  settings: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> => ({
  EndpointIdentifier: 'catalog-source',
  EndpointType: 'source',
  EngineName: 'mongodb',
  ServerName: 'mongo.catalog.internal',
  Port: '27017',
  Username: 'dms',
  Password: DMS_PASSWORD,
  MongoDbSettings: settings,
  ...extra,
});

const redis = (extra: Record<string, unknown>): Record<string, unknown> => ({
  ReplicationGroupId: 'session-cache',
  ReplicationGroupDescription: 'web sessions',
  Engine: 'redis',
  CacheNodeType: 'cache.t3.micro',
  NumCacheClusters: '2',
  ...extra,
});

const msk = (
  clientAuthentication: unknown,
  extra: Record<string, unknown> = {},
): Record<string, unknown> => ({
  ClusterName: 'clickstream',
  KafkaVersion: '3.6.0',
  NumberOfBrokerNodes: '3',
  BrokerNodeGroupInfo: {
    InstanceType: 'kafka.m5.large',
    ClientSubnets: ['subnet-0a1b2c3d', 'subnet-1b2c3d4e'],
  },
  ClientAuthentication: clientAuthentication,
  EncryptionInfo: { EncryptionInTransit: { ClientBroker: 'TLS', InCluster: 'true' } },
  ...extra,
});

interface Case {
  readonly name: string;
  readonly request: HookRequestShape;
  readonly status: 'SUCCESS' | 'FAILED';
  readonly says: readonly string[];
}

const CONTROL_CASES: readonly Case[] = [
  {
    name: 'AppSync.5 fails a GraphQL API that accepts API keys only',
    request: hookRequest('AWS::AppSync::GraphQLApi', 'PartnerGraphApi', {
      Name: 'partner-graph',
      AuthenticationType: 'API_KEY',
    }),
    status: 'FAILED',
    says: [
      'AppSync.5',
      'PartnerGraphApi',
      'AWS::AppSync::GraphQLApi',
      'API keys only',
      'Fix: set AuthenticationType',
    ],
  },
  {
    name: 'AppSync.5 fails API_KEY beside an authenticated mode',
    request: hookRequest('AWS::AppSync::GraphQLApi', 'OrdersGraphApi', {
      Name: 'orders-graph',
      AuthenticationType: 'AWS_IAM',
      AdditionalAuthenticationProviders: [{ AuthenticationType: 'API_KEY' }],
    }),
    status: 'FAILED',
    says: ['AppSync.5', 'OrdersGraphApi', 'Fix: remove API_KEY'],
  },
  {
    name: 'AppSync.5 passes Cognito with IAM beside it',
    request: hookRequest('AWS::AppSync::GraphQLApi', 'OrdersGraphApi', {
      Name: 'orders-graph',
      AuthenticationType: 'AMAZON_COGNITO_USER_POOLS',
      AdditionalAuthenticationProviders: [{ AuthenticationType: 'AWS_IAM' }],
    }),
    status: 'SUCCESS',
    says: ['AppSync.5', 'OrdersGraphApi', 'AMAZON_COGNITO_USER_POOLS, AWS_IAM'],
  },
  {
    name: 'MSK.6 fails unauthenticated access left on beside IAM (switches as strings)',
    request: hookRequest(
      'AWS::MSK::Cluster',
      'ClickstreamCluster',
      msk({ Sasl: { Iam: { Enabled: 'true' } }, Unauthenticated: { Enabled: 'true' } }),
    ),
    status: 'FAILED',
    says: ['MSK.6', 'ClickstreamCluster', 'AWS::MSK::Cluster', 'supplemented but not removed', 'Fix:'],
  },
  {
    name: 'MSK.6 fails a cluster with no client authentication',
    request: hookRequest('AWS::MSK::Cluster', 'ClickstreamCluster', msk(undefined)),
    status: 'FAILED',
    says: ['MSK.6', 'accepts any client'],
  },
  {
    name: 'MSK.6 passes IAM with unauthenticated access off (switches as strings)',
    request: hookRequest(
      'AWS::MSK::Cluster',
      'LedgerCluster',
      msk({ Sasl: { Iam: { Enabled: 'true' } }, Unauthenticated: { Enabled: 'false' } }),
    ),
    status: 'SUCCESS',
    says: ['MSK.6', 'LedgerCluster', 'requires client authentication (IAM)'],
  },
  {
    name: 'MSK.6 passes IAM with booleans as booleans',
    request: hookRequest(
      'AWS::MSK::Cluster',
      'LedgerCluster',
      msk({ Sasl: { Iam: { Enabled: true } }, Unauthenticated: { Enabled: false } }),
    ),
    status: 'SUCCESS',
    says: ['requires client authentication (IAM)'],
  },
  {
    name: 'MSK.6 fails closed on a switch that is neither true nor false',
    request: hookRequest(
      'AWS::MSK::Cluster',
      'ClickstreamCluster',
      msk({ Sasl: { Iam: { Enabled: 'true' } }, Unauthenticated: { Enabled: 'yes' } }),
    ),
    status: 'FAILED',
    says: ['MSK.6', 'could not be read'],
  },
  {
    name: 'ElastiCache.6 fails Redis OSS 5.0.6 without an AUTH token',
    request: hookRequest(
      'AWS::ElastiCache::ReplicationGroup',
      'SessionCache',
      redis({ EngineVersion: '5.0.6', TransitEncryptionEnabled: 'false' }),
    ),
    status: 'FAILED',
    says: [
      'ElastiCache.6',
      'SessionCache',
      'AWS::ElastiCache::ReplicationGroup',
      'without an AUTH token',
      'Fix:',
    ],
  },
  {
    name: 'ElastiCache.6 passes Redis OSS 5.0.6 with an AUTH token',
    request: hookRequest(
      'AWS::ElastiCache::ReplicationGroup',
      'SessionCache',
      redis({ EngineVersion: '5.0.6', TransitEncryptionEnabled: 'true', AuthToken: REDIS_TOKEN }),
    ),
    status: 'SUCCESS',
    says: ['ElastiCache.6', 'requires an AUTH token'],
  },
  {
    name: 'ElastiCache.6 does not apply to Redis OSS 7.1 (a version given as a number)',
    request: hookRequest('AWS::ElastiCache::ReplicationGroup', 'SessionCache', redis({ EngineVersion: 7.1 })),
    status: 'SUCCESS',
    says: ['ElastiCache.6', 'SessionCache'],
  },
  {
    name: 'DMS.11 fails a MongoDB endpoint without authentication',
    request: hookRequest('AWS::DMS::Endpoint', 'CatalogSource', mongo({ AuthType: 'no' })),
    status: 'FAILED',
    says: [
      'DMS.11',
      'CatalogSource',
      'AWS::DMS::Endpoint',
      'AuthType=no',
      'Fix: set MongoDbSettings.AuthType',
    ],
  },
  {
    name: 'DMS.11 fails a MongoDB endpoint whose AuthType is not set',
    request: hookRequest('AWS::DMS::Endpoint', 'CatalogSource', mongo({ NestingLevel: 'none' })),
    status: 'FAILED',
    says: ['DMS.11', 'CatalogSource'],
  },
  {
    name: 'DMS.11 passes password authentication',
    request: hookRequest(
      'AWS::DMS::Endpoint',
      'CatalogSource',
      mongo({ AuthType: 'password', AuthMechanism: 'scram_sha_1', AuthSource: 'admin' }),
    ),
    status: 'SUCCESS',
    says: ['DMS.11', 'authenticates to MongoDB with a password'],
  },
  {
    // CloudFormation creates the override after the API, so the API's request cannot see it: the route is judged on
    // the override's request (test/rules/apigwv2-route-authorization/hook.test.ts). Nothing is read here: this
    // handler has no client to read with, so a read would fail the request.
    name: 'APIGateway.8 passes a quick-create HTTP API, saying its $default route is judged on its managed overrides',
    request: hookRequest('AWS::ApiGatewayV2::Api', 'PartnerQuickApi', {
      Name: 'partner-quick',
      ProtocolType: 'HTTP',
      Target: `arn:aws:lambda:us-east-1:123456789012:function:partner-handler`,
    }),
    status: 'SUCCESS',
    says: [
      'APIGateway.8',
      'PartnerQuickApi',
      'AWS::ApiGatewayV2::Api',
      '$default route',
      'judged on the AWS::ApiGatewayV2::ApiGatewayManagedOverrides',
    ],
  },
];

describe('hook/runtime: the deploy-time hook on resource requests', () => {
  const handler = testHookHandler();

  for (const testCase of CONTROL_CASES) {
    it(testCase.name, async () => {
      // Act
      const response = await handler(testCase.request);
      // Assess
      expect(response.hookStatus, response.message).to.equal(testCase.status);
      expect(response.errorCode).to.equal(testCase.status === 'FAILED' ? 'NonCompliant' : undefined);
      expect(response.clientRequestToken).to.equal(TOKEN);
      for (const words of testCase.says) expect(response.message).to.include(words);
      expect(response.message.length).to.be.within(1, MAX_HOOK_MESSAGE);
    });
  }

  it('passes an update that removes API_KEY, judging the new properties and not the previous ones', async () => {
    // Prepare
    const request = hookRequest(
      'AWS::AppSync::GraphQLApi',
      'PartnerGraphApi',
      { Name: 'partner-graph', AuthenticationType: 'AWS_IAM' },
      {
        point: 'UPDATE_PRE_PROVISION',
        previous: {
          Name: 'partner-graph',
          AuthenticationType: 'AWS_IAM',
          AdditionalAuthenticationProviders: [{ AuthenticationType: 'API_KEY' }],
        },
      },
    );
    // Act
    const response = await handler(request);
    // Assess
    expect(response.hookStatus).to.equal('SUCCESS');
    expect(response.message).to.include('authenticates callers with AWS_IAM');
  });

  it('fails an update that adds API_KEY', async () => {
    // Prepare
    const request = hookRequest(
      'AWS::AppSync::GraphQLApi',
      'PartnerGraphApi',
      {
        Name: 'partner-graph',
        AuthenticationType: 'AWS_IAM',
        AdditionalAuthenticationProviders: [{ AuthenticationType: 'API_KEY' }],
      },
      { point: 'UPDATE_PRE_PROVISION', previous: { Name: 'partner-graph', AuthenticationType: 'AWS_IAM' } },
    );
    // Act
    const response = await handler(request);
    // Assess
    expect(response).to.deep.include({ hookStatus: 'FAILED', errorCode: 'NonCompliant' });
  });

  it('never blocks a delete, even of a failing resource or with nothing else readable in the request', async () => {
    // Prepare
    const failing = hookRequest(
      'AWS::AppSync::GraphQLApi',
      'PartnerGraphApi',
      { Name: 'partner-graph', AuthenticationType: 'API_KEY' },
      { point: 'DELETE_PRE_PROVISION' },
    );
    // Act
    const responses = [
      await handler(failing),
      await handler({ clientRequestToken: TOKEN, actionInvocationPoint: 'DELETE_PRE_PROVISION' }),
    ];
    // Assess
    for (const response of responses) {
      expect(response).to.deep.equal({
        hookStatus: 'SUCCESS',
        message: 'authn-pack never blocks a delete.',
        clientRequestToken: TOKEN,
      });
    }
  });

  it('honours an exception tag in the resource properties, with its expiry, and says so', async () => {
    // Prepare
    const request = hookRequest('AWS::MSK::Cluster', 'ClickstreamCluster', {
      ...msk({ Unauthenticated: { Enabled: 'true' } }),
      Tags: {
        'authn-exception/MSK.6': 'legacy producers until the Q2 cut-over',
        'authn-exception-expires/MSK.6': '2026-12-31',
      },
    });
    // Act
    const response = await handler(request);
    // Assess
    expect(response.hookStatus).to.equal('SUCCESS');
    expect(response.message).to.include(
      'Exception: legacy producers until the Q2 cut-over (expires 2026-12-31)',
    );
  });

  it('does not honour an expired exception (tags as a CloudFormation Key/Value list)', async () => {
    // Prepare
    const request = hookRequest('AWS::AppSync::GraphQLApi', 'PartnerGraphApi', {
      Name: 'partner-graph',
      AuthenticationType: 'API_KEY',
      Tags: [
        { Key: 'authn-exception/AppSync.5', Value: 'partner SDK still on API keys' },
        { Key: 'authn-exception-expires/AppSync.5', Value: '2026-09-30' },
      ],
    });
    // Act
    const response = await handler(request);
    // Assess
    expect(response).to.deep.include({ hookStatus: 'FAILED', errorCode: 'NonCompliant' });
    expect(response.message).to.include('the exception expired on 2026-09-30');
  });

  it('requires an expiry when the settings say so', async () => {
    // Prepare
    const strict = testHookHandler({ env: { AUTHN_PACK_EXCEPTION_REQUIRES_EXPIRY: 'true' } });
    const request = hookRequest('AWS::AppSync::GraphQLApi', 'PartnerGraphApi', {
      Name: 'partner-graph',
      AuthenticationType: 'API_KEY',
      Tags: [{ Key: 'authn-exception/AppSync.5', Value: 'partner SDK still on API keys' }],
    });
    // Act
    const response = await strict(request);
    // Assess
    expect(response.hookStatus).to.equal('FAILED');
    expect(response.message).to.include('it has no expiry tag');
  });

  it('applies rule parameters from its settings (AllowedAuthorizationTypes without AWS_LAMBDA)', async () => {
    // Prepare
    const narrowed = testHookHandler({
      env: {
        AUTHN_PACK_RULE_PARAMETERS: JSON.stringify({ 'AppSync.5': { AllowedAuthorizationTypes: 'AWS_IAM' } }),
      },
    });
    const request = hookRequest('AWS::AppSync::GraphQLApi', 'OrdersGraphApi', {
      Name: 'orders-graph',
      AuthenticationType: 'AWS_LAMBDA',
    });
    // Act
    const response = await narrowed(request);
    // Assess
    expect(response.hookStatus).to.equal('FAILED');
  });

  it('never puts a DMS password or a Redis AUTH token in its answer, even where a name repeats one', async () => {
    // Prepare: the endpoint's identifier carries the password by mistake; the decision's message names the identifier.
    const requests = [
      hookRequest(
        'AWS::DMS::Endpoint',
        'CatalogSource',
        mongo({ AuthType: 'no' }, { EndpointIdentifier: `catalog-${DMS_PASSWORD}` }),
      ),
      hookRequest(
        'AWS::ElastiCache::ReplicationGroup',
        'SessionCache',
        redis({
          EngineVersion: '5.0.6',
          TransitEncryptionEnabled: 'true',
          AuthToken: REDIS_TOKEN,
          ReplicationGroupId: `cache-${REDIS_TOKEN}`,
        }),
      ),
      hookRequest('AWS::DMS::Endpoint', 'CatalogSource', mongo({ AuthType: 'password' })),
    ];
    // Act
    const responses = await Promise.all(requests.map((request) => handler(request)));
    // Assess
    expect(responses.map((r) => r.hookStatus)).to.deep.equal(['FAILED', 'SUCCESS', 'SUCCESS']);
    for (const response of responses) {
      const printed = JSON.stringify(response);
      expect(printed).to.not.include(DMS_PASSWORD);
      expect(printed).to.not.include(REDIS_TOKEN);
    }
    expect(responses[0]?.message).to.include('catalog-****');
  });

  it('keeps its message within the 1,024 characters CloudFormation shows, naming the control first', async () => {
    // Prepare
    const request = hookRequest('AWS::AppSync::GraphQLApi', 'PartnerGraphApi', {
      Name: 'p'.repeat(3_000),
      AuthenticationType: 'API_KEY',
    });
    // Act
    const response = await handler(request);
    // Assess
    expect(response.message.length).to.equal(MAX_HOOK_MESSAGE);
    expect(response.message).to.match(/^\[AppSync\.5 authn-appsync-no-api-key\] PartnerGraphApi /);
    expect(response.message.endsWith('...')).to.equal(true);
  });

  it('says when it judges nothing of a type (a hook whose target filters are wider than the pack)', async () => {
    // Act
    const response = await handler(hookRequest('AWS::S3::Bucket', 'Uploads', { BucketName: 'uploads' }));
    // Assess
    expect(response.hookStatus).to.equal('SUCCESS');
    expect(response.message).to.include('judges no AWS::S3::Bucket resources');
    expect(response.message).to.include('AWS::MSK::Cluster');
  });

  it('says when a resource of a judged type declares nothing to judge (an API whose routes are separate)', async () => {
    // Act
    const response = await handler(
      hookRequest('AWS::ApiGatewayV2::Api', 'PartnerApi', { Name: 'partner-api', ProtocolType: 'HTTP' }),
    );
    // Assess
    expect(response.hookStatus).to.equal('SUCCESS');
    expect(response.message).to.include('nothing for this control to judge');
  });

  const MALFORMED: readonly { name: string; request: unknown; says: string }[] = [
    { name: 'not an object', request: 'CREATE_PRE_PROVISION', says: 'the request is a string' },
    { name: 'null', request: null, says: 'the request is null' },
    {
      name: 'no invocation point',
      request: { ...hookRequest('AWS::MSK::Cluster', 'C', {}), actionInvocationPoint: undefined },
      says: 'actionInvocationPoint is missing',
    },
    {
      name: 'an unknown invocation point',
      request: { ...hookRequest('AWS::MSK::Cluster', 'C', {}), actionInvocationPoint: 'PRE_PROVISION' },
      says: 'actionInvocationPoint is "PRE_PROVISION"',
    },
    {
      name: 'no requestData',
      request: { ...hookRequest('AWS::MSK::Cluster', 'C', {}), requestData: undefined },
      says: 'requestData is missing',
    },
    {
      name: 'a stack operation, not a resource',
      request: (() => {
        const request = hookRequest('AWS::MSK::Cluster', 'C', {});
        return {
          ...request,
          requestData: { ...request.requestData, targetName: 'STACK', targetType: 'STACK' },
        };
      })(),
      says: 'targets "STACK", not a resource type',
    },
    {
      name: 'no resource properties on a create',
      request: (() => {
        const request = hookRequest('AWS::MSK::Cluster', 'C', {});
        return { ...request, requestData: { ...request.requestData, targetModel: {} } };
      })(),
      says: 'resourceProperties is missing',
    },
    {
      name: 'resource properties that are a string',
      request: (() => {
        const request = hookRequest('AWS::MSK::Cluster', 'C', {});
        return {
          ...request,
          requestData: { ...request.requestData, targetModel: { resourceProperties: '{"ClusterName":"c"}' } },
        };
      })(),
      says: 'resourceProperties is a string',
    },
  ];

  for (const { name, request, says } of MALFORMED) {
    it(`answers a malformed request (${name}) FAILED with InternalFailure and what is wrong`, async () => {
      // Act
      const response = await handler(request);
      // Assess
      expect(response.hookStatus).to.equal('FAILED');
      expect(response.errorCode).to.equal('InternalFailure');
      expect(response.message).to.include('Malformed hook request');
      expect(response.message).to.include(says);
    });
  }

  it('echoes the client request token even when the request is malformed', async () => {
    // Act
    const response = await handler({
      clientRequestToken: TOKEN,
      actionInvocationPoint: 'CREATE_PRE_PROVISION',
    });
    // Assess
    expect(response).to.deep.include({
      hookStatus: 'FAILED',
      errorCode: 'InternalFailure',
      clientRequestToken: TOKEN,
    });
  });

  it('fails every request closed when its own settings are invalid', async () => {
    // Prepare
    const misconfigured = testHookHandler({
      env: { AUTHN_PACK_RULE_PARAMETERS: JSON.stringify({ 'AppSync.5': { AllowedTypes: 'AWS_IAM' } }) },
    });
    const passing = hookRequest('AWS::DMS::Endpoint', 'CatalogSource', mongo({ AuthType: 'password' }));
    // Act
    const response = await misconfigured(passing);
    // Assess
    expect(response).to.deep.include({ hookStatus: 'FAILED', errorCode: 'InternalFailure' });
    expect(response.message).to.include('AppSync.5 has no parameter "AllowedTypes"');
  });

  it('keeps inside the 30 seconds the Hooks service waits, and inside what Lambda has left', () => {
    // Assess
    expect(HOOK_BUDGET_MS).to.be.below(30_000);
  });
});

describe('hook/runtime: readHookSettings', () => {
  it('reads rule parameters by control id and the exception settings', () => {
    // Act
    const settings = readHookSettings({
      AUTHN_PACK_RULE_PARAMETERS: '{"APIGateway.8":{"ExemptCorsPreflightRoutes":"true"}}',
      AUTHN_PACK_EXCEPTION_TAG_PREFIX: 'sec-exception',
      AUTHN_PACK_EXCEPTION_REQUIRES_EXPIRY: 'true',
      AUTHN_PACK_EXECUTION_ROLE_NAME: 'authn-pack-execution',
    });
    // Assess
    const route = [...settings.parameters.keys()].find((rule) => rule.control === 'APIGateway.8');
    expect(route === undefined ? undefined : settings.parameters.get(route)).to.deep.include({
      ExemptCorsPreflightRoutes: true,
    });
    expect(settings).to.deep.include({
      exceptionPrefix: 'sec-exception',
      requiresExpiry: true,
      executionRoleName: 'authn-pack-execution',
    });
  });

  const INVALID: readonly [string, Record<string, string>, string][] = [
    ['parameters that are not JSON', { AUTHN_PACK_RULE_PARAMETERS: '{AppSync.5' }, 'is not JSON'],
    ['an unknown rule', { AUTHN_PACK_RULE_PARAMETERS: '{"S3.1":{}}' }, 'no rule "S3.1"'],
    [
      'a value the parameter refuses',
      { AUTHN_PACK_RULE_PARAMETERS: '{"APIGateway.8":{"ExemptCorsPreflightRoutes":"maybe"}}' },
      'not true or false',
    ],
    [
      'a prefix with a colon',
      { AUTHN_PACK_EXCEPTION_TAG_PREFIX: 'authn:exception' },
      'AUTHN_PACK_EXCEPTION_TAG_PREFIX',
    ],
  ];
  for (const [name, env, says] of INVALID) {
    it(`refuses ${name}`, () => {
      // Act + Assess
      expect(() => readHookSettings(env)).to.throw(says);
    });
  }
});
