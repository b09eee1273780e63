/** SARIF 2.1.0 for code-scanning dashboards: the control as `ruleId`, the reason code in the result's properties. */
import { expect } from 'chai';
import type { Finding, FindingsReport } from '../../../cli/findings';
import { renderSarif } from '../../../cli/formats/sarif';
import { RULES } from '../../../rules/index';

const FAILING: Finding = {
  control: 'ElastiCache.6',
  ruleName: 'authn-elasticache-redis-auth',
  resourceType: 'AWS::ElastiCache::ReplicationGroup',
  resourceId: 'SessionsRedis',
  resourceName: 'SessionsRedis',
  compliance: 'NON_COMPLIANT',
  annotation:
    'Redis OSS 5.0.6 replication group "SessionsRedis" has no AUTH token: any client on the network can connect.',
  exception: null,
  remediation: 'SessionsRedis in infra/cache.yaml: set AuthToken from a Secrets Manager dynamic reference',
  internetFacing: false,
  file: 'infra/cache.yaml',
  logicalId: 'SessionsRedis',
  line: 12,
};

const CODED: Finding = { ...FAILING, code: 'redis-auth-missing' };

const report = (findings: Finding[]): FindingsReport => ({
  kind: 'template',
  generatedAt: '2026-10-02T08:41:17.512Z',
  findings,
  dangling: [],
  unreadable: [],
});

interface SarifResult {
  ruleId: string;
  level: string;
  properties: Record<string, unknown>;
  locations: { physicalLocation?: { artifactLocation: { uri: string }; region?: { startLine: number } } }[];
}

const results = (text: string): SarifResult[] =>
  (JSON.parse(text) as { runs: { results: SarifResult[] }[] }).runs[0]?.results ?? [];

describe('cli/formats/sarif', () => {
  it('keeps the control as ruleId and puts the reason code in the result properties', () => {
    // Act
    const [result] = results(renderSarif(report([CODED])));
    // Assess
    expect(result?.ruleId).to.equal('ElastiCache.6');
    expect(result?.level).to.equal('error');
    expect(result?.properties).to.include({ code: 'redis-auth-missing', resourceId: 'SessionsRedis' });
    expect(result?.locations[0]?.physicalLocation).to.deep.equal({
      artifactLocation: { uri: 'infra/cache.yaml' },
      region: { startLine: 12 },
    });
  });

  it('writes no code property for a finding without one', () => {
    // Act
    const [result] = results(renderSarif(report([FAILING])));
    // Assess
    expect(result?.properties).not.to.have.property('code');
  });

  it('declares every control of the registry as a rule', () => {
    // Act
    const sarif = JSON.parse(renderSarif(report([]))) as {
      runs: { tool: { driver: { rules: { id: string }[] } } }[];
    };
    // Assess
    expect(sarif.runs[0]?.tool.driver.rules.map((rule) => rule.id)).to.deep.equal(
      RULES.map((rule) => rule.control),
    );
  });
});
