/** The test browser comes from npm alone: unpacked from node_modules, linking nothing a fresh machine lacks. */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { browserEnvironment, shippedChromium } from './browser';

const run = promisify(execFile);

/** What every Debian machine has: glibc (Essential) and libgcc_s (a dependency of libc6). */
const SYSTEM_LIBRARIES = new Set([
  'linux-vdso.so.1',
  'ld-linux-x86-64.so.2',
  'libc.so.6',
  'libm.so.6',
  'libdl.so.2',
  'libpthread.so.0',
  'librt.so.1',
  'libgcc_s.so.1',
]);

describe('test browser (test/helpers/browser.ts)', function () {
  this.timeout(120_000);

  it('unpacks the Chromium of @sparticuz/chromium inside node_modules', async () => {
    // Act
    const shipped = await shippedChromium();
    // Assess
    expect(relative(join(__dirname, '..', '..', 'node_modules'), shipped.executable)).to.match(
      /^\.cache\/authn-pack\/chromium-\d+\.\d+\.\d+\/chromium$/,
    );
    expect(statSync(shipped.executable).mode & 0o111, 'executable').to.not.equal(0);
  });

  it('links only glibc and libgcc_s from the system; everything else comes from the package', async () => {
    // Prepare
    const shipped = await shippedChromium();
    const home = mkdtempSync(join(tmpdir(), 'authn-pack-ldd-'));
    try {
      // Act
      const { stdout } = await run('ldd', [shipped.executable], { env: browserEnvironment(shipped, home) });
      // Assess
      const libraries = stdout
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '')
        .map((line) => {
          const [name = '', , path] = line.split(/\s+/);
          return { name, path: line.includes('=>') ? (path ?? '') : name, line };
        });
      expect(libraries.filter(({ line }) => line.includes('not found'))).to.deep.equal([]);
      const fromSystem = libraries
        .filter(({ path }) => !path.startsWith(`${shipped.libraryPath}/`))
        .map(({ name }) => basename(name));
      expect(fromSystem.filter((name) => !SYSTEM_LIBRARIES.has(name))).to.deep.equal([]);
      const fromPackage = libraries.filter(({ path }) => path.startsWith(`${shipped.libraryPath}/`));
      expect(fromPackage.map(({ name }) => name)).to.include.members(['libnss3.so', 'libnspr4.so']);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
