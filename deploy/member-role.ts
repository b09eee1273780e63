/**
 * The execution role every evaluated account holds. The central Lambdas assume it (by name, in the account the
 * Config event names) to read the account's resources and deliver evaluations there.
 *
 * Trust: the central account, narrowed by conditions to exactly the central Lambdas' role(s) (`aws:PrincipalArn`)
 * and to callers inside the organization (`aws:PrincipalOrgID`). Naming the role through `aws:PrincipalArn` rather
 * than as the principal itself keeps the trust valid whatever is deployed first (IAM rejects a trust policy whose
 * principal role does not exist yet) and across re-creation of the central role.
 *
 * Permissions: exactly the union of what the rules' invocations call, on the narrowest resources, in the
 * configured Regions only.
 */
import { Aws, CliCredentialsStackSynthesizer, Stack, type StackProps } from 'aws-cdk-lib';
import { AccountPrincipal, PolicyDocument, Role } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { hookReadReason, hookReadStatements } from './hook-iam';
import { memberAccountActions, scopedStatements, wildcardReason } from './iam';
import { memberTemplate, MemberStackSetStack } from './member-stack-set';
import { acknowledgeWildcards } from './nag';
import type { Settings } from './settings';

/** The central Lambdas' role in one Region (IAM is global: the Region in the name keeps the stacks independent). */
export const centralRoleName = (settings: Pick<Settings, 'centralRoleName'>, region: string): string =>
  `${settings.centralRoleName}-${region}`;

export interface OrganizationSettings extends Settings {
  readonly organizationId: string;
  readonly centralAccountId: string;
  /** The first of `regions`: where the StackSet puts the (global) role. */
  readonly homeRegion: string;
}

/** Narrows settings that passed `readSettings` in organization mode. */
export function organizationSettings(settings: Settings): OrganizationSettings {
  const { organizationId, centralAccountId } = settings;
  const [homeRegion] = settings.regions;
  if (organizationId === undefined || centralAccountId === undefined || homeRegion === undefined) {
    throw new Error('organizationId, centralAccountId and regions are required in organization mode');
  }
  return { ...settings, organizationId, centralAccountId, homeRegion };
}

export class MemberExecutionRole extends Construct {
  readonly role: Role;

  constructor(scope: Construct, id: string, settings: OrganizationSettings) {
    super(scope, id);
    const centralRoles = settings.regions.map(
      (region) =>
        `arn:${Aws.PARTITION}:iam::${settings.centralAccountId}:role/${centralRoleName(settings, region)}`,
    );
    const scopes = settings.regions.map((region) => ({
      partition: Aws.PARTITION,
      region,
      account: Aws.ACCOUNT_ID,
    }));
    const inRegions = { StringEquals: { 'aws:RequestedRegion': [...settings.regions] } };
    const statements = scopedStatements(memberAccountActions(), scopes, inRegions);
    // The deploy-time hook's central function reads through this role too (a route's API, read-only).
    const hookReads = hookReadStatements(scopes, inRegions);

    this.role = new Role(this, 'Role', {
      roleName: settings.executionRoleName,
      description:
        'authn-pack: lets the central Config rule functions read this account and deliver evaluations',
      assumedBy: new AccountPrincipal(settings.centralAccountId).withConditions({
        ArnEquals: { 'aws:PrincipalArn': centralRoles },
        StringEquals: { 'aws:PrincipalOrgID': settings.organizationId },
      }),
      inlinePolicies: {
        EvaluateRules: new PolicyDocument({ statements }),
        HookReads: new PolicyDocument({ statements: hookReads }),
      },
    });

    acknowledgeWildcards(this.role, statements, (statement) => wildcardReason(statement.actions));
    acknowledgeWildcards(this.role, hookReads, (statement) => hookReadReason(statement.actions));
  }
}

/** For the management account, which service-managed StackSets never deploy to. Needs no CDK bootstrap. */
export class ManagementAccountRoleStack extends Stack {
  readonly executionRole: MemberExecutionRole;

  constructor(scope: Construct, id: string, props: StackProps & { readonly settings: OrganizationSettings }) {
    super(scope, id, {
      description: 'authn-pack: member execution role for the management account (StackSets skip it)',
      synthesizer: new CliCredentialsStackSynthesizer(),
      ...props,
    });
    this.executionRole = new MemberExecutionRole(this, 'ExecutionRole', props.settings);
  }
}

/** The member role as a stand-alone CloudFormation template (the StackSet's TemplateBody): no assets, no bootstrap. */
export function memberRoleTemplate(settings: OrganizationSettings): Record<string, unknown> {
  return memberTemplate(
    'MemberExecutionRole',
    'authn-pack: member execution role (deployed by a service-managed StackSet)',
    (stack) => new MemberExecutionRole(stack, 'ExecutionRole', settings),
  );
}

export const STACK_SET_NAME = 'authn-pack-member-execution-role';

/**
 * The StackSet that gives every account in the target OUs the execution role, now and when accounts join.
 * IAM is global, so one stack instance per account is enough: it goes to the first configured Region.
 */
export class MemberRoleStackSetStack extends MemberStackSetStack {
  constructor(scope: Construct, id: string, props: StackProps & { readonly settings: OrganizationSettings }) {
    const { settings, ...stackProps } = props;
    super(scope, id, {
      description: 'authn-pack: service-managed StackSet deploying the member execution role',
      ...stackProps,
      stackSetId: 'MemberRoles',
      stackSet: {
        settings,
        stackSetName: STACK_SET_NAME,
        description: `authn-pack member execution role ${settings.executionRoleName}`,
        capabilities: ['CAPABILITY_NAMED_IAM'],
        regions: [settings.homeRegion],
        templateBody: memberRoleTemplate(settings),
      },
    });
  }
}
