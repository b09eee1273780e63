import {
  ConfigServiceClient,
  GetComplianceDetailsByConfigRuleCommand,
  type EvaluationResult,
} from '@aws-sdk/client-config-service';
import { expect } from 'chai';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import {
  readReportedResults,
  resourceKey,
  staleResults,
  type ReportedResult,
} from '../../../rules/core/stale';
import { awsError, fastRetry, rejectionOf, throttling } from './support';

const RULE = 'authn-elasticache-redis-auth-conformance-pack-q1w2e3r4';
const TYPE = 'AWS::ElastiCache::ReplicationGroup';

function result(
  resourceId: string,
  compliance: 'COMPLIANT' | 'NON_COMPLIANT' = 'NON_COMPLIANT',
): EvaluationResult {
  return {
    EvaluationResultIdentifier: {
      EvaluationResultQualifier: { ConfigRuleName: RULE, ResourceType: TYPE, ResourceId: resourceId },
    },
    ComplianceType: compliance,
    Annotation: `verdict for ${resourceId}`,
  };
}

describe('rules/core/stale', () => {
  let config: AwsClientStub<ConfigServiceClient>;

  beforeEach(() => {
    config = mockClient(ConfigServiceClient);
  });

  afterEach(() => {
    config.restore();
  });

  describe('readReportedResults', () => {
    it('pages GetComplianceDetailsByConfigRule (COMPLIANT + NON_COMPLIANT, Limit 100) until there is no NextToken', async () => {
      // Prepare
      config
        .on(GetComplianceDetailsByConfigRuleCommand)
        .resolvesOnce({ EvaluationResults: [result('rg-1', 'COMPLIANT')], NextToken: 'a' })
        .resolvesOnce({ EvaluationResults: [result('rg-2')], NextToken: 'b' })
        .resolves({ EvaluationResults: [result('rg-3')] });
      // Act
      const { results, calls } = await readReportedResults(
        new ConfigServiceClient({}),
        RULE,
        fastRetry().policy,
      );
      // Assess
      const inputs = config
        .commandCalls(GetComplianceDetailsByConfigRuleCommand)
        .map((call) => call.args[0].input);
      const base = { ConfigRuleName: RULE, ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT'], Limit: 100 };
      expect(inputs).to.deep.equal([base, { ...base, NextToken: 'a' }, { ...base, NextToken: 'b' }]);
      expect(calls).to.equal(3);
      expect(results).to.deep.equal([
        { resourceType: TYPE, resourceId: 'rg-1', compliance: 'COMPLIANT', annotation: 'verdict for rg-1' },
        {
          resourceType: TYPE,
          resourceId: 'rg-2',
          compliance: 'NON_COMPLIANT',
          annotation: 'verdict for rg-2',
        },
        {
          resourceType: TYPE,
          resourceId: 'rg-3',
          compliance: 'NON_COMPLIANT',
          annotation: 'verdict for rg-3',
        },
      ]);
    });

    it('stops at an empty NextToken and skips results without a resource', async () => {
      // Prepare
      config.on(GetComplianceDetailsByConfigRuleCommand).resolves({
        EvaluationResults: [{}, { EvaluationResultIdentifier: {} }, result('rg-1')],
        NextToken: '',
      });
      // Act
      const { results, calls } = await readReportedResults(
        new ConfigServiceClient({}),
        RULE,
        fastRetry().policy,
      );
      // Assess
      expect(calls).to.equal(1);
      expect(results.map((reported) => reported.resourceId)).to.deep.equal(['rg-1']);
    });

    it('retries a throttled page', async () => {
      // Prepare
      const retry = fastRetry();
      config
        .on(GetComplianceDetailsByConfigRuleCommand)
        .rejectsOnce(throttling())
        .resolves({ EvaluationResults: [result('rg-1')] });
      // Act
      const { results } = await readReportedResults(new ConfigServiceClient({}), RULE, retry.policy);
      // Assess
      expect(results).to.have.lengthOf(1);
      expect(retry.sleep.callCount).to.equal(1);
    });

    it('rejects on a non-retryable error', async () => {
      // Prepare
      config
        .on(GetComplianceDetailsByConfigRuleCommand)
        .rejects(awsError('NoSuchConfigRuleException', 'no such rule'));
      // Act
      const error = await rejectionOf(
        readReportedResults(new ConfigServiceClient({}), RULE, fastRetry().policy),
      );
      // Assess
      expect(error.name).to.equal('NoSuchConfigRuleException');
      expect(config.calls()).to.have.lengthOf(1);
    });
  });

  describe('staleResults', () => {
    it('keeps exactly the reported results whose type and id were not just evaluated', () => {
      // Prepare
      const reported: ReportedResult[] = [
        { resourceType: TYPE, resourceId: 'rg-1', compliance: 'COMPLIANT' },
        { resourceType: TYPE, resourceId: 'rg-2', compliance: 'NON_COMPLIANT' },
        { resourceType: 'AWS::Other::Type', resourceId: 'rg-1', compliance: 'NON_COMPLIANT' },
      ];
      const current = new Set([resourceKey(TYPE, 'rg-1')]);
      // Act
      const stale = staleResults(reported, current);
      // Assess
      expect(stale).to.deep.equal([reported[1], reported[2]]);
    });

    it('matches ids exactly (no prefix or case folding)', () => {
      // Prepare
      const reported: ReportedResult[] = [
        { resourceType: TYPE, resourceId: 'RG-1', compliance: 'COMPLIANT' },
      ];
      // Assess
      expect(staleResults(reported, new Set([resourceKey(TYPE, 'rg-1')]))).to.have.lengthOf(1);
      expect(staleResults(reported, new Set([resourceKey(TYPE, 'RG-1')]))).to.have.lengthOf(0);
    });
  });
});
