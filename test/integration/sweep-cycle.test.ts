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
import { DeleteItemCommand, QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { expect } from 'chai';
import { apigwv2RouteAuthorization } from '../../rules/apigwv2-route-authorization/rule';
import { DynamoChangeStore } from '../../rules/core/change-store';
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
import { ACCOUNT, scheduledEvent } from '../helpers/events';
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
  /** Queries for the held-results snapshot fail while set. */
  failSnapshotReads?: boolean;
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
  /** DynamoDB calls of the cycle store, by command. */
  let storeCalls: Map<string, number>;
  /** Change records, for the tests that run a targeted run between invocations (else the schedule alone). */
  let changes: DynamoChangeStore | undefined;

  beforeEach(async () => {
    clock = START;
    faults = {};
    getRoutes = 0;
    storeCalls = new Map();
    changes = undefined;
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
            const name = context.commandName ?? '?';
            storeCalls.set(name, (storeCalls.get(name) ?? 0) + 1);
            const values = (args.input as { ExpressionAttributeValues?: Record<string, { S?: string }> })
              .ExpressionAttributeValues;
            const prefix = values?.[':prefix']?.S ?? values?.[':after']?.S;
            if (prefix !== undefined) {
              const kind = `${name} ${prefix.split('#')[0] ?? ''}`;
              storeCalls.set(kind, (storeCalls.get(kind) ?? 0) + 1);
            }
            if (faults.failSnapshotReads === true && name === 'QueryCommand' && prefix?.startsWith('held#')) {
              throw Object.assign(new Error('Service unavailable'), {
                name: 'ServiceUnavailable',
                $metadata: { httpStatusCode: 400 },
              });
            }
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
      changeStore: () => changes,
      changeSettleMs: 0,
    });
  }

  /** What the cycle's own invocations delivered (not the targeted runs'). */
  let cycleReceived: { ComplianceResourceId: string; ComplianceType: string }[] = [];
  let targetedNow = false;

  /** One invocation, as Config would start it now, with 15 minutes of the simulated Lambda clock. */
  async function invoke(): Promise<InvocationResult | Error> {
    const started = clock;
    const before = stub.received.length;
    const context = { getRemainingTimeInMillis: () => 900_000 - (clock - started) };
    const event = scheduledEvent({ notificationCreationTime: new Date(clock).toISOString() });
    try {
      return await handler()(event, context);
    } catch (error) {
      return error as Error;
    } finally {
      if (!targetedNow) cycleReceived.push(...stub.received.slice(before));
      clock += 61_000; // Config starts the next invocation after the call a minute later at the earliest
    }
  }

  /** A change to `apiId` recorded and started, and the run Config starts for it (a targeted run). */
  async function targetedRun(apiId: string, removedIds?: string[]): Promise<InvocationResult | Error> {
    changes ??= new DynamoChangeStore(dynamo, TABLE);
    const scope = { ruleName: apigwv2RouteAuthorization.ruleName, account: ACCOUNT, region: 'eu-west-1' };
    await changes.record(
      scope,
      [{ key: apiId, ...(removedIds === undefined ? {} : { removedIds }) }],
      new Date(clock),
    );
    expect(await changes.claimStart(scope, new Date(clock))).to.equal(true);
    targetedNow = true;
    try {
      return await invoke();
    } finally {
      targetedNow = false;
    }
  }

  const routeArn = (apiId: string, routeId: string): string =>
    `arn:aws:apigateway:eu-west-1::/apis/${apiId}/routes/${routeId}`;
  const heldOf = (apiId: string, routeId: string): string | undefined =>
    stub.results.get(`${ROUTE_TYPE}|${routeArn(apiId, routeId)}`)?.ComplianceType;
  const apigw = (): ApiGatewayV2Client =>
    new ApiGatewayV2Client(emulatorClientSettings(emulator.current().endpoint));

  /** Each route the cycle's own invocations reported, with every verdict they gave it. */
  const cycleVerdicts = (): Map<string, string[]> => {
    const verdicts = new Map<string, string[]>();
    for (const e of cycleReceived)
      verdicts.set(e.ComplianceResourceId, [
        ...(verdicts.get(e.ComplianceResourceId) ?? []),
        e.ComplianceType,
      ]);
    return verdicts;
  };

  /** A first cycle (Config then holds every route), then the counters cleared for the next. */
  async function afterFirstCycle(): Promise<void> {
    await fullCycle();
    stub.calls.clear();
    stub.received.length = 0;
    storeCalls.clear();
    cycleReceived = [];
  }

  it('reads what Config holds once a cycle, not once an invocation, and then reads its snapshot from the store', async () => {
    // Prepare
    await afterFirstCycle();
    // Act
    const outcomes = await fullCycle();
    // Assess: three invocations, one GetComplianceDetailsByConfigRule page (90 results) instead of one per
    // invocation; the snapshot is one PutItem and one Query in each later invocation.
    expect(outcomes).to.have.length(3);
    expect(isFinished(outcomes.at(-1))).to.equal(true);
    expect(stub.calls.get('GetComplianceDetailsByConfigRule')).to.equal(1);
    expect(stub.calls.get('StartConfigRulesEvaluation')).to.equal(2);
    // Only refreshes can be due (their phase is a hash of the random route ids): no route gone, none twice.
    expect(stub.received.filter((e) => e.ComplianceType === 'NOT_APPLICABLE')).to.deep.equal([]);
    expect(new Set(stub.received.map((e) => e.ComplianceResourceId)).size).to.equal(stub.received.length);
    expect(storeCalls.get('PutItemCommand')).to.equal(1);
    expect(storeCalls.get('QueryCommand held')).to.equal(2);
    // The notes are looked for before each group is planned (one a invocation here) and before the cleanup.
    expect(storeCalls.get('QueryCommand held-change')).to.equal(4);
  });

  it('honours a targeted run between invocations: its verdicts are neither overwritten from the snapshot nor cleaned up as stale', async () => {
    // Prepare: the second cycle's first invocation sweeps the first 14 APIs (and keeps the snapshot).
    await afterFirstCycle();
    const sorted = [...apiIds].sort();
    const [swept, notYet, last] = [sorted[0] ?? '', sorted[20] ?? '', sorted[29] ?? ''];
    const first = await invoke();
    // A route of an API swept already is created; a targeted run reports it.
    const created = await apigw().send(
      new CreateRouteCommand({ ApiId: swept, RouteKey: 'GET /new', AuthorizationType: 'AWS_IAM' }),
    );
    const createdRun = await targetedRun(swept);
    // A route of an API not swept yet is deleted; a targeted run reports it NOT_APPLICABLE.
    const deleted = routeIds.get(notYet)?.[1] ?? '';
    await apigw().send(new DeleteRouteCommand({ ApiId: notYet, RouteId: deleted }));
    const deletedRun = await targetedRun(notYet, [routeArn(notYet, deleted)]);
    // The open route of the last API is closed, a targeted run reports it COMPLIANT, and it is opened again
    // with no change event (lost): the snapshot still says NON_COMPLIANT, Config now holds COMPLIANT.
    const open = routeIds.get(last)?.[0] ?? '';
    await apigw().send(new UpdateRouteCommand({ ApiId: last, RouteId: open, AuthorizationType: 'AWS_IAM' }));
    const closedRun = await targetedRun(last);
    const heldAfterTargeted = heldOf(last, open);
    await apigw().send(new UpdateRouteCommand({ ApiId: last, RouteId: open, AuthorizationType: 'NONE' }));
    // Act
    const rest = await fullCycle();
    // Assess
    for (const outcome of [first, createdRun, deletedRun, closedRun, ...rest])
      expect(outcome).to.not.be.instanceOf(Error);
    expect(isFinished(rest.at(-1))).to.equal(true);
    expect(heldAfterTargeted).to.equal('COMPLIANT');
    expect(heldOf(last, open), 'the open route, as the sweep found it').to.equal('NON_COMPLIANT');
    expect(heldOf(swept, created.RouteId ?? ''), 'the route created after its API was swept').to.equal(
      'COMPLIANT',
    );
    const cycle = cycleVerdicts();
    expect(cycle.get(routeArn(swept, created.RouteId ?? '')), 'not cleaned up as stale').to.equal(undefined);
    expect(cycle.get(routeArn(notYet, deleted)), 'not reported gone a second time').to.equal(undefined);
    expect(cycle.get(routeArn(last, open))).to.deep.equal(['NON_COMPLIANT']);
    for (const [id, verdicts] of cycle) expect(verdicts, id).to.have.length(1);
    expect(stub.calls.get('GetComplianceDetailsByConfigRule')).to.equal(1);
  });

  it('fails an invocation loudly when the snapshot cannot be read, sweeping and sending nothing, and the cycle resumes from its cursor after', async () => {
    // Prepare: after the first cycle one route of every API is opened, so every group has something to send.
    await afterFirstCycle();
    for (const apiId of apiIds) {
      await apigw().send(
        new UpdateRouteCommand({
          ApiId: apiId,
          RouteId: routeIds.get(apiId)?.[1] ?? '',
          AuthorizationType: 'NONE',
        }),
      );
    }
    const first = await invoke();
    const [sentBefore, readsBefore] = [stub.received.length, getRoutes];
    faults.failSnapshotReads = true;
    // Act
    const failed = await invoke();
    const [sentDuring, readsDuring] = [stub.received.length - sentBefore, getRoutes - readsBefore];
    faults.failSnapshotReads = false;
    const rest = await fullCycle();
    // Assess
    expect(first).to.not.be.instanceOf(Error);
    expect(failed).to.be.instanceOf(StateStoreError);
    expect((failed as Error).message).to.match(/could not read .*held#.*Service unavailable/);
    expect(sentDuring).to.equal(0);
    expect(readsDuring).to.equal(0);
    expect(isFinished(rest.at(-1))).to.equal(true);
    const cycle = cycleVerdicts();
    expect(cycle.size).to.equal(APIS);
    for (const [id, verdicts] of cycle) expect(verdicts, id).to.deep.equal(['NON_COMPLIANT']);
    // The failure did not fall back to reading Config again.
    expect(stub.calls.get('GetComplianceDetailsByConfigRule')).to.equal(1);
  });

  it('fails loudly when the snapshot the cycle record names is gone from the table', async () => {
    // Prepare
    await afterFirstCycle();
    await invoke();
    const pk = `${apigwv2RouteAuthorization.ruleName}#${ACCOUNT}#eu-west-1#sweep`;
    const items = await dynamo.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :held)',
        ExpressionAttributeValues: { ':pk': { S: pk }, ':held': { S: 'held#' } },
      }),
    );
    for (const item of items.Items ?? [])
      await dynamo.send(new DeleteItemCommand({ TableName: TABLE, Key: { pk: item.pk!, sk: item.sk! } }));
    // Act
    const failed = await invoke();
    // Assess
    expect(items.Items).to.not.be.empty;
    expect(failed).to.be.instanceOf(StateStoreError);
    expect((failed as Error).message).to.match(/held-results snapshot .* is missing or incomplete/);
  });

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
