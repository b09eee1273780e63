/**
 * Bundles each rule's Lambda handler alone with esbuild (minified, for nodejs22.x), so each function carries only
 * the SDK clients it uses, and the deploy-time hook's handler the same way. `npx tsx scripts/bundle.ts` writes
 * dist/<rule-folder>/index.js and dist/hook/index.js and prints the sizes.
 */
import { build, type Metafile } from 'esbuild';
import { join } from 'node:path';
import { RULES, ruleFolder } from '../rules/index';

export interface BundleReport {
  readonly ruleName: string;
  readonly outfile: string;
  readonly bytes: number;
  /** `@aws-sdk/client-*` packages inside the bundle. */
  readonly sdkClients: string[];
}

const ROOT = join(__dirname, '..');

export function sdkClientsIn(metafile: Metafile): string[] {
  const clients = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /node_modules\/(@aws-sdk\/client-[a-z0-9-]+)\//.exec(input);
    if (match?.[1] !== undefined) clients.add(match[1]);
  }
  return [...clients].sort();
}

export async function bundleRule(folder: string, outdir = join(ROOT, 'dist')): Promise<BundleReport> {
  return bundleEntry(
    `authn-${folder}`,
    join(ROOT, 'rules', folder, 'handler.ts'),
    join(outdir, folder, 'index.js'),
  );
}

/** The CloudFormation Lambda hook's handler (hook/handler.ts): every rule's adapter, the live reads' clients. */
export const HOOK_ENTRY = join(ROOT, 'hook', 'handler.ts');

export async function bundleHook(outdir = join(ROOT, 'dist')): Promise<BundleReport> {
  return bundleEntry('authn-pack-hook', HOOK_ENTRY, join(outdir, 'hook', 'index.js'));
}

async function bundleEntry(name: string, entry: string, outfile: string): Promise<BundleReport> {
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    metafile: true,
    logLevel: 'error',
  });
  const output = Object.values(result.metafile.outputs)[0];
  return {
    ruleName: name,
    outfile,
    bytes: output?.bytes ?? 0,
    sdkClients: sdkClientsIn(result.metafile),
  };
}

export async function bundleAll(outdir?: string): Promise<BundleReport[]> {
  const reports: BundleReport[] = [];
  for (const rule of RULES) reports.push(await bundleRule(ruleFolder(rule), outdir));
  return reports;
}

if (require.main === module) {
  bundleAll()
    .then(async (reports) => [...reports, await bundleHook()])
    .then((reports) => {
      for (const report of reports) {
        const kib = (report.bytes / 1024).toFixed(0).padStart(5);
        process.stdout.write(`${report.ruleName.padEnd(40)} ${kib} KiB  ${report.sdkClients.join(' ')}\n`);
      }
    })
    .catch((error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exitCode = 1;
    });
}
