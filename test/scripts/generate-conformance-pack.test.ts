import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { renderConformancePack } from '../../deploy/conformance-pack';
import { DEFAULT_PATH, run } from '../../scripts/generate-conformance-pack';
import { REPO_ROOT } from '../helpers/cdk';

const silent = (): { log: (line: string) => void; error: (line: string) => void; lines: string[] } => {
  const lines: string[] = [];
  return { lines, log: (line) => lines.push(line), error: (line) => lines.push(line) };
};

describe('scripts/generate-conformance-pack', () => {
  it('the checked-in conformance-pack.yaml is exactly what the generator writes (regenerate and commit if not)', () => {
    expect(readFileSync(DEFAULT_PATH, 'utf8')).to.equal(renderConformancePack());
  });

  it('--check passes on the checked-in file', () => {
    const output = silent();
    expect(run(['--check'], DEFAULT_PATH, output)).to.equal(0);
  });

  it('--check fails on a stale or missing file and leaves it alone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'authn-pack-pack-'));
    const stale = join(dir, 'conformance-pack.yaml');
    writeFileSync(stale, renderConformancePack().replace('authn-msk', 'authn-old'));
    const output = silent();
    expect(run(['--check'], stale, output)).to.equal(1);
    expect(output.lines.join('\n')).to.contain('out of date');
    expect(readFileSync(stale, 'utf8')).to.contain('authn-old');
    expect(run(['--check'], join(dir, 'absent.yaml'), silent())).to.equal(1);
  });

  it('writes the file without --check', () => {
    const target = join(mkdtempSync(join(tmpdir(), 'authn-pack-pack-')), 'conformance-pack.yaml');
    expect(run([], target, silent())).to.equal(0);
    expect(readFileSync(target, 'utf8')).to.equal(renderConformancePack());
  });

  it('refuses unknown arguments', () => {
    expect(run(['--chek'], join(tmpdir(), 'never-written.yaml'), silent())).to.equal(2);
  });

  it('runs as a command: `npx tsx scripts/generate-conformance-pack.ts --check` exits 0', async function () {
    this.timeout(60_000);
    const { stdout } = await promisify(execFile)(
      'npx',
      ['tsx', 'scripts/generate-conformance-pack.ts', '--check'],
      {
        cwd: REPO_ROOT,
      },
    );
    expect(stdout).to.contain('up to date');
  });
});
