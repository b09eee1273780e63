/**
 * The sample estate of the demo and the integration tests: the seed scenario, created through the real SDK
 * clients against the emulator. Each resource is named for what it shows.
 */
import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateRouteCommand,
  type AuthorizationType,
} from '@aws-sdk/client-apigatewayv2';
import {
  APIGatewayClient,
  CreateResourceCommand,
  CreateRestApiCommand,
  GetResourcesCommand,
  PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import { AppSyncClient, CreateGraphqlApiCommand } from '@aws-sdk/client-appsync';
import {
  CreateEndpointCommand,
  DatabaseMigrationServiceClient,
} from '@aws-sdk/client-database-migration-service';
import {
  CreateCacheClusterCommand,
  CreateReplicationGroupCommand,
  DescribeReplicationGroupsCommand,
  ElastiCacheClient,
} from '@aws-sdk/client-elasticache';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateClusterCommand, KafkaClient } from '@aws-sdk/client-kafka';
import {
  CreateFunctionCommand,
  CreateFunctionUrlConfigCommand,
  LambdaClient,
  type FunctionUrlAuthType,
} from '@aws-sdk/client-lambda';
import { CreateDBClusterCommand, NeptuneClient } from '@aws-sdk/client-neptune';
import { seedEventApis } from '../rules/appsync-event-api-no-api-key/sample';

export interface ClientSettingsLike {
  readonly region: string;
  readonly endpoint: string;
  readonly credentials: { accessKeyId: string; secretAccessKey: string };
}

export interface SeededEstate {
  readonly partnerApiId: string;
  readonly chatApiId: string;
  readonly routes: Readonly<Record<string, string>>;
}

/** An exception written the way the convention says, expiring a year after `today`. */
export function healthException(today: Date): Record<string, string> {
  const nextYear = new Date(Date.UTC(today.getUTCFullYear() + 1, today.getUTCMonth(), 1))
    .toISOString()
    .slice(0, 10);
  return {
    'authn-exception/APIGateway.8/GET /health': 'public load balancer health probe, no data returned',
    'authn-exception-expires/APIGateway.8/GET /health': nextYear,
  };
}

export async function seedApiGateway(settings: ClientSettingsLike, today: Date): Promise<SeededEstate> {
  const client = new ApiGatewayV2Client(settings);
  const partner = await client.send(
    new CreateApiCommand({
      Name: 'partner-api',
      ProtocolType: 'HTTP',
      Tags: { team: 'partners', ...healthException(today) },
    }),
  );
  const partnerApiId = partner.ApiId ?? '';
  const routes: Record<string, string> = {};
  const httpRoutes: [string, AuthorizationType][] = [
    ['GET /health', 'NONE'],
    ['GET /partners/{id}', 'NONE'],
    ['POST /partners', 'NONE'],
    ['GET /orders', 'JWT'],
    ['POST /orders', 'AWS_IAM'],
  ];
  for (const [routeKey, authorizationType] of httpRoutes) {
    const route = await client.send(
      new CreateRouteCommand({
        ApiId: partnerApiId,
        RouteKey: routeKey,
        AuthorizationType: authorizationType,
        ...(authorizationType === 'JWT' ? { AuthorizerId: 'jwt0001' } : {}),
      }),
    );
    routes[routeKey] = route.RouteId ?? '';
  }
  const chat = await client.send(
    new CreateApiCommand({
      Name: 'chat-ws',
      ProtocolType: 'WEBSOCKET',
      RouteSelectionExpression: '$request.body.action',
    }),
  );
  const chatApiId = chat.ApiId ?? '';
  for (const [routeKey, authorizationType] of [
    ['$connect', 'AWS_IAM'],
    ['$default', 'NONE'],
    ['sendMessage', 'NONE'],
  ] as [string, AuthorizationType][]) {
    const route = await client.send(
      new CreateRouteCommand({ ApiId: chatApiId, RouteKey: routeKey, AuthorizationType: authorizationType }),
    );
    routes[`chat ${routeKey}`] = route.RouteId ?? '';
  }
  return { partnerApiId, chatApiId, routes };
}

export async function seedAppSync(settings: ClientSettingsLike): Promise<void> {
  const client = new AppSyncClient(settings);
  await client.send(new CreateGraphqlApiCommand({ name: 'reviews-public', authenticationType: 'API_KEY' }));
  await client.send(
    new CreateGraphqlApiCommand({
      name: 'catalog',
      authenticationType: 'AWS_IAM',
      additionalAuthenticationProviders: [{ authenticationType: 'API_KEY' }],
    }),
  );
  await client.send(new CreateGraphqlApiCommand({ name: 'orders-graph', authenticationType: 'AWS_IAM' }));
}

export async function seedKafka(settings: ClientSettingsLike): Promise<void> {
  const client = new KafkaClient(settings);
  const brokerNodeGroupInfo = {
    InstanceType: 'kafka.m7g.large',
    ClientSubnets: ['subnet-0a1', 'subnet-0b2'],
  };
  // CreateCluster, not CreateClusterV2: the emulator's V2 call drops ClientAuthentication.
  await client.send(
    new CreateClusterCommand({
      ClusterName: 'clickstream',
      KafkaVersion: '3.5.1',
      NumberOfBrokerNodes: 2,
      BrokerNodeGroupInfo: brokerNodeGroupInfo,
      ClientAuthentication: { Sasl: { Iam: { Enabled: true } }, Unauthenticated: { Enabled: true } },
      EncryptionInfo: { EncryptionInTransit: { ClientBroker: 'TLS', InCluster: true } },
    }),
  );
  await client.send(
    new CreateClusterCommand({
      ClusterName: 'payments-events',
      KafkaVersion: '3.5.1',
      NumberOfBrokerNodes: 2,
      BrokerNodeGroupInfo: brokerNodeGroupInfo,
      ClientAuthentication: { Sasl: { Iam: { Enabled: true } }, Unauthenticated: { Enabled: false } },
      EncryptionInfo: { EncryptionInTransit: { ClientBroker: 'TLS', InCluster: true } },
    }),
  );
}

export async function seedElastiCache(settings: ClientSettingsLike): Promise<void> {
  const client = new ElastiCacheClient(settings);
  await client.send(
    new CreateReplicationGroupCommand({
      ReplicationGroupId: 'sessions-legacy',
      ReplicationGroupDescription: 'Redis 5 without AUTH',
      Engine: 'redis',
      EngineVersion: '5.0.6',
      CacheNodeType: 'cache.t3.micro',
      NumCacheClusters: 2,
      TransitEncryptionEnabled: false,
    }),
  );
  await client.send(
    new CreateReplicationGroupCommand({
      ReplicationGroupId: 'carts',
      ReplicationGroupDescription: 'Redis 5 with AUTH',
      Engine: 'redis',
      EngineVersion: '5.0.6',
      CacheNodeType: 'cache.t3.micro',
      NumCacheClusters: 2,
      TransitEncryptionEnabled: true,
      AuthToken: 'sample-token-for-the-emulator-0001',
    }),
  );
  await createMemberClusters(client, ['sessions-legacy', 'carts'], '5.0.6');
}

/**
 * AWS creates a replication group's members as cache clusters, so DescribeCacheClusters lists them with the engine
 * version. moto lists a group's MemberClusters but has no cluster for them unless each is created with
 * CreateCacheCluster and the group's ReplicationGroupId (checked against moto 5): create them that way, so the sweep
 * reads the version as it would from AWS.
 */
async function createMemberClusters(
  client: ElastiCacheClient,
  groupIds: readonly string[],
  engineVersion: string,
): Promise<void> {
  for (const groupId of groupIds) {
    const { ReplicationGroups } = await client.send(
      new DescribeReplicationGroupsCommand({ ReplicationGroupId: groupId }),
    );
    for (const memberId of ReplicationGroups?.[0]?.MemberClusters ?? []) {
      await client.send(
        new CreateCacheClusterCommand({
          CacheClusterId: memberId,
          ReplicationGroupId: groupId,
          Engine: 'redis',
          EngineVersion: engineVersion,
          CacheNodeType: 'cache.t3.micro',
          NumCacheNodes: 1,
        }),
      );
    }
  }
}

export async function seedDms(settings: ClientSettingsLike): Promise<void> {
  const client = new DatabaseMigrationServiceClient(settings);
  await client.send(
    new CreateEndpointCommand({
      EndpointIdentifier: 'catalog-mongo-source',
      EndpointType: 'source',
      EngineName: 'mongodb',
      ServerName: 'mongo.catalog.internal',
      Port: 27017,
      DatabaseName: 'catalog',
      MongoDbSettings: { AuthType: 'no' },
    }),
  );
  await client.send(
    new CreateEndpointCommand({
      EndpointIdentifier: 'orders-mongo-target',
      EndpointType: 'target',
      EngineName: 'mongodb',
      ServerName: 'mongo.orders.internal',
      Port: 27017,
      DatabaseName: 'orders',
      MongoDbSettings: {
        AuthType: 'password',
        AuthMechanism: 'scram_sha_1',
        Username: 'dms',
        Password: 'not-a-real-secret',
      },
    }),
  );
}

/**
 * A Neptune cluster answering unsigned requests: the seed's trap, since Neptune has no passwords. The emulator refuses
 * IAM database authentication on Neptune clusters (moto 5.2 allows it for aurora-* engines only), so the estate has
 * no compliant Neptune cluster; that side is covered by the rule's fixture tests.
 */
export async function seedNeptune(settings: ClientSettingsLike): Promise<void> {
  const client = new NeptuneClient(settings);
  await client.send(
    new CreateDBClusterCommand({
      DBClusterIdentifier: 'fraud-graph',
      Engine: 'neptune',
      StorageEncrypted: true,
      Tags: [{ Key: 'owner', Value: 'risk' }],
    }),
  );
}

/** An empty zip archive: the emulator stores a function's code but never runs it. */
const EMPTY_ZIP = Buffer.from('UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==', 'base64');

/** The documented exception of a webhook URL: the provider cannot sign with SigV4, the handler checks its HMAC. */
export function webhookException(today: Date): Record<string, string> {
  const nextYear = new Date(Date.UTC(today.getUTCFullYear() + 1, today.getUTCMonth(), 1))
    .toISOString()
    .slice(0, 10);
  return {
    'authn-exception/AUTHN-LAMBDA-URL':
      'Stripe webhook: handler verifies the Stripe-Signature HMAC before any work',
    'authn-exception-expires/AUTHN-LAMBDA-URL': nextYear,
  };
}

/**
 * Function URLs: a webhook on NONE documented as an exception, an export URL on NONE, an IAM URL and a function with
 * no URL. The emulator accepts no URL on an alias (moto 5.2 forbids the qualifier), so the exception is function-wide
 * here; alias URLs are covered by the rule's tests with Lambda-shaped answers.
 */
export async function seedLambda(settings: ClientSettingsLike, today: Date): Promise<void> {
  const role = await new IAMClient(settings).send(
    new CreateRoleCommand({
      RoleName: 'sample-function-role',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      }),
    }),
  );
  const client = new LambdaClient(settings);
  const functions: [string, Record<string, string>, FunctionUrlAuthType | undefined][] = [
    ['stripe-webhook', { team: 'payments', ...webhookException(today) }, 'NONE'],
    ['orders-export', { team: 'partners' }, 'NONE'],
    ['reports-api', { team: 'finance' }, 'AWS_IAM'],
    ['thumbnailer', { team: 'media' }, undefined],
  ];
  for (const [name, tags, authType] of functions) {
    await client.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs20.x',
        Role: role.Role?.Arn,
        Handler: 'index.handler',
        Code: { ZipFile: EMPTY_ZIP },
        Tags: tags,
      }),
    );
    if (authType !== undefined)
      await client.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: authType }));
  }
}

/**
 * REST APIs: a regional shop API whose health probe (key only) is a documented exception, an open GET and CORS
 * preflight beside an IAM POST, and a private ledger API with an open method (ranked after the public ones).
 */
export async function seedRestApis(settings: ClientSettingsLike, today: Date): Promise<void> {
  const client = new APIGatewayClient(settings);
  const nextYear = new Date(Date.UTC(today.getUTCFullYear() + 1, today.getUTCMonth(), 1))
    .toISOString()
    .slice(0, 10);
  const apis: [
    string,
    'REGIONAL' | 'PRIVATE',
    Record<string, string>,
    [string, string, string, boolean][],
  ][] = [
    [
      'shop-rest',
      'REGIONAL',
      {
        team: 'shop',
        'authn-exception/AUTHN-APIGW-REST/GET /health': 'load balancer health probe, returns no data',
        'authn-exception-expires/AUTHN-APIGW-REST/GET /health': nextYear,
      },
      [
        ['health', 'GET', 'NONE', true],
        ['orders', 'GET', 'NONE', false],
        ['orders', 'POST', 'AWS_IAM', false],
        ['orders', 'OPTIONS', 'NONE', false],
      ],
    ],
    ['ledger-private', 'PRIVATE', { team: 'finance' }, [['entries', 'GET', 'NONE', false]]],
  ];
  for (const [name, type, tags, methods] of apis) {
    const api = await client.send(
      new CreateRestApiCommand({ name, endpointConfiguration: { types: [type] }, tags }),
    );
    const root = (await client.send(new GetResourcesCommand({ restApiId: api.id }))).items?.[0]?.id;
    const ids = new Map<string, string>();
    for (const [part, httpMethod, authorizationType, apiKeyRequired] of methods) {
      let resourceId = ids.get(part);
      if (resourceId === undefined) {
        resourceId =
          (
            await client.send(
              new CreateResourceCommand({ restApiId: api.id, parentId: root, pathPart: part }),
            )
          ).id ?? '';
        ids.set(part, resourceId);
      }
      await client.send(
        new PutMethodCommand({
          restApiId: api.id,
          resourceId,
          httpMethod,
          authorizationType,
          apiKeyRequired,
        }),
      );
    }
  }
}

/** The whole seed scenario. */
export async function seedSampleEstate(
  settings: ClientSettingsLike,
  today = new Date(),
): Promise<SeededEstate> {
  const estate = await seedApiGateway(settings, today);
  await seedAppSync(settings);
  await seedKafka(settings);
  await seedElastiCache(settings);
  await seedDms(settings);
  await seedNeptune(settings);
  await seedLambda(settings, today);
  await seedRestApis(settings, today);
  await seedEventApis(settings, today);
  return estate;
}
