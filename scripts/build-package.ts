/**
 * `npm run compile`, and npm's `prepack`: the package's JavaScript and type declarations in lib/, the same tree as
 * the sources (lib/index.js, lib/cli/, lib/rules/), and the query files `authn-pack query` reads beside lib/cli/.
 * The installed command runs this code with Node alone: no tsx, no TypeScript.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..');
export const LIB = join(ROOT, 'lib');

export function compilePackage(): void {
  rmSync(LIB, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')],
    { stdio: 'inherit' },
  );
  // cli/queries.ts reads <its folder>/../queries: lib/queries in the package.
  cpSync(join(ROOT, 'queries'), join(LIB, 'queries'), { recursive: true });
}

if (require.main === module) {
  try {
    compilePackage();
  } catch {
    // tsc has printed its errors.
    process.exitCode = 1;
  }
}
