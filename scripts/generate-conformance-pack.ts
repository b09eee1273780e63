/**
 * Writes conformance-pack.yaml from the registry (rules/index.ts).
 *
 *   npx tsx scripts/generate-conformance-pack.ts            rewrite the file
 *   npx tsx scripts/generate-conformance-pack.ts --check    exit 1 when the checked-in file differs (CI)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  CONFORMANCE_PACK_FILE,
  TEMPLATE_BODY_LIMIT_BYTES,
  renderConformancePack,
  templateBytes,
} from '../deploy/conformance-pack';

export const DEFAULT_PATH = join(__dirname, '..', CONFORMANCE_PACK_FILE);

export interface Output {
  readonly log: (line: string) => void;
  readonly error: (line: string) => void;
}

/** Runs the generator; returns the process exit code. */
export function run(args: readonly string[], path: string = DEFAULT_PATH, output: Output = console): number {
  const unknown = args.filter((arg) => arg !== '--check');
  if (unknown.length > 0) {
    output.error(`Unknown argument(s): ${unknown.join(' ')}. Usage: generate-conformance-pack [--check]`);
    return 2;
  }
  const text = renderConformancePack();
  const bytes = templateBytes(text);
  const shown = relative(process.cwd(), path) || path;
  if (bytes > TEMPLATE_BODY_LIMIT_BYTES) {
    output.error(`${shown}: ${bytes} bytes, over the ${TEMPLATE_BODY_LIMIT_BYTES}-byte TemplateBody limit`);
    return 1;
  }
  if (args.includes('--check')) {
    let current: string | undefined;
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      current = undefined;
    }
    if (current !== text) {
      output.error(
        `${shown} is ${current === undefined ? 'missing' : 'out of date'}: run \`npx tsx scripts/generate-conformance-pack.ts\` and commit the result.`,
      );
      return 1;
    }
    output.log(`${shown} is up to date (${bytes} bytes).`);
    return 0;
  }
  writeFileSync(path, text);
  output.log(`Wrote ${shown} (${bytes} of ${TEMPLATE_BODY_LIMIT_BYTES} bytes).`);
  return 0;
}

if (require.main === module) {
  process.exitCode = run(process.argv.slice(2));
}
