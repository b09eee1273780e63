/**
 * `npm run fixtures:terraform [-- --check] [case…]`: regenerates the Terraform plan fixtures in
 * test/fixtures/terraform/<case>/ from their .tf sources with the real Terraform CLI and AWS provider, offline.
 *
 * Each case is copied to a scratch folder with offline-provider.tf beside it; `terraform init` installs the provider
 * from a local filesystem mirror only, `terraform plan -refresh=false` plans without calling AWS, and
 * `terraform show -json` writes plan.json (and state.json when the case has a terraform.tfstate). Terraform runs in
 * a network namespace of its own where `unshare` allows it, otherwise with every proxy pointed at a closed port, so
 * nothing can reach the network either way. With --check the fixtures are compared instead of written, on the parts
 * that do not change from run to run (timestamps and version strings are left out).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const FIXTURES = resolve(__dirname, '..', 'test', 'fixtures', 'terraform');
export const PROVIDER_VERSION = '5.100.0';
const PROVIDER = join('registry.terraform.io', 'hashicorp', 'aws', PROVIDER_VERSION);

/** How to get what the regeneration needs, for the message when it is missing. */
export const INSTALL_HINT =
  'install Terraform 1.11 (https://developer.hashicorp.com/terraform/install) and put hashicorp/aws ' +
  `${PROVIDER_VERSION} in a filesystem mirror (terraform providers mirror <dir>, run once where the registry is ` +
  'reachable), then set TF_PROVIDER_MIRROR=<dir>';

export interface TerraformSetup {
  readonly terraform: string;
  readonly version: string;
  /** The folder that holds registry.terraform.io/hashicorp/aws/<version>. */
  readonly mirror: string;
  /** Command prefix that runs Terraform without network (`unshare -rn`), or none when only proxies block it. */
  readonly isolate: readonly string[];
}

/** Terraform and the provider mirror, or why the fixtures cannot be regenerated here. */
export function findTerraform(): TerraformSetup | { readonly missing: string } {
  const terraform = process.env.TERRAFORM ?? 'terraform';
  const probe = spawnSync(terraform, ['version', '-json'], {
    encoding: 'utf8',
    env: offlineEnv(undefined),
    timeout: 30_000,
  });
  if (probe.error !== undefined || probe.status !== 0) {
    return { missing: `the terraform command was not found (${terraform}); ${INSTALL_HINT}` };
  }
  const version = (JSON.parse(probe.stdout) as { terraform_version?: string }).terraform_version ?? 'unknown';
  const candidates = [
    process.env.TF_PROVIDER_MIRROR,
    '/opt/tf-plugins',
    join(homedir(), '.terraform.d', 'plugins'),
    '/usr/share/terraform/plugins',
    '/usr/local/share/terraform/plugins',
  ].filter((folder): folder is string => folder !== undefined && folder !== '');
  const mirror = candidates.find((folder) => existsSync(join(folder, PROVIDER)));
  if (mirror === undefined) {
    return {
      missing: `no filesystem mirror of hashicorp/aws ${PROVIDER_VERSION} in ${candidates.join(', ')}; ${INSTALL_HINT}`,
    };
  }
  const unshare = spawnSync('unshare', ['-rn', 'true'], { timeout: 10_000 });
  const isolate = unshare.error === undefined && unshare.status === 0 ? ['unshare', '-rn'] : [];
  return { terraform, version, mirror, isolate };
}

/** Environment for Terraform: no checkpoint calls, no prompts, and any proxied connection refused. */
function offlineEnv(cliConfig: string | undefined): NodeJS.ProcessEnv {
  const closed = 'http://127.0.0.1:9';
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    HTTP_PROXY: closed,
    HTTPS_PROXY: closed,
    http_proxy: closed,
    https_proxy: closed,
    NO_PROXY: '',
    no_proxy: '',
    ...(cliConfig === undefined ? {} : { TF_CLI_CONFIG_FILE: cliConfig }),
  };
}

/** The cases: every folder under test/fixtures/terraform with a main.tf. */
export function fixtureCases(): string[] {
  return readdirSync(FIXTURES, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(FIXTURES, entry.name, 'main.tf')))
    .map((entry) => entry.name)
    .sort();
}

/** Runs the real Terraform on one case; returns the JSON files it produces (name → text). */
export function generateCase(name: string, setup: TerraformSetup): Record<string, string> {
  const scratch = mkdtempSync(join(tmpdir(), `authn-tf-${name}-`));
  try {
    const work = join(scratch, name);
    cpSync(join(FIXTURES, name), work, {
      recursive: true,
      filter: (source) => !/(plan|state)\.json$/.test(source),
    });
    cpSync(join(FIXTURES, 'offline-provider.tf'), join(work, 'offline-provider.tf'));
    const cliConfig = join(scratch, 'cli.tfrc');
    writeFileSync(
      cliConfig,
      `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(setup.mirror)}\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\ndisable_checkpoint = true\n`,
    );
    const env = { ...offlineEnv(cliConfig), TF_DATA_DIR: join(scratch, 'tfdata') };
    const run = (args: readonly string[]): string => {
      const [command, ...rest] = [...setup.isolate, setup.terraform, ...args];
      const result = spawnSync(command as string, rest, {
        cwd: work,
        env,
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
        timeout: 180_000,
      });
      if (result.error !== undefined) throw result.error;
      if (result.status !== 0) {
        throw new Error(
          `terraform ${args.join(' ')} failed in case ${name}:\n${result.stderr || result.stdout}`,
        );
      }
      return result.stdout;
    };
    run(['init', '-input=false', '-no-color']);
    run(['plan', '-refresh=false', '-input=false', '-no-color', '-lock=false', '-out=plan.tfplan']);
    const files: Record<string, string> = { 'plan.json': pretty(run(['show', '-json', 'plan.tfplan'])) };
    if (existsSync(join(work, 'terraform.tfstate'))) {
      files['state.json'] = pretty(run(['show', '-json', 'terraform.tfstate']));
    }
    return files;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** `terraform show -json` prints one line; the fixtures are indented so a diff reads. */
function pretty(text: string): string {
  return `${JSON.stringify(JSON.parse(text), null, 2)}\n`;
}

/**
 * Left out of the comparison: the plan's timestamp, the version strings (`terraform_version`, `format_version`
 * move with the CLI, not with the case), and `relevant_attributes`, a drift-analysis hint whose order and entries
 * vary from run to run with Terraform 1.11 (seen on the routes case) and which the check does not read.
 */
const UNSTABLE = new Set(['timestamp', 'terraform_version', 'format_version', 'relevant_attributes']);

/** What must not change between two runs of the same Terraform and provider. */
export function stableView(text: string): unknown {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => !UNSTABLE.has(key))
        .map(([key, item]) => [key, strip(item)]),
    );
  };
  return strip(JSON.parse(text));
}

/** The checked-in JSON files of a case. */
export function checkedIn(name: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const file of ['plan.json', 'state.json']) {
    const path = join(FIXTURES, name, file);
    if (existsSync(path)) files[file] = readFileSync(path, 'utf8');
  }
  return files;
}

function main(argv: readonly string[]): number {
  const check = argv.includes('--check');
  const wanted = argv.filter((arg) => !arg.startsWith('--'));
  const setup = findTerraform();
  if ('missing' in setup) {
    process.stderr.write(`terraform-fixtures: cannot run: ${setup.missing}\n`);
    return 2;
  }
  const cases = wanted.length > 0 ? wanted : fixtureCases();
  let differing = 0;
  for (const name of cases) {
    const started = performance.now();
    const generated = generateCase(name, setup);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (check) {
      const current = checkedIn(name);
      const same =
        Object.keys(generated).sort().join() === Object.keys(current).sort().join() &&
        Object.entries(generated).every(
          ([file, text]) =>
            JSON.stringify(stableView(text)) === JSON.stringify(stableView(current[file] ?? 'null')),
        );
      if (!same) differing += 1;
      process.stdout.write(`${name}: ${same ? 'up to date' : 'DIFFERS'} (${seconds} s)\n`);
    } else {
      for (const [file, text] of Object.entries(generated)) writeFileSync(join(FIXTURES, name, file), text);
      process.stdout.write(`${name}: wrote ${Object.keys(generated).join(', ')} (${seconds} s)\n`);
    }
  }
  return differing === 0 ? 0 : 1;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
