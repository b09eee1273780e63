/** Each rule's Lambda handler bundles alone, with only the SDK clients it uses. */
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RULES, ruleFolder } from '../../rules/index';
import { bundleRule } from '../../scripts/bundle';

describe('scripts/bundle', function () {
  this.timeout(120_000);
  const outdir = mkdtempSync(join(tmpdir(), 'authn-bundle-'));

  for (const rule of RULES) {
    // A rule with change events, or a sweep that continues across invocations, also uses the state table (DynamoDB).
    const keepsState = rule.changes !== undefined || rule.resumableSweep !== undefined;
    const stateClient = keepsState ? ['@aws-sdk/client-dynamodb'] : [];
    it(`bundles ${rule.ruleName} with its own service client, Config and STS only${keepsState ? ' (and DynamoDB for its state records)' : ''}`, async () => {
      // Act
      const report = await bundleRule(ruleFolder(rule), outdir);
      // Assess
      expect(report.sdkClients).to.deep.equal(
        [
          rule.service.sdkPackage,
          '@aws-sdk/client-config-service',
          '@aws-sdk/client-sts',
          ...stateClient,
        ].sort(),
      );
      expect(report.bytes).to.be.greaterThan(10_000);
    });

    it(`exports a handler from the ${rule.ruleName} bundle that loads on this Node`, async () => {
      // Prepare
      const report = await bundleRule(ruleFolder(rule), outdir);
      // Act
      const loaded = (await import(report.outfile)) as { handler?: unknown };
      // Assess
      expect(loaded.handler).to.be.a('function');
    });
  }
});
