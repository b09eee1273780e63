/**
 * One fresh process holding the bundled deploy-time hook (dist/hook/index.js) and nothing else, as Lambda runs it:
 * the bundle is required, then its `handler` answers each request in turn, with a Lambda-like context. Times go back
 * to the parent over IPC. Compiled to plain CommonJS by the bench (no TypeScript loader in the measured process).
 *
 * Input: BENCH_HOOK_INPUT, JSON of HookChildInput. Output: one HookChildReport message.
 */

import { inputFrom, loadHandler, sendReport } from './child-io';

export interface HookChildInput {
  readonly bundle: string;
  readonly requests: readonly unknown[];
}

export interface HookAnswer {
  readonly hookStatus: string;
  readonly errorCode?: string;
  /** Milliseconds from the handler call to its answer. */
  readonly answerMs: number;
}

export interface HookChildReport {
  readonly ok: boolean;
  /** Milliseconds from process start to handler defined (bundle required). */
  readonly loadMs: number;
  readonly answers: readonly HookAnswer[];
  readonly error?: string;
}

type Handler = (
  event: unknown,
  context: { getRemainingTimeInMillis: () => number },
) => Promise<{ hookStatus: string; errorCode?: string }>;

/** The Lambda timeout the CDK app gives the hook function. */
const FUNCTION_TIMEOUT_MS = 30_000;

const send = (report: HookChildReport): Promise<void> => sendReport(report);

async function main(): Promise<void> {
  const input = inputFrom('BENCH_HOOK_INPUT') as HookChildInput;
  const loaded = loadHandler(input.bundle);
  const handler = loaded.handler as Handler;
  const loadMs = loaded.loadMs;
  const answers: HookAnswer[] = [];
  try {
    for (const request of input.requests) {
      const deadline = Date.now() + FUNCTION_TIMEOUT_MS;
      const t0 = performance.now();
      const answer = await handler(request, {
        getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      });
      answers.push({
        hookStatus: answer.hookStatus,
        ...(answer.errorCode === undefined ? {} : { errorCode: answer.errorCode }),
        answerMs: performance.now() - t0,
      });
    }
    await send({ ok: true, loadMs, answers });
  } catch (error) {
    await send({
      ok: false,
      loadMs,
      answers,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
  }
}

main().then(
  () => {
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(`bench hook child: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
