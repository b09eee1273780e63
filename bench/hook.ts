/**
 * The deploy-time hook's part of the bench: the time the bundled hook (dist/hook/index.js) takes to answer one
 * request, in a fresh process each round, against the API Gateway stand-in (30 ms a call) for the reads a route
 * needs. Three requests, each answered twice in the same process (the first with a cold SDK client, the second
 * warm): an MSK cluster (no live read), an HTTP route (GetApi) and a WebSocket route (GetApi + GetRoutes).
 * Its cold load is measured with the rule bundles' (bench/run.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiAt } from './estates';
import { childEnvironment, compileBenchProcess, lambdaNodeArgs, runBenchProcess } from './harness';
import type { HookChildInput, HookChildReport } from './hook-child';
import { startApiGatewayServer } from './servers/apigateway';

const SAMPLES = join(__dirname, '..', 'samples', 'hook-events');

/** Compiles bench/hook-child.ts, the process that answers hook requests. */
export const compileHookChild = (outdir: string): Promise<string> =>
  compileBenchProcess('hook-child.ts', outdir, 'bench-hook-child.cjs');

interface Sample {
  requestData: { targetModel: { resourceProperties: Record<string, unknown> } };
}

function sample(file: string): Sample {
  return JSON.parse(readFileSync(join(SAMPLES, file), 'utf8')) as Sample;
}

function withProperties(request: Sample, properties: Record<string, unknown>): Sample {
  return {
    ...request,
    requestData: {
      ...request.requestData,
      targetModel: {
        ...request.requestData.targetModel,
        resourceProperties: { ...request.requestData.targetModel.resourceProperties, ...properties },
      },
    },
  };
}

export interface HookCase {
  readonly label: string;
  readonly request: unknown;
  readonly expected: string;
}

/** The requests of one round, with the answer each must get (the stand-in's first HTTP and WebSocket APIs). */
export function hookCases(): HookCase[] {
  const http = apiAt(0);
  const webSocket = apiAt(9);
  if (http.protocolType !== 'HTTP' || webSocket.protocolType !== 'WEBSOCKET') {
    throw new Error('bench estate changed: API 0 must be HTTP and API 9 WebSocket');
  }
  const route = sample('apigateway8-route-jwt.json');
  return [
    {
      label: 'AWS::MSK::Cluster (no live read)',
      request: sample('msk6-unauthenticated-beside-iam.json'),
      expected: 'FAILED NonCompliant',
    },
    {
      label: 'HTTP route (GetApi)',
      request: withProperties(route, { ApiId: http.apiId }),
      expected: 'SUCCESS',
    },
    {
      label: 'WebSocket route (GetApi + GetRoutes)',
      request: withProperties(route, {
        ApiId: webSocket.apiId,
        RouteKey: 'sendMessage',
        AuthorizationType: 'NONE',
      }),
      expected: 'SUCCESS',
    },
  ];
}

const runHookChild = (
  childPath: string,
  input: HookChildInput,
  env: NodeJS.ProcessEnv,
): Promise<HookChildReport> =>
  runBenchProcess<HookChildReport>(childPath, 'BENCH_HOOK_INPUT', input, env, lambdaNodeArgs(), 60_000);

export interface HookTimes {
  readonly label: string;
  readonly expected: string;
  /** Answer times of the first call of the request in each process (cold client), and of the second (warm). */
  readonly first: number[];
  readonly warm: number[];
  /** Answers that were not the expected one. */
  readonly wrong: string[];
}

/** `rounds` fresh processes, each answering every case twice. */
export async function measureHook(
  childPath: string,
  bundle: string,
  rounds: number,
  latencyMs: number,
): Promise<{ loadMs: number[]; cases: HookTimes[] }> {
  const server = await startApiGatewayServer({ apis: 10, latencyMs });
  const cases = hookCases();
  const times: HookTimes[] = cases.map((c) => ({
    label: c.label,
    expected: c.expected,
    first: [],
    warm: [],
    wrong: [],
  }));
  const loadMs: number[] = [];
  try {
    const env = childEnvironment({ apigatewayv2: server.endpoint, config: 'http://127.0.0.1:9' });
    for (let round = 0; round < rounds; round += 1) {
      const requests = [...cases, ...cases].map((c) => c.request);
      const report = await runHookChild(childPath, { bundle, requests }, env);
      if (!report.ok) throw new Error(`bench hook child failed: ${report.error ?? 'no reason'}`);
      loadMs.push(report.loadMs);
      report.answers.forEach((answer, index) => {
        const entry = times[index % cases.length];
        if (entry === undefined) return;
        (index < cases.length ? entry.first : entry.warm).push(answer.answerMs);
        const got = [answer.hookStatus, answer.errorCode].filter((part) => part !== undefined).join(' ');
        if (got !== entry.expected) entry.wrong.push(got);
      });
    }
  } finally {
    await server.stop();
  }
  return { loadMs, cases: times };
}
