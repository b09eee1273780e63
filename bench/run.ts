/**
 * `npm run bench` (`tsx bench/run.ts`): what authn-pack costs on this machine, printed as Markdown.
 *
 *  1. Each rule bundle's size and its cold load (process start to `handler` defined) as a ratio to a bare `node`
 *     start, measured side by side: interleaved rounds in shuffled order, median and p90.
 *  2. Periodic sweeps by the real bundled handlers (dist/<rule>/index.js), each invocation in a fresh process with a
 *     15-minute Lambda time budget and a 256 MB function's heap flags, against local stand-ins on 127.0.0.1 that add
 *     30 ms a call and enforce request quotas: wall time, calls per operation against the minimum, evaluations
 *     reported, throttled calls, requests in flight and peak RSS.
 *  3. Cost: evaluations per run on an unchanged 100,000-route estate, and with ReportUnchanged=true.
 *  4. The pre-deploy gate: `check-template` on 500, 5,000 and 20,000-resource templates (bench/templates.ts), each
 *     in a fresh process: wall time and peak RSS, and whether 20,000 resources fit in 5 s and 300 MB; the same on
 *     500, 5,000 and 20,000-resource Terraform plans (bench/plans.ts).
 *  5. The deploy-time hook: its bundle's cold load (in the table of 1.) and the time it takes to answer one request,
 *     with and without a live read (bench/hook.ts).
 *  6. Refresh: evaluations a day on an unchanged 100,000-route estate with RefreshAfterDays=30 (bench/refresh.ts).
 *  7. No ceiling: 100,000 routes across 10,000 APIs at the published quota, over as many invocations as it takes
 *     (simulated clock, bench/sweep-cycle.ts).
 *  7. CLI start: `authn-pack --help` and `check-template` on a small template from the installed package, each as a
 *     ratio to a bare `node` start measured side by side (bench/cli-start.ts).
 *
 * Options: --reps N (cold-load rounds, default 15), --skip-cold, --skip-scale, --skip-templates, --templates-only
 * (only part 4: no bundles, no stand-ins; about a minute), --skip-plans, --plans-only (only the Terraform plans),
 * --skip-hook, --hook-only (only part 5: the hook's bundle, cold load and answer times; about a minute),
 * --refresh-only (only part 6), --only-sweep-cycle (only part 7), --json FILE (raw results),
 * --refresh-only (only part 6), --json FILE (raw results),
 * (only part 4: no bundles, no stand-ins; about a minute), --skip-hook, --hook-only (only part 5: the hook's bundle,
 * cold load and answer times; about a minute), --refresh-only (only part 6), --skip-cli-start, --only-cli-start
 * (only part 7: about two minutes), --json FILE (raw results),
 * --refresh-only (only part 6), --skip-cli-start, --only-cli-start (only part 7: about two minutes),
 * --json FILE (raw results),
 * --published-quota-100k (also sweep 100,000 routes at API Gateway's published quota: ~15 more minutes; it does
 * not fit one invocation, see BENCHMARKS.md). Not part of `npm test`; test/bench/bench.test.ts keeps it honest.
 */
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { bundleAll, bundleHook } from '../scripts/bundle';
import { cliStart } from './cli-start';
import { refreshSection } from './refresh';
import { sweepCycleSection } from './sweep-cycle';
import {
  LAMBDA_BUDGET_MS,
  LAMBDA_MEMORY_MB,
  PUBLISHED,
  RAISED_TENFOLD,
  compileChild,
  groupEstate,
  lambdaNodeArgs,
  routeEstate,
  type QuotaProfile,
  type RunResult,
} from './harness';
import type { EstateCounts } from './estates';
import { compileHookChild, measureHook } from './hook';
import { TEMPLATE_LIMITS, benchTemplates } from './templates';
import { ROUTES_PER_API } from './estates';
import { PLAN_LIMITS, benchPlans, planTable } from './plans';

const LATENCY_MS = 30;
/** GetRoutes calls the route sweep keeps in flight (rules/apigwv2-route-authorization/sweep.ts). */
const ROUTE_CONCURRENCY = 4;
/** Tag reads the runtime keeps in flight (rules/core/invocation.ts, tagReadConcurrency). */
const TAG_CONCURRENCY = 5;

interface Options {
  readonly reps: number;
  readonly skipCold: boolean;
  readonly skipScale: boolean;
  readonly skipPlans: boolean;
  readonly plansOnly: boolean;
  readonly skipTemplates: boolean;
  readonly templatesOnly: boolean;
  readonly json?: string;
  readonly published100k: boolean;
  readonly skipHook: boolean;
  readonly hookOnly: boolean;
  readonly refreshOnly: boolean;
  readonly sweepCycleOnly: boolean;
  readonly skipCliStart: boolean;
  readonly onlyCliStart: boolean;
}

const FLAGS = new Set([
  '--reps',
  '--skip-cold',
  '--skip-scale',
  '--skip-templates',
  '--templates-only',
  '--skip-hook',
  '--hook-only',
  '--skip-plans',
  '--plans-only',
  '--json',
  '--published-quota-100k',
  '--refresh-only',
  '--only-sweep-cycle',
  '--skip-cli-start',
  '--only-cli-start',
]);

function parseOptions(argv: readonly string[]): Options {
  argv.forEach((arg, index) => {
    const previous = argv[index - 1];
    const isValue = previous === '--reps' || previous === '--json';
    if (!isValue && !FLAGS.has(arg)) {
      throw new Error(`unknown argument ${arg}; options: ${[...FLAGS].join(', ')}`);
    }
  });
  const value = (flag: string): string | undefined => {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const reps = Number(value('--reps') ?? 15);
  if (!Number.isInteger(reps) || reps < 10) throw new Error('--reps must be an integer of at least 10');
  const json = value('--json');
  return {
    reps,
    skipCold: argv.includes('--skip-cold'),
    skipScale: argv.includes('--skip-scale'),
    skipPlans: argv.includes('--skip-plans'),
    plansOnly: argv.includes('--plans-only'),
    skipTemplates: argv.includes('--skip-templates'),
    templatesOnly: argv.includes('--templates-only'),
    ...(json === undefined ? {} : { json }),
    published100k: argv.includes('--published-quota-100k'),
    skipHook: argv.includes('--skip-hook'),
    hookOnly: argv.includes('--hook-only'),
    refreshOnly: argv.includes('--refresh-only'),
    sweepCycleOnly: argv.includes('--only-sweep-cycle'),
    skipCliStart: argv.includes('--skip-cli-start'),
    onlyCliStart: argv.includes('--only-cli-start'),
  };
}

const out = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};
const progress = (line: string): void => {
  process.stderr.write(`… ${line}\n`);
};
const n = (value: number): string => value.toLocaleString('en-US');
const ms = (value: number): string => value.toFixed(0);

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}

// ---------------------------------------------------------------------------------------------------------------
// Cold load

const BARE = "process.stdout.write('ready')";
const LOAD =
  "const m=require(process.env.BENCH_BUNDLE);if(typeof m.handler!=='function')process.exit(3);process.stdout.write('ready')";

/** Milliseconds from spawning `node` to its 'ready' on stdout. */
function timeStart(script: string, bundle: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...lambdaNodeArgs(), '-e', script], {
      env: {
        PATH: process.env.PATH,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        POWERTOOLS_LOG_LEVEL: 'SILENT',
        ...(bundle === undefined ? {} : { BENCH_BUNDLE: bundle }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let ready: number | undefined;
    let stderr = '';
    child.stdout.on('data', () => {
      ready ??= performance.now() - started;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
    }, 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0 && ready !== undefined) resolve(ready);
      else reject(new Error(`cold-load probe failed (exit ${String(code)}): ${stderr.trim()}`));
    });
  });
}

function shuffle<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

async function coldLoad(
  bundles: readonly { ruleName: string; outfile: string; bytes: number }[],
  reps: number,
) {
  const subjects = [
    { name: 'bare node', bundle: undefined, bytes: 0 },
    ...bundles.map((b) => ({ name: b.ruleName, bundle: b.outfile, bytes: b.bytes })),
  ];
  const samples = new Map<string, number[]>(subjects.map((s) => [s.name, []]));
  // One warm-up round (file cache), not counted.
  for (const subject of subjects) await timeStart(subject.bundle === undefined ? BARE : LOAD, subject.bundle);
  for (let round = 0; round < reps; round += 1) {
    for (const subject of shuffle(subjects)) {
      samples
        .get(subject.name)
        ?.push(await timeStart(subject.bundle === undefined ? BARE : LOAD, subject.bundle));
    }
  }
  const bare = samples.get('bare node') ?? [];
  const bareMedian = percentile(bare, 50);
  const bareP90 = percentile(bare, 90);
  out(`| Bundle | Size | Cold load median | p90 | Median ÷ bare node | p90 ÷ bare p90 |`);
  out(`|---|---:|---:|---:|---:|---:|`);
  const rows = subjects.map((subject) => {
    const values = samples.get(subject.name) ?? [];
    const median = percentile(values, 50);
    const p90 = percentile(values, 90);
    return {
      name: subject.name,
      bytes: subject.bytes,
      median,
      p90,
      ratio: median / bareMedian,
      ratioP90: p90 / bareP90,
    };
  });
  for (const row of rows) {
    out(
      `| ${row.name} | ${row.bytes === 0 ? '–' : `${(row.bytes / 1024).toFixed(0)} KiB`} | ${ms(row.median)} ms | ${ms(row.p90)} ms | ${row.ratio.toFixed(2)}× | ${row.ratioP90.toFixed(2)}× |`,
    );
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------------------------
// Scale and cost

interface Check {
  readonly what: string;
  readonly ok: boolean;
}

const checks: Check[] = [];
const check = (what: string, ok: boolean): void => {
  checks.push({ what, ok });
};

function callsCell(result: RunResult): string {
  const operations = [...new Set([...Object.keys(result.minimum), ...Object.keys(result.calls)])];
  return operations
    .map(
      (operation) => `${operation} ${n(result.calls[operation] ?? 0)}/${n(result.minimum[operation] ?? 0)}`,
    )
    .join('<br>');
}

function throttledCell(result: RunResult): string {
  const entries = Object.entries(result.throttled).filter(([, count]) => count > 0);
  return entries.length === 0
    ? '0'
    : entries.map(([operation, count]) => `${operation} ${n(count)}`).join('<br>');
}

function resultRow(estate: string, result: RunResult): string {
  const report = result.report;
  const outcome = report.ok
    ? `${n(report.delivered)} (expected ${n(result.expectedReported)})`
    : `FAILED: ${report.error ?? ''}`;
  return `| ${estate} | ${result.label} | ${(report.wallMs / 1000).toFixed(1)} s | ${outcome} | ${callsCell(result)} | ${throttledCell(result)} | ${result.peakInFlight} | ${(report.maxRssKb / 1024).toFixed(0)} MB |`;
}

function checkRun(estate: string, result: RunResult, concurrency: number, mustFit: boolean): void {
  const label = `${estate}, ${result.label}`;
  check(`${label}: the invocation succeeded`, result.report.ok);
  check(
    `${label}: reported ${n(result.report.delivered)} = expected ${n(result.expectedReported)}`,
    result.report.delivered === result.expectedReported,
  );
  for (const [operation, minimum] of Object.entries(result.minimum)) {
    const calls = result.calls[operation] ?? 0;
    const throttled = result.throttled[operation] ?? 0;
    check(
      `${label}: ${operation} ${n(calls)} calls = minimum ${n(minimum)}${throttled > 0 ? ` + ${n(throttled)} retried after throttling` : ''}`,
      calls - throttled === minimum,
    );
  }
  check(
    `${label}: at most ${concurrency} requests in flight (saw ${result.peakInFlight})`,
    result.peakInFlight <= concurrency,
  );
  check(
    `${label}: peak RSS ${(result.report.maxRssKb / 1024).toFixed(0)} MB < ${LAMBDA_MEMORY_MB} MB`,
    result.report.maxRssKb / 1024 < LAMBDA_MEMORY_MB,
  );
  if (mustFit) {
    check(
      `${label}: ${(result.report.wallMs / 1000).toFixed(0)} s < 15-minute budget`,
      result.report.wallMs < LAMBDA_BUDGET_MS,
    );
  }
}

function verdictCounts(counts: EstateCounts): string {
  return `${n(counts.COMPLIANT)} COMPLIANT, ${n(counts.NON_COMPLIANT)} NON_COMPLIANT, ${n(counts.NOT_APPLICABLE)} NOT_APPLICABLE`;
}

function quotaLine(profile: QuotaProfile): string {
  const q = (limit: { ratePerSecond: number; burst: number }): string =>
    `${limit.ratePerSecond}/s, burst ${limit.burst}`;
  return `API Gateway (GetApis+GetRoutes together) ${q(profile.apiGateway)}; ElastiCache per operation ${q(profile.elastiCache)}; Config per operation ${q(profile.config)}`;
}

const TABLE_HEAD =
  '| Estate | Run | Wall | Evaluations reported | Calls / minimum | Throttled | Peak in flight | Peak RSS |\n|---|---|---:|---:|---|---|---:|---:|';

const FIRST = { label: 'first run', time: '2026-11-25T00:00:00.000Z' };
const UNCHANGED = { label: 'unchanged estate', time: '2026-11-26T00:00:00.000Z' };
const REPORT_UNCHANGED = {
  label: 'ReportUnchanged=true',
  time: '2026-11-27T00:00:00.000Z',
  ruleParameters: { ReportUnchanged: 'true' },
};

async function scale(childPath: string, dist: string): Promise<Record<string, unknown>> {
  const routeBundle = join(dist, 'apigwv2-route-authorization', 'index.js');
  const groupBundle = join(dist, 'elasticache-redis-auth', 'index.js');
  const raw: Record<string, unknown> = {};
  const common = (profile: QuotaProfile, runs: readonly (typeof FIRST)[]) => ({
    childPath,
    latencyMs: LATENCY_MS,
    profile,
    runs,
    onRun: (result: RunResult) => {
      progress(
        `${result.label}: ${(result.report.wallMs / 1000).toFixed(1)} s, ${result.report.ok ? `${n(result.report.delivered)} reported` : (result.report.error ?? 'failed')}`,
      );
    },
  });

  out(`### At the published quotas\n`);
  out(`Quotas: ${quotaLine(PUBLISHED)}. Latency ${LATENCY_MS} ms a call.\n`);
  out(TABLE_HEAD);
  const estateCounts: [string, EstateCounts][] = [];
  for (const apis of [100, 1_000]) {
    const routes = apis * ROUTES_PER_API;
    progress(`${n(routes)} routes (${n(apis)} APIs), published quotas`);
    const { counts, runs } = await routeEstate(apis, {
      ...common(PUBLISHED, [FIRST, UNCHANGED]),
      bundle: routeBundle,
    });
    raw[`routes-${routes}`] = { counts, runs };
    estateCounts.push([`${n(routes)} routes`, counts]);
    for (const result of runs) {
      out(resultRow(`${n(routes)} routes / ${n(apis)} APIs`, result));
      checkRun(`${n(routes)} routes`, result, ROUTE_CONCURRENCY, true);
    }
  }
  progress('5,000 replication groups, published/assumed quotas');
  const groups = await groupEstate(5_000, { ...common(PUBLISHED, [FIRST]), bundle: groupBundle });
  raw['groups-5000'] = groups;
  for (const result of groups.runs) {
    out(resultRow('5,000 replication groups', result));
    checkRun('5,000 groups', result, TAG_CONCURRENCY, true);
  }
  out();
  for (const [name, estate] of estateCounts) out(`- ${name}: ${verdictCounts(estate)}.`);
  out(
    `- 5,000 replication groups: ${verdictCounts(groups.counts)} (two member clusters each, plus a standalone Memcached cluster per ten groups).`,
  );
  out();

  out(`### 100,000 routes / 10,000 APIs\n`);
  out(
    `Quotas: ${quotaLine(RAISED_TENFOLD)}; the route sweep's limiter raised to 100/s to match. Latency ${LATENCY_MS} ms a call.\n`,
  );
  out(TABLE_HEAD);
  progress('100,000 routes (10,000 APIs), quotas ×10: three runs');
  const big = await routeEstate(10_000, {
    ...common(RAISED_TENFOLD, [FIRST, UNCHANGED, REPORT_UNCHANGED]),
    bundle: routeBundle,
  });
  raw['routes-100000'] = big;
  for (const result of big.runs) {
    out(resultRow('100,000 routes / 10,000 APIs', result));
    checkRun('100,000 routes', result, ROUTE_CONCURRENCY, true);
  }
  out();
  out(`Estate: ${verdictCounts(big.counts)}.\n`);

  out(`### Cost: evaluations per run at 100,000 routes\n`);
  out(
    `| Run | Evaluations sent (billed) | Not sent (Config holds the same, or a NOT_APPLICABLE it holds nothing for) | PutEvaluations calls |`,
  );
  out(`|---|---:|---:|---:|`);
  for (const result of big.runs) {
    out(
      `| ${result.label} | ${n(result.report.delivered)} | ${n(result.report.unchanged ?? 0)} | ${n(result.calls.PutEvaluations ?? 0)} |`,
    );
  }
  out();

  const sweepCalls = Math.ceil(10_000 / 500) + 10_000;
  const published = PUBLISHED.apiGateway;
  const seconds = (sweepCalls - published.burst) / published.ratePerSecond;
  out(
    `At the published API Gateway quota the same sweep needs ${n(sweepCalls)} calls at ${published.ratePerSecond}/s after a burst of ${published.burst}: at least ${n(Math.round(seconds))} s, ` +
      `while a 15-minute invocation leaves the sweep ${n((LAMBDA_BUDGET_MS - 60_000) / 1000)} s (the runtime keeps the last minute for delivery). It cannot finish in one invocation; ` +
      '`npm run bench -- --published-quota-100k` measures it (about 15 more minutes).',
  );
  out();
  return raw;
}

/** 100,000 routes at API Gateway's published quota, in one 15-minute invocation: expected to stop, loudly. */
async function published100k(childPath: string, dist: string): Promise<Record<string, unknown>> {
  out(`### 100,000 routes / 10,000 APIs at the published quota\n`);
  out(`Quotas: ${quotaLine(PUBLISHED)}. Latency ${LATENCY_MS} ms a call.\n`);
  out(TABLE_HEAD);
  progress('100,000 routes at the published quota (about 15 minutes)');
  const real = await routeEstate(10_000, {
    childPath,
    latencyMs: LATENCY_MS,
    profile: PUBLISHED,
    runs: [FIRST],
    bundle: join(dist, 'apigwv2-route-authorization', 'index.js'),
  });
  for (const result of real.runs) {
    out(resultRow('100,000 routes / 10,000 APIs', result));
    const label = '100,000 routes at the published quota';
    check(
      `${label}: ${result.report.ok ? 'finished' : `stopped after ${(result.report.wallMs / 1000).toFixed(0)} s: ${result.report.error ?? ''}`}; ${n(result.report.delivered)} evaluations reported (a sweep that cannot finish must report nothing)`,
      result.report.ok
        ? result.report.delivered === result.expectedReported
        : result.report.delivered === 0 && result.heldAfter === 0,
    );
    check(
      `${label}: ${n(result.calls.GetRoutes ?? 0)} GetRoutes calls, ${n(Object.values(result.throttled).reduce((a, b) => a + b, 0))} throttled`,
      Object.values(result.throttled).every((count) => count === 0),
    );
  }
  out();
  return { 'routes-100000-published': real };
}

// ---------------------------------------------------------------------------------------------------------------
// The pre-deploy gate

async function templateSection(folder: string): Promise<Record<string, unknown>> {
  out(`## Pre-deploy gate (check-template)\n`);
  out(
    'Each run: `authn-pack check-template <path> --format json` in a fresh `node` (the real bin, tsx loading the sources): wall time from spawn to exit, CPU time (user + system) and peak RSS of that process. CloudFormation takes at most 500 resources per stack, so 20,000 resources reach the gate as a cdk.out folder of 40 stacks; the single 20,000-resource templates are a stress case. Templates: blocks of 20 resources (an HTTP API with a JWT authorizer and 8 routes, one open and one exempted; an AppSync API, an MSK cluster, an ElastiCache group and a DMS endpoint; a function, a role, two queues, a topic and a log group no control reads). The limits are checked on CPU time: on a machine shared with other jobs, wall time includes waiting for a core.\n',
  );
  const runs = await benchTemplates(folder, undefined, progress);
  out('| Input | Resources | Size | CPU | Wall | Peak RSS | Findings |');
  out('|---|---:|---:|---:|---:|---:|---:|');
  for (const run of runs) {
    out(
      `| ${run.kind} | ${n(run.resources)} | ${(run.bytes / 2 ** 20).toFixed(1)} MB | ${(run.cpuMs / 1000).toFixed(2)} s | ${(run.wallMs / 1000).toFixed(2)} s | ${run.maxRssMb.toFixed(0)} MB | ${n(run.findings)} |`,
    );
  }
  out();
  for (const run of runs) {
    if (run.error !== undefined)
      check(`${run.kind}, ${n(run.resources)} resources: ran (${run.error})`, false);
    if (run.resources !== TEMPLATE_LIMITS.resources) continue;
    check(
      `${run.kind}, ${n(run.resources)} resources judged in ${(run.cpuMs / 1000).toFixed(2)} s CPU (limit ${TEMPLATE_LIMITS.wallMs / 1000} s) and ${run.maxRssMb.toFixed(0)} MB (limit ${TEMPLATE_LIMITS.maxRssMb} MB)`,
      run.cpuMs < TEMPLATE_LIMITS.wallMs && run.maxRssMb < TEMPLATE_LIMITS.maxRssMb,
    );
  }
  return { templates: runs };
}

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const started = performance.now();
  out(`# authn-pack bench\n`);
  out(
    `Machine: ${availableParallelism()} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${process.platform}/${process.arch}; ${new Date().toISOString()}.\n`,
  );
  if (options.refreshOnly) {
    out(`## Periodic sweeps\n`);
    refreshSection(out);
    return;
  }
  if (options.sweepCycleOnly) {
    out(`## Periodic sweeps\n`);
    for (const figures of await sweepCycleSection(out)) {
      check(
        `no ceiling (${figures.control}), cycle ${figures.cycle}: ${figures.routes} ${figures.noun} reconciled over ${figures.invocations} invocations, none twice, none missing, ${figures.invocationHeapMb.toFixed(0)} MB heap per invocation < 256 MB`,
        figures.reportedTwice === 0 && figures.missing === 0 && figures.invocationHeapMb < 256,
      );
    }
    finish(options);
    return;
  }
  const workdir = join(tmpdir(), `authn-bench-${process.pid}`);
  try {
    if (options.plansOnly) {
      Object.assign(raw, await planSection());
    } else if (options.onlyCliStart) {
      raw.cliStart = await cliStartSection(options);
    } else if (options.templatesOnly) {
      Object.assign(raw, await templateSection(join(workdir, 'templates')));
      if (!options.skipPlans) Object.assign(raw, await planSection());
    } else if (options.hookOnly) {
      progress('bundling the hook (dist/hook)');
      const hook = await bundleHook();
      await hookSections(options, hook, workdir);
    } else {
      progress('bundling every rule and the hook (dist/)');
      const bundles = await bundleAll();
      const hook = await bundleHook();
      const childPath = await compileChild(workdir);
      await sections(options, options.skipHook ? bundles : [...bundles, hook], childPath);
      if (!options.skipHook) await hookAnswers(options, hook, workdir);
    }
    finish(options);
  } finally {
    rmSync(workdir, { recursive: true, force: true });
  }
  out(`Bench time: ${((performance.now() - started) / 60_000).toFixed(1)} minutes.`);
  if (checks.some((entry) => !entry.ok)) process.exitCode = 1;
}

const raw: Record<string, unknown> = {};

function finish(options: Options): void {
  if (checks.length > 0) {
    out(`## Checks\n`);
    for (const entry of checks) out(`- ${entry.ok ? 'ok' : 'FAILED'}: ${entry.what}`);
    out();
  }
  if (options.json !== undefined)
    writeFileSync(options.json, `${JSON.stringify({ checks, ...raw }, null, 2)}\n`);
}

type Bundle = { ruleName: string; outfile: string; bytes: number };

/** --hook-only: the hook bundle's cold load beside a bare node, then its answer times. */
async function hookSections(options: Options, hook: Bundle, workdir: string): Promise<void> {
  if (!options.skipCold) {
    out(`## Hook bundle and cold load\n`);
    progress(`cold load: ${options.reps} rounds × 2 processes`);
    raw.coldLoad = await coldLoad([hook], options.reps);
    out();
  }
  await hookAnswers(options, hook, workdir);
}

/** Latency the API Gateway stand-in adds to every call the hook makes (as for the sweeps). */
const HOOK_READ_LATENCY_MS = 30;

async function hookAnswers(options: Options, hook: Bundle, workdir: string): Promise<void> {
  out(`## Deploy-time hook: time to answer one request\n`);
  out(
    `${options.reps} fresh \`node ${lambdaNodeArgs().join(' ')}\` processes, each loading ${hook.ruleName} (${(hook.bytes / 1024).toFixed(0)} KiB) and answering each request twice: first time in the process (the first route request also creates the SDK client), then warm. Reads go to the API Gateway stand-in, ${HOOK_READ_LATENCY_MS} ms a call. The Hooks service waits 30 s; the handler gives itself 25 s.\n`,
  );
  progress(`hook answers: ${options.reps} processes`);
  const childPath = await compileHookChild(workdir);
  const result = await measureHook(childPath, hook.outfile, options.reps, HOOK_READ_LATENCY_MS);
  out(`| Request | Answer | First answer median | p90 | Warm answer median | p90 |`);
  out(`|---|---|---:|---:|---:|---:|`);
  for (const entry of result.cases) {
    out(
      `| ${entry.label} | ${entry.expected} | ${ms(percentile(entry.first, 50))} ms | ${ms(percentile(entry.first, 90))} ms | ${ms(percentile(entry.warm, 50))} ms | ${ms(percentile(entry.warm, 90))} ms |`,
    );
    check(`hook: ${entry.label} answered ${entry.expected} every time`, entry.wrong.length === 0);
  }
  out();
  out(
    `Bundle loaded (process start to handler defined, in the process): median ${ms(percentile(result.loadMs, 50))} ms, p90 ${ms(percentile(result.loadMs, 90))} ms.\n`,
  );
  const slowest = Math.max(...result.cases.flatMap((entry) => entry.first), ...result.loadMs);
  check(`hook: every answer within 25 s (slowest first answer or load ${ms(slowest)} ms)`, slowest < 25_000);
  raw.hook = result;
}

async function sections(options: Options, bundles: readonly Bundle[], childPath: string): Promise<void> {
  const dist = join(__dirname, '..', 'dist');
  if (!options.skipCold) {
    out(`## Bundles and cold load\n`);
    out(
      `${options.reps} interleaved rounds in shuffled order (plus one warm-up), each a fresh \`node ${lambdaNodeArgs().join(' ')}\`; time from spawn to "handler defined".\n`,
    );
    progress(`cold load: ${options.reps} rounds × ${bundles.length + 1} processes`);
    raw.coldLoad = await coldLoad(bundles, options.reps);
    out();
  }
  if (!options.skipScale) {
    out(`## Periodic sweeps\n`);
    out(
      `Each run: the real bundle in a fresh \`node ${lambdaNodeArgs().join(' ')}\` (a ${LAMBDA_MEMORY_MB} MB function's heap), a ScheduledNotification and a context whose getRemainingTimeInMillis counts down 15 minutes. Calls / minimum: calls received by the stand-ins against the fewest the estate allows (ceil(APIs/500) GetApis, one GetRoutes per API, ceil(held/100) GetComplianceDetailsByConfigRule pages, ceil(reported/100) PutEvaluations; for ElastiCache both Describe sweeps in pages of 100 and one ListTagsForResource per group that would fail).\n`,
    );
    Object.assign(raw, await scale(childPath, dist));
  }
  if (options.published100k) {
    if (options.skipScale) out(`## Periodic sweeps\n`);
    Object.assign(raw, await published100k(childPath, dist));
  }
  if (!options.skipTemplates)
    Object.assign(raw, await templateSection(join(dirname(childPath), 'templates')));
  if (!options.skipPlans) Object.assign(raw, await planSection());
  progress('refresh: 120 daily runs over 100,000 routes');
  raw.refresh = refreshSection(out);
  progress('no ceiling: 100,000-route and 100,000-method cycles over several invocations (simulated clock)');
  raw.sweepCycle = await sweepCycleSection(out);
  if (!options.skipCliStart) raw.cliStart = await cliStartSection(options);
}

/** Part 7: the installed command's start, side by side with a bare node start. */
async function cliStartSection(options: Options): Promise<unknown> {
  out(`## CLI start\n`);
  out(
    `The package as a user installs it (npm pack, npm install --offline into an empty folder); ${options.reps} interleaved rounds in shuffled order (plus one warm-up), each a fresh \`node\`, timed from spawn to exit.\n`,
  );
  const rows = await cliStart(options.reps, progress);
  out(`| Command | Median | p90 | Median ÷ bare node |`);
  out(`|---|---:|---:|---:|`);
  for (const row of rows)
    out(`| \`${row.name}\` | ${ms(row.median)} ms | ${ms(row.p90)} ms | ${row.ratio.toFixed(2)}× |`);
  out();
  for (const row of rows.slice(1))
    check(`${row.name}: median ${ms(row.median)} ms, under 500 ms`, row.median < 500);
  return rows;
}

async function planSection(): Promise<Record<string, unknown>> {
  out(`## Pre-deploy gate on Terraform plans (check-template)\n`);
  out(
    'Each run: `authn-pack check-template plan.json --format json` in a fresh `node` (the runner of the template part): CPU time (user + system), wall time from spawn to exit, the load average when it ended, peak RSS. Plans: the root-module resources of the real plans in test/fixtures/terraform copied to size (bench/plans.ts). The time limit is checked on CPU time, as for templates: on a shared machine wall time includes waiting for a core.\n',
  );
  const runs = await benchPlans(progress);
  for (const line of planTable(runs)) out(line);
  out();
  const largest = runs.find((entry) => entry.resources === PLAN_LIMITS.resources);
  check(
    `a ${n(PLAN_LIMITS.resources)}-resource Terraform plan is judged in ${largest === undefined ? '?' : (largest.cpuMs / 1000).toFixed(2)} s CPU (limit ${n(PLAN_LIMITS.wallMs / 1000)} s) and ${largest === undefined ? '?' : largest.maxRssMb.toFixed(0)} MB (limit ${n(PLAN_LIMITS.maxRssMb)} MB)`,
    largest !== undefined && largest.cpuMs < PLAN_LIMITS.wallMs && largest.maxRssMb < PLAN_LIMITS.maxRssMb,
  );
  check(
    'no sensitive value of a plan appears in the output',
    runs.every((entry) => entry.secretsShown === 0),
  );
  return { plans: runs };
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
