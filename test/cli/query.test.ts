/** `authn-pack query`: every page of an advanced query, through an aggregator or the current account, as table/JSON/CSV. */
import { expect } from 'chai';
import {
  ConfigServiceClient,
  SelectAggregateResourceConfigCommand,
  SelectResourceConfigCommand,
} from '@aws-sdk/client-config-service';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { main } from '../../cli/main';
import { csvCell } from '../../cli/formats/csv';
import { loadQuery } from '../../cli/queries';
import { runQueryCommand } from '../../cli/query-command';
import type { Output } from '../../cli/io';

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

const api = (index: number, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({
    accountId: `11112222${String(index).padStart(4, '0')}`,
    awsRegion: 'eu-west-1',
    resourceId: `api-${index}`,
    resourceName: `orders-${index}`,
    configuration: {
      AuthenticationType: 'API_KEY',
      AdditionalAuthenticationProviders: [{ AuthenticationType: 'AWS_IAM' }],
    },
    ...extra,
  });

const FIELDS = [
  'accountId',
  'awsRegion',
  'resourceId',
  'resourceName',
  'configuration.AuthenticationType',
  'configuration.AdditionalAuthenticationProviders',
].map((Name) => ({ Name }));

const noSleep = { attempts: 4, baseDelayMs: 1, maxDelayMs: 1, sleep: () => Promise.resolve() };

describe('cli query', () => {
  let config: AwsClientStub<ConfigServiceClient>;

  beforeEach(() => {
    config = mockClient(ConfigServiceClient);
  });

  afterEach(() => {
    config.restore();
  });

  it('reads all 3 pages through the aggregator, 100 rows a page, and prints every row', async () => {
    // Prepare
    const page = (from: number, count: number) => Array.from({ length: count }, (_, i) => api(from + i));
    config
      .on(SelectAggregateResourceConfigCommand)
      .resolvesOnce({ Results: page(0, 100), QueryInfo: { SelectFields: FIELDS }, NextToken: 't1' })
      .resolvesOnce({ Results: page(100, 100), QueryInfo: { SelectFields: FIELDS }, NextToken: 't2' })
      .resolvesOnce({ Results: page(200, 37), QueryInfo: { SelectFields: FIELDS } });
    const output = capture();
    // Act
    const code = await main(
      ['node', 'authn-pack', 'query', 'appsync-api-key', '--aggregator', 'org', '--format', 'json'],
      output,
    );
    // Assess
    expect(code, output.err).to.equal(0);
    const calls = config.commandCalls(SelectAggregateResourceConfigCommand);
    expect(calls).to.have.length(3);
    expect(calls.map((call) => call.args[0].input.NextToken)).to.deep.equal([undefined, 't1', 't2']);
    for (const call of calls) {
      expect(call.args[0].input.ConfigurationAggregatorName).to.equal('org');
      expect(call.args[0].input.Limit).to.equal(100);
      expect(call.args[0].input.Expression).to.equal(loadQuery('appsync-api-key').expression);
    }
    const printed = JSON.parse(output.out) as {
      count: number;
      results: { resourceId: string }[];
      columns: string[];
    };
    expect(printed.count).to.equal(237);
    expect(printed.results[236]?.resourceId).to.equal('api-236');
    expect(printed.columns).to.deep.equal(FIELDS.map((field) => field.Name));
  });

  it('uses SelectResourceConfig without --aggregator (this account and Region)', async () => {
    // Prepare
    config
      .on(SelectResourceConfigCommand)
      .resolves({ Results: [api(1)], QueryInfo: { SelectFields: FIELDS } });
    const output = capture();
    // Act
    const code = await main(['node', 'authn-pack', 'query', 'appsync-api-key'], output);
    // Assess
    expect(code, output.err).to.equal(0);
    expect(config.commandCalls(SelectAggregateResourceConfigCommand)).to.have.length(0);
    expect(config.commandCalls(SelectResourceConfigCommand)[0]?.args[0].input.Limit).to.equal(100);
    expect(output.out).to.match(/^query appsync-api-key · this account and Region · 1 row\(s\)/);
    expect(output.out).to.match(/orders-1\s+API_KEY\s+\[\{"AuthenticationType":"AWS_IAM"\}\]/);
  });

  it('writes CSV with the selected fields as columns, nested values as JSON, and quoting done right', async () => {
    // Prepare
    const tricky = JSON.stringify({
      accountId: '111122223333',
      awsRegion: 'eu-west-1',
      resourceId: 'api-x',
      resourceName: 'say "hi", then\nleave',
      configuration: {
        AuthenticationType: 'API_KEY',
        AdditionalAuthenticationProviders: [{ AuthenticationType: 'API_KEY' }],
      },
    });
    config
      .on(SelectAggregateResourceConfigCommand)
      .resolves({ Results: [tricky], QueryInfo: { SelectFields: FIELDS } });
    const output = capture();
    // Act
    const code = await main(
      ['node', 'authn-pack', 'query', 'appsync-api-key', '--aggregator', 'org', '--format', 'csv'],
      output,
    );
    // Assess
    expect(code, output.err).to.equal(0);
    expect(output.out).to.equal(
      'accountId,awsRegion,resourceId,resourceName,configuration.AuthenticationType,configuration.AdditionalAuthenticationProviders\r\n' +
        '111122223333,eu-west-1,api-x,"say ""hi"", then\nleave",API_KEY,"[{""AuthenticationType"":""API_KEY""}]"\r\n',
    );
  });

  it('applies the post-filter of pack-noncompliant (array semantics) to every page', async () => {
    // Prepare
    const row = (list: unknown[]) =>
      JSON.stringify({
        accountId: '1',
        awsRegion: 'eu-west-1',
        configuration: { targetResourceId: 'r', configRuleList: list },
      });
    config
      .on(SelectAggregateResourceConfigCommand)
      .resolvesOnce({
        Results: [
          row([
            {
              configRuleName: 'authn-dms-mongodb-authentication-conformance-pack-x1',
              complianceType: 'NON_COMPLIANT',
            },
          ]),
        ],
        NextToken: 'next',
      })
      .resolvesOnce({
        Results: [
          row([
            { configRuleName: 'authn-dms-mongodb-authentication', complianceType: 'COMPLIANT' },
            { configRuleName: 'other-rule', complianceType: 'NON_COMPLIANT' },
          ]),
        ],
      });
    const output = capture();
    // Act
    const code = await main(
      ['node', 'authn-pack', 'query', 'pack-noncompliant', '--aggregator', 'org', '--format', 'json'],
      output,
    );
    // Assess
    expect(code, output.err).to.equal(0);
    const printed = JSON.parse(output.out) as { count: number };
    expect(printed.count).to.equal(1);
  });

  it('retries a throttled page, then goes on', async () => {
    // Prepare
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    config
      .on(SelectAggregateResourceConfigCommand)
      .rejectsOnce(throttled)
      .resolvesOnce({ Results: [api(1)], NextToken: 'n' })
      .resolvesOnce({ Results: [api(2)] });
    const output = capture();
    // Act
    const code = await runQueryCommand('appsync-api-key', { aggregator: 'org', format: 'json' }, output, {
      retry: noSleep,
    });
    // Assess
    expect(code, output.err).to.equal(0);
    expect(config.commandCalls(SelectAggregateResourceConfigCommand)).to.have.length(3);
    expect((JSON.parse(output.out) as { count: number }).count).to.equal(2);
  });

  it('prints nothing and exits 3 when a page cannot be read (no partial answer)', async () => {
    // Prepare
    const denied = Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
    config
      .on(SelectAggregateResourceConfigCommand)
      .resolvesOnce({ Results: [api(1)], NextToken: 'n' })
      .rejectsOnce(denied);
    const output = capture();
    // Act
    const code = await runQueryCommand('appsync-api-key', { aggregator: 'org', format: 'table' }, output, {
      retry: noSleep,
    });
    // Assess
    expect(code).to.equal(3);
    expect(output.out).to.equal('');
    expect(output.err).to.match(
      /query appsync-api-key could not be read: AccessDeniedException: not authorized/,
    );
  });

  it('lists the queries with their purpose', async () => {
    // Prepare
    const output = capture();
    // Act
    const code = await main(['node', 'authn-pack', 'query', '--list'], output);
    // Assess
    expect(code).to.equal(0);
    expect(output.out).to.match(/^appsync-api-key\s+AppSync GraphQL APIs that accept API keys/m);
    expect(output.out).to.match(/^pack-noncompliant\s+/m);
  });

  it('refuses an unknown query or format as a usage error (exit 2)', async () => {
    // Prepare
    const output = capture();
    // Act
    const unknown = await main(['node', 'authn-pack', 'query', '../etc/passwd'], output);
    const format = await main(
      ['node', 'authn-pack', 'query', 'appsync-api-key', '--format', 'sarif'],
      output,
    );
    // Assess
    expect(unknown).to.equal(2);
    expect(format).to.equal(2);
    expect(config.calls()).to.have.length(0);
  });
});

describe('cli/csv csvCell', () => {
  it('quotes what needs quoting, doubles quotes, JSON-encodes objects, defuses formulas', () => {
    // Act and Assess
    expect(csvCell('plain')).to.equal('plain');
    expect(csvCell('a,b')).to.equal('"a,b"');
    expect(csvCell('say "x"')).to.equal('"say ""x"""');
    expect(csvCell('line\r\nbreak')).to.equal('"line\r\nbreak"');
    expect(csvCell(' padded')).to.equal('" padded"');
    expect(csvCell({ a: [1, 'b'] })).to.equal('"{""a"":[1,""b""]}"');
    expect(csvCell(null)).to.equal('');
    expect(csvCell(42)).to.equal('42');
    expect(csvCell(-3)).to.equal('-3');
    expect(csvCell('=HYPERLINK("x")')).to.equal('"\'=HYPERLINK(""x"")"');
    expect(csvCell('-12')).to.equal('-12');
  });
});
