/**
 * The deploy-time hook in CloudFormation (Hooks User Guide, "Lambda Hooks"; template reference,
 * AWS::CloudFormation::LambdaHook): the hook itself, the function that answers it (hook/handler.ts, bundled like the
 * rule functions), and the execution role the Hooks service assumes to invoke that function.
 *
 * - TargetFilters: exactly the types the rules' template adapters read (the registry), CREATE and UPDATE, at
 *   PRE_PROVISION. Deletes are never sent to the hook.
 * - FailureMode: WARN by default (a failing resource is reported in the stack events and deploys anyway), FAIL when
 *   the `hookFailureMode` setting says so.
 * - StackFilters: the stacks `hookExcludedStacks` names are left out. The Hooks User Guide ("stack level filters")
 *   says stack filters are ignored for Cloud Control API operations, so excluding stacks requires
 *   `hookCloudControl=false` (settings.ts checks it).
 *
 * Single account: one stack, `AuthnPackHook`, with all three. Organization: the function lives in the central account,
 * one per Region (`AuthnPackHookFunction-<region>`), because a StackSet's template cannot carry a code asset (member
 * accounts are not CDK-bootstrapped; the member role StackSet is plain IAM for the same reason), one function is one
 * thing to patch, and it reads each member account through the member execution role already there. A service-managed
 * StackSet (`AuthnPackMemberHooks`) puts the hook and its execution role in every target account and Region; the
 * execution role may invoke only that central function, and the function accepts invocations only from principals
 * of the organization (`aws:PrincipalOrgID`).
 */
import { Aws, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { CfnLambdaHook } from 'aws-cdk-lib/aws-cloudformation';
import {
  AnyPrincipal,
  Policy,
  PolicyDocument,
  PolicyStatement,
  Role,
  ServicePrincipal,
  type IRole,
} from 'aws-cdk-lib/aws-iam';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { ENVIRONMENT, HOOK_BUDGET_MS } from '../hook/runtime';
import { RULES } from '../rules/index';
import type { AnyRule } from '../rules/core/types';
import { BUNDLED, REPO_ROOT, retentionDays, writeLogsStatement } from './functions';
import { hookReadReason, hookReadStatements } from './hook-iam';
import { centralRoleName, type OrganizationSettings } from './member-role';
import { MemberStackSetStack, memberTemplate } from './member-stack-set';
import { acknowledgeRuntime, acknowledgeWildcards } from './nag';
import type { Settings } from './settings';

/** The hook's type name alias (`Name1::Name2::Name3`, not starting with AWS), unique per account and Region. */
export const HOOK_ALIAS = 'AuthnPack::Hooks::Authentication';
/** The central function's name in organization mode (the member StackSet builds its ARN from it). */
export const HOOK_FUNCTION_NAME = 'authn-pack-hook';
export const HOOKS_SERVICE_PRINCIPAL = 'hooks.cloudformation.amazonaws.com';
export const MEMBER_HOOKS_STACK_SET_NAME = 'authn-pack-member-hooks';
/** The Hooks service waits 30 s for a Lambda hook: the function may not run longer. */
const FUNCTION_TIMEOUT = Duration.seconds(30);

/** The resource types the hook judges: every type a rule's template adapter reads. */
export function hookTargetTypes(rules: readonly AnyRule[] = RULES): string[] {
  return [...new Set(rules.flatMap((rule) => rule.template?.resourceTypes ?? []))].sort();
}

export function hookTargetFilters(rules: readonly AnyRule[] = RULES): CfnLambdaHook.TargetFiltersProperty {
  return {
    targets: hookTargetTypes(rules).flatMap((targetName) =>
      ['CREATE', 'UPDATE'].map((action) => ({ targetName, action, invocationPoint: 'PRE_PROVISION' })),
    ),
  };
}

/** The function's settings, as hook/runtime.ts reads them from its environment. */
export function hookEnvironment(settings: Settings, executionRoleName?: string): Record<string, string> {
  return {
    [ENVIRONMENT.ruleParameters]: JSON.stringify(settings.ruleParameters),
    ...(settings.exceptionTagPrefix === ''
      ? {}
      : { [ENVIRONMENT.exceptionTagPrefix]: settings.exceptionTagPrefix }),
    ...(settings.exceptionRequiresExpiry === ''
      ? {}
      : { [ENVIRONMENT.exceptionRequiresExpiry]: settings.exceptionRequiresExpiry }),
    ...(executionRoleName === undefined ? {} : { [ENVIRONMENT.executionRoleName]: executionRoleName }),
  };
}

export interface HookFunctionProps {
  readonly role: IRole;
  readonly logGroup: LogGroup;
  readonly environment: Record<string, string>;
  readonly functionName?: string;
}

/** The function that answers the hook: hook/handler.ts, bundled alone as the rule functions are. */
export class HookFunction extends Construct {
  readonly function: NodejsFunction;
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: HookFunctionProps) {
    super(scope, id);
    this.function = new NodejsFunction(this, 'Function', {
      entry: join(REPO_ROOT, 'hook', 'handler.ts'),
      handler: 'handler',
      role: props.role,
      logGroup: props.logGroup,
      timeout: FUNCTION_TIMEOUT,
      memorySize: 256,
      environment: props.environment,
      ...(props.functionName === undefined ? {} : { functionName: props.functionName }),
      description: `authn-pack deploy-time hook (${HOOK_ALIAS}): answers within ${HOOK_BUDGET_MS / 1000} s or fails closed`,
      ...BUNDLED,
    });
    acknowledgeRuntime(this.function);
    this.alarm = new Alarm(this, 'Errors', {
      alarmName: `${Stack.of(this).stackName}-hook-errors`,
      alarmDescription:
        'The authn-pack hook function failed at least one invocation in 5 minutes: CloudFormation then sees no answer from the hook. See the function log group.',
      metric: this.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}

/** The hook and the role the Hooks service assumes to invoke its function (and nothing else). */
export class AuthnLambdaHook extends Construct {
  readonly executionRole: Role;
  readonly hook: CfnLambdaHook;

  constructor(
    scope: Construct,
    id: string,
    props: { readonly functionArn: string; readonly settings: Settings; readonly rules?: readonly AnyRule[] },
  ) {
    super(scope, id);
    const { settings } = props;
    this.executionRole = new Role(this, 'ExecutionRole', {
      assumedBy: new ServicePrincipal(HOOKS_SERVICE_PRINCIPAL),
      description:
        'authn-pack: lets CloudFormation Hooks invoke the authn-pack hook function, and nothing else',
      inlinePolicies: {
        InvokeHookFunction: new PolicyDocument({
          statements: [
            new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [props.functionArn] }),
          ],
        }),
      },
    });
    this.hook = new CfnLambdaHook(this, 'Hook', {
      alias: HOOK_ALIAS,
      executionRole: this.executionRole.roleArn,
      lambdaFunction: props.functionArn,
      failureMode: settings.hookFailureMode,
      hookStatus: settings.hookStatus,
      targetOperations: settings.hookCloudControl ? ['RESOURCE', 'CLOUD_CONTROL'] : ['RESOURCE'],
      targetFilters: hookTargetFilters(props.rules),
      ...(settings.hookExcludedStacks.length === 0
        ? {}
        : {
            stackFilters: {
              filteringCriteria: 'ALL',
              stackNames: { exclude: [...settings.hookExcludedStacks] },
            },
          }),
    });
    this.hook.node.addDependency(this.executionRole);
  }
}

/** Single account: the hook, its function (reading with its own role) and the execution role, in one stack. */
export class HookStack extends Stack {
  readonly function: HookFunction;
  readonly hook: AuthnLambdaHook;

  constructor(scope: Construct, id: string, props: StackProps & { readonly settings: Settings }) {
    super(scope, id, {
      description: `authn-pack: the deploy-time CloudFormation Lambda hook (${props.settings.hookFailureMode})`,
      ...props,
    });
    const { settings } = props;
    const logGroup = new LogGroup(this, 'HookLogs', {
      retention: retentionDays(settings.logRetentionDays),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const reads = hookReadStatements([
      { partition: this.partition, region: this.region, account: this.account },
    ]);
    const role = new Role(this, 'HookFunctionRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description:
        "authn-pack hook function: exactly the live reads the hook makes (a route's API), read-only",
      inlinePolicies: {
        ReadLive: new PolicyDocument({ statements: reads }),
        WriteLogs: new PolicyDocument({ statements: [writeLogsStatement([logGroup])] }),
      },
    });
    acknowledgeWildcards(role, reads, (statement) => hookReadReason(statement.actions));
    this.function = new HookFunction(this, 'HookFunction', {
      role: role.withoutPolicyUpdates(),
      logGroup,
      environment: hookEnvironment(settings),
    });
    this.hook = new AuthnLambdaHook(this, 'LambdaHook', {
      functionArn: this.function.function.functionArn,
      settings,
    });
  }
}

/**
 * Organization mode, central account, one per Region: the function, acting only through the central evaluator role
 * (which may only assume the member execution role, inside the organization), invocable by the organization's hooks.
 */
export class HookFunctionStack extends Stack {
  readonly function: HookFunction;

  constructor(
    scope: Construct,
    id: string,
    props: StackProps & { readonly settings: OrganizationSettings; readonly region: string },
  ) {
    super(scope, id, {
      description: `authn-pack: the deploy-time hook's central function (${props.region})`,
      ...props,
      env: { account: props.settings.centralAccountId, region: props.region, ...props.env },
    });
    const { settings } = props;
    const logGroup = new LogGroup(this, 'HookLogs', {
      retention: retentionDays(settings.logRetentionDays),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // The role the member execution role trusts (by ARN); it is created by the central rules' stack of this Region.
    const role = Role.fromRoleName(this, 'EvaluatorRole', centralRoleName(settings, props.region));
    new Policy(this, 'HookWriteLogs', { roles: [role], statements: [writeLogsStatement([logGroup])] });
    this.function = new HookFunction(this, 'HookFunction', {
      role: Role.fromRoleName(this, 'EvaluatorRoleForFunction', centralRoleName(settings, props.region), {
        mutable: false,
      }),
      logGroup,
      environment: hookEnvironment(settings, settings.executionRoleName),
      functionName: HOOK_FUNCTION_NAME,
    });
    this.function.function.addPermission('OrganizationHooksInvoke', {
      principal: new AnyPrincipal(),
      action: 'lambda:InvokeFunction',
      organizationId: settings.organizationId,
    });
  }
}

/** The hook and its execution role as a stand-alone template (the StackSet's TemplateBody): no assets, no bootstrap. */
export function memberHookTemplate(settings: OrganizationSettings): Record<string, unknown> {
  return memberTemplate(
    'MemberHook',
    'authn-pack: the deploy-time hook in this account and Region (deployed by a service-managed StackSet)',
    (stack) =>
      new AuthnLambdaHook(stack, 'LambdaHook', {
        functionArn: `arn:${Aws.PARTITION}:lambda:${Aws.REGION}:${settings.centralAccountId}:function:${HOOK_FUNCTION_NAME}`,
        settings,
      }),
  );
}

/** The StackSet that puts the hook in every account of the target OUs, in every configured Region. */
export class MemberHookStackSetStack extends MemberStackSetStack {
  constructor(scope: Construct, id: string, props: StackProps & { readonly settings: OrganizationSettings }) {
    const { settings, ...stackProps } = props;
    super(scope, id, {
      description: 'authn-pack: service-managed StackSet deploying the deploy-time hook',
      ...stackProps,
      stackSetId: 'MemberHooks',
      stackSet: {
        settings,
        stackSetName: MEMBER_HOOKS_STACK_SET_NAME,
        description: `authn-pack deploy-time hook ${HOOK_ALIAS} (${settings.hookFailureMode})`,
        capabilities: ['CAPABILITY_IAM'],
        regions: settings.regions,
        templateBody: memberHookTemplate(settings),
      },
    });
  }
}
