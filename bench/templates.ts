/**
 * The pre-deploy gate at scale: `authn-pack check-template` on generated inputs of 500, 5,000 and 20,000 resources,
 * each run in a fresh process as CI runs it (the real bin/authn-pack.cjs, tsx included), timed from spawn to exit,
 * with the process's CPU time and peak RSS. CloudFormation takes at most 500 resources per stack, so 20,000 resources
 * reach the gate as a multi-stack cdk.out folder (40 stacks of 500); one 20,000-resource template (JSON, as CDK
 * writes it; YAML) is the stress case past what CloudFormation deploys.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

export const TEMPLATE_SIZES = [500, 5_000, 20_000] as const;

/** What the gate must do on a 20,000-resource input here (issue 10): judge it in under 5 s and 300 MB. */
export const TEMPLATE_LIMITS = { resources: 20_000, wallMs: 5_000, maxRssMb: 300 } as const;

/** One block of a generated template: 20 resources, 12 findings (8 routes and one resource of each other control). */
const BLOCK = 20;

/** A CloudFormation template body of exactly `resources` resources (a multiple of 20 is a whole number of blocks). */
export function templateEstate(resources: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const add = (id: string, type: string, properties: Record<string, unknown>): void => {
    if (Object.keys(out).length < resources) out[id] = { Type: type, Properties: properties };
  };
  for (let block = 0; Object.keys(out).length < resources; block += 1) {
    const api = `Api${block}`;
    add(api, 'AWS::ApiGatewayV2::Api', {
      Name: `orders-${block}`,
      ProtocolType: 'HTTP',
      Tags: { 'authn-exception/APIGateway.8/GET /health': 'public health probe for the load balancer' },
    });
    add(`Authorizer${block}`, 'AWS::ApiGatewayV2::Authorizer', {
      ApiId: { Ref: api },
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Audience: ['orders'], Issuer: 'https://issuer.example.com' },
      Name: 'jwt',
    });
    for (let route = 0; route < 8; route += 1) {
      const open = route === 7;
      add(`Route${block}x${route}`, 'AWS::ApiGatewayV2::Route', {
        ApiId: { Ref: api },
        RouteKey: route === 0 ? 'GET /health' : `${open ? 'POST' : 'GET'} /orders/${route}`,
        ...(route === 0 || open
          ? { AuthorizationType: 'NONE' }
          : { AuthorizationType: 'JWT', AuthorizerId: { Ref: `Authorizer${block}` } }),
      });
    }
    add(`Graph${block}`, 'AWS::AppSync::GraphQLApi', {
      Name: `reviews-${block}`,
      AuthenticationType: block % 2 === 0 ? 'AWS_IAM' : 'API_KEY',
    });
    add(`Cluster${block}`, 'AWS::MSK::Cluster', {
      ClusterName: `events-${block}`,
      KafkaVersion: '3.6.0',
      NumberOfBrokerNodes: 3,
      BrokerNodeGroupInfo: {
        InstanceType: 'kafka.m5.large',
        ClientSubnets: ['subnet-a', 'subnet-b', 'subnet-c'],
      },
      ClientAuthentication: { Sasl: { Iam: { Enabled: true } } },
    });
    add(`Cache${block}`, 'AWS::ElastiCache::ReplicationGroup', {
      ReplicationGroupDescription: 'sessions',
      Engine: 'redis',
      EngineVersion: '5.0.6',
      CacheNodeType: 'cache.t3.micro',
      TransitEncryptionEnabled: true,
      ...(block % 2 === 0 ? { AuthToken: '{{resolve:secretsmanager:cache-token}}' } : {}),
    });
    add(`Endpoint${block}`, 'AWS::DMS::Endpoint', {
      EndpointType: 'source',
      EngineName: 'mongodb',
      MongoDbSettings: { AuthType: 'password', AuthMechanism: 'scram_sha_1', ServerName: 'mongo.internal' },
    });
    add(`Handler${block}`, 'AWS::Lambda::Function', {
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Role: { 'Fn::GetAtt': [`Role${block}`, 'Arn'] },
      Code: { ZipFile: 'exports.handler = async () => ({ statusCode: 200 });' },
    });
    add(`Role${block}`, 'AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      },
    });
    add(`Queue${block}`, 'AWS::SQS::Queue', { VisibilityTimeout: 60 });
    add(`Dlq${block}`, 'AWS::SQS::Queue', { MessageRetentionPeriod: 1_209_600 });
    add(`Topic${block}`, 'AWS::SNS::Topic', { TopicName: `orders-${block}` });
    add(`Logs${block}`, 'AWS::Logs::LogGroup', { RetentionInDays: 30 });
  }
  return { AWSTemplateFormatVersion: '2010-09-09', Resources: out };
}

/** Resources and findings per block (routes are one finding each). */
export const PER_BLOCK = { resources: BLOCK, findings: 12 } as const;

/** An input kind the bench writes at each size: a file to give check-template. */
export interface TemplateKind {
  readonly name: string;
  write(resources: number, folder: string): string;
}

/** CloudFormation's quota: resources per stack. */
const STACK_RESOURCES = 500;

export const TEMPLATE_KINDS: readonly TemplateKind[] = [
  {
    name: 'cdk.out folder (stacks of 500 resources)',
    write: (resources, folder) => {
      const outdir = join(folder, `cdk-${resources}.out`);
      mkdirSync(outdir, { recursive: true });
      const stacks = Math.ceil(resources / STACK_RESOURCES);
      const artifacts: Record<string, unknown> = {};
      for (let stack = 0; stack < stacks; stack += 1) {
        const name = `Orders${stack}`;
        const size = Math.min(STACK_RESOURCES, resources - stack * STACK_RESOURCES);
        writeFileSync(join(outdir, `${name}.template.json`), JSON.stringify(templateEstate(size), null, 1));
        artifacts[name] = {
          type: 'aws:cloudformation:stack',
          properties: { templateFile: `${name}.template.json` },
        };
      }
      writeFileSync(join(outdir, 'manifest.json'), JSON.stringify({ version: '45.0.0', artifacts }, null, 1));
      return outdir;
    },
  },
  {
    name: 'CloudFormation JSON (as cdk.out writes it)',
    write: (resources, folder) => {
      const path = join(folder, `cfn-${resources}.template.json`);
      writeFileSync(path, JSON.stringify(templateEstate(resources), null, 1));
      return path;
    },
  },
  {
    name: 'CloudFormation YAML',
    write: (resources, folder) => {
      const path = join(folder, `cfn-${resources}.yaml`);
      writeFileSync(path, stringify(templateEstate(resources)));
      return path;
    },
  },
];

export interface TemplateRun {
  readonly kind: string;
  readonly resources: number;
  readonly bytes: number;
  readonly wallMs: number;
  /** User + system CPU time of the process: what the run costs, whatever else the machine is doing. */
  readonly cpuMs: number;
  readonly maxRssMb: number;
  readonly findings: number;
  readonly exitCode: number | null;
  readonly error?: string;
}

const RUNNER = `
require('tsx/cjs');
const { writeSync } = require('node:fs');
require(process.env.BENCH_MAIN).main(JSON.parse(process.env.BENCH_ARGV)).then((code) => {
  const usage = process.resourceUsage();
  const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
  writeSync(2, '\\nBENCH ' + JSON.stringify({ code, cpuMs, maxRssKb: usage.maxRSS }) + '\\n');
  process.exitCode = code;
}, (error) => { writeSync(2, String(error && error.stack || error)); process.exitCode = 99; });
`;

/** One `check-template <file> --format json` in a fresh node process: wall time from spawn to exit, peak RSS. */
export function runCheckTemplate(
  path: string,
  outFile: string,
): Promise<Omit<TemplateRun, 'kind' | 'resources' | 'bytes'>> {
  const root = join(__dirname, '..');
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const argv = [
      'node',
      'authn-pack',
      'check-template',
      path,
      '--format',
      'json',
      '--output',
      outFile,
      '--fail-on',
      'none',
    ];
    const child = spawn(process.execPath, ['-e', RUNNER], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        BENCH_MAIN: join(root, 'cli', 'main.ts'),
        BENCH_ARGV: JSON.stringify(argv),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (exitCode) => {
      const wallMs = performance.now() - started;
      const line = /\nBENCH (\{.*\})\n/.exec(stderr)?.[1];
      const report =
        line === undefined
          ? undefined
          : (JSON.parse(line) as { code: number; cpuMs: number; maxRssKb: number });
      resolve({
        wallMs,
        cpuMs: report?.cpuMs ?? 0,
        maxRssMb: (report?.maxRssKb ?? 0) / 1024,
        findings: 0,
        exitCode,
        ...(report === undefined || exitCode !== 0 ? { error: stderr.trim().slice(-500) } : {}),
      });
    });
  });
}

/** Every kind at every size, in a fresh folder; findings counted from the JSON each run wrote. */
export async function benchTemplates(
  folder: string,
  sizes: readonly number[] = TEMPLATE_SIZES,
  onProgress: (line: string) => void = () => undefined,
): Promise<TemplateRun[]> {
  const { readFileSync, readdirSync, statSync } = await import('node:fs');
  const bytesOf = (path: string): number =>
    statSync(path).isDirectory()
      ? readdirSync(path).reduce((total, entry) => total + bytesOf(join(path, entry)), 0)
      : statSync(path).size;
  mkdirSync(folder, { recursive: true });
  const runs: TemplateRun[] = [];
  for (const kind of TEMPLATE_KINDS) {
    for (const resources of sizes) {
      const path = kind.write(resources, folder);
      const outFile = join(folder, `${kind.name.replace(/\W+/g, '-')}-${resources}.findings.json`);
      onProgress(`check-template: ${kind.name}, ${resources.toLocaleString('en-US')} resources`);
      const run = await runCheckTemplate(path, outFile);
      let findings = 0;
      try {
        findings = (JSON.parse(readFileSync(outFile, 'utf8')) as { findings: unknown[] }).findings.length;
      } catch {
        // No output: the run failed, and its error says why.
      }
      runs.push({ ...run, kind: kind.name, resources, bytes: bytesOf(path), findings });
    }
  }
  return runs;
}
