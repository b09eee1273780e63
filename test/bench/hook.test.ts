/**
 * The hook's part of the bench at the smallest size, so `npm run bench -- --hook-only` cannot rot unnoticed: the
 * real bundled hook in a fresh process answering its three requests against the API Gateway stand-in.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileHookChild, measureHook } from '../../bench/hook';
import { bundleHook } from '../../scripts/bundle';

describe('bench: the bundled hook answering requests', function () {
  this.timeout(60_000);
  const outdir = mkdtempSync(join(tmpdir(), 'authn-bench-hook-test-'));

  after(() => {
    rmSync(outdir, { recursive: true, force: true });
  });

  it('answers each request as expected, cold and warm, and reports the times', async () => {
    // Prepare
    const [childPath, hook] = await Promise.all([compileHookChild(outdir), bundleHook(outdir)]);
    // Act
    const result = await measureHook(childPath, hook.outfile, 1, 5);
    // Assess
    expect(result.loadMs).to.have.length(1);
    expect(result.cases.map((entry) => [entry.label, entry.expected, entry.wrong])).to.deep.equal([
      ['AWS::MSK::Cluster (no live read)', 'FAILED NonCompliant', []],
      ['HTTP route (GetApi)', 'SUCCESS', []],
      ['WebSocket route (GetApi + GetRoutes)', 'SUCCESS', []],
    ]);
    for (const entry of result.cases) {
      expect(entry.first).to.have.length(1);
      expect(entry.warm).to.have.length(1);
      expect(entry.first[0]).to.be.above(0);
    }
  });
});
