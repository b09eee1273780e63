/**
 * Quick start: one function and one Config rule per control in one account and Region, no StackSets.
 * Each function has its own role granting exactly what its rule's invocation calls, scoped to this account.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { CustomRule, MaximumExecutionFrequency, ResourceType, RuleScope } from 'aws-cdk-lib/aws-config';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyDocument, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { RULES } from '../rules/index';
import { evaluatedAccountActions, usesStateTable } from '../rules/core/permissions';
import type { AnyRule, Frequency } from '../rules/core/types';
import { ChangeRecorder, changeRecordsStatement, rulesWithChanges } from './change-events';
import { ruleLogicalId } from './conformance-pack';
import { RuleFunction, retentionDays, ruleLogGroup, writeLogsStatement } from './functions';
import { scopedStatements, wildcardReason } from './iam';
import { ruleInputParameters } from './inputs';
import { acknowledgeWildcards } from './nag';
import { functionEnvironment } from './environment';
import { createStateTable, stateTableStatement } from './state-table';
import { frequencyOf, type Settings } from './settings';

export interface SingleAccountStackProps extends StackProps {
  readonly settings: Settings;
  readonly rules?: readonly AnyRule[];
}

export class SingleAccountStack extends Stack {
  readonly functions: Readonly<Record<string, RuleFunction>>;
  readonly rules: Readonly<Record<string, CustomRule>>;
  /** Where periodic sweeps keep their progress between invocations (deploy/state-table.ts). */
  readonly stateTable: Table;
  readonly changeRecorder: ChangeRecorder | undefined;

  constructor(scope: Construct, id: string, props: SingleAccountStackProps) {
    super(scope, id, {
      description: 'authn-pack: AWS Config custom rules requiring authentication (single account)',
      ...props,
    });
    const { settings } = props;
    const functions: Record<string, RuleFunction> = {};
    const configRules: Record<string, CustomRule> = {};
    this.stateTable = createStateTable(this);
    const rules = props.rules ?? RULES;

    for (const rule of rules) {
      const id = ruleLogicalId(rule);
      const logGroup = ruleLogGroup(this, `${id}Logs`, retentionDays(settings.logRetentionDays));
      const statements = scopedStatements(evaluatedAccountActions(rule), [
        { partition: this.partition, region: this.region, account: this.account },
      ]);
      const role = new Role(this, `${id}Role`, {
        assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
        description: `authn-pack ${rule.control}: exactly the calls ${rule.ruleName} makes in this account`,
        // Inline on the role itself, so the permissions exist before the function can first run.
        inlinePolicies: {
          Evaluate: new PolicyDocument({ statements }),
          WriteLogs: new PolicyDocument({ statements: [writeLogsStatement([logGroup])] }),
          // Only its own records (the partition key starts with the rule's name).
          ...(usesStateTable(rule)
            ? { State: new PolicyDocument({ statements: [stateTableStatement(this.stateTable, [rule])] }) }
            : {}),
          // A rule with change events also reads, updates and deletes its change records.
          ...(rule.changes === undefined
            ? {}
            : {
                ChangeRecords: new PolicyDocument({
                  statements: [changeRecordsStatement(this.stateTable, [rule])],
                }),
              }),
        },
      });
      const evaluator = new RuleFunction(this, id, {
        rule,
        role,
        logGroup,
        environment: functionEnvironment(rule, this.stateTable, settings, props.rules ?? RULES),
      });
      acknowledgeWildcards(role, statements, (statement) => wildcardReason(statement.actions));

      const frequency = frequencyOf(settings, rule);
      // CustomRule also adds the invoke permission for config.amazonaws.com with aws:SourceAccount = this account.
      const configRule = new CustomRule(this, `${id}Rule`, {
        configRuleName: rule.ruleName,
        description: `${rule.control}: ${rule.description}`.slice(0, 256),
        lambdaFunction: evaluator.function,
        inputParameters: inputs(ruleInputParameters(rule, settings)),
        // Change-triggered rules have no frequency; periodic ones always have one.
        ...(frequency === undefined
          ? {
              configurationChanges: true,
              ruleScope: RuleScope.fromResources([ResourceType.of(rule.resourceType)]),
            }
          : { periodic: true, maximumExecutionFrequency: EXECUTION_FREQUENCY[frequency] }),
      });
      new CfnOutput(this, `${id}FunctionArn`, {
        value: evaluator.function.functionArn,
        description: `${rule.control} evaluator (${rule.ruleName})`,
      });
      functions[rule.ruleName] = evaluator;
      configRules[rule.ruleName] = configRule;
    }
    this.functions = functions;
    this.rules = configRules;
    // The change path: the recorder and the EventBridge rule (rules/<rule>/changeEvents.ts).
    this.changeRecorder =
      rulesWithChanges(rules).length === 0
        ? undefined
        : new ChangeRecorder(this, 'ChangeRecorder', {
            table: this.stateTable,
            logRetentionDays: settings.logRetentionDays,
            rules,
          });
  }
}

/** The registry's frequency names as aws-config's enum. */
const EXECUTION_FREQUENCY: Readonly<Record<Frequency, MaximumExecutionFrequency>> = {
  One_Hour: MaximumExecutionFrequency.ONE_HOUR,
  Three_Hours: MaximumExecutionFrequency.THREE_HOURS,
  Six_Hours: MaximumExecutionFrequency.SIX_HOURS,
  Twelve_Hours: MaximumExecutionFrequency.TWELVE_HOURS,
  TwentyFour_Hours: MaximumExecutionFrequency.TWENTY_FOUR_HOURS,
};

/** No `InputParameters` at all rather than an empty object. */
const inputs = (values: Record<string, string>): Record<string, string> | undefined =>
  Object.keys(values).length === 0 ? undefined : values;
