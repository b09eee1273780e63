/**
 * Synthesizing the deployment in tests. Template assertions skip esbuild (`aws:cdk:bundling-stacks: []`, CDK's own
 * switch: the functions stay NodejsFunction, only the bundle step is left out); test/deploy/app.test.ts bundles for
 * real. cfn-lint runs as the real command from the repository root, so .cfnlintrc.yaml applies.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildDeployment, type BuildOptions, type Deployment } from '../../deploy/stacks';
import type { Settings } from '../../deploy/settings';

export const REPO_ROOT = join(__dirname, '..', '..');

export const ORG_ID = 'o-a1b2c3d4e5';
export const CENTRAL_ACCOUNT = '111122223333';
export const MANAGEMENT_ACCOUNT = '999988887777';
export const MEMBER_ACCOUNT = '444455556666';

/** A complete organization-mode configuration, as context strings (the way `cdk -c` passes them). */
export const ORGANIZATION_CONTEXT: Readonly<Record<string, string>> = {
  mode: 'organization',
  organizationId: ORG_ID,
  centralAccountId: CENTRAL_ACCOUNT,
  managementAccountId: MANAGEMENT_ACCOUNT,
  organizationalUnitIds: 'r-a1b2',
  regions: 'eu-west-1,us-east-1',
  excludedAccounts: '123456789012',
};

export interface Synthesized {
  readonly app: App;
  readonly deployment: Deployment;
  readonly outdir: string;
  template(stack: Stack | string): Template;
}

const synthesized = new Map<string, Synthesized>();

/**
 * Synthesizes the app for a context (bundling skipped unless `bundle`), once per mocha process: the test files
 * that only read templates share one synthesis per configuration.
 */
export function synthesize(
  context: Readonly<Record<string, unknown>> = {},
  options: BuildOptions & { readonly bundle?: boolean } = {},
): Synthesized {
  const key = JSON.stringify({ context, options });
  const cached = synthesized.get(key);
  if (cached !== undefined) return cached;
  const outdir = mkdtempSync(join(tmpdir(), 'authn-pack-cdk-'));
  const app = new App({
    outdir,
    context: { ...(options.bundle === true ? {} : { 'aws:cdk:bundling-stacks': [] }), ...context },
  });
  const deployment = buildDeployment(app, options);
  const assembly = app.synth();
  const result: Synthesized = {
    app,
    deployment,
    outdir,
    template(stack) {
      const name = typeof stack === 'string' ? stack : stack.artifactId;
      return Template.fromJSON(assembly.getStackArtifact(name).template as Record<string, unknown>);
    },
  };
  synthesized.set(key, result);
  return result;
}

export function stackNamed<T extends Stack>(
  deployment: Deployment,
  name: string,
  type: abstract new (...args: never[]) => T,
): T {
  const stack = deployment.stacks.find((candidate) => candidate.stackName === name);
  if (!(stack instanceof type)) {
    throw new Error(`no ${type.name} ${name} in ${deployment.stacks.map((s) => s.stackName).join(', ')}`);
  }
  return stack;
}

const run = promisify(execFile);

/** Runs cfn-lint on files; resolves with its exit code and output (0: no error, warning or informational). */
export async function cfnLint(files: readonly string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run('cfn-lint', [...files], { cwd: REPO_ROOT });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof failed.code === 'number' ? failed.code : -1,
      output: `${failed.stdout ?? ''}${failed.stderr ?? ''}`,
    };
  }
}

export type { Settings };

/** Every IAM policy document of a CloudFormation template: role inline policies, managed and plain policies. */
export function policyDocuments(
  template: Record<string, unknown>,
): { resource: string; document: PolicyDocumentJson }[] {
  const resources = (template.Resources ?? {}) as Record<
    string,
    { Type: string; Properties?: Record<string, unknown> }
  >;
  const documents: { resource: string; document: PolicyDocumentJson }[] = [];
  for (const [id, resource] of Object.entries(resources)) {
    const properties = resource.Properties ?? {};
    if (resource.Type === 'AWS::IAM::Role') {
      for (const policy of (properties.Policies ?? []) as { PolicyDocument: PolicyDocumentJson }[]) {
        documents.push({ resource: id, document: policy.PolicyDocument });
      }
    }
    if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') {
      documents.push({ resource: id, document: properties.PolicyDocument as PolicyDocumentJson });
    }
  }
  return documents;
}

export interface PolicyStatementJson {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}
export interface PolicyDocumentJson {
  readonly Statement: PolicyStatementJson[];
}

export const actionsOf = (statement: PolicyStatementJson): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

/** A resource of a synthesized template, typed for tests. */
export interface ResourceJson {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
  readonly DependsOn?: string[];
  readonly DeletionPolicy?: string;
  readonly Metadata?: Record<string, unknown>;
}

/** `Template.findResources`, typed: logical id → resource. */
export function resourcesOf(
  template: { findResources(type: string, props?: unknown): Record<string, unknown> },
  type: string,
  props?: unknown,
): Record<string, ResourceJson> {
  return template.findResources(type, props) as Record<string, ResourceJson>;
}
