/** The little logging the runtime needs; Lambda handlers use Powertools' structured logger, the CLI stderr. */
export interface Log {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

export const silentLog: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Human-readable lines on stderr, so stdout stays clean for JSON output. */
export const stderrLog: Log = {
  info: (message, extra) => process.stderr.write(`${message}${extra ? ` ${JSON.stringify(extra)}` : ''}\n`),
  warn: (message, extra) =>
    process.stderr.write(`warning: ${message}${extra ? ` ${JSON.stringify(extra)}` : ''}\n`),
  error: (message, extra) =>
    process.stderr.write(`error: ${message}${extra ? ` ${JSON.stringify(extra)}` : ''}\n`),
};
