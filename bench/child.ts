/**
 * One invocation of a real bundled rule handler in a fresh process, as Lambda runs it: the bundle is required,
 * its `handler` is called with the event and a Lambda-like context (getRemainingTimeInMillis from a time budget),
 * and what happened goes back to the parent over IPC. The bench compiles this file to plain CommonJS so the
 * process measured holds the bundle and nothing else (no TypeScript loader).
 *
 * Input: the BENCH_CHILD_INPUT environment variable, JSON of ChildInput. Output: one ChildReport message.
 */

import { inputFrom, loadHandler, sendReport } from './child-io';

export interface ChildInput {
  readonly bundle: string;
  readonly event: Record<string, unknown>;
  readonly budgetMs: number;
}

export interface ChildReport {
  readonly ok: boolean;
  /** Evaluations Config accepted (PutEvaluations), or 0 on failure. */
  readonly delivered: number;
  /** Evaluations the handler returned (sent, or would have been). */
  readonly evaluations: number;
  readonly unchanged?: number;
  readonly stale?: number;
  readonly byCompliance?: Record<string, number>;
  /** Milliseconds from the handler call to its result. */
  readonly invokeMs: number;
  /** Milliseconds from process start to handler ready (bundle required). */
  readonly loadMs: number;
  /** Peak resident set size of this process, in kilobytes. */
  readonly maxRssKb: number;
  readonly error?: string;
}

interface HandlerResult {
  readonly delivered: number;
  readonly evaluations: readonly { readonly ComplianceType: string }[];
  readonly unchanged?: number;
  readonly stale?: number;
}

type Handler = (
  event: unknown,
  context: { getRemainingTimeInMillis: () => number },
) => Promise<HandlerResult>;

const send = (report: ChildReport): Promise<void> => sendReport(report);

async function main(): Promise<void> {
  const input = inputFrom('BENCH_CHILD_INPUT') as ChildInput;
  const loaded = loadHandler(input.bundle);
  const handler = loaded.handler as Handler;
  const loadMs = loaded.loadMs;
  const started = Date.now();
  const deadline = started + input.budgetMs;
  const context = { getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) };
  const t0 = performance.now();
  try {
    const result = await handler(input.event, context);
    const invokeMs = performance.now() - t0;
    const byCompliance: Record<string, number> = {};
    for (const evaluation of result.evaluations) {
      byCompliance[evaluation.ComplianceType] = (byCompliance[evaluation.ComplianceType] ?? 0) + 1;
    }
    await send({
      ok: true,
      delivered: result.delivered,
      evaluations: result.evaluations.length,
      ...(result.unchanged === undefined ? {} : { unchanged: result.unchanged }),
      ...(result.stale === undefined ? {} : { stale: result.stale }),
      byCompliance,
      invokeMs,
      loadMs,
      maxRssKb: process.resourceUsage().maxRSS,
    });
  } catch (error) {
    await send({
      ok: false,
      delivered: 0,
      evaluations: 0,
      invokeMs: performance.now() - t0,
      loadMs,
      maxRssKb: process.resourceUsage().maxRSS,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
  }
}

main().then(
  () => {
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(`bench child: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
