/**
 * Faults between a periodic rule and the Config API, over real HTTP: the real handler and the real Config SDK client
 * (the production client settings: adaptive retries, timeouts) talk through a fault-injecting proxy to the local
 * Config stand-in (scripts/config-stub.ts), which stores what Config would. For every fault the outcome is one of
 * two: every evaluation delivered, or the invocation failing with a message that says how many were not delivered —
 * and what the stand-in stored is checked against what the handler returned or threw, so a partial report can
 * never pass for a complete one.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import type { RouteFacts } from '../../rules/apigwv2-route-authorization/facts';
import { DeliveryError } from '../../rules/core/errors';
import { createConfigRuleHandler, type InvocationResult, type LambdaContext } from '../../rules/core/handler';
import type { RetryPolicy } from '../../rules/core/retry';
import type { AnyRule, ClientSettings, SweptResource } from '../../rules/core/types';
import { dmsMongodbAuthentication } from '../../rules/dms-mongodb-authentication/rule';
import { mskNoUnauthenticatedAccess } from '../../rules/msk-no-unauthenticated-access/rule';
import { startConfigStub, type ConfigStub } from '../../scripts/config-stub';
import { scheduledEvent } from '../helpers/events';
import { routeRuleWithSweep, serviceClientSpy, sweptRoute } from '../rules/core/support';
import { share, startFaultProxy, type FaultProxy } from './fault-proxy';

const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const SILENT = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** The runtime's own retries, with short real back-offs (the SDK's retries run under each attempt as in Lambda). */
const QUICK_RETRY: RetryPolicy = {
  attempts: 4,
  baseDelayMs: 5,
  maxDelayMs: 40,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** `count` routes over APIs of 40, every fifth without authorization (NON_COMPLIANT), the rest JWT. */
function estate(count: number): SweptResource<RouteFacts>[] {
  return Array.from({ length: count }, (_, index) =>
    sweptRoute(Math.floor(index / 40), index % 40, index % 5 === 0 ? 'NONE' : 'JWT'),
  );
}

const key = (resource: { resourceType: string; resourceId: string }): string =>
  `${resource.resourceType}|${resource.resourceId}`;

type Outcome =
  | { readonly kind: 'delivered'; readonly result: InvocationResult }
  | { readonly kind: 'failed'; readonly error: Error };

async function outcomeOf(invocation: Promise<InvocationResult>): Promise<Outcome> {
  try {
    return { kind: 'delivered', result: await invocation };
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    return { kind: 'failed', error };
  }
}

/**
 * The invariant of every fault: a resolved invocation delivered everything and Config holds every verdict; a
 * failed one names how many it delivered and how many it did not, and Config holds exactly the delivered ones.
 */
function assertNothingHidden(
  outcome: Outcome,
  stub: ConfigStub,
  resources: readonly SweptResource<RouteFacts>[],
): void {
  if (outcome.kind === 'delivered') {
    expect(outcome.result.delivered, 'delivered').to.equal(resources.length);
    expect(stub.results.size, 'held by Config').to.equal(resources.length);
    for (const resource of resources) {
      const held = stub.results.get(key(resource));
      expect(held?.ComplianceType, resource.resourceId).to.equal(
        resource.facts.authorizationType === 'NONE' ? 'NON_COMPLIANT' : 'COMPLIANT',
      );
    }
    return;
  }
  const { error } = outcome;
  if (error instanceof DeliveryError) {
    const match = /could not deliver (\d+) evaluation\(s\) \((\d+) delivered\)/.exec(error.message);
    expect(match, error.message).not.to.equal(null);
    expect(Number(match?.[1])).to.equal(error.undelivered);
    expect(Number(match?.[2])).to.equal(error.delivered);
    expect(error.delivered + error.undelivered, 'delivered + undelivered').to.equal(resources.length);
    // A call abandoned at the Lambda deadline may have reached Config: the error counts those as unconfirmed.
    expect(stub.results.size, 'Config holds what the error says was delivered').to.be.within(
      error.delivered,
      error.delivered + error.unconfirmed,
    );
    return;
  }
  // Earlier results could not be read: everything is delivered first, then the invocation fails naming the cleanup.
  expect(error.message).to.match(
    new RegExp(`${resources.length} evaluation\\(s\\) delivered, but stale cleanup failed`),
  );
  expect(stub.results.size).to.equal(resources.length);
}

interface Rig {
  readonly stub: ConfigStub;
  readonly proxy: FaultProxy;
  readonly run: (context?: LambdaContext) => Promise<Outcome>;
  readonly resources: readonly SweptResource<RouteFacts>[];
}

/**
 * A stand-in, a proxy in front of it, and the APIGateway.8 handler over `count` routes whose Config client is the
 * production one (clientSettings) pointed at the proxy; `client` adjusts its settings for a test.
 */
async function rig(
  count: number,
  client: (settings: ClientSettings) => Record<string, unknown> = (settings) => ({ ...settings }),
): Promise<Rig> {
  const stub = await startConfigStub();
  const proxy = await startFaultProxy(stub.endpoint);
  const resources = estate(count);
  const { rule } = routeRuleWithSweep(resources);
  const handler = createConfigRuleHandler(rule, {
    createConfigClient: (settings) =>
      new ConfigServiceClient({
        ...client(settings),
        endpoint: proxy.endpoint,
        credentials: settings.credentials ?? CREDENTIALS,
      }),
    createServiceClient: serviceClientSpy(),
    retry: QUICK_RETRY,
    log: SILENT,
  });
  rigs.push({ stub, proxy });
  return { stub, proxy, resources, run: (context) => outcomeOf(handler(scheduledEvent(), context)) };
}

const rigs: { stub: ConfigStub; proxy: FaultProxy }[] = [];

describe('faults: the Config API (real SDK client over HTTP, through a fault-injecting proxy)', function () {
  this.timeout(60_000);

  afterEach(async () => {
    for (const { stub, proxy } of rigs.splice(0)) {
      await proxy.stop();
      await stub.stop();
    }
  });

  it('throttling on 30% of every Config call: every evaluation is delivered after retries', async () => {
    // Prepare
    const { stub, proxy, resources, run } = await rig(250);
    const throttled = share(0.3);
    proxy.setOptions({ fault: () => (throttled() ? 'throttle' : undefined) });
    // Act
    const outcome = await run();
    // Assess
    expect(outcome.kind).to.equal('delivered');
    expect(proxy.injected.get('throttle') ?? 0).to.be.greaterThan(0);
    assertNothingHidden(outcome, stub, resources);
  });

  for (const fault of ['server-error', 'unavailable'] as const) {
    it(`${fault === 'server-error' ? '500 InternalFailure' : '503 ServiceUnavailable'} on 30% of every Config call: every evaluation is delivered after retries`, async () => {
      // Prepare
      const { stub, proxy, resources, run } = await rig(250);
      const failing = share(0.3, 1);
      proxy.setOptions({ fault: () => (failing() ? fault : undefined) });
      // Act
      const outcome = await run();
      // Assess
      expect(outcome.kind).to.equal('delivered');
      expect(proxy.injected.get(fault) ?? 0).to.be.greaterThan(0);
      assertNothingHidden(outcome, stub, resources);
    });
  }

  it('5xx on every PutEvaluations from the third call on: fails saying 150 were not delivered; Config holds the 200 that were', async () => {
    // Prepare: four batches; the first two go through, then Config keeps failing.
    const { stub, proxy, resources, run } = await rig(350);
    proxy.setOptions({
      fault: (call) => (call.operation === 'PutEvaluations' && call.count >= 3 ? 'server-error' : undefined),
    });
    // Act
    const outcome = await run();
    // Assess
    expect(outcome.kind).to.equal('failed');
    if (outcome.kind !== 'failed') return;
    expect(outcome.error).to.be.instanceOf(DeliveryError);
    expect(outcome.error.message).to.include('could not deliver 150 evaluation(s) (200 delivered)');
    expect(outcome.error.message).to.include('InternalFailure');
    assertNothingHidden(outcome, stub, resources);
  });

  it('a PutEvaluations call that is never answered: the production client times out (5 s), retries and delivers', async () => {
    // Prepare: the production settings (clientSettings) as the handler builds them; only the first call hangs.
    const { stub, proxy, resources, run } = await rig(150);
    proxy.setOptions({
      fault: (call) => (call.operation === 'PutEvaluations' && call.count === 1 ? 'hang' : undefined),
    });
    const started = Date.now();
    // Act
    const outcome = await run();
    // Assess
    const elapsed = Date.now() - started;
    expect(proxy.injected.get('hang')).to.equal(1);
    expect(elapsed, 'waited for the request timeout, not for ever').to.be.within(4_500, 20_000);
    expect(outcome.kind).to.equal('delivered');
    assertNothingHidden(outcome, stub, resources);
  });

  it('calls never answered on a share of PutEvaluations (short timeout): every evaluation is delivered after retries', async () => {
    // Prepare
    const { stub, proxy, resources, run } = await rig(400, (settings) => ({
      ...settings,
      requestHandler: { requestTimeout: 250, throwOnRequestTimeout: true },
    }));
    const hanging = share(0.3);
    proxy.setOptions({
      fault: (call) => (call.operation === 'PutEvaluations' && hanging() ? 'hang' : undefined),
    });
    // Act
    const outcome = await run();
    // Assess
    expect(proxy.injected.get('hang') ?? 0).to.be.greaterThan(0);
    expect(outcome.kind).to.equal('delivered');
    assertNothingHidden(outcome, stub, resources);
  });

  it('Config never answering PutEvaluations (short timeout): fails saying all 120 were not delivered, naming the timeout', async () => {
    // Prepare
    const { stub, proxy, resources, run } = await rig(120, (settings) => ({
      ...settings,
      requestHandler: { requestTimeout: 200, throwOnRequestTimeout: true },
    }));
    proxy.setOptions({ fault: (call) => (call.operation === 'PutEvaluations' ? 'hang' : undefined) });
    // Act
    const outcome = await run();
    // Assess
    expect(outcome.kind).to.equal('failed');
    if (outcome.kind !== 'failed') return;
    expect(outcome.error.message).to.include('could not deliver 120 evaluation(s) (0 delivered)');
    expect(outcome.error.message).to.match(/TimeoutError|timed out|requestTimeout/);
    assertNothingHidden(outcome, stub, resources);
  });

  it('FailedEvaluations for 20% of the evaluations sent: they are resent until every one is delivered', async () => {
    // Prepare
    const { stub, proxy, resources, run } = await rig(300);
    const refused = share(0.2);
    proxy.setOptions({ failEvaluation: () => refused() });
    // Act
    const outcome = await run();
    // Assess
    expect(proxy.injected.get('failed-evaluation') ?? 0).to.be.greaterThan(0);
    expect(outcome.kind).to.equal('delivered');
    assertNothingHidden(outcome, stub, resources);
  });

  it('FailedEvaluations that persist for three resources of the last batch: fails naming them; Config holds every other one', async () => {
    // Prepare
    const { stub, proxy, resources, run } = await rig(250);
    const stuck = new Set(
      [resources[205], resources[230], resources[249]].map((resource) => resource?.resourceId),
    );
    proxy.setOptions({ failEvaluation: (evaluation) => stuck.has(evaluation.ComplianceResourceId) });
    // Act
    const outcome = await run();
    // Assess
    expect(outcome.kind).to.equal('failed');
    if (outcome.kind !== 'failed') return;
    expect(outcome.error.message).to.include('could not deliver 3 evaluation(s) (247 delivered)');
    for (const id of stuck) {
      expect(outcome.error.message).to.include(String(id));
      expect(stub.results.has(`AWS::ApiGatewayV2::Route|${String(id)}`)).to.equal(false);
    }
    assertNothingHidden(outcome, stub, resources);
  });

  it('FailedEvaluations that persist in the first batch: the later batches are still delivered, and the failure counts only the stuck one', async () => {
    // Prepare
    const { stub, proxy, resources, run } = await rig(250);
    const stuckId = resources[7]?.resourceId;
    proxy.setOptions({ failEvaluation: (evaluation) => evaluation.ComplianceResourceId === stuckId });
    // Act
    const outcome = await run();
    // Assess: 99 of the first batch and the 150 after it delivered; the stuck one is not, and the message says so.
    expect(outcome.kind).to.equal('failed');
    if (outcome.kind !== 'failed') return;
    expect(outcome.error.message).to.include('could not deliver 1 evaluation(s) (249 delivered)');
    expect(outcome.error.message).to.include(String(stuckId));
    assertNothingHidden(outcome, stub, resources);
  });

  it('Lambda time running short while delivering: fails saying how many were not delivered; Config holds exactly the rest', async () => {
    // Prepare: 1,000 routes (10 batches) at 300 ms a call against a 2-second budget.
    const { stub, proxy, resources, run } = await rig(1_000);
    proxy.setOptions({ latencyMs: 300 });
    const deadline = Date.now() + 2_000;
    // Act
    const outcome = await run({ getRemainingTimeInMillis: () => deadline - Date.now() });
    // Assess
    expect(outcome.kind).to.equal('failed');
    if (outcome.kind !== 'failed') return;
    expect(outcome.error.message).to.include('ran short of time');
    const error = outcome.error;
    if (!(error instanceof DeliveryError)) throw new Error(`not a DeliveryError: ${error.message}`);
    expect(error.delivered, 'some were delivered before time ran out').to.be.greaterThan(0);
    expect(error.undelivered).to.be.greaterThan(0);
    assertNothingHidden(outcome, stub, resources);
  });

  it('a PutEvaluations call that hangs near the Lambda deadline is abandoned at the deadline, not at the 5 s request timeout', async () => {
    // Prepare: the production client; a 3-second budget (its last 150 ms kept for failing loudly); the first call hangs.
    const { stub, proxy, resources, run } = await rig(150);
    proxy.setOptions({
      fault: (call) => (call.operation === 'PutEvaluations' && call.count === 1 ? 'hang' : undefined),
    });
    const started = Date.now();
    const deadline = started + 3_000;
    // Act
    const outcome = await run({ getRemainingTimeInMillis: () => deadline - Date.now() });
    // Assess
    const elapsed = Date.now() - started;
    expect(elapsed, 'ended at the deadline, before the request timeout').to.be.below(4_000);
    expect(outcome.kind).to.equal('failed');
    if (outcome.kind !== 'failed') return;
    expect(outcome.error.message).to.include('could not deliver 150 evaluation(s) (0 delivered)');
    expect(outcome.error.message).to.include('abandoned at the deadline');
    assertNothingHidden(outcome, stub, resources);
  });

  it('FailedEvaluations that persist for a middle batch: the batches after it are delivered, and the failure counts its resources', async () => {
    // Prepare: four batches; every evaluation of the second is refused each time.
    const { stub, proxy, resources, run } = await rig(350);
    const second = new Set(resources.slice(100, 200).map((resource) => resource.resourceId));
    proxy.setOptions({ failEvaluation: (evaluation) => second.has(evaluation.ComplianceResourceId) });
    // Act
    const outcome = await run();
    // Assess
    expect(outcome.kind).to.equal('failed');
    if (outcome.kind !== 'failed') return;
    expect(outcome.error.message).to.include('could not deliver 100 evaluation(s) (250 delivered)');
    for (const resource of [...resources.slice(0, 100), ...resources.slice(200)]) {
      expect(stub.results.has(key(resource)), resource.resourceId).to.equal(true);
    }
    assertNothingHidden(outcome, stub, resources);
  });

  it('any mix of throttling, 5xx and FailedEvaluations, on every Config call: all delivered, or a failure that says what was not', async () => {
    const mixes = fc.record({
      count: fc.integer({ min: 1, max: 320 }),
      throttle: fc.double({ min: 0, max: 0.9, noNaN: true }),
      serverError: fc.double({ min: 0, max: 0.9, noNaN: true }),
      status: fc.constantFrom('server-error' as const, 'unavailable' as const),
      refuse: fc.double({ min: 0, max: 0.5, noNaN: true }),
      offset: fc.nat(1_000),
    });
    let delivered = 0;
    let failed = 0;
    await fc.assert(
      fc.asyncProperty(mixes, async (mix) => {
        // One SDK attempt per call, without adaptive rate limiting, keeps each run short: the runtime's own retries
        // and accounting are what is under test here (the SDK's are in the tests above).
        const { stub, proxy, resources, run } = await rig(mix.count, (settings) => ({
          ...settings,
          retryMode: 'standard',
          maxAttempts: 1,
        }));
        const throttled = share(mix.throttle, mix.offset);
        const erroring = share(mix.serverError, mix.offset + 7);
        const refused = share(mix.refuse, mix.offset + 13);
        proxy.setOptions({
          fault: () => (throttled() ? 'throttle' : erroring() ? mix.status : undefined),
          failEvaluation: () => refused(),
        });
        const outcome = await run();
        assertNothingHidden(outcome, stub, resources);
        if (outcome.kind === 'delivered') delivered += 1;
        else failed += 1;
        await proxy.stop();
        await stub.stop();
        rigs.splice(0);
      }),
      { numRuns: 20 },
    );
    expect(delivered + failed).to.equal(20);
  });
});

describe('faults: the Config API for a change-triggered rule (one evaluation, over HTTP)', function () {
  this.timeout(60_000);
  const EVENTS = join(__dirname, '..', 'fixtures', 'events');
  const event = (name: string): Record<string, unknown> =>
    JSON.parse(readFileSync(join(EVENTS, name), 'utf8')) as Record<string, unknown>;
  let stub: ConfigStub;
  let proxy: FaultProxy;

  beforeEach(async () => {
    stub = await startConfigStub();
    proxy = await startFaultProxy(stub.endpoint);
  });

  afterEach(async () => {
    await proxy.stop();
    await stub.stop();
  });

  const handlerFor = (rule: AnyRule) =>
    createConfigRuleHandler(rule, {
      createConfigClient: (settings) =>
        new ConfigServiceClient({ ...settings, endpoint: proxy.endpoint, credentials: CREDENTIALS }),
      retry: QUICK_RETRY,
      log: SILENT,
    });

  it('PutEvaluations failing with 5xx on every attempt: the invocation fails saying its one evaluation was not delivered', async () => {
    // Prepare: no execution role, so the only AWS call is PutEvaluations.
    const change = { ...event('change-notification-msk.json'), ruleParameters: '{}' };
    proxy.setOptions({ fault: () => 'unavailable' });
    // Act
    const outcome = await handlerFor(mskNoUnauthenticatedAccess as unknown as AnyRule)(change).then(
      () => 'resolved',
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    // Assess
    expect(outcome).to.include('could not deliver 1 evaluation(s) (0 delivered)');
    expect(outcome).to.include('ServiceUnavailable');
    expect(stub.results.size).to.equal(0);
  });

  it('GetResourceConfigHistory failing with 5xx (oversized item): the endpoint is delivered NON_COMPLIANT, saying its configuration could not be read', async () => {
    // Prepare
    const oversized = { ...event('oversized-notification-dms.json'), ruleParameters: '{}' };
    proxy.setOptions({
      fault: (call) => (call.operation === 'GetResourceConfigHistory' ? 'server-error' : undefined),
    });
    // Act
    const result = await handlerFor(dmsMongodbAuthentication)(oversized);
    // Assess
    expect(result.delivered).to.equal(1);
    const held = [...stub.results.values()];
    expect(held.map((e) => e.ComplianceType)).to.deep.equal(['NON_COMPLIANT']);
    expect(held[0]?.Annotation).to.match(/could not be read \(InternalFailure/);
    expect(proxy.calls.get('GetResourceConfigHistory'), 'retried before failing closed').to.be.greaterThan(1);
  });
});
