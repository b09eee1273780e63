/** `authn-pack check-template` as a user runs it: the real command on files, folders and a synthesized cdk.out. */
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Finding } from '../../cli/findings';
import { RULES } from '../../rules/index';
import { runCli } from '../helpers/cli';

interface JsonReport {
  findings: Finding[];
  dangling: { tagKey: string; resourceId: string; file?: string }[];
  unreadable: { scope: string; error: string }[];
}

interface Sarif {
  version: string;
  $schema: string;
  runs: {
    tool: { driver: { name: string; rules: { id: string }[] } };
    results: {
      ruleId: string;
      level: string;
      message: { text: string };
      locations: {
        physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } };
        logicalLocations: { name: string }[];
      }[];
      suppressions?: { justification: string }[];
    }[];
    invocations: { executionSuccessful: boolean }[];
  }[];
}

const OPEN_ROUTE = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  PartnerApi:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Name: partner-api
      ProtocolType: HTTP
      Tags:
        authn-exception/APIGateway.8/GET /health: public load balancer health probe, no data returned
  HealthRoute:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref PartnerApi
      RouteKey: GET /health
  PartnersRoute:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref PartnerApi
      RouteKey: POST /partners
      AuthorizationType: NONE
`;

const CLEAN = `Parameters:
  RouteAuth: {Type: String, Default: JWT}
Resources:
  OrdersApi:
    Type: AWS::ApiGatewayV2::Api
    Properties: {Name: orders, ProtocolType: HTTP}
  OrdersRoute:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref OrdersApi
      RouteKey: GET /orders
      AuthorizationType: !Ref RouteAuth
  Reviews:
    Type: AWS::AppSync::GraphQLApi
    Properties: {Name: reviews, AuthenticationType: AWS_IAM}
`;

/** A fresh folder with the given files (relative path → content). */
function folderWith(files: Readonly<Record<string, string>>): string {
  const folder = mkdtempSync(join(tmpdir(), 'authn-template-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(folder, path, '..'), { recursive: true });
    writeFileSync(join(folder, path), content);
  }
  return folder;
}

const lineOf = (text: string, prefix: string): number =>
  text.split('\n').findIndex((line) => line.startsWith(prefix)) + 1;

describe('cli check-template', function () {
  this.timeout(60_000);

  describe('exit codes', () => {
    it('exits 1 when a resource is NON_COMPLIANT, by default', async () => {
      // Prepare
      const folder = folderWith({ 'stack.yaml': OPEN_ROUTE });
      // Act
      const run = await runCli(['check-template', join(folder, 'stack.yaml')]);
      // Assess
      expect(run.code, run.stderr).to.equal(1);
      expect(run.stdout).to.include('partner-api POST /partners');
    });

    it('exits 0 on the same template with --fail-on none', async () => {
      // Prepare
      const folder = folderWith({ 'stack.yaml': OPEN_ROUTE });
      // Act
      const run = await runCli(['check-template', join(folder, 'stack.yaml'), '--fail-on', 'none']);
      // Assess
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stdout).to.include('partner-api POST /partners');
    });

    it('exits 0 on a clean template (a parameter Default of JWT counts)', async () => {
      // Prepare
      const folder = folderWith({ 'clean.yaml': CLEAN });
      // Act
      const run = await runCli(['check-template', join(folder, 'clean.yaml'), '--format', 'json']);
      // Assess
      expect(run.code, run.stderr).to.equal(0);
      const report = JSON.parse(run.stdout) as JsonReport;
      expect(report.findings.map((f) => [f.logicalId, f.compliance])).to.deep.equal([
        ['OrdersRoute', 'COMPLIANT'],
        ['Reviews', 'COMPLIANT'],
      ]);
    });

    it('reports an explicitly named file that is not a readable template and exits 3', async () => {
      // Prepare
      const folder = folderWith({
        'broken.yaml': 'Resources:\n  Api: [unclosed\n',
        'stack.yaml': OPEN_ROUTE,
      });
      // Act
      const run = await runCli([
        'check-template',
        join(folder, 'broken.yaml'),
        join(folder, 'stack.yaml'),
        '--format',
        'json',
      ]);
      // Assess
      expect(run.code).to.equal(3);
      const report = JSON.parse(run.stdout) as JsonReport;
      expect(report.unreadable).to.have.length(1);
      expect(report.unreadable[0]?.scope).to.match(/broken\.yaml$/);
      expect(report.unreadable[0]?.error).to.match(/not a readable template/);
      expect(report.findings.map((f) => f.logicalId)).to.include('PartnersRoute');
      expect(report.findings.find((f) => f.logicalId === 'PartnersRoute')?.code).to.equal(
        'route-authorization-none',
      );
      expect(run.stderr).to.include('could not be read');
    });

    it('reports an explicitly named JSON file that is not a template and exits 3', async () => {
      // Prepare
      const folder = folderWith({ 'package.json': '{"name": "app"}' });
      // Act
      const run = await runCli(['check-template', join(folder, 'package.json'), '--format', 'json']);
      // Assess
      expect(run.code).to.equal(3);
      const report = JSON.parse(run.stdout) as JsonReport;
      expect(report.unreadable[0]?.error).to.match(/not a CloudFormation template \(no Resources section\)/);
    });

    it('exits 2 with a message for a path that does not exist, an unknown format or a bad parameter', async () => {
      // Prepare
      const folder = folderWith({ 'stack.yaml': OPEN_ROUTE });
      // Act
      const missing = await runCli(['check-template', join(folder, 'nope.yaml')]);
      const format = await runCli(['check-template', join(folder, 'stack.yaml'), '--format', 'xml']);
      const parameter = await runCli([
        'check-template',
        join(folder, 'stack.yaml'),
        '--parameter',
        'RequireAuthOnAllVersions=maybe',
      ]);
      // Assess
      expect([missing.code, format.code, parameter.code]).to.deep.equal([2, 2, 2]);
      expect(missing.stderr).to.match(/^error: .*nope\.yaml: no such file or folder/m);
      expect(format.stderr).to.include('--format');
      expect(parameter.stderr).to.include('RequireAuthOnAllVersions');
    });
  });

  describe('nothing passes in silence', () => {
    it('says which template holds no resource of the controls, naming the count from the registry', async () => {
      // Prepare
      const folder = folderWith({
        'queue.yaml': 'Resources:\n  Jobs:\n    Type: AWS::SQS::Queue\n  Dlq:\n    Type: AWS::SQS::Queue\n',
      });
      // Act
      const run = await runCli(['check-template', join(folder, 'queue.yaml'), '--format', 'json']);
      // Assess
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stderr).to.match(
        new RegExp(
          `queue\\.yaml: no resources of the ${RULES.length} controls found \\(CloudFormation, 2 resources\\)`,
        ),
      );
      expect((JSON.parse(run.stdout) as JsonReport).findings).to.deep.equal([]);
    });

    it('says when a folder holds no template at all, and names what it skipped', async () => {
      // Prepare
      const folder = folderWith({ 'package.json': '{"name": "app"}', 'config/app.yaml': 'stage: prod\n' });
      // Act
      const run = await runCli(['check-template', folder]);
      // Assess
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stderr).to.include('2 files are no template and were skipped');
      expect(run.stderr).to.include('package.json');
      expect(run.stderr).to.include('no template was found, so nothing was judged');
    });

    it('names the files that could not be read in its summary, and fails even with --fail-on none', async () => {
      // Prepare
      const folder = folderWith({
        'broken.yaml': 'Resources:\n  Api:\n    Type: X\n      Properties: {}\n',
        'stack.yaml': CLEAN,
      });
      // Act
      const run = await runCli(['check-template', folder, '--format', 'json', '--fail-on', 'none']);
      // Assess
      expect(run.code).to.equal(3);
      expect(run.stderr).to.match(/^1 file could not be read: .*broken\.yaml; the report says why\.$/m);
      expect(run.stderr).to.not.include('account/region');
      const report = JSON.parse(run.stdout) as JsonReport;
      // The over-indented key is on line 4, column 17: where it is, not the line before.
      expect(report.unreadable[0]?.error).to.match(/broken\.yaml:4:17: not a readable template: /);
    });

    it('judges an MSK client template with a multi-line quoted !Sub that cfn-lint accepts', async () => {
      // Prepare
      const template = join(__dirname, '..', 'fixtures', 'templates', 'msk-client-multiline-sub.yaml');
      // Act
      const run = await runCli(['check-template', template, '--format', 'json']);
      // Assess
      expect(run.code, run.stderr).to.equal(0);
      const report = JSON.parse(run.stdout) as JsonReport;
      expect(report.unreadable).to.deep.equal([]);
      expect(report.findings.map((f) => [f.control, f.logicalId, f.compliance])).to.deep.equal([
        ['MSK.6', 'Cluster', 'COMPLIANT'],
      ]);
    });
  });

  describe('formats', () => {
    it('prints JSON findings with the documented fields, resources named by logical id', async () => {
      // Prepare
      const folder = folderWith({ 'stack.yaml': OPEN_ROUTE });
      // Act
      const run = await runCli([
        'check-template',
        join(folder, 'stack.yaml'),
        '--format',
        'json',
        '--fail-on',
        'none',
      ]);
      // Assess
      expect(run.code, run.stderr).to.equal(0);
      const report = JSON.parse(run.stdout) as JsonReport;
      expect(report.findings).to.have.length(2);
      for (const finding of report.findings) {
        expect(finding).to.include.keys(
          'control',
          'resourceType',
          'resourceId',
          'resourceName',
          'compliance',
          'annotation',
          'exception',
          'remediation',
          'file',
          'logicalId',
          'line',
        );
        expect(finding.file).to.match(/stack\.yaml$/);
      }
      const open = report.findings.find((f) => f.logicalId === 'PartnersRoute');
      expect(open).to.deep.include({
        control: 'APIGateway.8',
        resourceType: 'AWS::ApiGatewayV2::Route',
        resourceId: 'PartnersRoute',
        resourceName: 'partner-api POST /partners',
        compliance: 'NON_COMPLIANT',
        exception: null,
        line: lineOf(OPEN_ROUTE, '  PartnersRoute:'),
      });
      expect(open?.remediation).to.match(/^PartnersRoute in .*stack\.yaml: set AuthorizationType to JWT/);
      const health = report.findings.find((f) => f.logicalId === 'HealthRoute');
      expect(health?.compliance).to.equal('COMPLIANT');
      expect(health?.exception?.tagKey).to.equal('authn-exception/APIGateway.8/GET /health');
      expect(health?.remediation).to.equal(null);
    });

    it('writes SARIF 2.1.0 whose locations carry the file and the resource line', async () => {
      // Prepare
      const folder = folderWith({ 'stack.yaml': OPEN_ROUTE });
      const output = join(folder, 'report.sarif');
      // Act
      const run = await runCli([
        'check-template',
        join(folder, 'stack.yaml'),
        '--format',
        'sarif',
        '--output',
        output,
      ]);
      // Assess
      expect(run.code).to.equal(1);
      expect(run.stderr).to.include(`wrote ${output}`);
      const sarif = JSON.parse(readFileSync(output, 'utf8')) as Sarif;
      expect(sarif.version).to.equal('2.1.0');
      expect(sarif.$schema).to.match(/sarif-2\.1\.0/);
      const [runResult] = sarif.runs;
      expect(runResult?.tool.driver.name).to.equal('authn-pack');
      expect(runResult?.tool.driver.rules.map((r) => r.id)).to.include('APIGateway.8');
      const error = runResult?.results.find((r) => r.level === 'error');
      expect(error?.ruleId).to.equal('APIGateway.8');
      const location = error?.locations[0];
      expect(location?.physicalLocation.artifactLocation.uri).to.match(/stack\.yaml$/);
      expect(location?.physicalLocation.region?.startLine).to.equal(lineOf(OPEN_ROUTE, '  PartnersRoute:'));
      expect(location?.logicalLocations[0]?.name).to.equal('PartnersRoute');
      const suppressed = runResult?.results.find((r) => r.suppressions !== undefined);
      expect(suppressed?.locations[0]?.physicalLocation.region?.startLine).to.equal(
        lineOf(OPEN_ROUTE, '  HealthRoute:'),
      );
      expect(runResult?.invocations[0]?.executionSuccessful).to.equal(true);
    });

    it('gives JSON templates their lines in SARIF too', async () => {
      // Prepare
      const template = JSON.stringify(
        {
          Resources: {
            Graph: {
              Type: 'AWS::AppSync::GraphQLApi',
              Properties: { Name: 'g', AuthenticationType: 'API_KEY' },
            },
          },
        },
        null,
        2,
      );
      const folder = folderWith({ 'stack.json': template });
      // Act
      const run = await runCli(['check-template', join(folder, 'stack.json'), '--format', 'sarif']);
      // Assess
      expect(run.code).to.equal(1);
      const sarif = JSON.parse(run.stdout) as Sarif;
      expect(sarif.runs[0]?.results[0]?.locations[0]?.physicalLocation.region?.startLine).to.equal(3);
    });
  });

  describe('folders', () => {
    it('checks the templates of a folder and leaves a JSON file that is not a template alone', async () => {
      // Prepare
      const folder = folderWith({
        'package.json': '{"name": "infra", "private": true}',
        'config/settings.yaml': 'stage: prod\nregion: eu-west-1\n',
        'templates/stack.yaml': OPEN_ROUTE,
        'templates/clean.json': JSON.stringify(JSON.parse('{"Resources": {}}')),
        'node_modules/dep/template.yaml': 'Resources:\n  X: [broken\n',
      });
      // Act
      const run = await runCli(['check-template', folder, '--format', 'json', '--fail-on', 'none']);
      // Assess
      expect(run.code, run.stderr).to.equal(0);
      const report = JSON.parse(run.stdout) as JsonReport;
      expect(report.unreadable).to.deep.equal([]);
      expect(
        new Set(report.findings.map((f) => f.file?.replace(/^.*authn-template-[^/]+\//, ''))),
      ).to.deep.equal(new Set(['templates/stack.yaml']));
    });

    it('reports a broken template found in a folder, never skipping it in silence', async () => {
      // Prepare
      const folder = folderWith({
        'stack.yaml': OPEN_ROUTE,
        'broken.yaml': 'Resources:\n  Api: [unclosed\n',
        'minified.json': '{"AWSTemplateFormatVersion":"2010-09-09","Resources":{',
      });
      // Act
      const run = await runCli(['check-template', folder, '--format', 'json']);
      // Assess
      expect(run.code).to.equal(3);
      const report = JSON.parse(run.stdout) as JsonReport;
      expect(report.unreadable.map((u) => u.scope.replace(/^.*\//, ''))).to.deep.equal([
        'broken.yaml',
        'minified.json',
      ]);
    });

    it('leaves files in a folder alone that do not parse and are not meant as templates', async () => {
      // Prepare
      const folder = folderWith({
        'tsconfig.json': '{\n  // written by tsc --init\n  "compilerOptions": {"strict": true}\n}\n',
        'k8s/deployment.yaml':
          'kind: Service\nmetadata: {name: a}\n---\nkind: Deployment\nmetadata: {name: a}\n',
        'stack.yaml': CLEAN,
      });
      // Act
      const run = await runCli(['check-template', folder, '--format', 'json']);
      // Assess
      expect(run.code, run.stdout).to.equal(0);
      const report = JSON.parse(run.stdout) as JsonReport;
      expect(report.unreadable).to.deep.equal([]);
      expect(report.findings).to.have.length(2);
    });

    it('checks a synthesized cdk.out folder through its *.template.json', async () => {
      // Prepare
      const outdir = await synthesizeSmallApp();
      // Act
      const run = await runCli(['check-template', outdir, '--format', 'json']);
      // Assess
      expect(run.code, run.stderr).to.equal(1);
      const report = JSON.parse(run.stdout) as JsonReport;
      expect(report.unreadable).to.deep.equal([]);
      const byId = new Map(report.findings.map((f) => [f.logicalId, f]));
      expect([...byId.keys()].sort()).to.deep.equal(['ConnectRoute', 'OpenRoute', 'Reviews', 'SendRoute']);
      expect(byId.get('OpenRoute')).to.deep.include({
        compliance: 'NON_COMPLIANT',
        resourceName: 'partner-api POST /partners',
      });
      expect(byId.get('OpenRoute')?.file).to.match(/PartnerStack\.template\.json$/);
      expect(byId.get('OpenRoute')?.line).to.be.a('number');
      expect(byId.get('Reviews')).to.deep.include({ control: 'AppSync.5', compliance: 'NON_COMPLIANT' });
      expect(byId.get('ConnectRoute')?.compliance).to.equal('COMPLIANT');
      expect(byId.get('SendRoute')?.compliance).to.equal('NOT_APPLICABLE');
      expect(
        report.findings.every((f) => !f.file?.includes('manifest.json') && !f.file?.includes('tree.json')),
      ).to.equal(true);
    });
  });
});

/**
 * A tiny aws-cdk-lib app, synthesized to a temporary cdk.out: an HTTP API with an open route, a WebSocket API with an
 * authorized $connect and another route, and an AppSync API on API keys.
 */
async function synthesizeSmallApp(): Promise<string> {
  const { App, Stack } = await import('aws-cdk-lib');
  const { CfnApi, CfnRoute } = await import('aws-cdk-lib/aws-apigatewayv2');
  const { CfnGraphQLApi } = await import('aws-cdk-lib/aws-appsync');
  const outdir = mkdtempSync(join(tmpdir(), 'authn-cdk-out-'));
  const app = new App({ outdir });
  const stack = new Stack(app, 'PartnerStack');
  const api = new CfnApi(stack, 'PartnerApi', { name: 'partner-api', protocolType: 'HTTP' });
  new CfnRoute(stack, 'OpenRoute', { apiId: api.ref, routeKey: 'POST /partners', authorizationType: 'NONE' });
  const chat = new CfnApi(stack, 'ChatApi', {
    name: 'chat-ws',
    protocolType: 'WEBSOCKET',
    routeSelectionExpression: '$request.body.action',
  });
  new CfnRoute(stack, 'ConnectRoute', {
    apiId: chat.ref,
    routeKey: '$connect',
    authorizationType: 'AWS_IAM',
  });
  new CfnRoute(stack, 'SendRoute', { apiId: chat.ref, routeKey: 'sendMessage' });
  new CfnGraphQLApi(stack, 'Reviews', { name: 'reviews', authenticationType: 'API_KEY' });
  app.synth();
  return outdir;
}
