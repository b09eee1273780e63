/**
 * Which stacks a deployment is made of, from its settings.
 *
 * single:        AuthnPack (or AuthnPack-<region> per configured Region)
 *                AuthnPackHook (or AuthnPackHook-<region>)  the deploy-time hook and its function
 * organization:  AuthnPackOrganization-<region>  central account, one per Region
 *                AuthnPackHookFunction-<region>  the deploy-time hook's function, central account, one per Region
 *                AuthnPackMemberRoles            the StackSet (central account, or management with stackSetCallAs=SELF)
 *                AuthnPackMemberHooks            the StackSet putting the hook in every account and Region
 *                AuthnPackMemberChangeEvents     the StackSet forwarding change calls to the central account
 *                AuthnPackManagementAccountRole  the execution role in the management account
 *                AuthnPackManagementAccountChangeEvents-<region>  the change-call forwarding there, one per Region
 */
import { Tags, Validations, type App, type Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ManagementAccountChangeEventsStack, MemberChangeEventsStackSetStack } from './change-events';
import { HookFunctionStack, HookStack, MemberHookStackSetStack } from './hook';
import { ManagementAccountRoleStack, MemberRoleStackSetStack, organizationSettings } from './member-role';
import { OrganizationStack } from './organization-stack';
import { SingleAccountStack } from './single-account-stack';
import { readSettings, type Settings } from './settings';

export interface BuildOptions {
  /** Settings given in code; each one set here wins over the same context key. */
  readonly settings?: Partial<Settings>;
  /** Run cdk-nag's AwsSolutions pack at synth (default true): an unacknowledged finding fails the synth. */
  readonly nag?: boolean;
}

export interface Deployment {
  readonly settings: Settings;
  readonly stacks: readonly Stack[];
}

export function buildDeployment(app: App, options: BuildOptions = {}): Deployment {
  const settings = readSettings((key) => app.node.tryGetContext(key) as unknown, options.settings);
  const stacks: Stack[] = [];

  if (settings.mode === 'single') {
    if (settings.regions.length === 0) {
      stacks.push(new SingleAccountStack(app, 'AuthnPack', { settings }));
      stacks.push(new HookStack(app, 'AuthnPackHook', { settings }));
    } else {
      for (const region of settings.regions) {
        stacks.push(new SingleAccountStack(app, `AuthnPack-${region}`, { settings, env: { region } }));
        stacks.push(new HookStack(app, `AuthnPackHook-${region}`, { settings, env: { region } }));
      }
    }
  } else {
    const org = organizationSettings(settings);
    const hookFunctions: Stack[] = [];
    for (const region of org.regions) {
      const central = new OrganizationStack(app, `AuthnPackOrganization-${region}`, {
        settings: org,
        region,
      });
      stacks.push(central);
      // The hook function acts through the central role that stack creates.
      const hookFunction = new HookFunctionStack(app, `AuthnPackHookFunction-${region}`, {
        settings: org,
        region,
      });
      hookFunction.addStackDependency(central);
      hookFunctions.push(hookFunction);
    }
    stacks.push(...hookFunctions);
    const home = org.homeRegion;
    const stackSetAccount = org.stackSetCallAs === 'SELF' ? org.managementAccountId : org.centralAccountId;
    stacks.push(
      new MemberRoleStackSetStack(app, 'AuthnPackMemberRoles', {
        settings: org,
        env: { region: home, ...(stackSetAccount === undefined ? {} : { account: stackSetAccount }) },
      }),
    );
    const memberHooks = new MemberHookStackSetStack(app, 'AuthnPackMemberHooks', {
      settings: org,
      env: { region: home, ...(stackSetAccount === undefined ? {} : { account: stackSetAccount }) },
    });
    for (const hookFunction of hookFunctions) memberHooks.addStackDependency(hookFunction);
    stacks.push(memberHooks);
    const memberChanges = new MemberChangeEventsStackSetStack(app, 'AuthnPackMemberChangeEvents', {
      settings: org,
      env: { region: home, ...(stackSetAccount === undefined ? {} : { account: stackSetAccount }) },
    });
    // The forwarding rules target each Region's central change bus.
    for (const central of stacks.filter((stack) => stack instanceof OrganizationStack)) {
      memberChanges.addStackDependency(central);
    }
    stacks.push(memberChanges);
    stacks.push(
      new ManagementAccountRoleStack(app, 'AuthnPackManagementAccountRole', {
        settings: org,
        env: {
          region: home,
          ...(org.managementAccountId === undefined ? {} : { account: org.managementAccountId }),
        },
      }),
    );
    // The management account, which the StackSet skips: the same forwarding rule, in every Region.
    for (const central of stacks.filter((stack) => stack instanceof OrganizationStack)) {
      const forwarding = new ManagementAccountChangeEventsStack(
        app,
        `AuthnPackManagementAccountChangeEvents-${central.region}`,
        {
          settings: org,
          env: {
            region: central.region,
            ...(org.managementAccountId === undefined ? {} : { account: org.managementAccountId }),
          },
        },
      );
      forwarding.addStackDependency(central);
      stacks.push(forwarding);
    }
  }

  // Not on the organization conformance pack: CloudFormation's schema for it has no Tags in every Region yet.
  for (const stack of stacks) {
    Tags.of(stack).add('authn-pack', 'managed', {
      excludeResourceTypes: ['AWS::Config::OrganizationConformancePack'],
    });
  }
  if (options.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { settings, stacks };
}
