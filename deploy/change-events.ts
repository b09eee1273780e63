/**
 * The change path in CloudFormation: the state table, the change recorder function, and the EventBridge rules
 * that bring the management calls of the rules with change events ("AWS API Call via CloudTrail") to it.
 *
 * Single account: a rule on the default bus targets the recorder, which calls StartConfigRulesEvaluation with its
 * own role. Organization: in every member account and Region (StackSet `AuthnPackMemberChangeEvents`) a rule on the
 * default bus forwards the calls to the central account's bus `authn-pack-changes` of that Region (an event bus is
 * the cross-account target EventBridge offers; the event keeps its `account`); there a rule targets the recorder,
 * which starts the member's evaluation through the member execution role. The management account, which StackSets
 * skip, gets the same forwarding rule from its own stack per Region (`AuthnPackManagementAccountChangeEvents-<region>`).
 *
 * Events need CloudTrail management events recorded in the account (a trail): without one, nothing arrives and the
 * rules report at their schedule, as before.
 */
import { Aws, CliCredentialsStackSynthesizer, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { CfnEventBusPolicy, CfnRule, EventBus, Rule, type IEventBus } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { eventPattern, type ChangeEvents } from '../rules/core/change-events';
import { STATE_TABLE_VARIABLE } from '../rules/core/state-store';
import type { AnyRule } from '../rules/core/types';
import { EXECUTION_ROLE_VARIABLE } from '../rules/change-recorder';
import { RULES } from '../rules/index';
import { BUNDLED, REPO_ROOT, retentionDays, ruleLogGroup, writeLogsStatement } from './functions';
import type { OrganizationSettings } from './member-role';
import { MemberStackSetStack, memberTemplate } from './member-stack-set';
import { acknowledgeRuntime, acknowledgeWildcards } from './nag';

/** The central bus member accounts forward change calls to (one per Region of the central account). */
export const CHANGE_BUS_NAME = 'authn-pack-changes';
export const MEMBER_CHANGE_EVENTS_STACK_SET_NAME = 'authn-pack-member-change-events';

/** The rules of the registry that declare change events. */
export const rulesWithChanges = (rules: readonly AnyRule[] = RULES): AnyRule[] =>
  rules.filter((rule) => rule.changes !== undefined);

/** The event sources of these rules' change events, for descriptions: `aws.apigateway, aws.lambda`. */
export const changeSources = (rules: readonly AnyRule[] = RULES): string =>
  [...new Set(rulesWithChanges(rules).map((rule) => rule.changes?.source ?? ''))].sort().join(', ');

/** The EventBridge pattern of these rules' change events (one pattern for all: one rule, one target). */
export function changeEventPattern(rules: readonly AnyRule[] = RULES): Record<string, unknown> {
  return eventPattern(rulesWithChanges(rules).map((rule) => rule.changes as ChangeEvents<unknown, unknown>));
}

/**
 * The change-record calls of a rule with change events (rules/core/change-store.ts), beside the sweep-state calls
 * deploy/state-table.ts grants: its own records only (`dynamodb:LeadingKeys` `<ruleName>#*`).
 */
export const RULE_STATE_ACTIONS: readonly string[] = [
  'dynamodb:DeleteItem',
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:UpdateItem',
];
/** What the recorder does: every write is one UpdateItem (record, bump, claim, release). */
export const RECORDER_STATE_ACTIONS: readonly string[] = ['dynamodb:UpdateItem'];

function ownRecords(actions: readonly string[], table: Table, rules: readonly AnyRule[]): PolicyStatement {
  return new PolicyStatement({
    actions: [...actions],
    resources: [table.tableArn],
    conditions: {
      'ForAllValues:StringLike': {
        'dynamodb:LeadingKeys': rulesWithChanges(rules).map((rule) => `${rule.ruleName}#*`),
      },
    },
  });
}

/** A rule function's access to the change records of `rules` (those with change events). */
export const changeRecordsStatement = (table: Table, rules: readonly AnyRule[]): PolicyStatement =>
  ownRecords(RULE_STATE_ACTIONS, table, rules);

export interface ChangeRecorderProps {
  readonly table: Table;
  readonly logRetentionDays: number;
  /** Organization mode: the member execution role's name (the recorder starts evaluations through it). */
  readonly executionRoleName?: string;
  /** Where the change calls arrive: the default bus (single account) or the central change bus. */
  readonly eventBus?: IEventBus;
  /**
   * Organization mode: the central evaluator role (it may assume the member execution role, and the caller grants it
   * the recorder's table writes and logs), with the log group it may write. Absent: the recorder's own role.
   */
  readonly shared?: { readonly role: Role; readonly logGroup: LogGroup };
  readonly rules?: readonly AnyRule[];
}

/**
 * The recorder: 90 s (one waiter per rule sleeps out Config's minute, then starts), 256 MB, reserved concurrency
 * left to the account (a storm of 500 events costs 500 short invocations of ~4 DynamoDB calls each).
 */
export class ChangeRecorder extends Construct {
  readonly function: NodejsFunction;
  readonly rule: Rule;
  readonly role: Role;
  readonly logGroup: LogGroup;
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: ChangeRecorderProps) {
    super(scope, id);
    const stack = Stack.of(this);
    if (props.shared !== undefined) {
      ({ role: this.role, logGroup: this.logGroup } = props.shared);
    } else {
      this.logGroup = ruleLogGroup(this, 'Logs', retentionDays(props.logRetentionDays));
      const start = new PolicyStatement({
        actions: ['config:StartConfigRulesEvaluation'],
        resources: [`arn:${stack.partition}:config:${stack.region}:${stack.account}:config-rule/*`],
      });
      this.role = new Role(this, 'Role', {
        assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
        description: 'authn-pack change recorder: records changed resources and starts their rule evaluation',
        inlinePolicies: {
          RecordChanges: new PolicyDocument({
            statements: [ownRecords(RECORDER_STATE_ACTIONS, props.table, props.rules ?? RULES)],
          }),
          StartEvaluations: new PolicyDocument({ statements: [start] }),
          WriteLogs: new PolicyDocument({ statements: [writeLogsStatement([this.logGroup])] }),
        },
      });
      acknowledgeWildcards(
        this.role,
        [start],
        () =>
          'config:StartConfigRulesEvaluation on config-rule/*: rule ARNs end in an id Config assigns; the recorder starts only the rules whose change events it received',
      );
    }
    this.function = new NodejsFunction(this, 'Function', {
      entry: join(REPO_ROOT, 'rules', 'change-recorder.ts'),
      handler: 'handler',
      role: this.role.withoutPolicyUpdates(),
      logGroup: this.logGroup,
      timeout: Duration.seconds(90),
      memorySize: 256,
      description:
        'authn-pack: records changed resources of the rules with change events, starts their evaluation',
      environment: {
        [STATE_TABLE_VARIABLE]: props.table.tableName,
        ...(props.executionRoleName === undefined
          ? {}
          : { [EXECUTION_ROLE_VARIABLE]: props.executionRoleName }),
      },
      ...BUNDLED,
    });
    acknowledgeRuntime(this.function);
    this.alarm = new Alarm(this, 'Errors', {
      alarmName: `${stack.stackName}-change-recorder-errors`,
      alarmDescription:
        'The authn-pack change recorder failed at least once in 5 minutes: changes may be reported only at the ' +
        "rules' schedule until it succeeds. See its log group.",
      metric: this.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.rule = new Rule(this, 'ChangeCalls', {
      description: `authn-pack: management calls that can change a verdict (${changeSources(props.rules)})`,
      eventPattern: changeEventPattern(props.rules),
      ...(props.eventBus === undefined ? {} : { eventBus: props.eventBus }),
      targets: [new LambdaFunction(this.function, { retryAttempts: 2, maxEventAge: Duration.hours(1) })],
    });
  }
}

/** The central account's bus in one Region: member accounts of the organization may put events on it. */
export function centralChangeBus(scope: Construct, settings: OrganizationSettings): EventBus {
  const bus = new EventBus(scope, 'ChangeBus', { eventBusName: CHANGE_BUS_NAME });
  new CfnEventBusPolicy(scope, 'ChangeBusOrganizationPutEvents', {
    eventBusName: bus.eventBusName,
    statementId: 'OrganizationPutEvents',
    statement: {
      Effect: 'Allow',
      Principal: '*',
      Action: 'events:PutEvents',
      Resource: bus.eventBusArn,
      Condition: { StringEquals: { 'aws:PrincipalOrgID': settings.organizationId } },
    },
  });
  return bus;
}

/**
 * The rule forwarding change calls from an account's default bus to the central bus of the same Region, and the role
 * EventBridge puts the events with (only on that bus). In every member account (the StackSet) and in the management
 * account (its own stacks: service-managed StackSets never deploy there).
 */
export function addChangeForwarding(stack: Stack, settings: OrganizationSettings): void {
  const centralBus = `arn:${Aws.PARTITION}:events:${Aws.REGION}:${settings.centralAccountId}:event-bus/${CHANGE_BUS_NAME}`;
  const role = new Role(stack, 'ForwardRole', {
    assumedBy: new ServicePrincipal('events.amazonaws.com'),
    description: 'authn-pack: lets EventBridge forward change calls to the central change bus only',
    inlinePolicies: {
      PutCentralEvents: new PolicyDocument({
        statements: [new PolicyStatement({ actions: ['events:PutEvents'], resources: [centralBus] })],
      }),
    },
  });
  new CfnRule(stack, 'ForwardChangeCalls', {
    description: `authn-pack: management calls (${changeSources()}), to the central account`,
    eventPattern: changeEventPattern(),
    state: 'ENABLED',
    targets: [{ id: 'CentralChangeBus', arn: centralBus, roleArn: role.roleArn }],
  });
}

/** One member account and Region: the rule forwarding change calls to the central bus, and its role. */
export function memberChangeEventsTemplate(settings: OrganizationSettings): Record<string, unknown> {
  return memberTemplate(
    'MemberChangeEvents',
    `authn-pack: forwards management calls (${changeSources()}) to the central account (StackSet)`,
    (stack) => {
      addChangeForwarding(stack, settings);
    },
  );
}

/**
 * The management account in one Region: the same forwarding rule as the StackSet gives every member account, which
 * service-managed StackSets never do for the management account (CloudFormation API reference, DeploymentTargets:
 * "StackSets doesn't deploy stack instances to the organization management account, even if the organization
 * management account is in your organization or in an OU in your organization"). The central bus admits it
 * (`aws:PrincipalOrgID` holds for the management account too). No assets, so no CDK bootstrap.
 */
export class ManagementAccountChangeEventsStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps & { readonly settings: OrganizationSettings }) {
    const { settings, ...stackProps } = props;
    super(scope, id, {
      description: `authn-pack: forwards the management account's management calls (${changeSources()}) to the central account`,
      synthesizer: new CliCredentialsStackSynthesizer(),
      ...stackProps,
    });
    addChangeForwarding(this, settings);
  }
}

/** The StackSet putting the forwarding rule in every account of the target OUs, in every configured Region. */
export class MemberChangeEventsStackSetStack extends MemberStackSetStack {
  constructor(scope: Construct, id: string, props: StackProps & { readonly settings: OrganizationSettings }) {
    const { settings, ...stackProps } = props;
    super(scope, id, {
      description: 'authn-pack: service-managed StackSet forwarding change calls to the central account',
      ...stackProps,
      stackSetId: 'MemberChangeEvents',
      stackSet: {
        settings,
        stackSetName: MEMBER_CHANGE_EVENTS_STACK_SET_NAME,
        description: `authn-pack: forward management calls (${changeSources()}) to the central change bus`,
        capabilities: ['CAPABILITY_IAM'],
        regions: settings.regions,
        templateBody: memberChangeEventsTemplate(settings),
      },
    });
  }
}
