/** Input and output helpers shared by the CLI commands. */
import { readFileSync, writeFileSync } from 'node:fs';
import { EXIT, PackError } from '../rules/core/errors';

/** Reads a file, or standard input for `-`. */
export async function readInput(path: string): Promise<string> {
  if (path !== '-') return readFileSync(path, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A problem the user can fix; printed as one line without a stack trace. */
export class UsageError extends PackError {
  override readonly name = 'UsageError';
  readonly code = 'usage';
  readonly exitStatus = EXIT.usage;
}

export interface Output {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export const processOutput: Output = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** Writes a rendered report to `--output` (saying so on stderr) or to standard output. */
export function writeOutput(text: string, file: string | undefined, out: Output): void {
  if (file === undefined) {
    out.stdout(text);
  } else {
    writeFileSync(file, text);
    out.stderr(`wrote ${file}\n`);
  }
}
