/**
 * No ceiling: an APIGateway.8 sweep too large for one invocation continues in the next, against moto_server
 * (API Gateway v2 and the DynamoDB state table) and the local Config stand-in. Each invocation gets a time budget
 * that GetRoutes calls use up (a simulated Lambda clock: every GetRoutes costs 60 s of it, so 14 APIs fit an
 * invocation and a cycle over 30 takes three); faults are injected in the middle of a cycle with SDK middleware.
 */
import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateRouteCommand,
  DeleteRouteCommand,
  UpdateRouteCommand,
} from '@aws-sdk/client-apigatewayv2';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { expect } from 'chai';
import { apigwv2RouteAuthorization } from '../../rules/apigwv2-route-authorization/rule';
import { createConfigRuleHandler, type InvocationResult } from '../../rules/core/handler';
import { silentLog } from '../../rules/core/log';
import { StateStoreError } from '../../rules/core/errors';
import { StateStore } from '../../rules/core/state-store';
import { DynamoCycleStore } from '../../rules/core/sweep-progress-dynamodb';
import type { ClientSettings } from '../../rules/core/types';
import { startConfigStub, type ConfigStub } from '../../scripts/config-stub';
import { emulatorClientSettings } from '../../scripts/emulator';
import { TABLE, createStateTable, motoDynamo } from '../helpers/dynamodb';
import { useEmulator } from '../helpers/emulator';
import { scheduledEvent } from '../helpers/events';
import { fastRetry } from '../rules/core/support';

const APIS = 30;
const ROUTES_PER_API = 3;
const START = Date.parse('2026-10-04T00:00:00.000Z');
const ROUTE_TYPE = 'AWS::ApiGatewayV2::Route';

interface Faults {
  /** GetRoutes of this API fails (500) while set. */
  failRoutesOf?: string;
  /** TransactWriteItems that record a part (more than the cycle record) fail while set. */
  failStoreWrites?: boolean;
}

describe('integration: a periodic sweep over several invocations (no ceiling)', function () {
  this.timeout(120_000);
  const emulator = useEmulator();
  let stub: ConfigStub;
  let dynamo: DynamoDBClient;
  let apiIds: string[];
  let routeIds: Map<string, string[]>;
  let clock: number;
  let faults: Faults;
  let getRoutes: number;

  beforeEach(async () => {
    clock = START;
    faults = {};
    getRoutes = 0;
    stub = await startConfigStub({ now: () => clock });
    dynamo = motoDynamo(emulator.current().endpoint);
    await createStateTable(dynamo);
    const apigw = new ApiGatewayV2Client(emulatorClientSettings(emulator.current().endpoint));
    apiIds = [];
    routeIds = new Map();
    for (let api = 0; api < APIS; api += 1) {
      const created = await apigw.send(new CreateApiCommand({ Name: `orders-${api}`, ProtocolType: 'HTTP' }));
      const apiId = created.ApiId ?? '';
      apiIds.push(apiId);
      const routes: string[] = [];
      for (let route = 0; route < ROUTES_PER_API; route += 1) {
        const made = await apigw.send(
          new CreateRouteCommand({
            ApiId: apiId,
            RouteKey: `GET /items/${route}`,
            AuthorizationType: route === 0 ? 'NONE' : 'AWS_IAM',
          }),
        );
        routes.push(made.RouteId ?? '');
      }
      routeIds.set(apiId, routes);
    }
  });

  afterEach(async () => {
    await stub.stop();
  });

  function handler() {
    return createConfigRuleHandler(apigwv2RouteAuthorization, {
      createConfigClient: (settings) =>
        new ConfigServiceClient({
          ...settings,
          endpoint: stub.endpoint,
          credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
        }),
      createServiceClient: (settings: ClientSettings) => {
        const client = new ApiGatewayV2Client({
          ...settings,
          ...emulatorClientSettings(emulator.current().endpoint),
        });
        client.middlewareStack.add(
          (next, context) => async (args) => {
            if (context.commandName === 'GetRoutesCommand') {
              getRoutes += 1;
              clock += 60_000;
              const input = args.input as { ApiId?: string };
              if (faults.failRoutesOf !== undefined && input.ApiId === faults.failRoutesOf) {
                throw Object.assign(new Error('Internal server error'), {
                  name: 'InternalServerError',
                  $metadata: { httpStatusCode: 400 },
                });
              }
            }
            return next(args);
          },
          { step: 'initialize', name: 'testFaults' },
        );
        return client;
      },
      cycleStore: (scope) => {
        const client = motoDynamo(emulator.current().endpoint);
        client.middlewareStack.add(
          (next, context) => async (args) => {
            const items = (args.input as { TransactItems?: unknown[] }).TransactItems?.length ?? 0;
            if (
              faults.failStoreWrites === true &&
              context.commandName === 'TransactWriteItemsCommand' &&
              items > 1
            ) {
              throw Object.assign(new Error('Service unavailable'), {
                name: 'ServiceUnavailable',
                $metadata: { httpStatusCode: 400 },
              });
            }
            return next(args);
          },
          { step: 'initialize', name: 'storeFaults' },
        );
        return new DynamoCycleStore(
          new StateStore(client, TABLE, fastRetry().policy, () => new Date(clock)),
          scope,
        );
      },
      now: () => new Date(clock),
      retry: fastRetry().policy,
      log: silentLog,
      tagReadConcurrency: 1,
    });
  }

  /** One invocation, as Config would start it now, with 15 minutes of the simulated Lambda clock. */
  async function invoke(): Promise<InvocationResult | Error> {
    const started = clock;
    const context = { getRemainingTimeInMillis: () => 900_000 - (clock - started) };
    const event = scheduledEvent({ notificationCreationTime: new Date(clock).toISOString() });
    try {
      return await handler()(event, context);
    } catch (error) {
      return error as Error;
    } finally {
      clock += 61_000; // Config starts the next invocation after the call a minute later at the earliest
    }
  }

  const reportedRoutes = (): Map<string, string[]> => {
    const verdicts = new Map<string, string[]>();
    for (const evaluation of stub.received) {
      if (evaluation.ComplianceResourceType !== ROUTE_TYPE) continue;
      verdicts.set(evaluation.ComplianceResourceId, [
        ...(verdicts.get(evaluation.ComplianceResourceId) ?? []),
        evaluation.ComplianceType,
      ]);
    }
    return verdicts;
  };

  it('finishes a cycle over several invocations, each started by StartConfigRulesEvaluation, every route once', async () => {
    // Act
    const outcomes: (InvocationResult | Error)[] = [];
    do outcomes.push(await invoke());
    while (!isFinished(outcomes.at(-1)) && outcomes.length < 20);
    // Assess
    expect(outcomes.length).to.equal(3);
    for (const outcome of outcomes) expect(outcome).to.not.be.instanceOf(Error);
    const reported = reportedRoutes();
    expect(reported.size).to.equal(APIS * ROUTES_PER_API);
    for (const [id, verdicts] of reported) expect(verdicts, id).to.have.length(1);
    expect(getRoutes).to.equal(APIS);
    expect(stub.calls.get('StartConfigRulesEvaluation')).to.equal(outcomes.length - 1);
    expect([...stub.results.values()].filter((e) => e.ComplianceType === 'NON_COMPLIANT')).to.have.length(
      APIS,
    );
  });

  it('reports a deleted route NOT_APPLICABLE only when the whole next cycle has finished', async () => {
    // Prepare: one full cycle, then a route of the last API is deleted.
    await fullCycle();
    const lastApi = [...apiIds].sort().at(-1) ?? '';
    const gone = routeIds.get(lastApi)?.[1] ?? '';
    await new ApiGatewayV2Client(emulatorClientSettings(emulator.current().endpoint)).send(
      new DeleteRouteCommand({ ApiId: lastApi, RouteId: gone }),
    );
    stub.received.length = 0;
    // Act
    const first = await invoke();
    const staleAfterFirst = stub.received.filter((e) => e.ComplianceType === 'NOT_APPLICABLE').length;
    const rest = await fullCycle();
    // Assess
    expect(isFinished(first)).to.equal(false);
    expect(staleAfterFirst).to.equal(0);
    expect(rest.at(-1)).to.have.property('stale', 1);
    expect(
      stub.received.filter((e) => e.ComplianceType === 'NOT_APPLICABLE').map((e) => e.ComplianceResourceId),
    ).to.deep.equal([`arn:aws:apigateway:eu-west-1::/apis/${lastApi}/routes/${gone}`]);
  });

  it('after a GetRoutes fault in the middle of a cycle, the next invocation continues from the cursor; nothing twice, nothing dropped', async () => {
    // Prepare: the 21st API in key order (the second invocation's seventh) fails during the second invocation only.
    const sorted = [...apiIds].sort();
    faults.failRoutesOf = sorted[20];
    const first = await invoke();
    // Act
    const failed = await invoke();
    faults.failRoutesOf = undefined;
    const rest = await fullCycle();
    // Assess
    expect(first).to.not.be.instanceOf(Error);
    expect(failed).to.be.instanceOf(Error);
    expect((failed as Error).message).to.match(
      /could not read .*Internal server error.*the 6 part\(s\) before it were delivered/,
    );
    expect(isFinished(rest.at(-1))).to.equal(true);
    const reported = reportedRoutes();
    expect(reported.size).to.equal(APIS * ROUTES_PER_API);
    for (const [id, verdicts] of reported) expect(verdicts, id).to.have.length(1);
  });

  it('a store write failure fails the invocation loudly and sends nothing of the part it could not record', async () => {
    // Prepare
    await invoke();
    const before = stub.received.length;
    faults.failStoreWrites = true;
    // Act
    const failed = await invoke();
    const duringFault = stub.received.length - before;
    faults.failStoreWrites = false;
    const rest = await fullCycle();
    // Assess
    expect(failed).to.be.instanceOf(StateStoreError);
    expect((failed as Error).message).to.match(/state table authn-pack-state: could not write part/);
    expect(duringFault).to.equal(0);
    expect(isFinished(rest.at(-1))).to.equal(true);
    const reported = reportedRoutes();
    expect(reported.size).to.equal(APIS * ROUTES_PER_API);
    for (const [id, verdicts] of reported) expect(verdicts, id).to.have.length(1);
  });

  it('a part whose delivery failed is sent again as planned: a route changed meanwhile is not reported with a second verdict', async () => {
    // Prepare: the first invocation's PutEvaluations are refused after its parts were recorded.
    stub.setOptions({ now: () => clock, denyAll: true });
    const failed = await invoke();
    stub.setOptions({ now: () => clock });
    const firstApi = [...apiIds].sort()[0] ?? '';
    const open = routeIds.get(firstApi)?.[0] ?? '';
    await new ApiGatewayV2Client(emulatorClientSettings(emulator.current().endpoint)).send(
      new UpdateRouteCommand({ ApiId: firstApi, RouteId: open, AuthorizationType: 'AWS_IAM' }),
    );
    // Act
    const rest = await fullCycle();
    // Assess
    expect(failed).to.be.instanceOf(Error);
    expect(isFinished(rest.at(-1))).to.equal(true);
    const reported = reportedRoutes();
    expect(reported.size).to.equal(APIS * ROUTES_PER_API);
    for (const [id, verdicts] of reported) expect(verdicts, id).to.have.length(1);
    expect(reported.get(`arn:aws:apigateway:eu-west-1::/apis/${firstApi}/routes/${open}`)).to.deep.equal([
      'NON_COMPLIANT',
    ]);
  });

  it('fails loudly, sending nothing, when the progress cannot be read', async () => {
    // Prepare: no table
    await invoke();
    const { DeleteTableCommand } = await import('@aws-sdk/client-dynamodb');
    await dynamo.send(new DeleteTableCommand({ TableName: TABLE }));
    const before = stub.received.length;
    // Act
    const failed = await invoke();
    // Assess
    expect(failed).to.be.instanceOf(StateStoreError);
    expect((failed as Error).message).to.match(/could not read .*ResourceNotFoundException/);
    expect(stub.received.length).to.equal(before);
  });

  async function fullCycle(): Promise<(InvocationResult | Error)[]> {
    const outcomes: (InvocationResult | Error)[] = [];
    do outcomes.push(await invoke());
    while (!isFinished(outcomes.at(-1)) && outcomes.length < 20);
    return outcomes;
  }
});

function isFinished(outcome: InvocationResult | Error | undefined): boolean {
  return outcome !== undefined && !(outcome instanceof Error) && outcome.staleCleanup === 'done';
}
