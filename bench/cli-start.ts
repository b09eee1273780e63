/**
 * The bench's CLI start part: `authn-pack --help` and `authn-pack check-template` on a small template, from the
 * package as a user installs it (npm pack, npm install --offline into an empty folder), each as a ratio to a bare
 * `node` start measured side by side: interleaved rounds in shuffled order, spawn to exit, median and p90.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packAndInstall } from '../scripts/package-install';

/** An HTTP API with one open route: the smallest template with something to decide. */
export const SMALL_TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  PartnerApi:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Name: partner-api
      ProtocolType: HTTP
  OrdersRoute:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref PartnerApi
      RouteKey: POST /orders
      AuthorizationType: NONE
`;

export interface StartRow {
  readonly name: string;
  readonly median: number;
  readonly p90: number;
  readonly ratio: number;
}

/** Milliseconds from spawning `node args…` to its exit; the exit code must be one of `codes`. */
function timeRun(args: readonly string[], cwd: string, codes: readonly number[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...args], {
      cwd,
      env: { PATH: process.env.PATH, HOME: cwd, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const elapsed = performance.now() - started;
      if (code !== null && codes.includes(code)) resolve(elapsed);
      else reject(new Error(`${args.join(' ')} exited ${String(code)}: ${stderr.trim()}`));
    });
  });
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1] ?? Number.NaN;
}

function shuffle<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

export async function cliStart(reps: number, progress: (line: string) => void): Promise<StartRow[]> {
  const workdir = mkdtempSync(join(tmpdir(), 'authn-bench-cli-'));
  try {
    progress('packing and installing authn-pack into an empty folder (offline)');
    const installed = await packAndInstall(workdir);
    writeFileSync(join(workdir, 'small.yaml'), SMALL_TEMPLATE);
    const bin = join(installed.packageDir, 'bin', 'authn-pack.cjs');
    const subjects = [
      { name: 'bare node', args: ['-e', ''], codes: [0] },
      { name: 'authn-pack --help', args: [bin, '--help'], codes: [0] },
      // Exit 1: the open route fails, as it should.
      {
        name: 'authn-pack check-template small.yaml',
        args: [bin, 'check-template', 'small.yaml'],
        codes: [1],
      },
    ];
    const samples = new Map<string, number[]>(subjects.map((s) => [s.name, []]));
    for (const subject of subjects) await timeRun(subject.args, workdir, subject.codes); // warm-up, not counted
    progress(`CLI start: ${reps} rounds × ${subjects.length} processes`);
    for (let round = 0; round < reps; round += 1) {
      for (const subject of shuffle(subjects))
        samples.get(subject.name)?.push(await timeRun(subject.args, workdir, subject.codes));
    }
    const bare = percentile(samples.get('bare node') ?? [], 50);
    return subjects.map((subject) => {
      const values = samples.get(subject.name) ?? [];
      const median = percentile(values, 50);
      return { name: subject.name, median, p90: percentile(values, 90), ratio: median / bare };
    });
  } finally {
    rmSync(workdir, { recursive: true, force: true });
  }
}
