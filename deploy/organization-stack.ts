/**
 * The central (Config delegated administrator) account, one stack per Region: one function per control, the one role
 * they share, their invoke permissions, and the organization conformance pack built from conformance-pack.yaml.
 *
 * The functions never act with their own role in a member account: the role may only assume the member execution
 * role by name, and only in accounts of this organization (`aws:ResourceOrgID`).
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { CfnOrganizationConformancePack } from 'aws-cdk-lib/aws-config';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Construct, IConstruct } from 'constructs';
import { RULES } from '../rules/index';
import { usesStateTable } from '../rules/core/permissions';
import type { AnyRule } from '../rules/core/types';
import {
  INPUT_PARAMETERS_LIMIT,
  TEMPLATE_BODY_LIMIT_BYTES,
  renderConformancePack,
  ruleLogicalId,
  templateBytes,
} from './conformance-pack';
import { ChangeRecorder, centralChangeBus, changeRecordsStatement, rulesWithChanges } from './change-events';
import { RuleFunction, retentionDays, ruleLogGroup, writeLogsStatement } from './functions';
import { packInputParameters } from './inputs';
import { centralRoleName, type OrganizationSettings } from './member-role';
import { acknowledgeWildcards } from './nag';
import { functionEnvironment } from './environment';
import { createStateTable, stateTableStatement } from './state-table';

export interface OrganizationStackProps extends StackProps {
  readonly settings: OrganizationSettings;
  /** The Region this stack's functions and pack run in (also its env Region). */
  readonly region: string;
  readonly rules?: readonly AnyRule[];
}

export const CONFIG_SERVICE_PRINCIPAL = 'config.amazonaws.com';

export class OrganizationStack extends Stack {
  readonly role: Role;
  readonly functions: Readonly<Record<string, RuleFunction>>;
  readonly conformancePack: CfnOrganizationConformancePack;
  /** Where periodic sweeps keep their progress, for every member account (deploy/state-table.ts). */
  readonly stateTable: Table;
  readonly changeRecorder: ChangeRecorder | undefined;

  constructor(scope: Construct, id: string, props: OrganizationStackProps) {
    super(scope, id, {
      description: `authn-pack: central Config rule functions and organization conformance pack (${props.region})`,
      ...props,
      env: { account: props.settings.centralAccountId, region: props.region, ...props.env },
    });
    const { settings } = props;
    const rules = props.rules ?? RULES;

    const logged = rules.map((rule) => ({
      rule,
      logGroup: ruleLogGroup(this, `${ruleLogicalId(rule)}Logs`, retentionDays(settings.logRetentionDays)),
    }));
    this.stateTable = createStateTable(this);
    const stateful = rules.filter((rule) => usesStateTable(rule));
    // The change path: the recorder runs with the central role (it starts members' evaluations through the member
    // execution role), with its own log group.
    const changing = rulesWithChanges(rules);
    const recorderLogs =
      changing.length === 0
        ? undefined
        : ruleLogGroup(this, 'ChangeRecorderLogs', retentionDays(settings.logRetentionDays));
    const assumeMemberRole = new PolicyStatement({
      actions: ['sts:AssumeRole'],
      // Any account, one role name: which accounts is decided by the condition, as accounts join and leave.
      resources: [`arn:${this.partition}:iam::*:role/${settings.executionRoleName}`],
      conditions: { StringEquals: { 'aws:ResourceOrgID': settings.organizationId } },
    });
    this.role = new Role(this, 'EvaluatorRole', {
      roleName: centralRoleName(settings, props.region),
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description:
        'authn-pack: the central rule functions; may only assume the member execution role in the organization',
      inlinePolicies: {
        AssumeMemberExecutionRole: new PolicyDocument({ statements: [assumeMemberRole] }),
        WriteLogs: new PolicyDocument({
          statements: [
            writeLogsStatement([
              ...logged.map(({ logGroup }) => logGroup),
              ...(recorderLogs === undefined ? [] : [recorderLogs]),
            ]),
          ],
        }),
        // The table is in this account: the functions use it with their own role, never a member's.
        ...(stateful.length > 0
          ? { State: new PolicyDocument({ statements: [stateTableStatement(this.stateTable, stateful)] }) }
          : {}),
        ...(changing.length === 0
          ? {}
          : {
              ChangeRecords: new PolicyDocument({
                statements: [changeRecordsStatement(this.stateTable, changing)],
              }),
            }),
      },
    });
    acknowledgeWildcards(
      this.role,
      [assumeMemberRole],
      () =>
        `sts:AssumeRole on role/${settings.executionRoleName} in any account: the evaluated account is the one each Config event names, ` +
        'and accounts join the organization after deployment; aws:ResourceOrgID limits it to accounts of this organization.',
    );

    const functions: Record<string, RuleFunction> = {};
    const permissions: IConstruct[] = [];
    for (const { rule, logGroup } of logged) {
      const id = ruleLogicalId(rule);
      const evaluator = new RuleFunction(this, id, {
        rule,
        role: this.role,
        logGroup,
        environment: functionEnvironment(rule, this.stateTable, settings, rules),
      });
      permissions.push(...grantConfigInvoke(evaluator, settings));
      new CfnOutput(this, `${id}FunctionArn`, {
        value: evaluator.function.functionArn,
        description: `${rule.control} evaluator (${rule.ruleName})`,
      });
      functions[rule.ruleName] = evaluator;
    }
    this.functions = functions;
    this.changeRecorder =
      recorderLogs === undefined
        ? undefined
        : new ChangeRecorder(this, 'ChangeRecorder', {
            table: this.stateTable,
            logRetentionDays: settings.logRetentionDays,
            executionRoleName: settings.executionRoleName,
            eventBus: centralChangeBus(this, settings),
            shared: { role: this.role, logGroup: recorderLogs },
            rules,
          });

    const templateBody = renderConformancePack(rules);
    if (templateBytes(templateBody) > TEMPLATE_BODY_LIMIT_BYTES) {
      throw new Error(
        `conformance-pack.yaml is ${templateBytes(templateBody)} bytes, over the ${TEMPLATE_BODY_LIMIT_BYTES}-byte limit`,
      );
    }
    const inputs = packInputParameters(
      settings,
      Object.fromEntries(
        Object.entries(functions).map(([name, evaluator]) => [name, evaluator.function.functionArn]),
      ),
      rules,
    );
    if (inputs.length > INPUT_PARAMETERS_LIMIT) {
      throw new Error(
        `${inputs.length} conformance pack input parameters, over the limit of ${INPUT_PARAMETERS_LIMIT}`,
      );
    }
    this.conformancePack = new CfnOrganizationConformancePack(this, 'ConformancePack', {
      organizationConformancePackName: settings.conformancePackName,
      templateBody,
      conformancePackInputParameters: inputs,
      ...(settings.excludedAccounts.length > 0 ? { excludedAccounts: [...settings.excludedAccounts] } : {}),
    });
    // Config refuses a custom rule whose function it cannot invoke: the permissions must exist first.
    for (const permission of permissions) this.conformancePack.node.addDependency(permission);
  }
}

/**
 * Lets AWS Config invoke a central function for the rules the organization conformance pack creates in member
 * accounts. Scoped as tightly as AWS allows for accounts that join later (see deploy/README.md, "Who may invoke"):
 *
 * - `AWS::Lambda::Permission` can condition a service principal only on `aws:SourceAccount` (one account) or
 *   `aws:SourceArn` (an ARN with a concrete account): nothing that covers "every account of the organization".
 *   Its PrincipalOrgID checks `aws:PrincipalOrgID`, which is absent when a service principal calls, so it would
 *   block Config altogether.
 * - `aws:SourceOrgID` would say exactly that, but only a full resource policy (`AWS::Lambda::ResourcePolicy`) can
 *   carry it; that resource type is missing from most Regions' CloudFormation registry, and AWS does not document
 *   that Config sets the key when it invokes a rule's function.
 *
 * So: with `invokerAccountIds` set, one permission per account with `aws:SourceAccount` (exact, but the list must be
 * kept in step with the organization, and Lambda's 20 KB policy limit caps it); without, the service principal
 * alone, as AWS's RDK does for organization rules. What an outside account could then do is bounded: its events
 * name its own account, the function role may assume roles only inside the organization, so such an invocation
 * fails without reading or writing anything.
 */
function grantConfigInvoke(evaluator: RuleFunction, settings: OrganizationSettings): IConstruct[] {
  const principal = new ServicePrincipal(CONFIG_SERVICE_PRINCIPAL);
  const grants: { id: string; sourceAccount?: string }[] =
    settings.invokerAccountIds.length === 0
      ? [{ id: 'ConfigInvoke' }]
      : settings.invokerAccountIds.map((account) => ({
          id: `ConfigInvoke${account}`,
          sourceAccount: account,
        }));
  return grants.map(({ id, sourceAccount }) => {
    evaluator.function.addPermission(id, {
      principal,
      action: 'lambda:InvokeFunction',
      ...(sourceAccount === undefined ? {} : { sourceAccount }),
    });
    return evaluator.function.permissionsNode.findChild(id);
  });
}
