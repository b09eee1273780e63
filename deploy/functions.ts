/**
 * One rule's Lambda function: its own esbuild bundle (only the SDK clients it imports, the SDK inside the bundle),
 * nodejs22.x on arm64, an explicit log group with retention and an alarm on errors. The role is the caller's: one
 * per function in a single account, one shared role in the organization's central account.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { ruleFolder } from '../rules/index';
import type { AnyRule } from '../rules/core/types';
import { acknowledgeRuntime } from './nag';

export const REPO_ROOT = join(__dirname, '..');
export const RUNTIME = Runtime.NODEJS_22_X;
export const ARCHITECTURE = Architecture.ARM_64;

/** How every function of the pack (the rules, the hook, the change recorder) is bundled from this repository. */
export const BUNDLED = {
  runtime: RUNTIME,
  architecture: ARCHITECTURE,
  projectRoot: REPO_ROOT,
  depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
  bundling: {
    forceDockerBundling: false, // the local esbuild only: synth needs neither Docker nor the network
    externalModules: [], // bundle the SDK: the versions the lockfile pins and the tests ran are the ones that run
    minify: true,
    target: 'node22',
    format: OutputFormat.CJS,
    sourceMap: false,
  },
} satisfies Partial<NodejsFunctionProps>;

/** The Lambda entry point of a rule: rules/<folder>/handler.ts, export `handler`. */
export const handlerEntry = (rule: AnyRule): string =>
  join(REPO_ROOT, 'rules', ruleFolder(rule), 'handler.ts');

/** A periodic rule sweeps a whole account (paged reads, tags, PutEvaluations in batches): it gets Lambda's maximum. */
const timeoutOf = (rule: AnyRule): Duration =>
  rule.trigger.kind === 'periodic' ? Duration.minutes(15) : Duration.minutes(2);
const memoryOf = (rule: AnyRule): number => (rule.trigger.kind === 'periodic' ? 512 : 256);

/** A retention in days as CloudWatch Logs' enum (settings accept only the values it has). */
export function retentionDays(days: number): RetentionDays {
  // A numeric enum maps values back to names: 365 → 'ONE_YEAR'.
  const name = (RetentionDays as unknown as Record<number, keyof typeof RetentionDays | undefined>)[days];
  if (name === undefined) throw new Error(`CloudWatch Logs has no retention of ${days} days`);
  return RetentionDays[name];
}

/** The log group a rule's function writes to (created before the role, so the role's inline policy can name it). */
export function ruleLogGroup(scope: Construct, id: string, retention: RetentionDays): LogGroup {
  return new LogGroup(scope, id, { retention, removalPolicy: RemovalPolicy.RETAIN });
}

/** What a function role needs to write its logs: streams of its own log group, nothing else. */
export function writeLogsStatement(logGroups: readonly LogGroup[]): PolicyStatement {
  return new PolicyStatement({
    actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    // The log group's ARN attribute ends in `:*`, which is every stream of that one group.
    resources: logGroups.map((group) => group.logGroupArn),
  });
}

export interface RuleFunctionProps {
  readonly rule: AnyRule;
  /** Used as is: policies are the caller's (CustomRule's managed-policy attachment is deliberately ignored). */
  readonly role: Role;
  readonly logGroup: LogGroup;
  /** Environment variables (the state table's name, the API Gateway rate), none by default. */
  readonly environment?: Readonly<Record<string, string>>;
}

export class RuleFunction extends Construct {
  readonly function: NodejsFunction;
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: RuleFunctionProps) {
    super(scope, id);
    const { rule } = props;
    this.function = new NodejsFunction(this, 'Function', {
      entry: handlerEntry(rule),
      handler: 'handler',
      // An immutable view of the role: constructs that add policies to a function's role (CustomRule attaches the
      // broad AWSConfigRulesExecutionRole managed policy) cannot widen it; the caller grants exactly what is needed.
      role: props.role.withoutPolicyUpdates(),
      logGroup: props.logGroup,
      ...(props.environment === undefined || Object.keys(props.environment).length === 0
        ? {}
        : { environment: { ...props.environment } }),
      timeout: timeoutOf(rule),
      memorySize: memoryOf(rule),
      description: `authn-pack ${rule.control}: ${rule.title}`.slice(0, 256),
      ...BUNDLED,
    });

    acknowledgeRuntime(this.function);

    this.alarm = new Alarm(this, 'Errors', {
      alarmName: `${Stack.of(this).stackName}-${rule.ruleName}-errors`,
      alarmDescription:
        `${rule.control} (${rule.ruleName}) failed at least one evaluation in 5 minutes: ` +
        'the Config rule shows stale or missing results until it succeeds. See the function log group.',
      metric: this.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
