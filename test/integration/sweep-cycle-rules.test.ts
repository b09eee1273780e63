/**
 * No ceiling for every periodic rule: the REST method rule (AUTHN-APIGW-REST, one part per REST API) and the Redis
 * rule (ElastiCache.6, one part per replication group) swept as cycles of invocations against moto_server (API
 * Gateway, ElastiCache and the DynamoDB state table) and the local Config stand-in, as sweep-cycle.test.ts does for
 * the route rule. Each invocation has 15 minutes of a simulated Lambda clock that the service calls use up (each
 * GetResources 60 s; each ListTagsForResource 30 s), so a cycle takes several invocations; faults are injected in the
 * middle with SDK middleware.
 */
import {
  APIGatewayClient,
  CreateResourceCommand,
  CreateRestApiCommand,
  DeleteMethodCommand,
  GetResourcesCommand,
  PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import {
  CreateReplicationGroupCommand,
  DeleteReplicationGroupCommand,
  ElastiCacheClient,
} from '@aws-sdk/client-elasticache';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { expect } from 'chai';
import { apigwRestMethodAuthorization } from '../../rules/apigw-rest-method-authorization/rule';
import { createConfigRuleHandler, type InvocationResult } from '../../rules/core/handler';
import { silentLog } from '../../rules/core/log';
import { StateStoreError } from '../../rules/core/errors';
import { StateStore } from '../../rules/core/state-store';
import { DynamoCycleStore } from '../../rules/core/sweep-progress-dynamodb';
import type { AnyRule, ClientSettings } from '../../rules/core/types';
import { elasticacheRedisAuth } from '../../rules/elasticache-redis-auth/rule';
import { startConfigStub, type ConfigStub } from '../../scripts/config-stub';
import { emulatorClientSettings } from '../../scripts/emulator';
import { TABLE, createStateTable, motoDynamo } from '../helpers/dynamodb';
import { useEmulator } from '../helpers/emulator';
import { scheduledEvent } from '../helpers/events';
import { fastRetry } from '../rules/core/support';

const START = Date.parse('2026-10-04T00:00:00.000Z');
const METHOD_TYPE = 'AWS::ApiGateway::Method';
const GROUP_TYPE = 'AWS::ElastiCache::ReplicationGroup';

type Outcome = InvocationResult | Error;

interface Faults {
  /** Service calls of this command fail (500) while set; with `onlyFor`, only those whose input matches. */
  failCommand?: string;
  onlyFor?: (input: Record<string, unknown>) => boolean;
  /** TransactWriteItems that record a part (more than the cycle record) fail while set. */
  failStoreWrites?: boolean;
}

/** A cycle harness for one rule: its handler over moto and the Config stand-in, on a simulated clock. */
function cycleHarness(
  rule: AnyRule,
  endpoint: () => string,
  /** Simulated milliseconds each service call costs, by command name. */
  costs: Readonly<Record<string, number>>,
) {
  const state = {
    clock: START,
    faults: {} as Faults,
    calls: new Map<string, number>(),
    stub: undefined as ConfigStub | undefined,
  };
  const stub = (): ConfigStub => {
    if (state.stub === undefined) throw new Error('Config stand-in not started');
    return state.stub;
  };

  const handler = () =>
    createConfigRuleHandler(rule, {
      createConfigClient: (settings) =>
        new ConfigServiceClient({
          ...settings,
          endpoint: stub().endpoint,
          credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
        }),
      createServiceClient: (settings: ClientSettings) => {
        const client = rule.service.createClient({
          ...settings,
          ...emulatorClientSettings(endpoint()),
        }) as { middlewareStack: { add: (...args: unknown[]) => void } };
        client.middlewareStack.add(
          (next: (args: unknown) => Promise<unknown>, context: { commandName: string }) =>
            async (args: { input: Record<string, unknown> }) => {
              const name = context.commandName;
              state.calls.set(name, (state.calls.get(name) ?? 0) + 1);
              state.clock += costs[name] ?? 0;
              const { failCommand, onlyFor } = state.faults;
              if (failCommand === name && (onlyFor === undefined || onlyFor(args.input))) {
                throw Object.assign(new Error('Internal server error'), {
                  name: 'InternalFailure',
                  $metadata: { httpStatusCode: 400 },
                });
              }
              return next(args);
            },
          { step: 'initialize', name: 'testFaults' },
        );
        return client;
      },
      cycleStore: (scope) => {
        const client = motoDynamo(endpoint());
        client.middlewareStack.add(
          (next, context) => async (args) => {
            const items = (args.input as { TransactItems?: unknown[] }).TransactItems?.length ?? 0;
            if (
              state.faults.failStoreWrites === true &&
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
          new StateStore(client, TABLE, fastRetry().policy, () => new Date(state.clock)),
          scope,
        );
      },
      now: () => new Date(state.clock),
      retry: fastRetry().policy,
      log: silentLog,
      tagReadConcurrency: 1,
    });

  /** One invocation, as Config would start it now, with 15 minutes of the simulated Lambda clock. */
  async function invoke(): Promise<Outcome> {
    const started = state.clock;
    const context = { getRemainingTimeInMillis: () => 900_000 - (state.clock - started) };
    const event = scheduledEvent({ notificationCreationTime: new Date(state.clock).toISOString() });
    try {
      return await handler()(event, context);
    } catch (error) {
      return error as Error;
    } finally {
      state.clock += 61_000; // Config starts the next invocation after the call a minute later at the earliest
    }
  }

  async function fullCycle(): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    do outcomes.push(await invoke());
    while (!isFinished(outcomes.at(-1)) && outcomes.length < 20);
    return outcomes;
  }

  /** The verdicts Config received per resource of `type`, in order. */
  const reported = (type: string): Map<string, string[]> => {
    const verdicts = new Map<string, string[]>();
    for (const evaluation of stub().received) {
      if (evaluation.ComplianceResourceType !== type) continue;
      verdicts.set(evaluation.ComplianceResourceId, [
        ...(verdicts.get(evaluation.ComplianceResourceId) ?? []),
        evaluation.ComplianceType,
      ]);
    }
    return verdicts;
  };

  return {
    state,
    stub,
    invoke,
    fullCycle,
    reported,
    async start(): Promise<void> {
      state.clock = START;
      state.faults = {};
      state.calls.clear();
      state.stub = await startConfigStub({ now: () => state.clock });
      const dynamo: DynamoDBClient = motoDynamo(endpoint());
      await createStateTable(dynamo);
    },
    async stop(): Promise<void> {
      await state.stub?.stop();
    },
  };
}

function isFinished(outcome: Outcome | undefined): boolean {
  return outcome !== undefined && !(outcome instanceof Error) && outcome.staleCleanup === 'done';
}

/** Each resource exactly once, with one verdict. */
function expectEachOnce(reported: Map<string, string[]>, count: number): void {
  expect(reported.size).to.equal(count);
  for (const [id, verdicts] of reported) expect(verdicts, id).to.have.length(1);
}

describe('integration: every periodic rule sweeps over several invocations (no ceiling)', function () {
  this.timeout(180_000);
  const emulator = useEmulator();
  const endpoint = (): string => emulator.current().endpoint;

  describe('AUTHN-APIGW-REST: one part per REST API', () => {
    const APIS = 30;
    const harness = cycleHarness(apigwRestMethodAuthorization, endpoint, { GetResourcesCommand: 60_000 });
    let apiIds: string[];
    const methods = new Map<string, string>();

    beforeEach(async () => {
      await harness.start();
      const apigw = new APIGatewayClient(emulatorClientSettings(endpoint()));
      apiIds = [];
      methods.clear();
      for (let index = 0; index < APIS; index += 1) {
        const api = await apigw.send(new CreateRestApiCommand({ name: `shop-${index}` }));
        const apiId = api.id ?? '';
        apiIds.push(apiId);
        const root = (await apigw.send(new GetResourcesCommand({ restApiId: apiId }))).items?.[0]?.id;
        const items = await apigw.send(
          new CreateResourceCommand({ restApiId: apiId, parentId: root, pathPart: 'items' }),
        );
        methods.set(apiId, items.id ?? '');
        for (const [httpMethod, authorizationType] of [
          ['GET', 'NONE'],
          ['POST', 'AWS_IAM'],
        ] as const) {
          await apigw.send(
            new PutMethodCommand({ restApiId: apiId, resourceId: items.id, httpMethod, authorizationType }),
          );
        }
      }
    });

    afterEach(async () => {
      await harness.stop();
    });

    it('finishes a cycle over several invocations, each started by StartConfigRulesEvaluation, every method once', async () => {
      // Act
      const outcomes = await harness.fullCycle();
      // Assess: 60 s a GetResources, 15 minutes an invocation, the last minute kept for delivery: 14 APIs each.
      expect(outcomes.length).to.equal(3);
      for (const outcome of outcomes) expect(outcome).to.not.be.instanceOf(Error);
      expectEachOnce(harness.reported(METHOD_TYPE), APIS * 2);
      expect(harness.state.calls.get('GetResourcesCommand')).to.equal(APIS);
      expect(harness.stub().calls.get('StartConfigRulesEvaluation')).to.equal(outcomes.length - 1);
      expect(
        [...harness.stub().results.values()].filter((e) => e.ComplianceType === 'NON_COMPLIANT'),
      ).to.have.length(APIS);
    });

    it('after a GetResources fault in the middle of a cycle, the next invocation continues from the cursor; nothing twice, nothing dropped', async () => {
      // Prepare: the 17th API in key order (the second invocation's third) fails during the second invocation only.
      const failing = [...apiIds].sort()[16];
      harness.state.faults = {};
      const first = await harness.invoke();
      harness.state.faults = {
        failCommand: 'GetResourcesCommand',
        onlyFor: (input) => input.restApiId === failing,
      };
      // Act
      const failed = await harness.invoke();
      harness.state.faults = {};
      const rest = await harness.fullCycle();
      // Assess
      expect(first).to.not.be.instanceOf(Error);
      expect(failed).to.be.instanceOf(Error);
      expect((failed as Error).message).to.match(
        new RegExp(
          `could not read ${failing}: .*Internal server error.*the 2 part\\(s\\) before it were delivered`,
        ),
      );
      expect(isFinished(rest.at(-1))).to.equal(true);
      expectEachOnce(harness.reported(METHOD_TYPE), APIS * 2);
    });

    it('a store write failure fails the invocation loudly and sends nothing of the part it could not record', async () => {
      // Prepare
      await harness.invoke();
      const before = harness.stub().received.length;
      harness.state.faults = { failStoreWrites: true };
      // Act
      const failed = await harness.invoke();
      const duringFault = harness.stub().received.length - before;
      harness.state.faults = {};
      const rest = await harness.fullCycle();
      // Assess
      expect(failed).to.be.instanceOf(StateStoreError);
      expect((failed as Error).message).to.match(/state table authn-pack-state: could not write part/);
      expect(duringFault).to.equal(0);
      expect(isFinished(rest.at(-1))).to.equal(true);
      expectEachOnce(harness.reported(METHOD_TYPE), APIS * 2);
    });

    it('reports a deleted method NOT_APPLICABLE only when the whole next cycle has finished', async () => {
      // Prepare: one full cycle, then the open GET of the first API in key order is deleted.
      await harness.fullCycle();
      const firstApi = [...apiIds].sort()[0] ?? '';
      const resourceId = methods.get(firstApi) ?? '';
      await new APIGatewayClient(emulatorClientSettings(endpoint())).send(
        new DeleteMethodCommand({ restApiId: firstApi, resourceId, httpMethod: 'GET' }),
      );
      harness.stub().received.length = 0;
      // Act
      const first = await harness.invoke();
      const staleAfterFirst = harness.stub().received.filter((e) => e.ComplianceType === 'NOT_APPLICABLE');
      const rest = await harness.fullCycle();
      // Assess
      expect(isFinished(first)).to.equal(false);
      expect(staleAfterFirst).to.have.length(0);
      expect(rest.at(-1)).to.have.property('stale', 1);
      expect(
        harness
          .stub()
          .received.filter((e) => e.ComplianceType === 'NOT_APPLICABLE')
          .map((e) => e.ComplianceResourceId),
      ).to.deep.equal([
        `arn:aws:apigateway:eu-west-1::/restapis/${firstApi}/resources/${resourceId}/methods/GET`,
      ]);
    });

    it('when Config refuses the method type, the cycle reports one roll-up per REST API instead, each once', async () => {
      // Prepare
      harness.stub().setOptions({ now: () => harness.state.clock, rejectTypes: [METHOD_TYPE] });
      // Act
      const outcomes = await harness.fullCycle();
      // Assess
      expect(outcomes.length).to.equal(3);
      for (const outcome of outcomes) expect(outcome).to.not.be.instanceOf(Error);
      expect(outcomes.at(-1)).to.have.property('fallbackResourceType', 'AWS::ApiGateway::RestApi');
      expect(harness.stub().results.size).to.equal(APIS);
      expectEachOnce(harness.reported('AWS::ApiGateway::RestApi'), APIS);
      expect([...harness.stub().results.values()].map((e) => e.ComplianceType)).to.deep.equal(
        Array.from({ length: APIS }, () => 'NON_COMPLIANT'),
      );
    });
    it('a part recorded as methods and then refused is not lost: the cycle starts over as roll-ups, each API once', async () => {
      // Prepare: the first invocation records its first part, then cannot deliver it; then Config refuses the type.
      harness.stub().setOptions({ now: () => harness.state.clock, denyAll: true });
      const failed = await harness.invoke();
      harness.stub().setOptions({ now: () => harness.state.clock, rejectTypes: [METHOD_TYPE] });
      // Act
      const rest = await harness.fullCycle();
      // Assess
      expect(failed).to.be.instanceOf(Error);
      expect(isFinished(rest.at(-1))).to.equal(true);
      expect(harness.reported(METHOD_TYPE).size).to.equal(0);
      expectEachOnce(harness.reported('AWS::ApiGateway::RestApi'), APIS);
    });
  });

  describe('ElastiCache.6: one part per replication group', () => {
    const GROUPS = 40;
    const harness = cycleHarness(elasticacheRedisAuth, endpoint, { ListTagsForResourceCommand: 30_000 });
    let groupIds: string[];

    beforeEach(async () => {
      await harness.start();
      const client = new ElastiCacheClient(emulatorClientSettings(endpoint()));
      groupIds = [];
      for (let index = 0; index < GROUPS; index += 1) {
        const id = `sessions-${String(index).padStart(3, '0')}`;
        // No member clusters: the version is unknown, so every group would fail and its tags are read (30 s each).
        await client.send(
          new CreateReplicationGroupCommand({
            ReplicationGroupId: id,
            ReplicationGroupDescription: id,
            Engine: 'redis',
            EngineVersion: '5.0.6',
            CacheNodeType: 'cache.t3.micro',
            NumCacheClusters: 1,
          }),
        );
        groupIds.push(id);
      }
    });

    afterEach(async () => {
      await harness.stop();
    });

    it('finishes a cycle over several invocations, every group once, its tags read once', async () => {
      // Act
      const outcomes = await harness.fullCycle();
      // Assess: the tag reads of 28 groups fit the first invocation's sweep time; the other 12 go in the second.
      expect(outcomes.length).to.equal(2);
      for (const outcome of outcomes) expect(outcome).to.not.be.instanceOf(Error);
      expectEachOnce(harness.reported(GROUP_TYPE), GROUPS);
      expect(harness.state.calls.get('ListTagsForResourceCommand')).to.equal(GROUPS);
      expect(harness.stub().calls.get('StartConfigRulesEvaluation')).to.equal(1);
    });

    it('after a listing fault in the middle of a cycle, the next invocation continues from the cursor; nothing twice, nothing dropped', async () => {
      // Prepare
      const first = await harness.invoke();
      harness.state.faults = { failCommand: 'DescribeCacheClustersCommand' };
      // Act
      const failed = await harness.invoke();
      harness.state.faults = {};
      const rest = await harness.fullCycle();
      // Assess
      expect(isFinished(first)).to.equal(false);
      expect(failed).to.be.instanceOf(Error);
      expect((failed as Error).message).to.match(
        /could not list what it sweeps, so nothing new was reported \(the cycle continues from where it was\).*Internal server error/,
      );
      expect(rest).to.have.length(1);
      expect(isFinished(rest.at(-1))).to.equal(true);
      expectEachOnce(harness.reported(GROUP_TYPE), GROUPS);
    });

    it('a store write failure fails the invocation loudly and sends nothing of the part it could not record', async () => {
      // Prepare
      harness.state.faults = { failStoreWrites: true };
      // Act
      const failed = await harness.invoke();
      const duringFault = harness.stub().received.length;
      harness.state.faults = {};
      const rest = await harness.fullCycle();
      // Assess
      expect(failed).to.be.instanceOf(StateStoreError);
      expect(duringFault).to.equal(0);
      expect(isFinished(rest.at(-1))).to.equal(true);
      expectEachOnce(harness.reported(GROUP_TYPE), GROUPS);
    });

    it('reports a deleted group NOT_APPLICABLE only when the whole next cycle has finished', async () => {
      // Prepare: one full cycle, then the first group in key order is deleted.
      await harness.fullCycle();
      const gone = [...groupIds].sort()[0] ?? '';
      await new ElastiCacheClient(emulatorClientSettings(endpoint())).send(
        new DeleteReplicationGroupCommand({ ReplicationGroupId: gone }),
      );
      harness.stub().received.length = 0;
      // Act
      const first = await harness.invoke();
      const staleAfterFirst = harness.stub().received.filter((e) => e.ComplianceType === 'NOT_APPLICABLE');
      const rest = await harness.fullCycle();
      // Assess
      expect(isFinished(first)).to.equal(false);
      expect(staleAfterFirst).to.have.length(0);
      expect(rest.at(-1)).to.have.property('stale', 1);
      const stale = harness.stub().received.filter((e) => e.ComplianceType === 'NOT_APPLICABLE');
      expect(stale.map((e) => e.ComplianceResourceId)).to.have.length(1);
      expect(stale[0]?.ComplianceResourceId).to.match(new RegExp(`:replicationgroup:${gone}$`));
    });
  });
});
