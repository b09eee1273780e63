/**
 * The package as a user gets it: `npm pack` (whose prepack compiles lib/), then `npm install` of the tarball into an
 * empty folder, offline, from the local npm cache only. Used by the package test and by the bench's start-up part.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const ROOT = join(__dirname, '..');

export interface InstalledPackage {
  /** The consumer folder: its node_modules holds authn-pack and its dependencies, nothing else. */
  readonly folder: string;
  /** node_modules/authn-pack inside it. */
  readonly packageDir: string;
  /** The `authn-pack` command npm linked (node_modules/.bin/authn-pack). */
  readonly bin: string;
  readonly tarball: string;
}

/**
 * Packs the repository into `destination` and installs the tarball into `destination/consumer`, with `extra`
 * packages beside it (names with versions, as a user's own project would have them). Offline: never a download.
 */
export async function packAndInstall(
  destination: string,
  extra: readonly string[] = [],
): Promise<InstalledPackage> {
  const env = {
    ...process.env,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', destination], {
    cwd: ROOT,
    env,
    maxBuffer: 64 * 1024 * 1024,
  });
  // npm prints the prepack build's output first, then the JSON.
  const [packed] = JSON.parse(stdout.slice(stdout.search(/^\[/m))) as { filename: string }[];
  if (packed === undefined) throw new Error('npm pack reported no tarball');
  const tarball = join(destination, packed.filename);
  const folder = join(destination, 'consumer');
  mkdirSync(folder, { recursive: true });
  // The consumer's manifest and lock, as `npm install <tarball> <extra…>` would write them.
  const lock = consumerLock(`file:../${packed.filename}`, extra);
  writeFileSync(join(folder, 'package.json'), `${JSON.stringify(lock.packages[''], null, 2)}\n`);
  writeFileSync(join(folder, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
  await run('npm', ['install', '--offline', '--prefer-offline', '--no-audit', '--no-fund'], {
    cwd: folder,
    env,
    maxBuffer: 64 * 1024 * 1024,
  });
  return {
    folder,
    packageDir: join(folder, 'node_modules', 'authn-pack'),
    bin: join(folder, 'node_modules', '.bin', 'authn-pack'),
    tarball,
  };
}

interface LockEntry {
  readonly version?: string;
  readonly dev?: boolean;
  readonly devOptional?: boolean;
  readonly peer?: boolean;
  readonly optional?: boolean;
  readonly inBundle?: boolean;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
  readonly [key: string]: unknown;
}

/** An entry as it is in the consumer's lock: installed for its own sake, not as a dev or peer dependency. */
function asInstalled(entry: LockEntry): LockEntry {
  return Object.fromEntries(
    Object.entries(entry).filter(([key]) => key !== 'dev' && key !== 'devOptional' && key !== 'peer'),
  );
}

interface Lock {
  readonly name: string;
  readonly lockfileVersion: number;
  readonly requires: boolean;
  readonly packages: Readonly<Record<string, LockEntry>>;
}

/**
 * The lockfile a user's project would have after `npm install authn-pack`: authn-pack from the tarball and its
 * dependency tree at exactly the versions of this repository's package-lock.json. With it, npm installs from the
 * cache by integrity; without it, an offline install needs registry metadata (packuments) that `npm ci` never
 * caches. `extra` names packages of this repository's lock to install beside it (say, aws-cdk-lib for the plugin).
 */
export function consumerLock(tarballSpec: string, extra: readonly string[] = []): Lock {
  const ours = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as Lock;
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
    bin?: Record<string, string>;
    engines?: Record<string, string>;
    license?: string;
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
    peerDependenciesMeta?: Record<string, unknown>;
  };
  const packages: Record<string, LockEntry> = {};
  /** Where npm finds `name` when required from the package installed at `from` (node's lookup, outwards). */
  const locate = (name: string, from: string): string | undefined => {
    for (let base = from; ; base = base.slice(0, Math.max(base.lastIndexOf('/node_modules/'), 0))) {
      const candidate = `${base === '' ? '' : `${base}/`}node_modules/${name}`;
      if (ours.packages[candidate] !== undefined) return candidate;
      if (base === '') return undefined;
    }
  };
  const add = (path: string): void => {
    if (packages[path] !== undefined) return;
    const entry = ours.packages[path];
    if (entry === undefined) throw new Error(`package-lock.json has no ${path}`);
    packages[path] = asInstalled(entry);
    // Bundled dependencies ship inside the package's own tarball.
    for (const [nested, nestedEntry] of Object.entries(ours.packages)) {
      if (nested.startsWith(`${path}/node_modules/`) && nestedEntry.inBundle === true) {
        packages[nested] = asInstalled(nestedEntry);
      }
    }
    for (const name of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) {
      const found = locate(name, path);
      if (found !== undefined && ours.packages[found]?.inBundle !== true) add(found);
      else if (found === undefined && entry.optionalDependencies?.[name] === undefined)
        throw new Error(`package-lock.json does not resolve ${name} for ${path}`);
    }
  };
  const extras = Object.fromEntries(
    extra.map((name) => {
      const path = `node_modules/${name}`;
      add(path);
      return [name, ours.packages[path]?.version ?? ''];
    }),
  );
  for (const name of Object.keys(manifest.dependencies ?? {})) {
    const path = `node_modules/${name}`;
    add(path);
  }
  return {
    name: 'consumer',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'consumer', private: true, dependencies: { [manifest.name]: tarballSpec, ...extras } },
      [`node_modules/${manifest.name}`]: {
        version: manifest.version,
        resolved: tarballSpec,
        license: manifest.license,
        dependencies: manifest.dependencies,
        peerDependencies: manifest.peerDependencies,
        peerDependenciesMeta: manifest.peerDependenciesMeta,
        bin: manifest.bin,
        engines: manifest.engines,
      },
      ...packages,
    },
  };
}
