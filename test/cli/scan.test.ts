/** `authn-pack scan` as a user runs it, against moto_server through AWS_ENDPOINT_URL. */
import { expect } from 'chai';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiGatewayV2Client, CreateApiCommand, CreateRouteCommand } from '@aws-sdk/client-apigatewayv2';
import {
  CreateAccountCommand,
  CreateOrganizationCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { emulatorClientSettings, emulatorEnvironment } from '../../scripts/emulator';
import { seedSampleEstate } from '../../scripts/sample-estate';
import type { Finding } from '../../cli/findings';
import { useEmulator } from '../helpers/emulator';
import { runCli } from '../helpers/cli';

interface JsonReport {
  findings: Finding[];
  dangling: { tagKey: string; reason: string; resourceName: string }[];
  unreadable: { scope: string; error: string }[];
}

describe('cli scan', function () {
  this.timeout(120_000);
  const emulator = useEmulator();

  const scan = (args: string[], region = 'us-east-1') =>
    runCli(['scan', ...args], { env: emulatorEnvironment(emulator.current().endpoint, region) });

  it('prints every finding with the documented JSON fields', async () => {
    // Prepare
    await seedSampleEstate(emulatorClientSettings(emulator.current().endpoint));
    // Act
    const run = await scan(['--format', 'json']);
    // Assess
    expect(run.code, run.stderr).to.equal(0);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.findings).to.have.length(29);
    for (const finding of report.findings) {
      expect(finding).to.include.keys(
        'control',
        'resourceType',
        'resourceId',
        'resourceName',
        'compliance',
        'code',
        'annotation',
        'exception',
        'remediation',
        'region',
        'accountId',
      );
      expect(finding.region).to.equal('us-east-1');
      expect(finding.accountId).to.equal('123456789012');
    }
    const health = report.findings.find((f) => f.resourceName === 'partner-api GET /health');
    expect(health?.compliance).to.equal('COMPLIANT');
    expect(health?.code, 'an exempted finding keeps its rule code').to.equal('route-authorization-none');
    expect(health?.exception?.justification).to.equal('public load balancer health probe, no data returned');
    const open = report.findings.find((f) => f.resourceName === 'partner-api POST /partners');
    expect(open?.compliance).to.equal('NON_COMPLIANT');
    expect(open?.code).to.equal('route-authorization-none');
    expect(open?.remediation).to.include('aws apigatewayv2');
    expect(open?.remediation).to.include('update-route');
  });

  it('names a route finding with the API name and the route key', async () => {
    // Prepare
    await seedSampleEstate(emulatorClientSettings(emulator.current().endpoint));
    // Act
    const run = await scan(['--format', 'json', '--control', 'APIGateway.8']);
    // Assess
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.findings.map((f) => f.resourceName)).to.include('partner-api GET /partners/{id}');
    expect(report.findings.every((f) => f.control === 'APIGateway.8')).to.be.true;
  });

  it('exits 1 with --fail-on NON_COMPLIANT when a resource fails, and 0 without it', async () => {
    // Prepare
    await seedSampleEstate(emulatorClientSettings(emulator.current().endpoint));
    // Act
    const gated = await scan(['--fail-on', 'NON_COMPLIANT']);
    const plain = await scan([]);
    // Assess
    expect(gated.code).to.equal(1);
    expect(plain.code).to.equal(0);
    expect(plain.stdout).to.include('Failing resources (13)');
    expect(plain.stdout).to.include('fix: aws kafka update-security');
  });

  it('exits 0 with --fail-on when every resource passes', async () => {
    // Prepare
    const client = new ApiGatewayV2Client(emulatorClientSettings(emulator.current().endpoint));
    const api = await client.send(new CreateApiCommand({ Name: 'good', ProtocolType: 'HTTP' }));
    await client.send(
      new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /a', AuthorizationType: 'AWS_IAM' }),
    );
    // Act
    const run = await scan(['--fail-on', 'NON_COMPLIANT']);
    // Assess
    expect(run.code, run.stdout + run.stderr).to.equal(0);
  });

  it('lists exception tags that exempt nothing as dangling', async () => {
    // Prepare
    const client = new ApiGatewayV2Client(emulatorClientSettings(emulator.current().endpoint));
    const api = await client.send(
      new CreateApiCommand({
        Name: 'tagged',
        ProtocolType: 'HTTP',
        Tags: {
          'authn-exception/APIGateway.8/GET /gone': 'route removed last quarter, tag forgotten',
          'authn-exception/S3.1': 'not a control of this pack at all',
          'authn-exception/MSK.6': 'exception for the wrong kind of resource',
        },
      }),
    );
    await client.send(
      new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /a', AuthorizationType: 'AWS_IAM' }),
    );
    // Act
    const run = await scan(['--format', 'json']);
    // Assess
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.dangling.map((tag) => tag.tagKey)).to.have.members([
      'authn-exception/APIGateway.8/GET /gone',
      'authn-exception/S3.1',
      'authn-exception/MSK.6',
    ]);
  });

  it('reports a service it cannot read and exits 3, never skipping it in silence', async () => {
    // Prepare: Kafka calls go to a port where nothing listens; every other service answers.
    await seedSampleEstate(emulatorClientSettings(emulator.current().endpoint));
    const env = {
      ...emulatorEnvironment(emulator.current().endpoint),
      AWS_ENDPOINT_URL_KAFKA: 'http://127.0.0.1:9',
    };
    // Act
    const run = await runCli(['scan', '--format', 'json'], { env });
    // Assess
    expect(run.code).to.equal(3);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.unreadable).to.have.length(1);
    expect(report.unreadable[0]?.scope).to.equal('MSK.6 in account 123456789012, us-east-1');
    expect(report.findings.filter((f) => f.control === 'MSK.6')).to.have.length(0);
    expect(report.findings.filter((f) => f.control === 'DMS.11')).to.have.length(2);
  });

  it('fails with a clear message when the account itself cannot be reached', async () => {
    // Prepare: nothing listens on port 9.
    const env = emulatorEnvironment('http://127.0.0.1:9');
    // Act
    const run = await runCli(['scan', '--format', 'json', '--region', 'us-east-1'], { env });
    // Assess
    expect(run.code).to.equal(1);
    expect(run.stderr).to.match(/^error: /m);
    expect(run.stdout).to.equal('');
  });

  it('scans every enabled region with --all-regions', async () => {
    // Prepare
    await seedSampleEstate(emulatorClientSettings(emulator.current().endpoint, 'eu-west-1'));
    // Act
    const run = await scan(['--format', 'json', '--all-regions', '--control', 'DMS.11']);
    // Assess
    expect(run.code, run.stderr).to.equal(0);
    const report = JSON.parse(run.stdout) as JsonReport;
    const regions = new Set(report.findings.map((f) => f.region));
    expect([...regions]).to.deep.equal(['eu-west-1']);
    expect(report.findings).to.have.length(2);
  });

  it('writes SARIF 2.1.0 to --output', async () => {
    // Prepare
    await seedSampleEstate(emulatorClientSettings(emulator.current().endpoint));
    const file = join(mkdtempSync(join(tmpdir(), 'authn-scan-')), 'scan.sarif');
    // Act
    const run = await scan(['--format', 'sarif', '--output', file]);
    // Assess
    expect(run.code, run.stderr).to.equal(0);
    const sarif = JSON.parse(readFileSync(file, 'utf8')) as {
      version: string;
      runs: { results: { ruleId: string; level: string; suppressions?: unknown[] }[] }[];
    };
    expect(sarif.version).to.equal('2.1.0');
    const results = sarif.runs[0]?.results ?? [];
    expect(results.filter((r) => r.level === 'error')).to.have.length(13);
    expect(results.filter((r) => r.suppressions !== undefined)).to.have.length(4);
  });

  it('refuses an unknown format or parameter with a usage error', async () => {
    // Act
    const format = await scan(['--format', 'xml']);
    const parameter = await scan(['--parameter', 'Nope=1']);
    // Assess
    expect(format.code).to.not.equal(0);
    expect(format.stderr).to.include('--format');
    expect(parameter.code).to.not.equal(0);
    expect(parameter.stderr).to.include('RequireAuthOnAllVersions');
  });

  it('scans every account of the organization through --role-name', async () => {
    // Prepare: an organization with one member account holding an open MongoDB endpoint.
    const endpoint = emulator.current().endpoint;
    const settings = emulatorClientSettings(endpoint);
    const organizations = new OrganizationsClient(settings);
    await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const created = await organizations.send(
      new CreateAccountCommand({ AccountName: 'workloads', Email: 'workloads@example.com' }),
    );
    const memberId = created.CreateAccountStatus?.AccountId ?? '';
    const assumed = await new STSClient(settings).send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${memberId}:role/authn-scan`, RoleSessionName: 'seed' }),
    );
    const credentials = {
      accessKeyId: assumed.Credentials?.AccessKeyId ?? '',
      secretAccessKey: assumed.Credentials?.SecretAccessKey ?? '',
      sessionToken: assumed.Credentials?.SessionToken ?? '',
    };
    await seedSampleEstate({ ...settings, credentials });
    // Act
    const run = await scan([
      '--format',
      'json',
      '--organization',
      '--role-name',
      'authn-scan',
      '--control',
      'DMS.11',
    ]);
    // Assess
    expect(run.code, run.stderr).to.equal(0);
    const report = JSON.parse(run.stdout) as JsonReport;
    const member = report.findings.filter((f) => f.accountId === memberId);
    expect(member.map((f) => f.resourceName)).to.have.members([
      'catalog-mongo-source',
      'orders-mongo-target',
    ]);
  });
});
