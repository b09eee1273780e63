/**
 * What a measured bench process (bench/child.ts, bench/hook-child.ts) does around its work: read its input from the
 * environment, require the bundle and find its `handler`, and send one report back over IPC (stdout when run alone).
 */

/** The JSON input the parent put in `variable` (runBenchProcess in bench/harness.ts). */
export function inputFrom(variable: string): unknown {
  return JSON.parse(process.env[variable] ?? '{}') as unknown;
}

/** The bundle's `handler`, and the time from process start until it is defined (the cold load). */
export function loadHandler(bundle: string): { handler: unknown; loadMs: number } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require(bundle) as { handler?: unknown };
  const loadMs = performance.now();
  if (typeof loaded.handler !== 'function') throw new Error(`${bundle} exports no handler`);
  return { handler: loaded.handler, loadMs };
}

/** Sends the one report, resolving once it is out. */
export function sendReport(report: unknown): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined) {
      process.stdout.write(`${JSON.stringify(report)}\n`);
      resolve();
      return;
    }
    process.send(report, () => {
      resolve();
    });
  });
}
