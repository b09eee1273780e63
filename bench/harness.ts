/**
 * The bench's moving parts, shared by `npm run bench` (bench/run.ts) and its smoke test (test/bench): the local
 * stand-ins for API Gateway v2, ElastiCache and Config, the real bundled handlers run each in a fresh process,
 * and the minimum number of calls a sweep of a given estate can make.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { RateLimit } from '../rules/core/rate-limit';
import { API_GATEWAY_RATE_VARIABLE } from '../rules/apigwv2-route-authorization/sweep';
import { ELASTICACHE_RATE_VARIABLE } from '../rules/elasticache-redis-auth/sweep';
import { startConfigStub, type ConfigStub } from '../scripts/config-stub';
import type { ChildInput, ChildReport } from './child';
import {
  ACCOUNT,
  REGION,
  ROUTES_PER_API,
  clusterCount,
  groupEstateCounts,
  groupsReadForTags,
  routeEstateCounts,
  type EstateCounts,
} from './estates';
import { startApiGatewayServer, MAX_PAGE_SIZE, type ApiGatewayServer } from './servers/apigateway';
import type { CallCounts, Quota } from './servers/common';
import { startElastiCacheServer, type ElastiCacheServer } from './servers/elasticache';

export const LAMBDA_BUDGET_MS = 15 * 60 * 1000;
export const LAMBDA_MEMORY_MB = 256;

/**
 * The V8 heap flags Lambda's Node.js bootstrap derives from the function's memory (a tenth for the young
 * generation, in two semi-spaces; the rest for the old generation), so the child collects garbage under the
 * same pressure as a 256 MB function and its peak RSS means what it would there.
 */
export function lambdaNodeArgs(memoryMb: number = LAMBDA_MEMORY_MB): string[] {
  const newSpace = Math.floor(memoryMb / 10);
  return [`--max-semi-space-size=${Math.floor(newSpace / 2)}`, `--max-old-space-size=${memoryMb - newSpace}`];
}

/** Request quotas the stand-ins enforce (token buckets), and the client-side rates the rules are run with. */
export interface QuotaProfile {
  readonly name: string;
  readonly apiGateway: RateLimit;
  readonly elastiCache: RateLimit;
  readonly config: RateLimit;
  /** Requests per second the rules' own limiters use (environment overrides); absent: the rules' defaults. */
  readonly clientApiGatewayRps?: number;
  readonly clientElastiCacheRps?: number;
}

/**
 * The quotas the stand-ins enforce. API Gateway publishes one for its management API: "Total operations",
 * 10 requests a second with a burst of 40, per account, not adjustable. ElastiCache and Config publish none for
 * the calls made here; the same order is assumed (10 a second per operation, bursts of 20 and 40).
 */
export const PUBLISHED: QuotaProfile = {
  name: 'published (API Gateway) / assumed (ElastiCache, Config)',
  apiGateway: { ratePerSecond: 10, burst: 40 },
  elastiCache: { ratePerSecond: 10, burst: 20 },
  config: { ratePerSecond: 10, burst: 40 },
};

/**
 * At the published quota a 10,000-API sweep needs 10,020 calls, about 1,000 s: more than a 15-minute invocation
 * (the sweep may use 840 s of it). To measure everything else at 100,000 routes (calls against the minimum, memory,
 * cost per run) within the bench's time, the 100,000-route estate is also swept with API Gateway's and Config's
 * quotas raised tenfold and the route sweep's limiter raised to match (its environment override).
 */
export const RAISED_TENFOLD: QuotaProfile = {
  name: 'quotas ×10 (API Gateway 100/s, Config 100/s): NOT the published quota',
  apiGateway: { ratePerSecond: 100, burst: 400 },
  elastiCache: PUBLISHED.elastiCache,
  config: { ratePerSecond: 100, burst: 400 },
  clientApiGatewayRps: 100,
};

export function apiGatewayQuota(limit: RateLimit): Quota {
  return { limits: { management: limit }, bucketOf: () => 'management' };
}

export function perOperationQuota(operations: readonly string[], limit: RateLimit): Quota {
  return { limits: Object.fromEntries(operations.map((operation) => [operation, limit])) };
}

// ---------------------------------------------------------------------------------------------------------------
// The child process

/** Compiles a bench process's entry (bench/<entry>) to plain CommonJS, so it runs with no TypeScript loader. */
export async function compileBenchProcess(
  entry: string,
  outdir: string,
  outfileName: string,
): Promise<string> {
  mkdirSync(outdir, { recursive: true });
  const outfile = join(outdir, outfileName);
  await build({
    entryPoints: [join(__dirname, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'error',
  });
  return outfile;
}

/** Compiles bench/child.ts, the process that runs one rule invocation. */
export const compileChild = (outdir: string): Promise<string> =>
  compileBenchProcess('child.ts', outdir, 'bench-child.cjs');

export interface Endpoints {
  readonly apigatewayv2?: string;
  readonly elasticache?: string;
  readonly config: string;
}

/** The environment of a Lambda-like process: test credentials, and every AWS endpoint on 127.0.0.1. */
export function childEnvironment(endpoints: Endpoints, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    // Anything not routed below goes to a closed loopback port and fails at once, never off the machine.
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    AWS_ENDPOINT_URL_CONFIG_SERVICE: endpoints.config,
    ...(endpoints.apigatewayv2 === undefined
      ? {}
      : { AWS_ENDPOINT_URL_APIGATEWAYV2: endpoints.apigatewayv2 }),
    ...(endpoints.elasticache === undefined ? {} : { AWS_ENDPOINT_URL_ELASTICACHE: endpoints.elasticache }),
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    ...extra,
  };
}

/**
 * Runs a compiled bench process in a fresh `node`, its input in the environment variable `inputVariable`, and
 * resolves with the report it sends over IPC; kills the process (by its own handle) if it outlives `timeoutMs`.
 */
export function runBenchProcess<Report>(
  childPath: string,
  inputVariable: string,
  input: unknown,
  env: NodeJS.ProcessEnv,
  nodeArgs: readonly string[],
  timeoutMs: number,
): Promise<Report & { wallMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...nodeArgs, childPath], {
      env: { ...env, [inputVariable]: JSON.stringify(input) },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let report: Report | undefined;
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      if (stderr.length < 10_000) stderr += chunk.toString('utf8');
    });
    child.on('message', (message) => {
      report = message as Report;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const wallMs = performance.now() - started;
      if (report !== undefined) resolve({ ...report, wallMs });
      else
        reject(
          new Error(
            `bench process ${childPath} ended (code ${String(code)}, signal ${String(signal)}) without a report: ${stderr.trim()}`,
          ),
        );
    });
  });
}

/** Runs one invocation in a fresh `node` (bench/child.ts). */
export function runHandler(
  childPath: string,
  input: ChildInput,
  env: NodeJS.ProcessEnv,
  nodeArgs: readonly string[] = lambdaNodeArgs(),
  timeoutMs = input.budgetMs + 60_000,
): Promise<ChildReport & { wallMs: number }> {
  return runBenchProcess<ChildReport>(childPath, 'BENCH_CHILD_INPUT', input, env, nodeArgs, timeoutMs);
}

export function scheduledEvent(
  ruleName: string,
  time: string,
  ruleParameters: Record<string, string> = {},
): Record<string, unknown> {
  return {
    version: '1.0',
    invokingEvent: JSON.stringify({
      awsAccountId: ACCOUNT,
      notificationCreationTime: time,
      messageType: 'ScheduledNotification',
      recordVersion: '1.0',
    }),
    ruleParameters: JSON.stringify(ruleParameters),
    resultToken: `bench-${ruleName}-${time}`,
    eventLeftScope: false,
    executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
    configRuleArn: `arn:aws:config:${REGION}:${ACCOUNT}:config-rule/config-rule-bench01`,
    configRuleName: ruleName,
    configRuleId: 'config-rule-bench01',
    accountId: ACCOUNT,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Runs and their minimum

export interface RunResult {
  readonly label: string;
  readonly report: ChildReport & { wallMs: number };
  /** Calls per operation across every stand-in, this run only. */
  readonly calls: Record<string, number>;
  readonly minimum: Record<string, number>;
  readonly throttled: Record<string, number>;
  /** Most requests in flight at once at the swept service. */
  readonly peakInFlight: number;
  /** Config results held before and after the run. */
  readonly heldBefore: number;
  readonly heldAfter: number;
  /** The evaluations the run had to report, by the estate's design. */
  readonly expectedReported: number;
}

const pages = (items: number, pageSize: number): number => Math.ceil(items / pageSize);

export function routeMinimum(apis: number, heldBefore: number, reported: number): Record<string, number> {
  return {
    GetApis: Math.max(1, pages(apis, MAX_PAGE_SIZE)),
    GetRoutes: apis * Math.max(1, pages(ROUTES_PER_API, MAX_PAGE_SIZE)),
    GetComplianceDetailsByConfigRule: Math.max(1, pages(heldBefore, 100)),
    PutEvaluations: pages(reported, 100),
  };
}

export function groupMinimum(groups: number, heldBefore: number, reported: number): Record<string, number> {
  return {
    DescribeReplicationGroups: Math.max(1, pages(groups, 100)),
    DescribeCacheClusters: groups === 0 ? 0 : Math.max(1, pages(clusterCount(groups), 100)),
    ListTagsForResource: groupsReadForTags(groups),
    GetComplianceDetailsByConfigRule: Math.max(1, pages(heldBefore, 100)),
    PutEvaluations: pages(reported, 100),
  };
}

function diff(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(after)) {
    const delta = value - (before[key] ?? 0);
    if (delta !== 0) out[key] = delta;
  }
  return out;
}

function configCounts(stub: ConfigStub): CallCounts {
  return {
    calls: Object.fromEntries(stub.calls),
    throttled: Object.fromEntries(stub.throttledCalls),
    peakInFlight: stub.peakInFlight(),
  };
}

/** What a run must report: first run (nothing held) the COMPLIANT/NON_COMPLIANT ones; unchanged: none; ReportUnchanged: all. */
export function expectedReported(counts: EstateCounts, heldBefore: number, reportUnchanged: boolean): number {
  if (reportUnchanged) return counts.resources;
  return heldBefore === 0 ? counts.COMPLIANT + counts.NON_COMPLIANT : 0;
}

interface Service {
  counts(): CallCounts;
  resetCounts(): void;
}

async function measuredRun(
  label: string,
  service: Service,
  stub: ConfigStub,
  run: () => Promise<ChildReport & { wallMs: number }>,
  minimumFor: (heldBefore: number, reported: number) => Record<string, number>,
  expected: (heldBefore: number) => number,
): Promise<RunResult> {
  service.resetCounts();
  const configBefore = configCounts(stub);
  const heldBefore = stub.results.size;
  const report = await run();
  const configAfter = configCounts(stub);
  const serviceCounts = service.counts();
  const expectedCount = expected(heldBefore);
  return {
    label,
    report,
    calls: { ...serviceCounts.calls, ...diff(configAfter.calls, configBefore.calls) },
    minimum: minimumFor(heldBefore, expectedCount),
    throttled: { ...serviceCounts.throttled, ...diff(configAfter.throttled, configBefore.throttled) },
    peakInFlight: serviceCounts.peakInFlight,
    heldBefore,
    heldAfter: stub.results.size,
    expectedReported: expectedCount,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Estates

export interface RunSpec {
  readonly label: string;
  readonly time: string;
  readonly ruleParameters?: Record<string, string>;
}

export interface EstateOptions {
  readonly childPath: string;
  readonly bundle: string;
  readonly latencyMs: number;
  readonly profile: QuotaProfile;
  readonly runs: readonly RunSpec[];
  readonly budgetMs?: number;
  /** Called after each run (progress output). */
  readonly onRun?: (result: RunResult) => void;
}

function clientRates(profile: QuotaProfile): NodeJS.ProcessEnv {
  return {
    ...(profile.clientApiGatewayRps === undefined
      ? {}
      : { [API_GATEWAY_RATE_VARIABLE]: String(profile.clientApiGatewayRps) }),
    ...(profile.clientElastiCacheRps === undefined
      ? {}
      : { [ELASTICACHE_RATE_VARIABLE]: String(profile.clientElastiCacheRps) }),
  };
}

function configQuota(profile: QuotaProfile): Record<string, RateLimit> {
  return { PutEvaluations: profile.config, GetComplianceDetailsByConfigRule: profile.config };
}

/** The stand-in swept: its call counts, and stopping it. */
interface EstateService extends Service {
  stop(): Promise<void>;
}

/**
 * Runs each spec of `options` against the swept stand-in and a fresh Config stand-in, each run in a fresh process;
 * stops both when done.
 */
async function sweepEstate(
  service: EstateService,
  endpoints: Omit<Endpoints, 'config'>,
  counts: EstateCounts,
  ruleName: string,
  minimumFor: (heldBefore: number, reported: number) => Record<string, number>,
  options: EstateOptions,
): Promise<{ counts: EstateCounts; runs: RunResult[] }> {
  try {
    const stub = await startConfigStub({
      latencyMs: options.latencyMs,
      rateLimits: configQuota(options.profile),
    });
    try {
      const env = childEnvironment({ ...endpoints, config: stub.endpoint }, clientRates(options.profile));
      const results: RunResult[] = [];
      for (const spec of options.runs) {
        const reportUnchanged = spec.ruleParameters?.ReportUnchanged === 'true';
        const result = await measuredRun(
          spec.label,
          service,
          stub,
          () =>
            runHandler(
              options.childPath,
              {
                bundle: options.bundle,
                event: scheduledEvent(ruleName, spec.time, spec.ruleParameters),
                budgetMs: options.budgetMs ?? LAMBDA_BUDGET_MS,
              },
              env,
            ),
          minimumFor,
          (heldBefore) => expectedReported(counts, heldBefore, reportUnchanged),
        );
        results.push(result);
        options.onRun?.(result);
      }
      return { counts, runs: results };
    } finally {
      await stub.stop();
    }
  } finally {
    await service.stop();
  }
}

/** Sweeps an estate of `apis` APIs (ROUTES_PER_API routes each) once per run spec, each run in a fresh process. */
export async function routeEstate(
  apis: number,
  options: EstateOptions,
): Promise<{ counts: EstateCounts; runs: RunResult[] }> {
  const server: ApiGatewayServer = await startApiGatewayServer({
    apis,
    latencyMs: options.latencyMs,
    quota: apiGatewayQuota(options.profile.apiGateway),
  });
  return sweepEstate(
    server,
    { apigatewayv2: server.endpoint },
    routeEstateCounts(apis),
    'authn-apigwv2-route-authorization-bench',
    (heldBefore, reported) => routeMinimum(apis, heldBefore, reported),
    options,
  );
}

/** Sweeps an estate of `groups` replication groups once per run spec. */
export async function groupEstate(
  groups: number,
  options: EstateOptions,
): Promise<{ counts: EstateCounts; runs: RunResult[] }> {
  const server: ElastiCacheServer = await startElastiCacheServer({
    groups,
    latencyMs: options.latencyMs,
    quota: perOperationQuota(
      ['DescribeReplicationGroups', 'DescribeCacheClusters', 'ListTagsForResource'],
      options.profile.elastiCache,
    ),
  });
  return sweepEstate(
    server,
    { elasticache: server.endpoint },
    groupEstateCounts(groups),
    'authn-elasticache-redis-auth-bench',
    (heldBefore, reported) => groupMinimum(groups, heldBefore, reported),
    options,
  );
}
