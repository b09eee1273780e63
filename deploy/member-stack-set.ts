/**
 * What every member-account StackSet shares (the execution role, the hook, the change-call forwarding): its template
 * is synthesized stand-alone (member accounts are not CDK-bootstrapped, so no assets and no bootstrap version), and it
 * is service-managed, deployed automatically to every account that joins a target OU and deleted from an account that
 * leaves one (template reference, AWS::CloudFormation::StackSet AutoDeployment: `Enabled` with
 * `RetainStacksOnAccountRemoval` false).
 *
 * Operation preferences: at most 25 % of the accounts at once, stopping once more than 10 % fail, Regions in parallel.
 */
import { App, CliCredentialsStackSynthesizer, Stack, type StackProps } from 'aws-cdk-lib';
import { CfnStackSet } from 'aws-cdk-lib/aws-cloudformation';
import type { Construct } from 'constructs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OrganizationSettings } from './member-role';

/**
 * A stand-alone template (a StackSet's TemplateBody): `build` adds the resources to a fresh stack with the CLI
 * credentials synthesizer, and the synthesized template is returned; the scratch output folder is removed.
 */
export function memberTemplate(
  stackId: string,
  description: string,
  build: (stack: Stack) => void,
): Record<string, unknown> {
  const outdir = mkdtempSync(join(tmpdir(), 'authn-pack-member-'));
  try {
    const app = new App({ outdir, analyticsReporting: false });
    const stack = new Stack(app, stackId, { synthesizer: new CliCredentialsStackSynthesizer(), description });
    build(stack);
    return app.synth().getStackByName(stack.stackName).template as Record<string, unknown>;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

export interface MemberStackSetProps {
  readonly settings: OrganizationSettings;
  readonly stackSetName: string;
  readonly description: string;
  /** CAPABILITY_NAMED_IAM when the template names its IAM resources, else CAPABILITY_IAM. */
  readonly capabilities: readonly ('CAPABILITY_IAM' | 'CAPABILITY_NAMED_IAM')[];
  /** Where each account gets a stack instance. */
  readonly regions: readonly string[];
  readonly templateBody: Record<string, unknown>;
}

/** The service-managed StackSet deploying `templateBody` to every account of the target OUs, in `regions`. */
export function memberStackSet(scope: Construct, id: string, props: MemberStackSetProps): CfnStackSet {
  const { settings } = props;
  return new CfnStackSet(scope, id, {
    stackSetName: props.stackSetName,
    description: props.description,
    permissionModel: 'SERVICE_MANAGED',
    autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
    callAs: settings.stackSetCallAs,
    capabilities: [...props.capabilities],
    managedExecution: { Active: true },
    operationPreferences: {
      failureTolerancePercentage: 10,
      maxConcurrentPercentage: 25,
      regionConcurrencyType: 'PARALLEL',
    },
    stackInstancesGroup: [
      {
        deploymentTargets: { organizationalUnitIds: [...settings.organizationalUnitIds] },
        regions: [...props.regions],
      },
    ],
    templateBody: JSON.stringify(props.templateBody),
  });
}

/** A stack holding one member StackSet, synthesized with the CLI credentials (it needs no assets either). */
export class MemberStackSetStack extends Stack {
  readonly stackSet: CfnStackSet;

  constructor(
    scope: Construct,
    id: string,
    props: StackProps & { readonly stackSetId: string; readonly stackSet: MemberStackSetProps },
  ) {
    const { stackSetId, stackSet, ...stackProps } = props;
    super(scope, id, { synthesizer: new CliCredentialsStackSynthesizer(), ...stackProps });
    this.stackSet = memberStackSet(this, stackSetId, stackSet);
  }
}
