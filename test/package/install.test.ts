/**
 * The npm package as a user installs it: `npm pack`, then `npm install --offline` of the tarball into an empty
 * folder. The installed command and the library run from compiled JavaScript, with no TypeScript at run time.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { ROOT, packAndInstall, type InstalledPackage } from '../../scripts/package-install';
import { checkTemplates } from '../../cli/check-template';
import { RULES } from '../../rules/index';
import { useEmulator } from '../helpers/emulator';
import { HOOK_SAMPLES } from '../helpers/hook';

const run = promisify(execFile);

interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command, resolving with its exit code rather than rejecting on a non-zero one. */
async function attempt(
  file: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string },
): Promise<Ran> {
  try {
    const { stdout, stderr } = await run(file, [...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

function filesUnder(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(directory, join(entry.parentPath, entry.name)));
}

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** An HTTP API with one open route, as a team would write it. */
const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  PartnerApi:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Name: partner-api
      ProtocolType: HTTP
  OrdersRoute:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref PartnerApi
      RouteKey: POST /orders
      AuthorizationType: NONE
`;

/** A ConfigurationItemChangeNotification for an MSK cluster with unauthenticated access on, as Config sends it. */
function mskEvent(): string {
  const item = {
    configurationItemVersion: '1.3',
    configurationItemCaptureTime: '2026-11-20T10:15:00.000Z',
    configurationStateId: 1732097700000,
    awsAccountId: '111122223333',
    configurationItemStatus: 'OK',
    resourceType: 'AWS::MSK::Cluster',
    resourceId:
      'arn:aws:kafka:us-east-1:111122223333:cluster/clickstream/5f1e7c2a-9d3b-4a6e-8c1f-0e2d4b6a8c9e-3',
    resourceName: 'clickstream',
    ARN: 'arn:aws:kafka:us-east-1:111122223333:cluster/clickstream/5f1e7c2a-9d3b-4a6e-8c1f-0e2d4b6a8c9e-3',
    awsRegion: 'us-east-1',
    tags: {},
    relationships: [],
    configuration: {
      ClusterName: 'clickstream',
      ClientAuthentication: { Sasl: { Iam: { Enabled: true } }, Unauthenticated: { Enabled: true } },
      EncryptionInfo: { EncryptionInTransit: { InCluster: true, ClientBroker: 'TLS' } },
    },
    supplementaryConfiguration: {},
  };
  return JSON.stringify({
    version: '1.0',
    invokingEvent: JSON.stringify({
      configurationItem: item,
      notificationCreationTime: '2026-11-20T10:15:05.000Z',
      messageType: 'ConfigurationItemChangeNotification',
      recordVersion: '1.3',
    }),
    ruleParameters: '{}',
    resultToken: 'TESTMODE',
    eventLeftScope: false,
    executionRoleArn:
      'arn:aws:iam::111122223333:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig',
    configRuleArn: 'arn:aws:config:us-east-1:111122223333:config-rule/config-rule-a1b2c3',
    configRuleName: 'authn-msk-no-unauthenticated-access',
    configRuleId: 'config-rule-a1b2c3',
    accountId: '111122223333',
  });
}

describe('npm package (npm pack, installed offline into an empty folder)', function () {
  this.timeout(600_000);
  const emulator = useEmulator();
  const workdir = mkdtempSync(join(tmpdir(), 'authn-pack-install-'));
  let installed: InstalledPackage;
  /** The environment of a user's shell: no tsx loader, no test setup. */
  const userEnv = (): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    HOME: workdir,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });

  before(async () => {
    // Prepare: what a CDK user's project would hold beside authn-pack, at the versions this repository tests with.
    installed = await packAndInstall(workdir, ['aws-cdk-lib', 'constructs', '@types/node']);
    writeFileSync(join(workdir, 'partner-api.yaml'), TEMPLATE);
    writeFileSync(join(workdir, 'msk-event.json'), mskEvent());
    // A SAM application whose functions' HttpApi events make the implicit ServerlessHttpApi, with no authorizer.
    writeFileSync(
      join(workdir, 'sam-template.yaml'),
      readFileSync(join(ROOT, 'test', 'fixtures', 'sam', 'implicit-http-api-open.yaml')),
    );
    // A CloudFormation hook request for an MSK cluster with unauthenticated access beside IAM, as the Hooks service sends it.
    writeFileSync(
      join(workdir, 'msk-hook.json'),
      readFileSync(join(HOOK_SAMPLES, 'msk6-unauthenticated-beside-iam.json')),
    );
  });

  after(() => {
    rmSync(workdir, { recursive: true, force: true });
  });

  it('ships compiled JavaScript with type declarations, no TypeScript sources, and installs no tsx', () => {
    // Act
    const files = filesUnder(installed.packageDir);
    const modules = readdirSync(join(installed.folder, 'node_modules'));
    // Assess
    expect(files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).to.deep.equal([]);
    expect(files).to.include.members([
      'bin/authn-pack.cjs',
      'lib/index.js',
      'lib/index.d.ts',
      'lib/cli/main.js',
      'lib/cli/cdk-validation.js',
      'lib/cli/cdk-validation.d.ts',
      'lib/hook/handler.js',
      'lib/hook/handler.d.ts',
      'README.md',
      'CHANGELOG.md',
      'LICENSE',
    ]);
    expect(files.some((file) => file.startsWith('test/') || file.startsWith('deploy/'))).to.equal(false);
    expect(modules).not.to.include('tsx');
    expect(modules).not.to.include('typescript');
    expect(manifest.dependencies).not.to.have.property('tsx');
  });

  it('runs `authn-pack --help` from the installed command', async () => {
    // Act
    const result = await attempt(installed.bin, ['--help'], { cwd: workdir, env: userEnv() });
    // Assess
    expect(result.code, result.stderr).to.equal(0);
    for (const command of ['invoke', 'scan', 'check-template', 'query', 'report'])
      expect(result.stdout).to.match(new RegExp(`^\\s+${command}\\b`, 'm'));
  });

  it('runs `authn-pack check-template` and fails the open route', async () => {
    // Act
    const result = await attempt(installed.bin, ['check-template', 'partner-api.yaml', '--format', 'json'], {
      cwd: workdir,
      env: userEnv(),
    });
    // Assess
    expect(result.code, result.stderr).to.equal(1);
    const report = JSON.parse(result.stdout) as { findings: { logicalId?: string; compliance: string }[] };
    expect(report.findings.map((f) => [f.logicalId, f.compliance])).to.deep.include([
      'OrdersRoute',
      'NON_COMPLIANT',
    ]);
  });

  it("runs `authn-pack invoke --dry-run` on a Config event through the rule's real handler", async () => {
    // Act
    const result = await attempt(
      installed.bin,
      ['invoke', 'MSK.6', '--event', 'msk-event.json', '--dry-run'],
      {
        cwd: workdir,
        env: userEnv(),
      },
    );
    // Assess
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.include('NON_COMPLIANT');
    expect(result.stdout).to.include('supplemented but not removed');
  });

  it('runs the compiled hook handler (`authn-pack/hook`, and `authn-pack invoke hook`) on a hook request', async () => {
    // Prepare: plain JavaScript, as Lambda would load the handler from the package; no service is reachable.
    const offline = { ...userEnv(), AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: 'http://127.0.0.1:9' };
    writeFileSync(
      join(installed.folder, 'hook-consumer.cjs'),
      [
        "const { handler } = require('authn-pack/hook');",
        "const request = JSON.parse(require('node:fs').readFileSync(process.argv[2], 'utf8'));",
        'handler(request).then((response) => console.log(JSON.stringify(response)));',
        '',
      ].join('\n'),
    );
    // Act
    const required = await attempt(process.execPath, ['hook-consumer.cjs', join(workdir, 'msk-hook.json')], {
      cwd: installed.folder,
      env: offline,
    });
    const invoked = await attempt(installed.bin, ['invoke', 'hook', '--event', 'msk-hook.json'], {
      cwd: workdir,
      env: offline,
    });
    // Assess: the same answer both ways, from lib/hook (the handler's Powertools log line goes to stdout first).
    expect(required.code, required.stderr).to.equal(0);
    expect(invoked.code, invoked.stderr).to.equal(0);
    const answer = JSON.parse(required.stdout.trim().split('\n').at(-1) ?? '') as {
      hookStatus: string;
      errorCode?: string;
      message: string;
    };
    expect(answer).to.deep.include({ hookStatus: 'FAILED', errorCode: 'NonCompliant' });
    expect(answer.message).to.match(/^\[MSK\.6 authn-msk-no-unauthenticated-access\] ClickstreamCluster /);
    expect(JSON.parse(invoked.stdout)).to.deep.include({
      hookStatus: 'FAILED',
      errorCode: 'NonCompliant',
      message: answer.message,
    });
  });

  it('runs `authn-pack scan` against the local emulator through the SDK clients', async () => {
    // Act
    const result = await attempt(installed.bin, ['scan', '--region', 'us-east-1', '--format', 'json'], {
      cwd: workdir,
      env: {
        ...userEnv(),
        AWS_ENDPOINT_URL: emulator.current().endpoint,
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        AWS_REGION: 'us-east-1',
      },
    });
    // Assess: an empty account, read completely.
    expect(result.code, result.stderr).to.equal(0);
    const report = JSON.parse(result.stdout) as { findings: unknown[]; unreadable: unknown[] };
    expect(report.findings).to.deep.equal([]);
    expect(report.unreadable).to.deep.equal([]);
  });

  it('loads no AWS SDK client for `--help` and `check-template` (they make no AWS call), nor the yaml package or the HTML report', async () => {
    // Prepare: a preload that writes, at exit, every module the process loaded.
    const preload = join(workdir, 'record-modules.cjs');
    writeFileSync(
      preload,
      "process.on('exit', () => require('node:fs').writeFileSync(process.env.MODULES_OUT, JSON.stringify(Object.keys(require.cache))));\n",
    );
    const loaded = async (args: readonly string[]): Promise<string[]> => {
      const out = join(workdir, `modules-${args[0] ?? ''}.json`);
      const result = await attempt(process.execPath, ['--require', preload, installed.bin, ...args], {
        cwd: workdir,
        env: { ...userEnv(), MODULES_OUT: out },
      });
      expect(result.code, result.stderr).to.be.oneOf([0, 1]);
      return (JSON.parse(readFileSync(out, 'utf8')) as string[]).filter((file) =>
        file.includes('node_modules'),
      );
    };
    // Act
    const help = await loaded(['--help']);
    const check = await loaded(['check-template', 'partner-api.yaml', '--fail-on', 'none']);
    // Assess: the command ran from the package, and no @aws-sdk module was loaded.
    expect(
      check.some((file) => file.includes('/node_modules/authn-pack/lib/cli/check-template.js')),
    ).to.equal(true);
    expect(help.filter((file) => file.includes('/@aws-sdk/') || file.includes('/@smithy/'))).to.deep.equal(
      [],
    );
    expect(check.filter((file) => file.includes('/@aws-sdk/') || file.includes('/@smithy/'))).to.deep.equal(
      [],
    );
    // Nor what only other inputs or formats need: the yaml package (js-yaml's events read a plain template) and
    // the HTML report.
    expect(check.filter((file) => file.includes('/node_modules/yaml/'))).to.deep.equal([]);
    expect(check.filter((file) => file.includes('/lib/cli/formats/html/'))).to.deep.equal([]);
  });

  it('runs the check step of the composite action (action.yml) on a CloudFormation and a SAM template and a Terraform plan: SARIF written, exit code 1', async () => {
    // Prepare: the step's script as GitHub runs it (bash -e), with the installed command on PATH.
    const action = parseYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
      runs: { steps: { id?: string; run?: string; uses?: string }[] };
    };
    const step = action.runs.steps.find((candidate) => candidate.id === 'check');
    const outputs = join(workdir, 'github-output');
    writeFileSync(outputs, '');
    // A Terraform plan as `terraform show -json` writes it (a REST API method and a function URL open, among others).
    writeFileSync(
      join(workdir, 'front-doors.plan.json'),
      readFileSync(join(ROOT, 'test', 'fixtures', 'terraform', 'front-doors', 'plan.json')),
    );
    // Act
    const result = await attempt(
      'bash',
      ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step?.run ?? 'exit 99'],
      {
        cwd: workdir,
        env: {
          ...userEnv(),
          PATH: `${join(installed.folder, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`,
          PATHS: 'partner-api.yaml\nsam-template.yaml\nfront-doors.plan.json\n',
          PARAMETERS: '',
          FAIL_ON: 'NON_COMPLIANT',
          SARIF: 'authn-pack.sarif',
          GITHUB_OUTPUT: outputs,
        },
      },
    );
    // Assess
    expect(result.code, result.stderr).to.equal(0);
    expect(readFileSync(outputs, 'utf8').trim().split('\n')).to.deep.equal([
      'sarif-file=authn-pack.sarif',
      'exit-code=1',
    ]);
    const sarif = JSON.parse(readFileSync(join(workdir, 'authn-pack.sarif'), 'utf8')) as {
      version: string;
      runs: {
        results: {
          ruleId: string;
          locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
        }[];
      }[];
    };
    expect(sarif.version).to.equal('2.1.0');
    expect(sarif.runs[0]?.results.map((r) => r.ruleId)).to.include.members([
      'APIGateway.8',
      'AUTHN-APIGW-REST',
      'AUTHN-LAMBDA-URL',
    ]);
    const files = sarif.runs[0]?.results.map((r) => r.locations[0]?.physicalLocation.artifactLocation.uri);
    expect(files).to.include.members(['partner-api.yaml', 'sam-template.yaml', 'front-doors.plan.json']);
    expect(action.runs.steps.map((candidate) => candidate.uses ?? '')).to.include(
      'github/codeql-action/upload-sarif@v3',
    );
  });

  it('gives the library API, the CDK plugin, the hook handler and their type declarations through `exports`', async () => {
    // Prepare: a consumer in TypeScript (strict, NodeNext) and the same in plain JavaScript.
    writeFileSync(
      join(installed.folder, 'consumer.ts'),
      [
        "import { RULES, evaluateCluster, checkTemplates, scanTargets, type Verdict } from 'authn-pack';",
        "import { AuthnPackValidation } from 'authn-pack/cdk';",
        "import { handler } from 'authn-pack/hook';",
        "const verdict: Verdict = evaluateCluster({ name: 'c', arn: undefined, clusterType: undefined, clientAuthentication: undefined, inClusterEncryption: true, publicAccess: false, region: 'us-east-1' });",
        "const report = checkTemplates(['../partner-api.yaml'], { now: new Date(), exceptionPrefix: 'authn-exception', requireExpiry: false });",
        'const plugin = new AuthnPackValidation();',
        'console.log(JSON.stringify({ controls: RULES.map((rule) => rule.control), verdict: verdict.compliance, findings: report.findings.length, plugin: plugin.name, scan: typeof scanTargets, hook: typeof handler }));',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(installed.folder, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          // aws-cdk-lib's declarations use Disposable (TypeScript's esnext.disposable library).
          lib: ['es2023', 'esnext.disposable'],
          types: ['node'],
          skipLibCheck: false,
          noEmit: false,
          outDir: 'out',
        },
        files: ['consumer.ts'],
      }),
    );
    // Act
    const compiled = await attempt(
      process.execPath,
      [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'],
      {
        cwd: installed.folder,
      },
    );
    const ran = await attempt(process.execPath, ['out/consumer.js'], {
      cwd: installed.folder,
      env: userEnv(),
    });
    // Assess
    expect(compiled.code, compiled.stdout + compiled.stderr).to.equal(0);
    expect(ran.code, ran.stderr).to.equal(0);
    const fromSources = checkTemplates([join(workdir, 'partner-api.yaml')], {
      now: new Date(),
      exceptionPrefix: 'authn-exception',
      requireExpiry: false,
    });
    expect(JSON.parse(ran.stdout)).to.deep.equal({
      controls: RULES.map((rule) => rule.control),
      verdict: 'NON_COMPLIANT',
      findings: fromSources.findings.length,
      plugin: 'authn-pack',
      scan: 'function',
      hook: 'function',
    });
    expect(existsSync(join(installed.folder, 'node_modules', 'authn-pack', 'lib', 'index.d.ts'))).to.equal(
      true,
    );
  });
});
