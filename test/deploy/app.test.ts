/**
 * The real thing, once: `cdk synth` through cdk.json and deploy/app.ts, bundling the five functions with the local
 * esbuild (no Docker, no network). Slow (~20 s), so everything else asserts on templates with bundling skipped.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ruleLogicalId } from '../../deploy/conformance-pack';
import { RULES } from '../../rules/index';
import type { AnyRule } from '../../rules/core/types';
import { REPO_ROOT, cfnLint } from '../helpers/cdk';

/** The SDK's name for the service a rule's client talks to (`Kafka`, `AppSync` …), from the client itself. */
const serviceIdOf = (rule: AnyRule): string =>
  (
    rule.service.createClient({ region: 'eu-west-1', retryMode: 'adaptive', maxAttempts: 1 }) as {
      config: { serviceId: string };
    }
  ).config.serviceId;

/** Service ids of the SDK clients compiled into a bundle (each client declares its default `serviceId`). */
const clientsIn = (bundle: string): Set<string> =>
  new Set([...bundle.matchAll(/serviceId:[\w$]+\?\.serviceId\?\?"([^"]+)"/g)].map((match) => match[1]!));

interface Template {
  Resources: Record<
    string,
    { Type: string; Properties: Record<string, unknown>; Metadata?: Record<string, unknown> }
  >;
}

describe('deploy/app (npx cdk synth, bundling for real)', () => {
  let outdir: string;
  let template: Template;
  let elapsedMs: number;

  before(async function () {
    this.timeout(300_000);
    outdir = mkdtempSync(join(tmpdir(), 'authn-pack-synth-'));
    const started = Date.now();
    // Any network use would fail fast against this proxy instead of passing unnoticed.
    const offline = { HTTPS_PROXY: 'http://127.0.0.1:9', HTTP_PROXY: 'http://127.0.0.1:9', NO_PROXY: '' };
    await promisify(execFile)('npx', ['cdk', 'synth', '--quiet', '--output', outdir], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...offline },
      maxBuffer: 64 * 1024 * 1024,
    });
    elapsedMs = Date.now() - started;
    template = JSON.parse(readFileSync(join(outdir, 'AuthnPack.template.json'), 'utf8')) as Template;
  });

  it('synthesizes the single-account stack from cdk.json with no context', () => {
    expect(elapsedMs).to.be.below(300_000);
    expect(
      Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function'),
    ).to.have.length(RULES.length + 1); // and the change recorder
  });

  for (const rule of RULES) {
    describe(`${rule.control}: its bundle`, () => {
      const bundleOf = (): string => {
        const [, fn] = Object.entries(template.Resources).find(
          ([id, resource]) =>
            resource.Type === 'AWS::Lambda::Function' && id.startsWith(`${ruleLogicalId(rule)}Function`),
        )!;
        expect(fn.Metadata?.['aws:asset:is-bundled'], 'bundled by esbuild').to.equal(true);
        const file = join(outdir, fn.Metadata!['aws:asset:path'] as string, 'index.js');
        expect(existsSync(file), file).to.equal(true);
        return readFileSync(file, 'utf8');
      };

      it("carries the SDK inside, with its own service's client and no other rule's", () => {
        const clients = clientsIn(bundleOf());
        expect([...clients]).to.include(serviceIdOf(rule));
        expect([...clients]).to.include.members(['Config Service', 'STS']);
        // Two rules of one service (AppSync.5 and the Event API rule) share their client; every other is left out.
        for (const other of RULES.filter((candidate) => serviceIdOf(candidate) !== serviceIdOf(rule))) {
          expect([...clients], `${other.control}'s client`).not.to.include(serviceIdOf(other));
        }
      });

      it('is minified and exports the handler', () => {
        const bundle = bundleOf();
        expect(bundle.split('\n').length).to.be.below(100);
        expect(bundle).to.match(/handler/);
      });
    });
  }

  it('keeps every bundle well under Lambda’s 50 MB zipped / 250 MB unzipped limits', () => {
    for (const resource of Object.values(template.Resources).filter(
      (r) => r.Type === 'AWS::Lambda::Function',
    )) {
      const size = statSync(join(outdir, resource.Metadata!['aws:asset:path'] as string, 'index.js')).size;
      expect(size).to.be.below(10 * 1024 * 1024);
    }
  });

  it('passes cfn-lint', async function () {
    this.timeout(60_000);
    const result = await cfnLint([join(outdir, 'AuthnPack.template.json')]);
    expect(result.code, result.output).to.equal(0);
  });
});
