/**
 * The change path end to end on the local stand-ins: CloudTrail-shaped EventBridge events into the change recorder,
 * change records in a DynamoDB table on moto_server, StartConfigRulesEvaluation and PutEvaluations on the Config
 * stand-in, and the rule's handler re-reading only the changed APIs or groups on moto. Calls are counted per
 * operation on the service clients. The EventBridge rule's pattern is checked by moto's TestEventPattern.
 */
import { expect } from 'chai';
import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateRouteCommand,
  DeleteApiCommand,
  DeleteRouteCommand,
  UpdateRouteCommand,
} from '@aws-sdk/client-apigatewayv2';
import {
  APIGatewayClient,
  CreateResourceCommand,
  CreateRestApiCommand,
  DeleteMethodCommand,
  DeleteRestApiCommand,
  GetResourcesCommand,
  PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import {
  AppSyncClient,
  CreateApiCommand as AppSyncCreateApiCommand,
  CreateChannelNamespaceCommand,
  DeleteApiCommand as AppSyncDeleteApiCommand,
} from '@aws-sdk/client-appsync';
import { ConfigServiceClient, StartConfigRulesEvaluationCommand } from '@aws-sdk/client-config-service';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateReplicationGroupCommand,
  DeleteReplicationGroupCommand,
  ElastiCacheClient,
} from '@aws-sdk/client-elasticache';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  FilterLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  CreateFunctionCommand,
  CreateFunctionUrlConfigCommand,
  DeleteFunctionCommand,
  LambdaClient,
  UpdateFunctionUrlConfigCommand,
  type FunctionUrlAuthType,
} from '@aws-sdk/client-lambda';
import { apigwRestMethodAuthorization } from '../../rules/apigw-rest-method-authorization/rule';
import { apigwv2RouteAuthorization } from '../../rules/apigwv2-route-authorization/rule';
import { appsyncEventApiNoApiKey } from '../../rules/appsync-event-api-no-api-key/rule';
import { eventPattern } from '../../rules/core/change-events';
import { recordChange, type RecorderDependencies } from '../../rules/core/change-recorder';
import { DynamoChangeStore } from '../../rules/core/change-store';
import { createConfigRuleHandler, type RuleRuntime } from '../../rules/core/handler';
import { silentLog } from '../../rules/core/log';
import { DEFAULT_RETRY } from '../../rules/core/retry';
import type { AnyRule } from '../../rules/core/types';
import { elasticacheRedisAuth } from '../../rules/elasticache-redis-auth/rule';
import { lambdaFunctionUrlAuth } from '../../rules/lambda-function-url-auth/rule';
import { RULES } from '../../rules/index';
import { startConfigStub, type ConfigStub } from '../../scripts/config-stub';
import { emulatorClientSettings } from '../../scripts/emulator';
import { apiGatewayCall, appSyncCall, elastiCacheCall, lambdaCall } from '../helpers/change-events';
import { useEmulator } from '../helpers/emulator';
import { ACCOUNT, REGION, scheduledEvent } from '../helpers/events';

const TABLE = 'authn-pack-state';
const START = Date.parse('2026-10-04T09:00:00.000Z');
const SCOPE = { ruleName: apigwv2RouteAuthorization.ruleName, account: ACCOUNT, region: REGION };
/** moto_server's own account: the ARNs it returns carry it, so the ElastiCache events and runs name it too. */
const MOTO_ACCOUNT = '123456789012';

function inAccount(event: Record<string, unknown>, account: string): Record<string, unknown> {
  const invoking = JSON.parse(String(event.invokingEvent)) as Record<string, unknown>;
  return {
    ...event,
    accountId: account,
    invokingEvent: JSON.stringify({ ...invoking, awsAccountId: account }),
  };
}

interface Harness {
  readonly stub: ConfigStub;
  readonly store: DynamoChangeStore;
  /** Calls the rule's service client made, by command. */
  readonly calls: Map<string, number>;
  /** Rule names Config was asked to evaluate and has not run yet. */
  readonly startsToRun: string[][];
  clock: number;
}

describe('integration: change events → recorder → targeted evaluation (moto_server, Config stand-in)', function () {
  this.timeout(120_000);
  const emulator = useEmulator();
  let harness: Harness;

  const settings = () => emulatorClientSettings(emulator.current().endpoint, REGION);

  beforeEach(async () => {
    const stub = await startConfigStub();
    const dynamo = new DynamoDBClient(settings());
    await dynamo.send(
      new CreateTableCommand({
        TableName: TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    );
    harness = {
      stub,
      store: new DynamoChangeStore(dynamo, TABLE),
      calls: new Map(),
      startsToRun: [],
      clock: START,
    };
    stub.setOptions({
      now: () => harness.clock,
      onStart: (names) => harness.startsToRun.push([...names]),
    });
  });

  afterEach(async () => {
    await harness.stub.stop();
  });

  function counted<C extends { middlewareStack: { add: (...args: never[]) => void } }>(client: C): C {
    const stack = client.middlewareStack as unknown as {
      add: (
        middleware: (
          next: (args: unknown) => Promise<unknown>,
          context: { commandName?: string },
        ) => (args: unknown) => Promise<unknown>,
        options: { step: 'initialize' },
      ) => void;
    };
    stack.add(
      (next, context) => (args) => {
        const name = context.commandName ?? '?';
        harness.calls.set(name, (harness.calls.get(name) ?? 0) + 1);
        return next(args);
      },
      { step: 'initialize' },
    );
    return client;
  }

  function runtime(rule: AnyRule): Partial<RuleRuntime<unknown>> {
    return {
      region: REGION,
      createConfigClient: () => new ConfigServiceClient({ ...settings(), endpoint: harness.stub.endpoint }),
      createServiceClient: () => counted(rule.service.createClient(settings()) as ApiGatewayV2Client),
      now: () => new Date(harness.clock),
      retry: DEFAULT_RETRY,
      log: silentLog,
      changeStore: () => harness.store,
      changeSettleMs: 0,
      sleep: () => Promise.resolve(),
    };
  }

  const recorder = (): RecorderDependencies => ({
    rules: RULES,
    store: harness.store,
    startEvaluation: async ({ configRuleName }) => {
      await new ConfigServiceClient({ ...settings(), endpoint: harness.stub.endpoint }).send(
        new StartConfigRulesEvaluationCommand({ ConfigRuleNames: [configRuleName] }),
      );
    },
    knownRuleName: (rule) => rule.ruleName,
    now: () => new Date(harness.clock),
    sleep: (ms) => {
      harness.clock += ms;
      return Promise.resolve();
    },
    log: silentLog,
  });

  /** Runs the rule once for every start Config accepted, as Config would invoke it. */
  async function runStarted(
    rule: AnyRule,
    account = ACCOUNT,
  ): Promise<{ delivered: number; evaluations: readonly unknown[] }[]> {
    const results = [];
    while (harness.startsToRun.length > 0) {
      const names = harness.startsToRun.shift() ?? [];
      expect(names).to.deep.equal([rule.ruleName]);
      harness.clock += 5_000; // Config invokes within seconds
      results.push(
        await createConfigRuleHandler(
          rule as typeof apigwv2RouteAuthorization,
          runtime(rule),
        )(
          inAccount(
            scheduledEvent({
              ruleName: rule.ruleName,
              notificationCreationTime: new Date(harness.clock).toISOString(),
            }),
            account,
          ),
        ),
      );
    }
    return results;
  }

  async function scheduledRun(rule: AnyRule, account = ACCOUNT) {
    harness.clock += 1_000;
    return createConfigRuleHandler(
      rule as typeof apigwv2RouteAuthorization,
      runtime(rule),
    )(
      inAccount(
        scheduledEvent({
          ruleName: rule.ruleName,
          notificationCreationTime: new Date(harness.clock).toISOString(),
        }),
        account,
      ),
    );
  }

  async function seedApis(
    count: number,
    routesEach: number,
  ): Promise<{ apiId: string; routeIds: string[] }[]> {
    const client = new ApiGatewayV2Client(settings());
    const apis = [];
    for (let a = 0; a < count; a += 1) {
      const api = await client.send(new CreateApiCommand({ Name: `api-${a}`, ProtocolType: 'HTTP' }));
      const routeIds: string[] = [];
      for (let r = 0; r < routesEach; r += 1) {
        const route = await client.send(
          new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: `GET /r${r}`, AuthorizationType: 'AWS_IAM' }),
        );
        routeIds.push(route.RouteId ?? '');
      }
      apis.push({ apiId: api.ApiId ?? '', routeIds });
    }
    return apis;
  }

  const routeArn = (apiId: string, routeId: string) =>
    `arn:aws:apigateway:${REGION}::/apis/${apiId}/routes/${routeId}`;
  const held = (resourceId: string) =>
    harness.stub.results.get(`AWS::ApiGatewayV2::Route|${resourceId}`)?.ComplianceType;

  it('reports a route opened by UpdateRoute after one start, re-reading only its API (GetApi + GetRoutes)', async () => {
    // Prepare: three APIs, all routes AWS_IAM, reported once by the schedule.
    const apis = await seedApis(3, 4);
    await scheduledRun(apigwv2RouteAuthorization);
    harness.calls.clear();
    const [target] = apis;
    const opened = target?.routeIds[2] ?? '';
    await new ApiGatewayV2Client(settings()).send(
      new UpdateRouteCommand({ ApiId: target?.apiId, RouteId: opened, AuthorizationType: 'NONE' }),
    );
    // Act
    const outcomes = await recordChange(
      apiGatewayCall('UpdateRoute', { apiId: target?.apiId, routeId: opened, authorizationType: 'NONE' }),
      recorder(),
    );
    const [run, ...more] = await runStarted(apigwv2RouteAuthorization);
    // Assess
    expect(outcomes.map((outcome) => outcome.start)).to.deep.equal(['started']);
    expect(more).to.have.length(0);
    expect(run?.delivered).to.equal(4); // the changed API's routes only
    expect(held(routeArn(target?.apiId ?? '', opened))).to.equal('NON_COMPLIANT');
    expect(Object.fromEntries(harness.calls)).to.deep.equal({ GetApiCommand: 1, GetRoutesCommand: 1 });
    expect(
      await harness.store.pending({
        ruleName: apigwv2RouteAuthorization.ruleName,
        account: ACCOUNT,
        region: REGION,
      }),
    ).to.deep.equal([]);
  });

  it('turns an event storm of 500 route changes in one deployment into one start and one re-read per changed API', async () => {
    // Prepare: 10 APIs × 50 routes; the deployment changes every route (500 UpdateRoute calls within 25 s).
    const apis = await seedApis(10, 50);
    harness.calls.clear();
    const dependencies = recorder();
    // Act
    const outcomes = [];
    let id = 0;
    for (const api of apis) {
      for (const routeId of api.routeIds) {
        id += 1;
        harness.clock += 50;
        outcomes.push(
          ...(await recordChange(
            apiGatewayCall('UpdateRoute', { apiId: api.apiId, routeId, authorizationType: 'AWS_IAM' }, null, {
              id,
            }),
            dependencies,
          )),
        );
      }
    }
    const runs = await runStarted(apigwv2RouteAuthorization);
    // Assess
    expect(harness.stub.starts).to.have.length(1);
    expect(outcomes.filter((outcome) => outcome.start === 'started')).to.have.length(1);
    expect(outcomes.filter((outcome) => outcome.start === 'started run picks it up')).to.have.length(499);
    expect(runs).to.have.length(1);
    expect(runs[0]?.evaluations).to.have.length(500); // one evaluation per changed route
    expect(harness.calls.get('GetApiCommand')).to.equal(10);
    expect(harness.calls.get('GetRoutesCommand')).to.equal(10);
    expect(harness.calls.get('GetApisCommand')).to.be.undefined; // no sweep
  });

  it('picks up changes that arrive while the run works, in the same run and without another start', async () => {
    // Prepare
    const [first, second] = await seedApis(2, 2);
    await recordChange(
      apiGatewayCall('UpdateRoute', { apiId: first?.apiId, routeId: first?.routeIds[0] }),
      recorder(),
    );
    let injected = false;
    const client = counted(new ApiGatewayV2Client(settings()));
    client.middlewareStack.add(
      (next) => async (args) => {
        if (!injected) {
          injected = true; // a second deployment's call lands while the first re-read is in flight
          await recordChange(
            apiGatewayCall('UpdateRoute', { apiId: second?.apiId, routeId: second?.routeIds[0] }, null, {
              id: 2,
            }),
            recorder(),
          );
        }
        return next(args);
      },
      { step: 'initialize' },
    );
    harness.startsToRun.length = 0;
    harness.clock += 5_000;
    // Act
    const result = await createConfigRuleHandler(apigwv2RouteAuthorization, {
      ...runtime(apigwv2RouteAuthorization),
      createServiceClient: () => client,
    })(
      scheduledEvent({
        ruleName: apigwv2RouteAuthorization.ruleName,
        notificationCreationTime: new Date(harness.clock).toISOString(),
      }),
    );
    // Assess
    expect(harness.stub.starts).to.have.length(1);
    expect(result.evaluations).to.have.length(4); // both APIs' routes, in two rounds of one run
    expect(harness.calls.get('GetApiCommand')).to.equal(2);
  });

  it('reports the routes of an API deleted meanwhile NOT_APPLICABLE, even for an event that came before the delete', async () => {
    // Prepare: the API is reported, then changed and deleted before the started run reads it.
    const [doomed, kept] = await seedApis(2, 3);
    await scheduledRun(apigwv2RouteAuthorization);
    expect(harness.stub.results.size).to.equal(6);
    await recordChange(
      apiGatewayCall('UpdateRoute', { apiId: doomed?.apiId, routeId: doomed?.routeIds[0] }),
      recorder(),
    );
    await new ApiGatewayV2Client(settings()).send(new DeleteApiCommand({ ApiId: doomed?.apiId }));
    await recordChange(apiGatewayCall('DeleteApi', { apiId: doomed?.apiId }, null, { id: 2 }), recorder());
    harness.calls.clear();
    const readsBefore = harness.stub.calls.get('GetComplianceDetailsByConfigRule') ?? 0;
    // Act
    const [run] = await runStarted(apigwv2RouteAuthorization);
    // Assess
    expect(run?.delivered).to.equal(3);
    for (const routeId of doomed?.routeIds ?? [])
      expect(held(routeArn(doomed?.apiId ?? '', routeId))).to.be.undefined;
    for (const routeId of kept?.routeIds ?? [])
      expect(held(routeArn(kept?.apiId ?? '', routeId))).to.equal('COMPLIANT');
    expect((harness.stub.calls.get('GetComplianceDetailsByConfigRule') ?? 0) - readsBefore).to.equal(1);
    expect(Object.fromEntries(harness.calls)).to.deep.equal({ GetApiCommand: 1 });
  });

  it('reports a deleted route NOT_APPLICABLE by the id its DeleteRoute names, without reading the held results', async () => {
    // Prepare
    const [api] = await seedApis(1, 3);
    await scheduledRun(apigwv2RouteAuthorization);
    const removed = api?.routeIds[1] ?? '';
    await new ApiGatewayV2Client(settings()).send(
      new DeleteRouteCommand({ ApiId: api?.apiId, RouteId: removed }),
    );
    await recordChange(apiGatewayCall('DeleteRoute', { apiId: api?.apiId, routeId: removed }), recorder());
    const readsBefore = harness.stub.calls.get('GetComplianceDetailsByConfigRule') ?? 0;
    // Act
    const [run] = await runStarted(apigwv2RouteAuthorization);
    // Assess
    expect(run?.delivered).to.equal(3); // two remaining routes, one NOT_APPLICABLE
    expect(held(routeArn(api?.apiId ?? '', removed))).to.be.undefined;
    expect(harness.stub.calls.get('GetComplianceDetailsByConfigRule') ?? 0).to.equal(readsBefore);
  });

  it('sweeps everything on a scheduled run (no start) and consumes the records it covered', async () => {
    // Prepare: a change recorded while the rule's name is not known yet (no run has told it), so nothing started.
    const [api] = await seedApis(2, 1);
    const outcomes = await recordChange(
      apiGatewayCall('UpdateRoute', { apiId: api?.apiId, routeId: api?.routeIds[0] }),
      { ...recorder(), knownRuleName: () => undefined },
    );
    harness.calls.clear();
    // Act
    const result = await scheduledRun(apigwv2RouteAuthorization);
    // Assess
    expect(outcomes.map((outcome) => outcome.start)).to.deep.equal([
      'rule name not known yet: the schedule picks it up',
    ]);
    expect(harness.stub.starts).to.have.length(0);
    expect(harness.calls.get('GetApisCommand')).to.equal(1);
    expect(result.evaluations).to.have.length(2);
    expect(await harness.store.pending(SCOPE)).to.deep.equal([]);
  });

  it('sweeps everything when a call does not say which API it changed', async () => {
    // Prepare
    await seedApis(2, 1);
    await recordChange(apiGatewayCall('UpdateRoute', null), recorder());
    harness.calls.clear();
    // Act
    const [run] = await runStarted(apigwv2RouteAuthorization);
    // Assess
    expect(harness.calls.get('GetApisCommand')).to.equal(1);
    expect(run?.evaluations).to.have.length(2);
  });

  it('ElastiCache.6: re-reads a modified group alone, and reports a deleted one NOT_APPLICABLE', async () => {
    // Prepare
    const client = new ElastiCacheClient(settings());
    for (const id of ['sessions-legacy', 'carts']) {
      await client.send(
        new CreateReplicationGroupCommand({
          ReplicationGroupId: id,
          ReplicationGroupDescription: id,
          Engine: 'redis',
          EngineVersion: '5.0.6',
          CacheNodeType: 'cache.t3.micro',
          NumCacheClusters: 2,
        }),
      );
    }
    await scheduledRun(elasticacheRedisAuth, MOTO_ACCOUNT);
    const groupArn = (id: string) => `arn:aws:elasticache:${REGION}:${MOTO_ACCOUNT}:replicationgroup:${id}`;
    expect(
      harness.stub.results.get(`AWS::ElastiCache::ReplicationGroup|${groupArn('carts')}`)?.ComplianceType,
    ).to.equal('NON_COMPLIANT');
    await client.send(new DeleteReplicationGroupCommand({ ReplicationGroupId: 'carts' }));
    harness.calls.clear();
    // Act
    await recordChange(
      elastiCacheCall(
        'ModifyReplicationGroup',
        { replicationGroupId: 'sessions-legacy', applyImmediately: true },
        null,
        { account: MOTO_ACCOUNT },
      ),
      recorder(),
    );
    await recordChange(
      elastiCacheCall('DeleteReplicationGroup', { replicationGroupId: 'carts' }, null, {
        id: 2,
        account: MOTO_ACCOUNT,
      }),
      recorder(),
    );
    const [run] = await runStarted(elasticacheRedisAuth, MOTO_ACCOUNT);
    // Assess
    expect(run?.delivered).to.equal(2);
    expect(harness.stub.results.has(`AWS::ElastiCache::ReplicationGroup|${groupArn('carts')}`)).to.be.false;
    expect(harness.stub.results.has(`AWS::ElastiCache::ReplicationGroup|${groupArn('sessions-legacy')}`)).to
      .be.true;
    expect(harness.calls.get('DescribeReplicationGroupsCommand')).to.equal(2);
  });

  async function seedRestApis(
    count: number,
    methodsEach: number,
  ): Promise<{ apiId: string; resourceId: string; verbs: string[] }[]> {
    const client = new APIGatewayClient(settings());
    const verbs = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY'];
    const apis = [];
    for (let a = 0; a < count; a += 1) {
      const api = await client.send(
        new CreateRestApiCommand({ name: `rest-${a}`, endpointConfiguration: { types: ['REGIONAL'] } }),
      );
      const root = (await client.send(new GetResourcesCommand({ restApiId: api.id }))).items?.[0]?.id;
      const resource = await client.send(
        new CreateResourceCommand({ restApiId: api.id, parentId: root, pathPart: 'orders' }),
      );
      const used = verbs.slice(0, methodsEach);
      for (const httpMethod of used) {
        await client.send(
          new PutMethodCommand({
            restApiId: api.id,
            resourceId: resource.id,
            httpMethod,
            authorizationType: 'AWS_IAM',
          }),
        );
      }
      apis.push({ apiId: api.id ?? '', resourceId: resource.id ?? '', verbs: used });
    }
    return apis;
  }

  const methodArn = (apiId: string, resourceId: string, verb: string) =>
    `arn:aws:apigateway:${REGION}::/restapis/${apiId}/resources/${resourceId}/methods/${verb}`;
  const heldMethod = (resourceId: string) =>
    harness.stub.results.get(`AWS::ApiGateway::Method|${resourceId}`)?.ComplianceType;

  it('AUTHN-APIGW-REST: reports a method opened by UpdateMethod after one start, re-reading only its API', async () => {
    // Prepare: three REST APIs of four IAM methods, reported once by the schedule.
    const apis = await seedRestApis(3, 4);
    await scheduledRun(apigwRestMethodAuthorization);
    expect(harness.stub.results.size).to.equal(12);
    harness.calls.clear();
    const [target] = apis;
    const patch = [{ op: 'replace' as const, path: '/authorizationType', value: 'NONE' }];
    // moto 5.2 does not serve UpdateMethod (a 404 page): the method is put again with NONE instead.
    const client = new APIGatewayClient(settings());
    const method = { restApiId: target?.apiId, resourceId: target?.resourceId, httpMethod: 'POST' };
    await client.send(new DeleteMethodCommand(method));
    await client.send(new PutMethodCommand({ ...method, authorizationType: 'NONE' }));
    // Act
    const outcomes = await recordChange(
      apiGatewayCall('UpdateMethod', {
        restApiId: target?.apiId,
        resourceId: target?.resourceId,
        httpMethod: 'POST',
        patchOperations: patch,
      }),
      recorder(),
    );
    const [run, ...more] = await runStarted(apigwRestMethodAuthorization);
    // Assess: the route rule shares the event source and ignores the call.
    expect(outcomes.map((outcome) => [outcome.rule, outcome.start])).to.deep.equal([
      [apigwRestMethodAuthorization.ruleName, 'started'],
    ]);
    expect(more).to.have.length(0);
    expect(run?.delivered).to.equal(4); // the changed API's methods only
    expect(heldMethod(methodArn(target?.apiId ?? '', target?.resourceId ?? '', 'POST'))).to.equal(
      'NON_COMPLIANT',
    );
    expect(harness.calls.get('GetRestApiCommand')).to.equal(1);
    expect(harness.calls.get('GetResourcesCommand')).to.equal(1);
    expect(harness.calls.get('GetRestApisCommand')).to.be.undefined; // no sweep
  });

  it('AUTHN-APIGW-REST: turns a storm of 200 method changes across 4 APIs into one start and one re-read per API', async () => {
    // Prepare: 4 APIs × 5 methods; a deployment touches each method 10 times (200 calls within 20 s).
    const apis = await seedRestApis(4, 5);
    harness.calls.clear();
    const dependencies = recorder();
    // Act
    const outcomes = [];
    let id = 0;
    for (let round = 0; round < 10; round += 1) {
      for (const api of apis) {
        for (const httpMethod of api.verbs) {
          id += 1;
          harness.clock += 100;
          outcomes.push(
            ...(await recordChange(
              apiGatewayCall(
                'PutMethod',
                {
                  restApiId: api.apiId,
                  resourceId: api.resourceId,
                  httpMethod,
                  authorizationType: 'AWS_IAM',
                },
                null,
                { id },
              ),
              dependencies,
            )),
          );
        }
      }
    }
    const runs = await runStarted(apigwRestMethodAuthorization);
    // Assess
    expect(outcomes).to.have.length(200);
    expect(harness.stub.starts).to.have.length(1);
    expect(outcomes.filter((outcome) => outcome.start === 'started')).to.have.length(1);
    expect(runs).to.have.length(1);
    expect(runs[0]?.evaluations).to.have.length(20); // one evaluation per method, not per event
    expect(harness.calls.get('GetRestApiCommand')).to.equal(4);
    expect(harness.calls.get('GetResourcesCommand')).to.equal(4);
  });

  it('AUTHN-APIGW-REST: reports the methods of an API deleted meanwhile NOT_APPLICABLE, and a deleted method by the id its DeleteMethod names', async () => {
    // Prepare: two APIs reported; one method deleted, then the other API changed and deleted before the run.
    const [doomed, kept] = await seedRestApis(2, 3);
    await scheduledRun(apigwRestMethodAuthorization);
    expect(harness.stub.results.size).to.equal(6);
    const client = new APIGatewayClient(settings());
    await client.send(
      new DeleteMethodCommand({ restApiId: kept?.apiId, resourceId: kept?.resourceId, httpMethod: 'GET' }),
    );
    await recordChange(
      apiGatewayCall('DeleteMethod', {
        restApiId: kept?.apiId,
        resourceId: kept?.resourceId,
        httpMethod: 'GET',
      }),
      recorder(),
    );
    await recordChange(
      apiGatewayCall(
        'UpdateMethod',
        { restApiId: doomed?.apiId, resourceId: doomed?.resourceId, httpMethod: 'GET' },
        null,
        { id: 2 },
      ),
      recorder(),
    );
    await client.send(new DeleteRestApiCommand({ restApiId: doomed?.apiId }));
    await recordChange(
      apiGatewayCall('DeleteRestApi', { restApiId: doomed?.apiId }, null, { id: 3 }),
      recorder(),
    );
    harness.calls.clear();
    // Act
    const [run] = await runStarted(apigwRestMethodAuthorization);
    // Assess: 2 kept methods, 1 removed by name, 3 of the gone API.
    expect(run?.delivered).to.equal(6);
    for (const verb of doomed?.verbs ?? [])
      expect(heldMethod(methodArn(doomed?.apiId ?? '', doomed?.resourceId ?? '', verb))).to.be.undefined;
    expect(heldMethod(methodArn(kept?.apiId ?? '', kept?.resourceId ?? '', 'GET'))).to.be.undefined;
    expect(heldMethod(methodArn(kept?.apiId ?? '', kept?.resourceId ?? '', 'POST'))).to.equal('COMPLIANT');
    expect(harness.calls.get('GetRestApiCommand')).to.equal(2);
    expect(harness.calls.get('GetResourcesCommand')).to.equal(1); // none for the gone API
  });

  async function seedFunctions(urls: Record<string, FunctionUrlAuthType>): Promise<void> {
    const role = await new IAMClient(settings()).send(
      new CreateRoleCommand({
        RoleName: 'changes-function-role',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        }),
      }),
    );
    const client = new LambdaClient(settings());
    for (const [name, authType] of Object.entries(urls)) {
      await client.send(
        new CreateFunctionCommand({
          FunctionName: name,
          Runtime: 'nodejs20.x',
          Role: role.Role?.Arn,
          Handler: 'index.handler',
          Code: { ZipFile: Buffer.from('UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==', 'base64') },
        }),
      );
      await client.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: authType }));
    }
  }

  const functionArn = (name: string) => `arn:aws:lambda:${REGION}:${MOTO_ACCOUNT}:function:${name}`;
  const heldUrl = (name: string) =>
    harness.stub.results.get(`AWS::Lambda::Url|${functionArn(name)}`)?.ComplianceType;

  it('AUTHN-LAMBDA-URL: reports a URL opened by UpdateFunctionUrlConfig after one start, re-reading only its function', async () => {
    // Prepare
    await seedFunctions({ 'orders-export': 'AWS_IAM', 'reports-api': 'AWS_IAM', thumbnailer: 'AWS_IAM' });
    await scheduledRun(lambdaFunctionUrlAuth, MOTO_ACCOUNT);
    expect(heldUrl('orders-export')).to.equal('COMPLIANT');
    await new LambdaClient(settings()).send(
      new UpdateFunctionUrlConfigCommand({ FunctionName: 'orders-export', AuthType: 'NONE' }),
    );
    harness.calls.clear();
    // Act: the name as Lambda logged it with its API version.
    const outcomes = await recordChange(
      lambdaCall(
        'UpdateFunctionUrlConfig20211031',
        { functionName: functionArn('orders-export'), authType: 'NONE' },
        { functionArn: functionArn('orders-export'), authType: 'NONE' },
        { account: MOTO_ACCOUNT },
      ),
      recorder(),
    );
    const [run] = await runStarted(lambdaFunctionUrlAuth, MOTO_ACCOUNT);
    // Assess
    expect(outcomes.map((outcome) => outcome.keys)).to.deep.equal([['orders-export']]);
    expect(run?.delivered).to.equal(1);
    expect(heldUrl('orders-export')).to.equal('NON_COMPLIANT');
    expect(heldUrl('reports-api')).to.equal('COMPLIANT');
    expect(harness.calls.get('GetFunctionConfigurationCommand')).to.equal(1);
    expect(harness.calls.get('ListFunctionsCommand')).to.be.undefined; // no sweep
  });

  it("AUTHN-LAMBDA-URL: reports the URL of a function deleted meanwhile NOT_APPLICABLE, leaving a neighbour's whose name it begins", async () => {
    // Prepare: `orders` and `orders-export` (whose ARN begins with `orders`'s), both reported.
    await seedFunctions({ orders: 'NONE', 'orders-export': 'NONE' });
    await scheduledRun(lambdaFunctionUrlAuth, MOTO_ACCOUNT);
    expect(heldUrl('orders')).to.equal('NON_COMPLIANT');
    // Alias URLs reported earlier (moto 5.2 refuses a URL on an alias, so they are put in Config's results directly).
    for (const name of ['orders:live', 'orders-export:live']) {
      harness.stub.results.set(`AWS::Lambda::Url|${functionArn(name)}`, {
        ComplianceResourceType: 'AWS::Lambda::Url',
        ComplianceResourceId: functionArn(name),
        ComplianceType: 'NON_COMPLIANT',
        OrderingTimestamp: new Date(harness.clock).toISOString(),
      });
    }
    await recordChange(
      lambdaCall(
        'TagResource20170331v2',
        { resource: functionArn('orders'), tags: { team: 'orders' } },
        null,
        {
          account: MOTO_ACCOUNT,
        },
      ),
      recorder(),
    );
    await new LambdaClient(settings()).send(new DeleteFunctionCommand({ FunctionName: 'orders' }));
    await recordChange(
      lambdaCall('DeleteFunction20150331', { functionName: 'orders' }, null, {
        id: 2,
        account: MOTO_ACCOUNT,
      }),
      recorder(),
    );
    harness.calls.clear();
    // Act
    const [run] = await runStarted(lambdaFunctionUrlAuth, MOTO_ACCOUNT);
    // Assess
    expect(run?.delivered).to.equal(2); // the function's URL and its alias's, both NOT_APPLICABLE
    expect(heldUrl('orders')).to.be.undefined;
    expect(heldUrl('orders:live')).to.be.undefined;
    expect(heldUrl('orders-export')).to.equal('NON_COMPLIANT');
    expect(heldUrl('orders-export:live')).to.equal('NON_COMPLIANT');
    expect(Object.fromEntries(harness.calls)).to.deep.equal({ GetFunctionConfigurationCommand: 1 });
  });

  it('AUTHN-LAMBDA-URL: turns a storm of 100 calls on 2 functions into one start and one re-read each', async () => {
    // Prepare
    await seedFunctions({ 'orders-export': 'AWS_IAM', 'reports-api': 'AWS_IAM' });
    harness.calls.clear();
    const dependencies = recorder();
    // Act
    const outcomes = [];
    for (let id = 1; id <= 100; id += 1) {
      harness.clock += 200;
      const name = id % 2 === 0 ? 'orders-export' : 'reports-api';
      outcomes.push(
        ...(await recordChange(
          lambdaCall('UpdateFunctionUrlConfig', { functionName: name, authType: 'AWS_IAM' }, null, {
            id,
            account: MOTO_ACCOUNT,
          }),
          dependencies,
        )),
      );
    }
    const runs = await runStarted(lambdaFunctionUrlAuth, MOTO_ACCOUNT);
    // Assess
    expect(harness.stub.starts).to.have.length(1);
    expect(outcomes.filter((outcome) => outcome.start === 'started')).to.have.length(1);
    expect(runs).to.have.length(1);
    expect(runs[0]?.evaluations).to.have.length(2);
    expect(harness.calls.get('GetFunctionConfigurationCommand')).to.equal(2);
  });

  async function seedEventApis(count: number): Promise<string[]> {
    const client = new AppSyncClient(settings());
    const iam = [{ authType: 'AWS_IAM' as const }];
    const ids: string[] = [];
    for (let a = 0; a < count; a += 1) {
      const created = await client.send(
        new AppSyncCreateApiCommand({
          name: `events-${a}`,
          eventConfig: {
            authProviders: [...iam, { authType: 'API_KEY' }],
            connectionAuthModes: iam,
            defaultPublishAuthModes: iam,
            defaultSubscribeAuthModes: iam,
          },
        }),
      );
      ids.push(created.api?.apiId ?? '');
    }
    return ids;
  }

  const eventApiArn = (apiId: string) => `arn:aws:appsync:${REGION}:${MOTO_ACCOUNT}:apis/${apiId}`;
  const heldEventApi = (apiId: string) =>
    harness.stub.results.get(`AWS::AppSync::Api|${eventApiArn(apiId)}`)?.ComplianceType;

  it('AUTHN-APPSYNC-EVENTS: reports a namespace opened to API keys after one start, re-reading only its API; the route rule ignores its UpdateApi', async () => {
    // Prepare
    const [target, other] = await seedEventApis(2);
    await scheduledRun(appsyncEventApiNoApiKey, MOTO_ACCOUNT);
    expect(heldEventApi(target ?? '')).to.equal('COMPLIANT');
    const publish = [{ authType: 'API_KEY' as const }];
    await new AppSyncClient(settings()).send(
      new CreateChannelNamespaceCommand({ apiId: target, name: 'moderation', publishAuthModes: publish }),
    );
    harness.calls.clear();
    // Act: the namespace call, and an UpdateApi (an event name API Gateway v2 has too, from another source).
    const outcomes = [
      ...(await recordChange(
        appSyncCall(
          'CreateChannelNamespace',
          { apiId: target, name: 'moderation', publishAuthModes: publish },
          { channelNamespace: { apiId: target, name: 'moderation', publishAuthModes: publish } },
          { account: MOTO_ACCOUNT },
        ),
        recorder(),
      )),
      ...(await recordChange(
        appSyncCall('UpdateApi', { apiId: target, name: 'events-0' }, null, { id: 2, account: MOTO_ACCOUNT }),
        recorder(),
      )),
    ];
    const [run] = await runStarted(appsyncEventApiNoApiKey, MOTO_ACCOUNT);
    // Assess
    expect(outcomes.map((outcome) => [outcome.rule, outcome.start])).to.deep.equal([
      [appsyncEventApiNoApiKey.ruleName, 'started'],
      [appsyncEventApiNoApiKey.ruleName, 'started run picks it up'],
    ]);
    expect(run?.delivered).to.equal(1);
    expect(heldEventApi(target ?? '')).to.equal('NON_COMPLIANT');
    expect(heldEventApi(other ?? '')).to.equal('COMPLIANT');
    expect(harness.calls.get('GetApiCommand')).to.equal(1);
    expect(harness.calls.get('ListApisCommand')).to.be.undefined; // no sweep
  });

  it('AUTHN-APPSYNC-EVENTS: reports an API deleted meanwhile NOT_APPLICABLE, and turns a storm of 60 calls into one start', async () => {
    // Prepare
    const [doomed, kept] = await seedEventApis(2);
    await scheduledRun(appsyncEventApiNoApiKey, MOTO_ACCOUNT);
    expect(harness.stub.results.size).to.equal(2);
    harness.calls.clear();
    const dependencies = recorder();
    const outcomes = [];
    for (let id = 1; id <= 60; id += 1) {
      harness.clock += 250;
      outcomes.push(
        ...(await recordChange(
          appSyncCall(
            'UpdateChannelNamespace',
            { apiId: id % 2 === 0 ? doomed : kept, name: 'rooms' },
            null,
            {
              id,
              account: MOTO_ACCOUNT,
            },
          ),
          dependencies,
        )),
      );
    }
    await new AppSyncClient(settings()).send(new AppSyncDeleteApiCommand({ apiId: doomed }));
    outcomes.push(
      ...(await recordChange(
        appSyncCall('DeleteApi', { apiId: doomed }, null, { id: 61, account: MOTO_ACCOUNT }),
        dependencies,
      )),
    );
    // Act
    const runs = await runStarted(appsyncEventApiNoApiKey, MOTO_ACCOUNT);
    // Assess
    expect(harness.stub.starts).to.have.length(1);
    expect(outcomes.filter((outcome) => outcome.start === 'started')).to.have.length(1);
    expect(runs).to.have.length(1);
    expect(runs[0]?.delivered).to.equal(2); // the kept API, and the deleted one NOT_APPLICABLE
    expect(heldEventApi(doomed ?? '')).to.be.undefined;
    expect(heldEventApi(kept ?? '')).to.equal('COMPLIANT');
    expect(harness.calls.get('GetApiCommand')).to.equal(2);
  });

  it("the EventBridge rule's pattern delivers every change call and nothing else (moto's EventBridge → a log group)", async () => {
    // Prepare: the pattern the CDK app deploys, on a rule whose target is a log group we can read back.
    const pattern = eventPattern(RULES.flatMap((rule) => (rule.changes === undefined ? [] : [rule.changes])));
    const events = new EventBridgeClient(settings());
    const logs = new CloudWatchLogsClient(settings());
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/authn-pack/changes' }));
    await events.send(
      new PutRuleCommand({ Name: 'authn-pack-changes', EventPattern: JSON.stringify(pattern) }),
    );
    await events.send(
      new PutTargetsCommand({
        Rule: 'authn-pack-changes',
        Targets: [{ Id: 'log', Arn: `arn:aws:logs:${REGION}:${MOTO_ACCOUNT}:log-group:/authn-pack/changes` }],
      }),
    );
    const call = (source: string | undefined, eventName: string): Record<string, unknown> =>
      source === 'aws.elasticache'
        ? elastiCacheCall(eventName, { replicationGroupId: 'g' })
        : source === 'aws.lambda'
          ? lambdaCall(eventName, { functionName: 'f' })
          : source === 'aws.appsync'
            ? appSyncCall(eventName, { apiId: 'e' })
            : apiGatewayCall(eventName, { apiId: 'a' });
    // Every declared name once per source (TagResource is API Gateway's and Lambda's), and each prefix with a date.
    const wanted = [
      ...new Set(
        RULES.flatMap((rule) =>
          [
            ...(rule.changes?.eventNames ?? []),
            ...(rule.changes?.eventNamePrefixes ?? []).map((prefix) => `${prefix}150331`),
          ].map((eventName) => `${rule.changes?.source ?? ''}|${eventName}`),
        ),
      ),
    ].map((entry) => {
      const [source, eventName] = entry.split('|');
      return call(source, eventName ?? '');
    });
    const unwanted = [
      apiGatewayCall('CreateResource', { restApiId: 'r' }),
      apiGatewayCall('CreateDeployment', { restApiId: 'r' }),
      elastiCacheCall('CreateCacheCluster', { cacheClusterId: 'c' }),
      lambdaCall('DeleteFunctionConcurrency', { functionName: 'f' }),
      lambdaCall('UpdateFunctionConfiguration20150331v2', { functionName: 'f' }),
      appSyncCall('UpdateGraphqlApi', { apiId: 'g' }),
      { ...apiGatewayCall('UpdateRoute', { apiId: 'a' }), 'detail-type': 'AWS Service Event via CloudTrail' },
    ];
    // Act
    for (const event of [...wanted, ...unwanted]) {
      await events.send(
        new PutEventsCommand({
          Entries: [
            {
              Source: String(event.source),
              DetailType: String(event['detail-type']),
              Detail: JSON.stringify(event.detail),
            },
          ],
        }),
      );
    }
    // Assess
    const delivered = await logs.send(new FilterLogEventsCommand({ logGroupName: '/authn-pack/changes' }));
    const names = (delivered.events ?? []).map(
      (entry) => (JSON.parse(entry.message ?? '{}') as { detail?: { eventName?: string } }).detail?.eventName,
    );
    const sent = wanted.map((event) => (event.detail as { eventName: string }).eventName);
    expect(names).to.have.members(sent);
    // 20 API Gateway names (v2 and REST share the tagging calls), 5 ElastiCache, 7 Lambda and their 7 dated forms,
    // 8 AppSync.
    expect(names).to.have.length(47);
  });
});
