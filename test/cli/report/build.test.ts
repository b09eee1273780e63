/** `authn-pack report`: the pack's results across an aggregator, against a mocked Config (Config is not emulated). */
import { expect } from 'chai';
import {
  ConfigServiceClient,
  DescribeAggregateComplianceByConfigRulesCommand,
  DescribeConfigurationAggregatorSourcesStatusCommand,
  GetAggregateComplianceDetailsByConfigRuleCommand,
  type AggregateComplianceByConfigRule,
  type AggregateEvaluationResult,
  type GetAggregateComplianceDetailsByConfigRuleCommandInput,
  type GetAggregateComplianceDetailsByConfigRuleCommandOutput,
} from '@aws-sdk/client-config-service';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { RULES } from '../../../rules/index';
import { applyException } from '../../../rules/core/exceptions';
import { main } from '../../../cli/main';
import type { Output } from '../../../cli/io';
import { buildAggregateReport } from '../../../cli/report/build';
import type { AggregateReport } from '../../../cli/report/model';
import { renderReport } from '../../../cli/formats/index';
import { runReport } from '../../../cli/report-command';

const NOW = new Date('2026-03-01T12:00:00Z');
const A = '111111111111';
const B = '222222222222';
const C = '333333333333';
const D = '444444444444';
const noSleep = { attempts: 4, baseDelayMs: 1, maxDelayMs: 1, sleep: () => Promise.resolve() };

function capture(): Output & { out: string; err: string } {
  const sink = {
    out: '',
    err: '',
    stdout: (text: string) => {
      sink.out += text;
    },
    stderr: (text: string) => {
      sink.err += text;
    },
  };
  return sink;
}

const control = (id: string) => {
  const rule = RULES.find((candidate) => candidate.control === id);
  if (rule === undefined) throw new Error(id);
  return rule;
};
const MSK = control('MSK.6');
const APIGW = control('APIGateway.8');
const ELASTICACHE = control('ElastiCache.6');

const entry = (
  configRuleName: string,
  accountId: string,
  region: string,
  compliance = 'COMPLIANT',
): AggregateComplianceByConfigRule => ({
  ConfigRuleName: configRuleName,
  AccountId: accountId,
  AwsRegion: region,
  Compliance: { ComplianceType: compliance as 'COMPLIANT' },
});

const packName = (ruleName: string) => `${ruleName}-conformance-pack-k2j4h5`;
const orgName = (ruleName: string) => `OrgConfigRule-${ruleName}-b7c8d9`;

/** The aggregator's rules: A eu-west-1 (pack), A us-east-1 (org rules, one silent), B without ElastiCache.6, C unreadable, D without the pack. */
function ruleListing(): AggregateComplianceByConfigRule[] {
  return [
    ...RULES.map((rule) =>
      entry(packName(rule.ruleName), A, 'eu-west-1', rule === MSK ? 'NON_COMPLIANT' : 'COMPLIANT'),
    ),
    entry('s3-bucket-versioning-enabled', A, 'eu-west-1', 'NON_COMPLIANT'),
    entry(`${MSK.ruleName}-extra`, A, 'eu-west-1', 'NON_COMPLIANT'),
    ...RULES.map((rule) =>
      entry(orgName(rule.ruleName), A, 'us-east-1', rule === APIGW ? 'INSUFFICIENT_DATA' : 'COMPLIANT'),
    ),
    ...RULES.filter((rule) => rule !== ELASTICACHE).map((rule) => entry(rule.ruleName, B, 'eu-west-1')),
    ...RULES.map((rule) => entry(packName(rule.ruleName), C, 'eu-west-1')),
    entry('iam-password-policy', D, 'eu-west-1'),
  ];
}

const clusterArn = (index: number) => `arn:aws:kafka:eu-west-1:${A}:cluster/stream-${index}/0d2f-${index}`;

function result(
  configRuleName: string,
  accountId: string,
  region: string,
  resourceType: string,
  resourceId: string,
  compliance: string,
  annotation: string,
): AggregateEvaluationResult {
  return {
    EvaluationResultIdentifier: {
      EvaluationResultQualifier: {
        ConfigRuleName: configRuleName,
        ResourceType: resourceType,
        ResourceId: resourceId,
      },
      OrderingTimestamp: NOW,
    },
    ComplianceType: compliance as 'COMPLIANT',
    ResultRecordedTime: NOW,
    Annotation: annotation,
    AccountId: accountId,
    AwsRegion: region,
  };
}

const exceptionAnnotation = (justification: string, expires?: string): string => {
  const verdict = applyException(
    { compliance: 'NON_COMPLIANT', code: 'msk-authentication-none', annotation: 'x' },
    expires === undefined
      ? { kind: 'valid', tagKey: 'authn-exception/MSK.6', justification, wide: false }
      : { kind: 'valid', tagKey: 'authn-exception/MSK.6', justification, expires, wide: false },
  );
  return verdict.annotation;
};

/** 230 failing MSK clusters in A eu-west-1 (3 pages), four exceptions and a plain compliant one; C always denied. */
function details(
  input: GetAggregateComplianceDetailsByConfigRuleCommandInput,
): Promise<GetAggregateComplianceDetailsByConfigRuleCommandOutput> {
  const meta = { $metadata: {} };
  if (input.AccountId === C) {
    return Promise.reject(
      Object.assign(new Error('User is not authorized to read account 333333333333'), {
        name: 'AccessDeniedException',
      }),
    );
  }
  if (
    input.AccountId === A &&
    input.AwsRegion === 'eu-west-1' &&
    input.ConfigRuleName === packName(MSK.ruleName)
  ) {
    const name = input.ConfigRuleName;
    if (input.ComplianceType === 'NON_COMPLIANT') {
      const start = input.NextToken === undefined ? 0 : Number(input.NextToken);
      const end = Math.min(start + (input.Limit ?? 100), 230);
      const page = Array.from({ length: end - start }, (_, i) =>
        result(
          name,
          A,
          'eu-west-1',
          MSK.resourceType,
          clusterArn(start + i),
          'NON_COMPLIANT',
          `MSK cluster "stream-${start + i}" allows unauthenticated clients, "quoted", with commas.`,
        ),
      );
      return Promise.resolve({
        ...meta,
        AggregateEvaluationResults: page,
        ...(end < 230 ? { NextToken: String(end) } : {}),
      });
    }
    return Promise.resolve({
      ...meta,
      AggregateEvaluationResults: [
        result(
          name,
          A,
          'eu-west-1',
          MSK.resourceType,
          clusterArn(900),
          'COMPLIANT',
          exceptionAnnotation('legacy producers until the Q2 cut-over', '2026-03-11'),
        ),
        result(
          name,
          A,
          'eu-west-1',
          MSK.resourceType,
          clusterArn(901),
          'COMPLIANT',
          exceptionAnnotation('partner feed, contract ends in summer', '2026-04-30'),
        ),
        result(
          name,
          A,
          'eu-west-1',
          MSK.resourceType,
          clusterArn(902),
          'COMPLIANT',
          exceptionAnnotation('internal test cluster, no data'),
        ),
        result(
          name,
          A,
          'eu-west-1',
          MSK.resourceType,
          clusterArn(903),
          'COMPLIANT',
          exceptionAnnotation('stale exception <script>alert(1)</script>', '2026-02-27'),
        ),
        result(
          name,
          A,
          'eu-west-1',
          MSK.resourceType,
          clusterArn(904),
          'COMPLIANT',
          'MSK cluster "stream-904" requires client authentication (IAM).',
        ),
      ],
    });
  }
  // Everything else: one compliant resource, so no rule looks silent.
  const one =
    input.ComplianceType === 'COMPLIANT'
      ? [
          result(
            input.ConfigRuleName ?? '',
            input.AccountId ?? '',
            input.AwsRegion ?? '',
            'AWS::X::Y',
            'ok',
            'COMPLIANT',
            'fine',
          ),
        ]
      : [];
  return Promise.resolve({ ...meta, AggregateEvaluationResults: one });
}

describe('cli report', () => {
  let config: AwsClientStub<ConfigServiceClient>;

  /** The rule listing served one entry a page, so the report must follow NextToken through every page. */
  function serveListing(listing: AggregateComplianceByConfigRule[]): void {
    config.on(DescribeAggregateComplianceByConfigRulesCommand).callsFake((input: { NextToken?: string }) => {
      const index = input.NextToken === undefined ? 0 : Number(input.NextToken);
      const item = listing[index];
      return Promise.resolve({
        AggregateComplianceByConfigRules: item === undefined ? [] : [item],
        ...(index + 1 < listing.length ? { NextToken: String(index + 1) } : {}),
      });
    });
  }

  beforeEach(() => {
    config = mockClient(ConfigServiceClient);
    serveListing(ruleListing());
    config.on(DescribeConfigurationAggregatorSourcesStatusCommand).resolves({
      AggregatedSourceStatusList: [
        { SourceId: A, SourceType: 'ACCOUNT', AwsRegion: 'eu-west-1', LastUpdateStatus: 'SUCCEEDED' },
        {
          SourceId: '555555555555',
          SourceType: 'ACCOUNT',
          AwsRegion: 'us-west-2',
          LastUpdateStatus: 'FAILED',
          LastErrorCode: 'AccessDenied',
          LastErrorMessage: 'role not assumable',
        },
        {
          SourceId: B,
          SourceType: 'ACCOUNT',
          AwsRegion: 'eu-west-1',
          LastUpdateStatus: 'OUTDATED',
          LastUpdateTime: new Date('2026-02-20T00:00:00Z'),
        },
      ],
    });
    config.on(GetAggregateComplianceDetailsByConfigRuleCommand).callsFake(details);
  });

  afterEach(() => {
    config.restore();
  });

  const build = (): Promise<AggregateReport> =>
    buildAggregateReport(
      { aggregator: 'org-aggregator', expiringWithinDays: 30, now: NOW },
      { client: new ConfigServiceClient({ region: 'eu-west-1' }), retry: noSleep },
    );

  it('follows NextToken through every page of the rule listing and of the compliance details', async () => {
    // Act
    const report = await build();
    // Assess
    const listing = ruleListing();
    expect(config.commandCalls(DescribeAggregateComplianceByConfigRulesCommand)).to.have.length(
      listing.length,
    );
    const mskFailing = config
      .commandCalls(GetAggregateComplianceDetailsByConfigRuleCommand)
      .filter(
        (call) =>
          call.args[0].input.ConfigRuleName === packName(MSK.ruleName) &&
          call.args[0].input.AccountId === A &&
          call.args[0].input.ComplianceType === 'NON_COMPLIANT',
      );
    expect(mskFailing.map((call) => call.args[0].input.NextToken)).to.deep.equal([undefined, '100', '200']);
    expect(
      mskFailing.every(
        (call) =>
          call.args[0].input.Limit === 100 &&
          call.args[0].input.ConfigurationAggregatorName === 'org-aggregator',
      ),
    ).to.equal(true);
    expect(report.nonCompliant).to.have.length(230);
    expect(report.nonCompliant[0]).to.include({
      control: 'MSK.6',
      accountId: A,
      region: 'eu-west-1',
      resourceId: clusterArn(0),
    });
    expect(report.nonCompliant[0]?.remediation).to.include(
      `aws kafka update-security --region eu-west-1 --cluster-arn ${clusterArn(0)}`,
    );
  });

  it('recognises the pack rules by registry, conformance-pack and organization names, and nothing else', async () => {
    // Act
    const report = await build();
    // Assess
    const names = report.rules.map((instance) => instance.configRuleName);
    expect(names).to.include(packName(MSK.ruleName));
    expect(names).to.include(orgName(APIGW.ruleName));
    expect(names).to.include(MSK.ruleName);
    expect(names).not.to.include(`${MSK.ruleName}-extra`);
    expect(names).not.to.include('s3-bucket-versioning-enabled');
    expect(
      report.rules.find((instance) => instance.configRuleName === orgName(APIGW.ruleName))?.form,
    ).to.equal('organization-rule');
    expect(report.rules).to.have.length(RULES.length * 3 + RULES.length - 1);
  });

  it('reports the account and Region that misses a rule, and those without the pack', async () => {
    // Act
    const report = await build();
    // Assess
    expect(report.missing).to.deep.equal([
      {
        accountId: B,
        region: 'eu-west-1',
        missing: ['ElastiCache.6'],
        present: RULES.filter((rule) => rule !== ELASTICACHE).map((rule) => rule.control),
      },
    ]);
    expect(report.packAbsent).to.deep.include({ accountId: D, region: 'eu-west-1' });
    expect(report.packAbsent).to.deep.include({ accountId: '555555555555', region: 'us-west-2' });
  });

  it('reports a rule that delivers no results as not evaluating', async () => {
    // Act
    const report = await build();
    // Assess
    expect(report.notEvaluating).to.have.length(1);
    expect(report.notEvaluating[0]).to.include({
      control: 'APIGateway.8',
      accountId: A,
      region: 'us-east-1',
      compliance: 'INSUFFICIENT_DATA',
    });
    expect(report.notEvaluating[0]?.reason).to.include('DescribeConfigRuleEvaluationStatus');
  });

  it('reports the account whose results cannot be read, and the source the aggregator failed on, instead of leaving them out', async () => {
    // Act
    const report = await build();
    // Assess
    const forC = report.unreadable.filter((item) => item.accountId === C);
    expect(forC).to.have.length(RULES.length);
    expect(forC[0]?.error).to.match(/AccessDeniedException: User is not authorized/);
    expect(
      report.unreadable.some(
        (item) => item.accountId === '555555555555' && /AccessDenied: role not assumable/.test(item.error),
      ),
    ).to.equal(true);
    expect(report.sourceWarnings).to.deep.equal([
      {
        sourceId: B,
        sourceType: 'ACCOUNT',
        region: 'eu-west-1',
        status: 'OUTDATED',
        detail: 'last collected 2026-02-20T00:00:00.000Z',
      },
    ]);
  });

  it('exits 3 and says so when something could not be read; every format still lists it', async () => {
    for (const format of ['table', 'json', 'csv', 'html']) {
      // Prepare
      const output = capture();
      // Act
      const code = await main(
        ['node', 'authn-pack', 'report', '--aggregator', 'org-aggregator', '--format', format],
        output,
      );
      // Assess
      expect(code, `${format}: ${output.err}`).to.equal(3);
      expect(output.err).to.match(/could not be read/);
      expect(output.out, format).to.include(C);
    }
  });

  it('reads the exceptions from COMPLIANT annotations, with justification and expiry, and flags those expiring within the window', async () => {
    // Act
    const report = await build();
    // Assess
    const byId = (index: number) =>
      report.exceptions.find((exception) => exception.resourceId === clusterArn(index));
    expect(report.exceptions).to.have.length(4);
    expect(byId(900)).to.include({
      justification: 'legacy producers until the Q2 cut-over',
      expires: '2026-03-11',
      daysLeft: 10,
      state: 'expiring',
    });
    expect(byId(901)).to.include({ expires: '2026-04-30', state: 'valid' });
    expect(byId(902)).to.include({ expires: null, daysLeft: null, state: 'no-expiry' });
    expect(byId(903)).to.include({ expires: '2026-02-27', daysLeft: -2, state: 'expired' });
    expect(report.exceptions.some((exception) => exception.resourceId === clusterArn(904))).to.equal(false);
  });

  it('widens or narrows the expiring list with --expiring-within', async () => {
    // Prepare
    const run = async (days: string) => {
      const output = capture();
      await runReport({ aggregator: 'org-aggregator', expiringWithin: days, format: 'json' }, output, {
        client: new ConfigServiceClient({ region: 'eu-west-1' }),
        retry: noSleep,
        now: NOW,
      });
      return (JSON.parse(output.out) as { expiring: { expires: string }[] }).expiring
        .map((exception) => exception.expires)
        .sort();
    };
    // Act and Assess
    expect(await run('30')).to.deep.equal(['2026-02-27', '2026-03-11']);
    expect(await run('5')).to.deep.equal(['2026-02-27']);
    expect(await run('60')).to.deep.equal(['2026-02-27', '2026-03-11', '2026-04-30']);
  });

  it('retries a throttled read and then succeeds, leaving nothing unread', async () => {
    // Prepare
    serveListing(RULES.map((rule) => entry(rule.ruleName, A, 'eu-west-1')));
    config
      .on(DescribeConfigurationAggregatorSourcesStatusCommand)
      .resolves({ AggregatedSourceStatusList: [] });
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    let throttledOnce = false;
    config
      .on(GetAggregateComplianceDetailsByConfigRuleCommand)
      .callsFake((input: GetAggregateComplianceDetailsByConfigRuleCommandInput) => {
        if (!throttledOnce) {
          throttledOnce = true;
          return Promise.reject(throttled);
        }
        return details(input);
      });
    // Act
    const report = await build();
    // Assess
    expect(throttledOnce).to.equal(true);
    expect(report.unreadable).to.deep.equal([]);
    expect(report.missing).to.deep.equal([]);
    expect(config.commandCalls(GetAggregateComplianceDetailsByConfigRuleCommand)).to.have.length(
      RULES.length * 2 + 1,
    );
  });

  it('reports the aggregator itself as unreadable when its rules cannot be listed', async () => {
    // Prepare
    config
      .on(DescribeAggregateComplianceByConfigRulesCommand)
      .rejects(
        Object.assign(new Error('no such aggregator'), { name: 'NoSuchConfigurationAggregatorException' }),
      );
    // Act
    const report = await build();
    // Assess
    expect(report.unreadable[0]?.scope).to.match(/aggregator org-aggregator: the list of Config rules/);
    expect(report.rules).to.deep.equal([]);
  });

  it('writes CSV with one row per item, escaped, a section column saying which list', async () => {
    // Prepare
    const report = await build();
    // Act
    const csv = renderReport(report, 'csv');
    // Assess
    const lines = csv.split('\r\n');
    expect(lines[0]).to.equal(
      'section,control,accountId,region,configRuleName,resourceType,resourceId,annotation,remediation,justification,expires,daysLeft,expiryState,detail',
    );
    expect(csv).to.include(
      `non-compliant,MSK.6,${A},eu-west-1,${packName(MSK.ruleName)},AWS::MSK::Cluster,${clusterArn(0)},"MSK cluster ""stream-0"" allows unauthenticated clients, ""quoted"", with commas.",`,
    );
    expect(csv).to.include('exception-expiring,MSK.6');
    expect(csv).to.include(`rule-missing,ElastiCache.6,${B},eu-west-1`);
    expect(csv).to.include(`not-evaluating,APIGateway.8,${A},us-east-1`);
    expect(csv).to.include(`unreadable,`);
    expect(lines.filter((line) => line.startsWith('non-compliant,'))).to.have.length(230);
  });

  it('prints per control and per account in the table, with the fix under each failing resource', async () => {
    // Prepare
    const report = await build();
    // Act
    const text = renderReport(report, 'table');
    // Assess
    expect(text).to.match(/^authn-pack report · aggregator org-aggregator/);
    expect(text).to.match(/INCOMPLETE: \d+ scopes could not be read/);
    expect(text).to.match(/Per control:\n\s+Control\s+Deployed in/);
    expect(text).to.match(new RegExp(`Per account:[\\s\\S]*${A}`));
    expect(text).to.include(`MSK.6 — ${MSK.title}`);
    expect(text).to.include(`    ✗ ${clusterArn(0)}  (eu-west-1)\n        MSK cluster "stream-0"`);
    expect(text).to.include('        fix: aws kafka update-security');
    expect(text).to.match(/! MSK.6 .* EXPIRED 2026-02-27/);
    expect(text).to.include(`- ${B} eu-west-1: missing ElastiCache.6`);
  });

  it('renders HTML in the scan report style, with every AWS-provided text escaped', async () => {
    // Prepare
    const report = await build();
    // Act
    const html = renderReport(report, 'html');
    // Assess
    expect(html).to.match(/^<!doctype html>/);
    expect(html).to.include("default-src 'none'");
    expect(html).not.to.match(/<script/i);
    expect(html).to.include('stale exception &lt;script&gt;alert(1)&lt;/script&gt;');
    for (const id of ['controls', 'accounts', 'failing', 'exceptions', 'coverage', 'unreadable'])
      expect(html).to.include(`id="${id}"`);
    expect(html).to.include('class="compliance-chart"');
    expect(html).to.include('<pre class="fix">');
  });
});
