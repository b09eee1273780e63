/**
 * The bench's own parts at a small size, so `npm run bench` cannot rot unnoticed: the API Gateway, ElastiCache and
 * Config stand-ins with their quotas, the real bundled handlers each in a fresh process, and the call minimum.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  PUBLISHED,
  compileChild,
  groupEstate,
  groupMinimum,
  routeEstate,
  routeMinimum,
  type EstateOptions,
} from '../../bench/harness';
import { PER_BLOCK, TEMPLATE_KINDS, benchTemplates, templateEstate } from '../../bench/templates';
import { bundleRule } from '../../scripts/bundle';

const FIRST = { label: 'first run', time: '2026-11-25T00:00:00.000Z' };
const UNCHANGED = { label: 'unchanged estate', time: '2026-11-26T00:00:00.000Z' };
const REPORT_UNCHANGED = {
  label: 'ReportUnchanged=true',
  time: '2026-11-27T00:00:00.000Z',
  ruleParameters: { ReportUnchanged: 'true' },
};

describe('bench: stand-ins and bundled handlers at a small size', function () {
  this.timeout(60_000);
  const outdir = mkdtempSync(join(tmpdir(), 'authn-bench-test-'));
  let common: Pick<EstateOptions, 'childPath' | 'latencyMs' | 'profile'>;
  const bundles = new Map<string, string>();

  before(async () => {
    const [childPath, routes, groups] = await Promise.all([
      compileChild(outdir),
      bundleRule('apigwv2-route-authorization', outdir),
      bundleRule('elasticache-redis-auth', outdir),
    ]);
    bundles.set('routes', routes.outfile).set('groups', groups.outfile);
    common = { childPath, latencyMs: 5, profile: PUBLISHED };
  });

  after(() => {
    rmSync(outdir, { recursive: true, force: true });
  });

  it('computes the minimum calls of a sweep', () => {
    // Act and Assess
    expect(routeMinimum(10_000, 91_000, 0)).to.deep.equal({
      GetApis: 20,
      GetRoutes: 10_000,
      GetComplianceDetailsByConfigRule: 910,
      PutEvaluations: 0,
    });
    expect(routeMinimum(20, 0, 182)).to.include({
      GetApis: 1,
      GetComplianceDetailsByConfigRule: 1,
      PutEvaluations: 2,
    });
    expect(groupMinimum(5_000, 0, 4_000)).to.deep.equal({
      DescribeReplicationGroups: 50,
      DescribeCacheClusters: 105,
      ListTagsForResource: 1_000,
      GetComplianceDetailsByConfigRule: 1,
      PutEvaluations: 40,
    });
  });

  it('200 routes: the minimum calls, the expected evaluations, only what changed on the second run', async () => {
    // Act
    const { counts, runs } = await routeEstate(20, {
      ...common,
      bundle: bundles.get('routes') ?? '',
      runs: [FIRST, UNCHANGED, REPORT_UNCHANGED],
    });
    // Assess
    expect(counts).to.deep.equal({ resources: 200, COMPLIANT: 168, NON_COMPLIANT: 14, NOT_APPLICABLE: 18 });
    const [first, unchanged, full] = runs;
    expect(runs.map((run) => run.report.error)).to.deep.equal([undefined, undefined, undefined]);
    expect([first?.report.delivered, unchanged?.report.delivered, full?.report.delivered]).to.deep.equal([
      182, 0, 200,
    ]);
    expect(unchanged?.report.unchanged).to.equal(200);
    expect(first?.calls).to.deep.equal({
      GetApis: 1,
      GetRoutes: 20,
      GetComplianceDetailsByConfigRule: 1,
      PutEvaluations: 2,
    });
    for (const run of runs) {
      const made = Object.fromEntries(
        Object.keys(run.minimum).map((operation) => [operation, run.calls[operation] ?? 0]),
      );
      expect(made, run.label).to.deep.equal(run.minimum);
      expect(run.throttled, run.label).to.deep.equal({});
      expect(run.peakInFlight, run.label).to.be.within(1, 4);
      expect(run.report.maxRssKb, run.label).to.be.below(256 * 1024);
    }
  });

  it('50 replication groups: both Describe sweeps paged, tags read only for the groups that would fail', async () => {
    // Act
    const { counts, runs } = await groupEstate(50, {
      ...common,
      bundle: bundles.get('groups') ?? '',
      runs: [FIRST],
    });
    // Assess
    expect(counts).to.deep.equal({ resources: 50, COMPLIANT: 35, NON_COMPLIANT: 5, NOT_APPLICABLE: 10 });
    const [first] = runs;
    expect(first?.report.error).to.equal(undefined);
    expect(first?.report.delivered).to.equal(40);
    expect(first?.calls).to.deep.equal({
      DescribeReplicationGroups: 1,
      DescribeCacheClusters: 2,
      ListTagsForResource: 10,
      GetComplianceDetailsByConfigRule: 1,
      PutEvaluations: 1,
    });
    expect(first?.calls).to.deep.equal(first?.minimum);
    expect(first?.throttled).to.deep.equal({});
  });
});

describe('bench: the pre-deploy gate part at a small size', function () {
  this.timeout(120_000);
  const folder = mkdtempSync(join(tmpdir(), 'authn-bench-templates-'));

  after(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it('generates blocks of 20 resources with 12 findings each', () => {
    // Act
    const template = templateEstate(2 * PER_BLOCK.resources) as {
      Resources: Record<string, { Type: string }>;
    };
    // Assess
    const types = Object.values(template.Resources).map((resource) => resource.Type);
    expect(types).to.have.length(40);
    expect(types.filter((type) => type === 'AWS::ApiGatewayV2::Route')).to.have.length(16);
  });

  it('runs check-template in a fresh process on every input kind, with CPU time, peak RSS and findings', async () => {
    // Act
    const runs = await benchTemplates(folder, [PER_BLOCK.resources * 2]);
    // Assess
    expect(runs.map((run) => run.kind)).to.deep.equal(TEMPLATE_KINDS.map((kind) => kind.name));
    for (const run of runs) {
      expect(run.error, run.kind).to.equal(undefined);
      expect(run.exitCode, run.kind).to.equal(0);
      expect(run.findings, run.kind).to.equal(2 * PER_BLOCK.findings);
      expect(run.cpuMs, run.kind).to.be.above(0);
      expect(run.maxRssMb, run.kind).to.be.within(20, 1_000);
      expect(run.wallMs, run.kind).to.be.above(0);
    }
  });
});
