/**
 * `npx tsx bench/changes.ts`: the change path on the local stand-ins (moto_server for API Gateway v2 and DynamoDB,
 * the Config stand-in for StartConfigRulesEvaluation and PutEvaluations, all on 127.0.0.1), measured end to end:
 *
 *  1. One route change: the time from the CloudTrail event reaching the recorder to the route's evaluation being
 *     delivered (recorder → start → the rule's run → PutEvaluations), and the calls it costs, by service and operation.
 *  2. A deployment's storm: 500 UpdateRoute events across 10 APIs of 50 routes (within 25 s of simulated time):
 *     starts, evaluations, calls, wall time from the first event to the last evaluation delivered.
 *  3. For scale: what the scheduled sweep of the same estate costs (GetApis pages + GetRoutes per API).
 *  4. The same single change for a REST method (AUTHN-APIGW-REST, 5 APIs of 4 methods) and a function URL
 *     (AUTHN-LAMBDA-URL, 5 functions; the event under its API-version-suffixed name): latency and calls.
 *
 * Config's own delay between a StartConfigRulesEvaluation and the Lambda invocation is not something a stand-in can
 * show: on AWS add it (seconds) to the first figure. Prints Markdown; not part of `npm test`.
 */
import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateRouteCommand,
  UpdateRouteCommand,
} from '@aws-sdk/client-apigatewayv2';
import {
  APIGatewayClient,
  CreateResourceCommand,
  CreateRestApiCommand,
  DeleteMethodCommand,
  GetResourcesCommand,
  PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import { ConfigServiceClient, StartConfigRulesEvaluationCommand } from '@aws-sdk/client-config-service';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  CreateFunctionCommand,
  CreateFunctionUrlConfigCommand,
  LambdaClient,
  UpdateFunctionUrlConfigCommand,
} from '@aws-sdk/client-lambda';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { apigwRestMethodAuthorization } from '../rules/apigw-rest-method-authorization/rule';
import { apigwv2RouteAuthorization as rule } from '../rules/apigwv2-route-authorization/rule';
import { recordChange, type RecorderDependencies } from '../rules/core/change-recorder';
import { DynamoChangeStore } from '../rules/core/change-store';
import { createConfigRuleHandler } from '../rules/core/handler';
import { silentLog } from '../rules/core/log';
import type { AnyRule } from '../rules/core/types';
import { RULES } from '../rules/index';
import { lambdaFunctionUrlAuth } from '../rules/lambda-function-url-auth/rule';
import { startConfigStub } from '../scripts/config-stub';
import { emulatorClientSettings, startEmulator } from '../scripts/emulator';

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const TABLE = 'authn-pack-state';

type Counts = Map<string, number>;

function counted<C extends object>(client: C, counts: Counts, service: string): C {
  const stack = (client as unknown as { middlewareStack: { add: (m: unknown, o: unknown) => void } })
    .middlewareStack;
  stack.add(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => {
      const name = `${service} ${(context.commandName ?? '?').replace(/Command$/, '')}`;
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize' },
  );
  return client;
}

function scheduled(at: number, ruleName: string = rule.ruleName): Record<string, unknown> {
  return {
    version: '1.0',
    invokingEvent: JSON.stringify({
      awsAccountId: ACCOUNT,
      notificationCreationTime: new Date(at).toISOString(),
      messageType: 'ScheduledNotification',
      recordVersion: '1.0',
    }),
    resultToken: 'bench-token',
    eventLeftScope: false,
    configRuleArn: `arn:aws:config:${REGION}:${ACCOUNT}:config-rule/config-rule-bench`,
    configRuleName: ruleName,
    accountId: ACCOUNT,
  };
}

function call(apiId: string, routeId: string, id: number): Record<string, unknown> {
  return {
    version: '0',
    id: `bench-${id}`,
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.apigateway',
    account: ACCOUNT,
    time: new Date().toISOString(),
    region: REGION,
    resources: [],
    detail: {
      eventSource: 'apigateway.amazonaws.com',
      eventName: 'UpdateRoute',
      awsRegion: REGION,
      requestParameters: { apiId, routeId, authorizationType: 'NONE' },
      responseElements: null,
      eventID: `bench-${id}`,
      eventType: 'AwsApiCall',
    },
  };
}

/** Another rule's call, in the same envelope. */
function otherCall(
  source: string,
  eventName: string,
  requestParameters: Record<string, unknown>,
  id: number,
): Record<string, unknown> {
  const event = call('', '', id);
  const detail = event.detail as Record<string, unknown>;
  return {
    ...event,
    source,
    detail: { ...detail, eventSource: `${source.slice(4)}.amazonaws.com`, eventName, requestParameters },
  };
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

async function main(): Promise<void> {
  const emulator = await startEmulator();
  const stub = await startConfigStub({ latencyMs: 0 });
  try {
    const settings = emulatorClientSettings(emulator.endpoint, REGION);
    const counts: Counts = new Map();
    const dynamo = counted(new DynamoDBClient(settings), counts, 'DynamoDB');
    await new DynamoDBClient(settings).send(
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
    const store = new DynamoChangeStore(dynamo, TABLE);
    const apigw = new ApiGatewayV2Client(settings);
    const apis: { apiId: string; routeIds: string[] }[] = [];
    for (let a = 0; a < 10; a += 1) {
      const api = await apigw.send(new CreateApiCommand({ Name: `bench-${a}`, ProtocolType: 'HTTP' }));
      const routeIds: string[] = [];
      for (let r = 0; r < 50; r += 1) {
        const route = await apigw.send(
          new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: `GET /r${r}`, AuthorizationType: 'AWS_IAM' }),
        );
        routeIds.push(route.RouteId ?? '');
      }
      apis.push({ apiId: api.ApiId ?? '', routeIds });
    }
    const config = counted(
      new ConfigServiceClient({ ...settings, endpoint: stub.endpoint }),
      counts,
      'Config',
    );
    let clock = Date.now();
    const startsToRun: string[][] = [];
    stub.setOptions({ now: () => clock, onStart: (names) => startsToRun.push([...names]) });
    const handler = createConfigRuleHandler(rule, {
      region: REGION,
      createConfigClient: () => config,
      createServiceClient: () => counted(new ApiGatewayV2Client(settings), counts, 'API Gateway'),
      changeStore: () => store,
      changeSettleMs: 0,
      log: silentLog,
    });
    const recorder: RecorderDependencies = {
      rules: RULES,
      store,
      startEvaluation: async ({ configRuleName }) => {
        await config.send(new StartConfigRulesEvaluationCommand({ ConfigRuleNames: [configRuleName] }));
      },
      knownRuleName: (r) => r.ruleName,
      now: () => new Date(clock),
      sleep: (ms) => {
        clock += ms;
        return Promise.resolve();
      },
      log: silentLog,
    };
    // The schedule's first full run (it also tells the store the rule's name).
    await handler(scheduled(clock));
    const sweepCalls = new Map<string, number>(counts);
    counts.clear();
    stub.received.length = 0;

    // 1. One route change, 20 times (the clock moves past Config's minute between them).
    const singles: number[] = [];
    const perChange: Counts[] = [];
    for (let i = 0; i < 20; i += 1) {
      clock += 120_000;
      const api = apis[i % apis.length];
      const routeId = api?.routeIds[i] ?? '';
      await apigw.send(
        new UpdateRouteCommand({
          ApiId: api?.apiId,
          RouteId: routeId,
          AuthorizationType: i % 2 === 0 ? 'NONE' : 'AWS_IAM',
        }),
      );
      counts.clear();
      const started = performance.now();
      await recordChange(call(api?.apiId ?? '', routeId, i), recorder);
      while (startsToRun.length > 0) {
        startsToRun.shift();
        await handler(scheduled(clock));
      }
      const delivered = stub.received.some((e) => e.ComplianceResourceId.endsWith(`/routes/${routeId}`));
      if (!delivered) throw new Error('the changed route was not delivered');
      singles.push(performance.now() - started);
      perChange.push(new Map<string, number>(counts));
      stub.received.length = 0;
    }
    singles.sort((a, b) => a - b);
    const median = singles[Math.floor(singles.length / 2)] ?? 0;
    const p90 = singles[Math.floor(singles.length * 0.9)] ?? 0;

    // 2. The storm.
    clock += 120_000;
    counts.clear();
    const stormStart = performance.now();
    let id = 1_000;
    for (const api of apis) {
      for (const routeId of api.routeIds) {
        clock += 50;
        id += 1;
        await recordChange(call(api.apiId, routeId, id), recorder);
      }
    }
    const recorded = performance.now() - stormStart;
    const stormStarts = startsToRun.length;
    let evaluations = 0;
    while (startsToRun.length > 0) {
      startsToRun.shift();
      evaluations += (await handler(scheduled(clock))).evaluations.length;
    }
    const stormWall = performance.now() - stormStart;
    const stormCalls = new Map<string, number>(counts);

    // 4. Single changes of the REST and function URL rules, on the same recorder, store and stand-ins.
    const restClient = new APIGatewayClient(settings);
    const restApis: { restApiId: string; resourceId: string }[] = [];
    for (let a = 0; a < 5; a += 1) {
      const api = await restClient.send(new CreateRestApiCommand({ name: `bench-rest-${a}` }));
      const root = (await restClient.send(new GetResourcesCommand({ restApiId: api.id }))).items?.[0]?.id;
      const resource = await restClient.send(
        new CreateResourceCommand({ restApiId: api.id, parentId: root, pathPart: 'orders' }),
      );
      for (const httpMethod of ['GET', 'POST', 'PUT', 'DELETE']) {
        await restClient.send(
          new PutMethodCommand({
            restApiId: api.id,
            resourceId: resource.id,
            httpMethod,
            authorizationType: 'AWS_IAM',
          }),
        );
      }
      restApis.push({ restApiId: api.id ?? '', resourceId: resource.id ?? '' });
    }
    const role = await new IAMClient(settings).send(
      new CreateRoleCommand({
        RoleName: 'bench-function-role',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        }),
      }),
    );
    const lambda = new LambdaClient(settings);
    const functionNames = [0, 1, 2, 3, 4].map((f) => `bench-fn-${f}`);
    for (const name of functionNames) {
      await lambda.send(
        new CreateFunctionCommand({
          FunctionName: name,
          Runtime: 'nodejs20.x',
          Role: role.Role?.Arn,
          Handler: 'index.handler',
          Code: { ZipFile: Buffer.from('UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==', 'base64') },
        }),
      );
      await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: 'AWS_IAM' }));
    }
    const single = async (
      target: AnyRule,
      service: string,
      change: (
        i: number,
      ) => Promise<{ event: Record<string, unknown>; deliveredId: (id: string) => boolean }>,
    ): Promise<{ median: number; p90: number; calls: Counts }> => {
      const run = createConfigRuleHandler(target as typeof rule, {
        region: REGION,
        createConfigClient: () => config,
        createServiceClient: () =>
          counted(target.service.createClient(settings) as object, counts, service) as never,
        changeStore: () => store,
        changeSettleMs: 0,
        log: silentLog,
      });
      const times: number[] = [];
      let calls: Counts = new Map();
      for (let i = 0; i < 10; i += 1) {
        clock += 120_000;
        const { event, deliveredId } = await change(i);
        counts.clear();
        stub.received.length = 0;
        const started = performance.now();
        await recordChange(event, recorder);
        while (startsToRun.length > 0) {
          startsToRun.shift();
          await run(scheduled(clock, target.ruleName));
        }
        if (!stub.received.some((e) => deliveredId(e.ComplianceResourceId)))
          throw new Error(`${target.ruleName}: the changed resource was not delivered`);
        times.push(performance.now() - started);
        calls = new Map<string, number>(counts);
      }
      times.sort((a, b) => a - b);
      return { median: percentile(times, 0.5), p90: percentile(times, 0.9), calls };
    };
    const restSingle = await single(apigwRestMethodAuthorization, 'API Gateway', async (i) => {
      const api = restApis[i % restApis.length] ?? { restApiId: '', resourceId: '' };
      // moto 5.2 does not serve UpdateMethod: the method is put again with the other type.
      const method = { restApiId: api.restApiId, resourceId: api.resourceId, httpMethod: 'GET' };
      await restClient.send(new DeleteMethodCommand(method));
      await restClient.send(
        new PutMethodCommand({ ...method, authorizationType: i % 2 === 0 ? 'NONE' : 'AWS_IAM' }),
      );
      return {
        event: otherCall('aws.apigateway', 'UpdateMethod', method, 2_000 + i),
        deliveredId: (id) =>
          id.endsWith(`/restapis/${api.restApiId}/resources/${api.resourceId}/methods/GET`),
      };
    });
    const urlSingle = await single(lambdaFunctionUrlAuth, 'Lambda', async (i) => {
      const name = functionNames[i % functionNames.length] ?? '';
      await lambda.send(
        new UpdateFunctionUrlConfigCommand({
          FunctionName: name,
          AuthType: i % 2 === 0 ? 'NONE' : 'AWS_IAM',
        }),
      );
      return {
        event: otherCall('aws.lambda', 'UpdateFunctionUrlConfig20211031', { functionName: name }, 3_000 + i),
        deliveredId: (id) => id.endsWith(`:function:${name}`),
      };
    });

    const table = (map: Counts) =>
      [...map]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, n]) => `${name} ${n}`)
        .join(', ');
    const lines = [
      '### Change events: one route change, and a deployment of 500',
      '',
      `Local stand-ins on 127.0.0.1 (moto_server: API Gateway v2, DynamoDB; the Config stand-in), no added latency; ${singles.length} single changes.`,
      '',
      '| Measure | Value |',
      '| --- | --- |',
      `| Route change event → its evaluation delivered (median / p90) | ${median.toFixed(0)} ms / ${p90.toFixed(0)} ms |`,
      `| Calls per route change | ${table(perChange[perChange.length - 1] ?? new Map<string, number>())} |`,
      `| Storm: 500 UpdateRoute events, 10 APIs × 50 routes | ${stormStarts} start, ${evaluations} evaluations |`,
      `| Storm calls | ${table(stormCalls)} |`,
      `| Storm wall time (500 recorder calls, then the run) | ${(recorded / 1000).toFixed(1)} s recording, ${(stormWall / 1000).toFixed(1)} s to the last evaluation |`,
      `| For scale: the scheduled sweep of the same 500 routes | ${table(sweepCalls)} |`,
      `| REST method change (UpdateMethod) → its evaluation delivered (median / p90, 10 changes) | ${restSingle.median.toFixed(0)} ms / ${restSingle.p90.toFixed(0)} ms |`,
      `| Calls per REST method change | ${table(restSingle.calls)} |`,
      `| Function URL change (UpdateFunctionUrlConfig20211031) → its evaluation delivered (median / p90, 10 changes) | ${urlSingle.median.toFixed(0)} ms / ${urlSingle.p90.toFixed(0)} ms |`,
      `| Calls per function URL change | ${table(urlSingle.calls)} |`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await stub.stop();
    await emulator.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
