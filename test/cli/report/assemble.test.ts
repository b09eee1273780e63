/**
 * cli/report/assemble: the organization report from what the aggregator returned, without a client. Responses are
 * shaped as the Config API returns them (DescribeAggregateComplianceByConfigRules, DescribeConfigurationAggregator-
 * SourcesStatus, GetAggregateComplianceDetailsByConfigRule).
 */
import { expect } from 'chai';
import type {
  AggregateComplianceByConfigRule,
  AggregateEvaluationResult,
} from '@aws-sdk/client-config-service';
import { RULES } from '../../../rules/index';
import { formatExceptionAnnotation } from '../../../rules/core/exceptions';
import {
  assembleAggregateReport,
  notEvaluating,
  packRuleInstances,
  remediationFor,
  ruleCoverage,
  sourceProblems,
} from '../../../cli/report/assemble';
import type { RuleInstance } from '../../../cli/report/model';

const NOW = new Date('2026-03-01T12:00:00Z');
const A = '111111111111';
const B = '222222222222';

const control = (id: string) => {
  const rule = RULES.find((candidate) => candidate.control === id);
  if (rule === undefined) throw new Error(id);
  return rule;
};
const MSK = control('MSK.6');
const APIGW = control('APIGateway.8');
const ELASTICACHE = control('ElastiCache.6');

const listed = (
  configRuleName: string,
  accountId: string,
  compliance: 'COMPLIANT' | 'NON_COMPLIANT' | 'INSUFFICIENT_DATA' = 'COMPLIANT',
): AggregateComplianceByConfigRule => ({
  ConfigRuleName: configRuleName,
  AccountId: accountId,
  AwsRegion: 'eu-west-1',
  Compliance: { ComplianceType: compliance },
});

const evaluation = (
  instance: RuleInstance,
  resourceId: string,
  compliance: 'COMPLIANT' | 'NON_COMPLIANT',
  annotation: string,
): AggregateEvaluationResult => ({
  EvaluationResultIdentifier: {
    EvaluationResultQualifier: {
      ConfigRuleName: instance.configRuleName,
      ResourceType: control(instance.control).resourceType,
      ResourceId: resourceId,
    },
    OrderingTimestamp: NOW,
  },
  ComplianceType: compliance,
  ResultRecordedTime: NOW,
  Annotation: annotation,
  AccountId: instance.accountId,
  AwsRegion: instance.region,
});

describe('cli/report/assemble', () => {
  it('recognises each deployed pack rule once, in registry order, and ignores other rules', () => {
    // Prepare
    const listing = [
      listed(`${MSK.ruleName}-conformance-pack-k2j4h5`, A),
      listed(APIGW.ruleName, B),
      listed(APIGW.ruleName, B),
      listed('s3-bucket-versioning-enabled', A, 'NON_COMPLIANT'),
      listed(APIGW.ruleName, A, 'INSUFFICIENT_DATA'),
    ];
    // Act
    const instances = packRuleInstances(listing, RULES);
    // Assess
    expect(instances.map((instance) => [instance.control, instance.accountId, instance.form])).to.deep.equal([
      ['APIGateway.8', A, 'registry'],
      ['APIGateway.8', B, 'registry'],
      ['MSK.6', A, 'conformance-pack'],
    ]);
    expect(instances[0]?.compliance).to.equal('INSUFFICIENT_DATA');
  });

  it('lists a source the aggregator failed to collect as unreadable and an outdated one as a warning', () => {
    // Act
    const problems = sourceProblems([
      { SourceId: A, SourceType: 'ACCOUNT', AwsRegion: 'eu-west-1', LastUpdateStatus: 'SUCCEEDED' },
      {
        SourceId: B,
        SourceType: 'ACCOUNT',
        AwsRegion: 'us-west-2',
        LastUpdateStatus: 'FAILED',
        LastErrorCode: 'AccessDenied',
        LastErrorMessage: 'role not assumable',
      },
      { SourceId: 'o-abc', SourceType: 'ORGANIZATION', AwsRegion: 'eu-west-1', LastUpdateStatus: 'OUTDATED' },
    ]);
    // Assess
    expect(problems.unreadable).to.deep.equal([
      {
        scope: `account ${B} in us-west-2: the aggregator could not collect its data`,
        error: 'aggregation FAILED: AccessDenied: role not assumable',
        accountId: B,
        region: 'us-west-2',
      },
    ]);
    expect(problems.warnings).to.deep.equal([
      {
        sourceId: 'o-abc',
        sourceType: 'ORGANIZATION',
        region: 'eu-west-1',
        status: 'OUTDATED',
        detail: 'last collected at an unknown time',
      },
    ]);
  });

  it('says which controls an account and Region misses, and which hold none of the pack', () => {
    // Prepare
    const instances = packRuleInstances(
      RULES.filter((rule) => rule !== ELASTICACHE).map((rule) => listed(rule.ruleName, A)),
      RULES,
    );
    // Act
    const coverage = ruleCoverage(
      [
        { accountId: A, region: 'eu-west-1' },
        { accountId: B, region: 'eu-west-1' },
      ],
      instances,
      RULES,
    );
    // Assess
    expect(coverage.missing).to.deep.equal([
      {
        accountId: A,
        region: 'eu-west-1',
        missing: ['ElastiCache.6'],
        present: RULES.filter((rule) => rule !== ELASTICACHE).map((rule) => rule.control),
      },
    ]);
    expect(coverage.packAbsent).to.deep.equal([{ accountId: B, region: 'eu-west-1' }]);
  });

  it('calls a rule silent when it has no verdict, or a verdict with no result behind it', () => {
    // Prepare
    const [silent, empty, fine] = packRuleInstances(
      [listed(APIGW.ruleName, A, 'INSUFFICIENT_DATA'), listed(MSK.ruleName, A), listed(MSK.ruleName, B)],
      RULES,
    );
    if (silent === undefined || empty === undefined || fine === undefined) throw new Error('fixture');
    // Act and Assess
    expect(notEvaluating({ instance: silent, failing: [], passing: [] })?.reason).to.match(
      /no evaluation results \(INSUFFICIENT_DATA\)/,
    );
    expect(notEvaluating({ instance: empty, failing: [], passing: [] })?.reason).to.match(
      /compliance is COMPLIANT but no COMPLIANT or NON_COMPLIANT result/,
    );
    expect(
      notEvaluating({
        instance: fine,
        failing: [],
        passing: [evaluation(fine, 'arn:x', 'COMPLIANT', 'fine')],
      }),
    ).to.equal(undefined);
  });

  it('reads the exception back from what the rule wrote, and classifies its expiry at the report time', () => {
    // Prepare
    const listing = [listed(MSK.ruleName, A, 'NON_COMPLIANT')];
    const [instance] = packRuleInstances(listing, RULES);
    if (instance === undefined) throw new Error('fixture');
    const arn = (name: string) => `arn:aws:kafka:eu-west-1:${A}:cluster/${name}/0d2f-1`;
    const written = formatExceptionAnnotation({
      justification: 'legacy producers until the Q2 cut-over',
      expires: '2026-03-11',
      wide: false,
    });
    // Act
    const report = assembleAggregateReport(
      {
        ruleCompliance: { items: listing, unreadable: [] },
        sourceStatuses: { items: [], unreadable: [] },
        ruleResults: {
          items: [
            {
              instance,
              failing: [evaluation(instance, arn('open'), 'NON_COMPLIANT', 'allows unauthenticated clients')],
              passing: [
                evaluation(instance, arn('legacy'), 'COMPLIANT', written),
                evaluation(instance, arn('iam'), 'COMPLIANT', 'requires IAM'),
              ],
            },
          ],
          unreadable: [],
        },
      },
      { aggregator: 'org', expiringWithinDays: 30, now: NOW, rules: RULES },
    );
    // Assess
    expect(report.exceptions).to.have.length(1);
    expect(report.exceptions[0]).to.include({
      resourceId: arn('legacy'),
      justification: 'legacy producers until the Q2 cut-over',
      expires: '2026-03-11',
      wide: false,
      daysLeft: 10,
      state: 'expiring',
    });
    expect(report.nonCompliant.map((finding) => finding.resourceId)).to.deep.equal([arn('open')]);
    expect(report.nonCompliant[0]?.remediation).to.include(`--cluster-arn ${arn('open')}`);
    expect(report.scopes).to.deep.equal([{ accountId: A, region: 'eu-west-1' }]);
  });

  it('has a remediation hint for every control, built from the resource id alone', () => {
    // Act and Assess
    for (const rule of RULES) expect(typeof rule.remediationHint, rule.control).to.equal('function');
    expect(
      remediationFor(
        APIGW,
        APIGW.resourceType,
        'arn:aws:apigateway:eu-west-1::/apis/a1b2c3/routes/r9',
        'eu-west-1',
      ),
    ).to.match(/update-route --api-id a1b2c3 --route-id r9 --authorization-type JWT/);
    expect(
      remediationFor(
        ELASTICACHE,
        ELASTICACHE.resourceType,
        `arn:aws:elasticache:eu-west-1:${A}:replicationgroup:sessions`,
        'eu-west-1',
      ),
    ).to.include('--replication-group-id sessions');
    expect(
      remediationFor(
        control('AppSync.5'),
        'AWS::AppSync::GraphQLApi',
        `arn:aws:appsync:eu-west-1:${A}:apis/xyz123`,
        'eu-west-1',
      ),
    ).to.include('--api-id xyz123');
    expect(
      remediationFor(
        control('DMS.11'),
        'AWS::DMS::Endpoint',
        `arn:aws:dms:eu-west-1:${A}:endpoint:ABC`,
        'eu-west-1',
      ),
    ).to.include(`--endpoint-arn arn:aws:dms:eu-west-1:${A}:endpoint:ABC`);
  });
});
