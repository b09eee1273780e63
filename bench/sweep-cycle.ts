/**
 * No ceiling, measured: a 100,000-route estate across 10,000 HTTP APIs swept by the real APIGateway.8 rule, and a
 * 100,000-method estate across 10,000 REST APIs swept by the real AUTHN-APIGW-REST rule, each with the real runtime
 * (rules/core/periodic-cycle.ts) over as many invocations as it takes, at API Gateway's published quota
 * (10 requests a second per account, burst 40) with the pack's default share of it. Simulated, in one process:
 * a discrete-event clock drives the Lambda time budget, the rate limiter, 30 ms of latency per call and the
 * stand-ins' quotas, so 70 simulated minutes take about a minute. The stand-ins are in-process fakes of the SDK
 * clients (API Gateway v1 and v2, and Config, with the quotas of bench/harness.ts) and the in-memory progress store with
 * the DynamoDB store's contract (sweep-progress.ts); the DynamoDB store itself is tested against moto.
 * `npm run bench -- --only-sweep-cycle` runs it alone.
 */
import type { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { apigwRestMethodAuthorization } from '../rules/apigw-rest-method-authorization/rule';
import { apigwv2RouteAuthorization } from '../rules/apigwv2-route-authorization/rule';
import {
  API_GATEWAY_ACCOUNT_QUOTA,
  API_GATEWAY_RATE_VARIABLE,
  sweepRate,
  sweepsApiGateway,
} from '../rules/core/api-gateway-quota';
import { runRule, type InvocationResult } from '../rules/core/handler';
import { defaultRuntime, type RuleRuntime } from '../rules/core/invocation';
import type { AnyRule } from '../rules/core/types';
import { RULES } from '../rules/index';
import { TokenBucket, type Clock, type RateLimit } from '../rules/core/rate-limit';
import { MemoryCycleStore } from '../rules/core/sweep-progress';
import { DEFAULT_SETTINGS } from '../deploy/settings';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { PUBLISHED, scheduledEvent } from './harness';

const LATENCY_MS = 30;
const BUDGET_MS = 15 * 60_000;
const EPOCH = Date.parse('2026-12-01T00:00:00.000Z');

/** Time that passes only when every task waits: a discrete-event clock for code that sleeps through `Clock`. */
export class SimulatedClock implements Clock {
  private at = 0;
  private readonly timers: { at: number; seq: number; wake: () => void }[] = [];
  private seq = 0;

  now(): number {
    return this.at;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = { at: this.at + Math.max(0, ms), seq: (this.seq += 1), wake: resolve };
      // Sorted insert: few timers are pending at once (the calls in flight).
      let index = this.timers.length;
      while (index > 0 && (this.timers[index - 1]?.at ?? 0) > timer.at) index -= 1;
      this.timers.splice(index, 0, timer);
    });
  }

  /** Runs `task` to the end, moving time to the next timer whenever everything waits. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    const state = { done: false };
    const outcome = task().finally(() => {
      state.done = true;
    });
    outcome.catch(() => undefined);
    // Read through a function: the flag changes while this loop awaits.
    const finished = (): boolean => state.done;
    while (!finished()) {
      await new Promise((resolve) => setImmediate(resolve));
      if (finished()) break;
      const next = this.timers.shift();
      if (next === undefined) throw new Error('simulation stalled: nothing is waiting on the clock');
      this.at = Math.max(this.at, next.at);
      next.wake();
    }
    return outcome;
  }
}

interface Counters {
  readonly calls: Map<string, number>;
  readonly throttled: Map<string, number>;
}

const count = (map: Map<string, number>, key: string): void => {
  map.set(key, (map.get(key) ?? 0) + 1);
};

function throttle(name: string): Error {
  return Object.assign(new Error('Rate exceeded'), { name, $metadata: { httpStatusCode: 429 } });
}

/**
 * An estate of `apis` APIs with `routesPerApi` routes (GetApis, GetRoutes) or methods (GetRestApis, GetResources with
 * the methods embedded) each, behind one account bucket.
 */
function fakeApiGateway(
  clock: SimulatedClock,
  apis: number,
  routesPerApi: number,
  counters: Counters,
  quota: RateLimit,
) {
  const bucket = new TokenBucket(quota, clock);
  const apiId = (index: number): string => `a${String(index).padStart(6, '0')}`;
  return {
    async send(command: { constructor: { name: string }; input: Record<string, unknown> }): Promise<unknown> {
      const operation = command.constructor.name.replace(/Command$/, '');
      count(counters.calls, operation);
      await clock.sleep(LATENCY_MS);
      if (!bucket.tryTake()) {
        count(counters.throttled, operation);
        throw throttle('TooManyRequestsException');
      }
      const page = Number(command.input.MaxResults ?? 500);
      const start = Number(command.input.NextToken ?? 0);
      if (operation === 'GetApis') {
        const items = Array.from({ length: Math.max(0, Math.min(page, apis - start)) }, (_, offset) => ({
          ApiId: apiId(start + offset),
          Name: `orders-${start + offset}`,
          ProtocolType: 'HTTP',
          Tags: {},
        }));
        return { Items: items, ...(start + page < apis ? { NextToken: String(start + page) } : {}) };
      }
      if (operation === 'GetRestApis') {
        const limit = Number(command.input.limit ?? 25);
        const at = Number(command.input.position ?? 0);
        const items = Array.from({ length: Math.max(0, Math.min(limit, apis - at)) }, (_, offset) => ({
          id: apiId(at + offset),
          name: `shop-${at + offset}`,
          endpointConfiguration: { types: ['REGIONAL'] },
          tags: {},
        }));
        return { items, ...(at + limit < apis ? { position: String(at + limit) } : {}) };
      }
      if (operation === 'GetResources') {
        // One resource per method verb group: /items/<n> with a GET each, embedded (embed=methods).
        const id = String(command.input.restApiId);
        return {
          items: Array.from({ length: routesPerApi }, (_, resource) => ({
            id: `${id}r${resource}`,
            path: `/items/${resource}`,
            resourceMethods: {
              GET: {
                httpMethod: 'GET',
                authorizationType: resource === 0 ? 'NONE' : 'AWS_IAM',
                apiKeyRequired: false,
              },
            },
          })),
        };
      }
      if (operation === 'GetRoutes') {
        const id = String(command.input.ApiId);
        return {
          Items: Array.from({ length: routesPerApi }, (_, route) => ({
            RouteId: `${id}r${route}`,
            RouteKey: `GET /items/${route}`,
            AuthorizationType: route === 0 ? 'NONE' : 'JWT',
          })),
        };
      }
      throw new Error(`fake API Gateway: ${operation} not served`);
    },
    destroy(): void {},
  };
}

/** PutEvaluations, GetComplianceDetailsByConfigRule and StartConfigRulesEvaluation, with Config's quotas. */
function fakeConfig(clock: SimulatedClock, counters: Counters, quota: RateLimit) {
  const buckets = new Map<string, TokenBucket>();
  const held = new Map<
    string,
    { type: string; id: string; compliance: string; annotation?: string; at: number }
  >();
  let snapshot: typeof held extends Map<string, infer V> ? V[] : never = [];
  const starts: number[] = [];
  const received = new Map<string, number>();
  const fake = {
    held,
    starts,
    received,
    async send(command: { constructor: { name: string }; input: Record<string, unknown> }): Promise<unknown> {
      const operation = command.constructor.name.replace(/Command$/, '');
      count(counters.calls, operation);
      await clock.sleep(LATENCY_MS);
      let bucket = buckets.get(operation);
      if (bucket === undefined) buckets.set(operation, (bucket = new TokenBucket(quota, clock)));
      if (!bucket.tryTake()) {
        count(counters.throttled, operation);
        throw throttle('ThrottlingException');
      }
      if (operation === 'PutEvaluations') {
        for (const evaluation of command.input.Evaluations as {
          ComplianceResourceType: string;
          ComplianceResourceId: string;
          ComplianceType: string;
          Annotation?: string;
        }[]) {
          const key = `${evaluation.ComplianceResourceType}|${evaluation.ComplianceResourceId}`;
          count(received, key);
          if (evaluation.ComplianceType === 'NOT_APPLICABLE') held.delete(key);
          else
            held.set(key, {
              type: evaluation.ComplianceResourceType,
              id: evaluation.ComplianceResourceId,
              compliance: evaluation.ComplianceType,
              ...(evaluation.Annotation === undefined ? {} : { annotation: evaluation.Annotation }),
              at: EPOCH + clock.now(),
            });
        }
        return { FailedEvaluations: [] };
      }
      if (operation === 'GetComplianceDetailsByConfigRule') {
        const start = Number(command.input.NextToken ?? 0);
        if (start === 0) snapshot = [...held.values()];
        const page = snapshot.slice(start, start + 100);
        return {
          EvaluationResults: page.map((result) => ({
            EvaluationResultIdentifier: {
              EvaluationResultQualifier: { ResourceType: result.type, ResourceId: result.id },
            },
            ComplianceType: result.compliance,
            ...(result.annotation === undefined ? {} : { Annotation: result.annotation }),
            ResultRecordedTime: new Date(result.at),
          })),
          ...(start + 100 < snapshot.length ? { NextToken: String(start + 100) } : {}),
        };
      }
      if (operation === 'StartConfigRulesEvaluation') {
        const last = starts.at(-1);
        if (last !== undefined && clock.now() - last < 60_000) throw throttle('LimitExceededException');
        starts.push(clock.now());
        return {};
      }
      throw new Error(`fake Config: ${operation} not served`);
    },
    destroy(): void {},
  };
  return fake;
}

export interface SweepCycleFigures {
  /** The rule swept: APIGateway.8 (routes of HTTP APIs) or AUTHN-APIGW-REST (methods of REST APIs). */
  readonly control: string;
  /** What it reports: routes or methods. */
  readonly noun: string;
  /** 1: from an empty Config (every resource new); 2: the next cycle over the unchanged estate. */
  readonly cycle: number;
  readonly sharingSweeps: number;
  readonly apis: number;
  /** Resources (routes or methods) in the estate. */
  readonly routes: number;
  readonly quotaShare: number;
  readonly sweepRatePerSecond: number;
  readonly invocations: number;
  readonly simulatedWallMs: number;
  readonly calls: Record<string, number>;
  readonly throttledCalls: Record<string, number>;
  readonly minimum: Record<string, number>;
  readonly apiGatewayShareUsed: number;
  /** Evaluations delivered in the cycle, and routes delivered more than once in it. */
  readonly delivered: number;
  readonly reportedTwice: number;
  /** Routes Config holds no result for at the end of the cycle. */
  readonly missing: number;
  readonly peakRssMb: number;
  /** Most heap an invocation added over what the stand-ins and the store held before it (a GC before each). */
  readonly invocationHeapMb: number;
  readonly storeWrites: number;
  /** DynamoDB calls for the snapshot of held results: PutItem per chunk, Query pages to read it (held-snapshot.ts). */
  readonly snapshotCalls: number;
  readonly largestPartKb: number;
  readonly realMs: number;
}

/** Whole cycles: the first from an empty Config (every route new), then one over the unchanged estate. */
export async function simulateSweepCycle(
  apis = 10_000,
  routesPerApi = 10,
  cycles = 2,
  rule: AnyRule = apigwv2RouteAuthorization,
): Promise<SweepCycleFigures[]> {
  const listCall = rule === (apigwRestMethodAuthorization as unknown as AnyRule) ? 'GetRestApis' : 'GetApis';
  const readCall = listCall === 'GetRestApis' ? 'GetResources' : 'GetRoutes';
  const clock = new SimulatedClock();
  const counters: Counters = { calls: new Map(), throttled: new Map() };
  const share = DEFAULT_SETTINGS.apiGatewayQuotaShare;
  const sharing = RULES.filter((candidate) => sweepsApiGateway(candidate)).length;
  const rate = sweepRate(share, sharing);
  process.env[API_GATEWAY_RATE_VARIABLE] = String(rate.ratePerSecond);
  const apigw = fakeApiGateway(clock, apis, routesPerApi, counters, PUBLISHED.apiGateway);
  const config = fakeConfig(clock, counters, PUBLISHED.config);
  const store = new MemoryCycleStore();
  // A collection before each invocation leaves only what the stand-ins and the store hold; the peak above that
  // while the invocation runs (sampled every 20 ms of real time, garbage included) is the runtime's own.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  let peakRss = process.memoryUsage().rss;
  let peakHeap = 0;
  const sampler = setInterval(() => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  }, 20);
  const runtime: RuleRuntime<unknown> = {
    ...defaultRuntime(rule),
    createServiceClient: () => apigw,
    createConfigClient: () => config as unknown as ConfigServiceClient,
    cycleStore: () => store,
    clock,
    now: () => new Date(EPOCH + clock.now()),
    retry: { attempts: 4, baseDelayMs: 250, maxDelayMs: 4_000, sleep: (ms: number) => clock.sleep(ms) },
  };
  const figures: SweepCycleFigures[] = [];
  const routes = apis * routesPerApi;
  try {
    for (let cycle = 1; cycle <= cycles; cycle += 1) {
      const realStart = performance.now();
      const cycleStart = clock.now();
      counters.calls.clear();
      counters.throttled.clear();
      config.received.clear();
      const writesBefore = store.writes;
      const snapshotCallsBefore = store.heldWrites + store.heldReads;
      const startsBefore = config.starts.length;
      peakRss = process.memoryUsage().rss;
      let invocationHeap = 0;
      let delivered = 0;
      let invocations = 0;
      let finished = false;
      while (!finished && invocations < 50) {
        invocations += 1;
        const started = clock.now();
        const event = scheduledEvent(rule.ruleName, new Date(EPOCH + clock.now()).toISOString());
        const context = { getRemainingTimeInMillis: () => BUDGET_MS - (clock.now() - started) };
        gc();
        const heldBefore = process.memoryUsage().heapUsed;
        peakHeap = heldBefore;
        const result: InvocationResult = await clock.run(() => runRule(rule, event, runtime, context));
        invocationHeap = Math.max(invocationHeap, peakHeap - heldBefore);
        delivered += result.delivered;
        finished = result.staleCleanup === 'done';
        // Config starts the requested invocation; a minute is the earliest the next request may follow.
        if (!finished)
          await clock.run(() =>
            clock.sleep(Math.max(1_000, 60_000 - (clock.now() - (config.starts.at(-1) ?? 0)))),
          );
      }
      const calls = Object.fromEntries([...counters.calls.entries()].sort());
      const apiGatewayCalls = (counters.calls.get(listCall) ?? 0) + (counters.calls.get(readCall) ?? 0);
      const wallMs = clock.now() - cycleStart;
      figures.push({
        control: rule.control,
        noun: rule.childNoun ?? 'resources',
        cycle,
        sharingSweeps: sharing,
        apis,
        routes,
        quotaShare: share,
        sweepRatePerSecond: rate.ratePerSecond,
        invocations,
        simulatedWallMs: wallMs,
        calls,
        throttledCalls: Object.fromEntries([...counters.throttled.entries()].sort()),
        minimum: {
          [listCall]: Math.ceil(apis / 500),
          [readCall]: apis,
          // Every route once in the first cycle; in the next only the refreshes due (about 1/30 a day).
          PutEvaluations: Math.ceil(delivered / 100),
          // One read of what Config holds (the stale cleanup needs it): nothing held yet in the first cycle.
          GetComplianceDetailsByConfigRule: cycle === 1 ? 1 : Math.ceil(routes / 100),
          StartConfigRulesEvaluation: invocations - 1,
        },
        apiGatewayShareUsed: apiGatewayCalls / (wallMs / 1000) / API_GATEWAY_ACCOUNT_QUOTA.ratePerSecond,
        delivered,
        reportedTwice: [...config.received.values()].filter((times) => times > 1).length,
        missing: routes - config.held.size,
        peakRssMb: peakRss / 2 ** 20,
        invocationHeapMb: invocationHeap / 2 ** 20,
        storeWrites: store.writes - writesBefore,
        snapshotCalls: store.heldWrites + store.heldReads - snapshotCallsBefore,
        largestPartKb: Math.max(0, ...store.partBytes) / 1024,
        realMs: performance.now() - realStart,
      });
      if (config.starts.length - startsBefore !== invocations - 1) {
        throw new Error('bench: an invocation did not start the next one');
      }
      // The next cycle starts at the next scheduled run, a day later.
      await clock.run(() => clock.sleep(24 * 3_600_000 - (clock.now() - cycleStart)));
    }
  } finally {
    clearInterval(sampler);
  }
  return figures;
}

const n = (value: number): string => Math.round(value).toLocaleString('en-US');

/** The section `npm run bench` prints: the route rule's cycles, then the REST rule's; returns the raw figures. */
export async function sweepCycleSection(out: (line?: string) => void): Promise<SweepCycleFigures[]> {
  const all: SweepCycleFigures[] = [];
  for (const rule of [apigwv2RouteAuthorization, apigwRestMethodAuthorization] as unknown as AnyRule[]) {
    const figures = await simulateSweepCycle(10_000, 10, 2, rule);
    const first = figures[0];
    if (first === undefined) throw new Error('bench: no cycle ran');
    const noun = first.noun;
    const apiKind = first.control === apigwRestMethodAuthorization.control ? 'REST APIs' : 'HTTP APIs';
    out(
      `### No ceiling (${first.control}): ${n(first.routes)} ${noun} across ${n(first.apis)} ${apiKind} at the published quota\n`,
    );
    out(
      `Simulated: a discrete-event clock drives the Lambda time budget (15 minutes an invocation), the rate limiter, 30 ms a call and the stand-ins' quotas (API Gateway 10/s burst 40 for the account; Config 10/s burst 40 per operation), so an hour of sweeping takes seconds. The real ${first.control} rule and runtime (rules/core/periodic-cycle.ts) run in process against in-process fakes of the SDK clients and the in-memory progress store with the DynamoDB store's contract (that store is tested against moto). Quota share ${first.quotaShare} (the default) split between ${first.sharingSweeps} API Gateway sweeps: ${first.sweepRatePerSecond} requests a second for this one. Cycle 1 starts from an empty Config; cycle 2 is the next day's run over the unchanged estate.\n`,
    );
    const title = noun.charAt(0).toUpperCase() + noun.slice(1);
    out(
      `| Cycle | Invocations | Simulated wall time | Evaluations delivered | ${title} twice | ${title} missing | API Gateway quota used | Heap per invocation | Process peak RSS | Store writes | Snapshot DynamoDB calls | Largest part (gzip) | Real time |`,
    );
    out('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const f of figures) {
      out(
        `| ${f.cycle} | ${f.invocations} | ${(f.simulatedWallMs / 60_000).toFixed(1)} min | ${n(f.delivered)} | ${f.reportedTwice} | ${f.missing} | ${(f.apiGatewayShareUsed * 100).toFixed(1)} % | ${f.invocationHeapMb.toFixed(0)} MB | ${f.peakRssMb.toFixed(0)} MB | ${f.storeWrites} | ${f.snapshotCalls} | ${f.largestPartKb.toFixed(0)} KB | ${(f.realMs / 1000).toFixed(0)} s |`,
      );
    }
    out();
    out('| Cycle | Operation | Calls | Of them throttled (retried) | Minimum |');
    out('|---:|---|---:|---:|---:|');
    for (const f of figures) {
      for (const [operation, calls] of Object.entries(f.calls)) {
        out(
          `| ${f.cycle} | ${operation} | ${n(calls)} | ${n(f.throttledCalls[operation] ?? 0)} | ${f.minimum[operation] === undefined ? '–' : n(f.minimum[operation] ?? 0)} |`,
        );
      }
    }
    out();
    all.push(...figures);
  }
  return all;
}

if (require.main === module) {
  sweepCycleSection((line = '') => {
    process.stdout.write(`${line}\n`);
  }).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
