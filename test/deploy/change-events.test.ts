/** deploy/change-events: the state table, the change recorder and the EventBridge rules, in both modes. */
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import {
  CHANGE_BUS_NAME,
  RULE_STATE_ACTIONS,
  changeEventPattern,
  memberChangeEventsTemplate,
} from '../../deploy/change-events';
import { organizationSettings } from '../../deploy/member-role';
import { readSettings } from '../../deploy/settings';
import { STATE_TABLE_VARIABLE } from '../../rules/core/state-store';
import { RULES } from '../../rules/index';
import {
  CENTRAL_ACCOUNT,
  MANAGEMENT_ACCOUNT,
  ORGANIZATION_CONTEXT,
  ORG_ID,
  cfnLint,
  resourcesOf,
  synthesize,
  type Synthesized,
} from '../helpers/cdk';

interface Resource {
  readonly Properties: Record<string, unknown>;
}

function only(template: Template, type: string): Resource {
  const found = Object.values(resourcesOf(template, type)) as Resource[];
  expect(found, type).to.have.length(1);
  return found[0]!;
}

const variablesOf = (fn: Resource): Record<string, unknown> =>
  (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};

describe('deploy/change-events (EventBridge → change recorder → state table)', function () {
  this.timeout(180_000);
  let single: Synthesized;
  let organization: Synthesized;

  before(() => {
    single = synthesize({});
    organization = synthesize(ORGANIZATION_CONTEXT);
  });

  it('routes the change calls of every rule with change events, and only those, to the recorder', () => {
    // Prepare
    const template = single.template('AuthnPack');
    // Act
    const rule = only(template, 'AWS::Events::Rule');
    // Assess
    expect(rule.Properties.EventPattern).to.deep.equal(changeEventPattern());
    expect(rule.Properties.EventBusName).to.be.undefined; // the default bus, where CloudTrail's events arrive
    const [target] = rule.Properties.Targets as { RetryPolicy: unknown; Arn: unknown }[];
    expect(target?.RetryPolicy).to.deep.equal({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 });
    const recorder = Object.entries(resourcesOf(template, 'AWS::Lambda::Function')).find(([, fn]) =>
      String((fn as Resource).Properties.Description).includes('records changed'),
    );
    expect(JSON.stringify(target?.Arn)).to.include(recorder?.[0]);
    expect(variablesOf(recorder?.[1] as Resource)).to.have.property(STATE_TABLE_VARIABLE);
  });

  it('tells the recorder and the functions of the rules with change events where the state table is', () => {
    // Prepare
    const functions = Object.values(
      resourcesOf(single.template('AuthnPack'), 'AWS::Lambda::Function'),
    ) as Resource[];
    // Act
    const withTable = functions.filter((fn) => STATE_TABLE_VARIABLE in variablesOf(fn));
    // Assess: at least the rules with change events (every periodic rule keeps sweep state too), and the recorder.
    expect(withTable.length).to.be.at.least(RULES.filter((rule) => rule.changes !== undefined).length + 1);
  });

  it("grants the recorder only UpdateItem on the table and StartConfigRulesEvaluation on the account's rules", () => {
    // Prepare
    const roles = Object.values(resourcesOf(single.template('AuthnPack'), 'AWS::IAM::Role')) as Resource[];
    // Act
    const recorder = roles.find((role) => String(role.Properties.Description).includes('change recorder'));
    const policies = recorder?.Properties.Policies as {
      PolicyName: string;
      PolicyDocument: { Statement: { Action: unknown }[] };
    }[];
    // Assess
    expect(
      Object.fromEntries(
        policies.map((p) => [p.PolicyName, p.PolicyDocument.Statement.map((s) => s.Action)]),
      ),
    ).to.deep.equal({
      RecordChanges: ['dynamodb:UpdateItem'],
      StartEvaluations: ['config:StartConfigRulesEvaluation'],
      WriteLogs: [['logs:CreateLogStream', 'logs:PutLogEvents']],
    });
    expect(RULE_STATE_ACTIONS).to.include('dynamodb:UpdateItem');
  });

  it('organization: a central change bus per Region that only the organization may put events on', () => {
    // Act
    const template = organization.template('AuthnPackOrganization-eu-west-1');
    // Assess
    expect(only(template, 'AWS::Events::EventBus').Properties.Name).to.equal(CHANGE_BUS_NAME);
    const policy = only(template, 'AWS::Events::EventBusPolicy');
    expect(policy.Properties.Statement).to.deep.include({
      Effect: 'Allow',
      Principal: '*',
      Action: 'events:PutEvents',
      Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG_ID } },
    });
    const rule = only(template, 'AWS::Events::Rule');
    expect(JSON.stringify(rule.Properties.EventBusName)).to.include('ChangeBus');
  });

  it('organization: forwards the change calls from every account and Region to the central bus (StackSet, cfn-lint clean)', async () => {
    // Prepare
    const stackSet = only(
      organization.template('AuthnPackMemberChangeEvents'),
      'AWS::CloudFormation::StackSet',
    );
    const body = memberChangeEventsTemplate(
      organizationSettings(readSettings((key) => ORGANIZATION_CONTEXT[key])),
    );
    const file = join(organization.outdir, 'member-change-events.template.json');
    writeFileSync(file, JSON.stringify(body, null, 2));
    // Act
    const lint = await cfnLint([file]);
    // Assess
    expect(lint.code, lint.output).to.equal(0);
    expect(JSON.parse(stackSet.Properties.TemplateBody as string)).to.deep.equal(body);
    const groups = stackSet.Properties.StackInstancesGroup as { Regions: string[] }[];
    expect(groups[0]?.Regions).to.deep.equal(['eu-west-1', 'us-east-1']);
    const member = Template.fromJSON(body);
    const rule = only(member, 'AWS::Events::Rule');
    expect(rule.Properties.EventPattern).to.deep.equal(changeEventPattern());
    const [target] = rule.Properties.Targets as { Arn: unknown; RoleArn: unknown }[];
    expect(JSON.stringify(target?.Arn)).to.include(`:${CENTRAL_ACCOUNT}:event-bus/${CHANGE_BUS_NAME}`);
    const role = only(member, 'AWS::IAM::Role');
    const [statement] = (
      role.Properties.Policies as { PolicyDocument: { Statement: { Action: unknown }[] } }[]
    )[0]!.PolicyDocument.Statement;
    expect(statement?.Action).to.equal('events:PutEvents');
  });

  it('organization: the management account, which StackSets skip, forwards the same calls in every Region', () => {
    // Prepare
    const member = Template.fromJSON(
      memberChangeEventsTemplate(organizationSettings(readSettings((key) => ORGANIZATION_CONTEXT[key]))),
    );
    const memberRule = only(member, 'AWS::Events::Rule');
    for (const region of ['eu-west-1', 'us-east-1']) {
      // Act
      const stack = organization.deployment.stacks.find(
        (candidate) => candidate.stackName === `AuthnPackManagementAccountChangeEvents-${region}`,
      );
      const template = organization.template(`AuthnPackManagementAccountChangeEvents-${region}`);
      // Assess
      expect(stack?.account).to.equal(MANAGEMENT_ACCOUNT);
      expect(stack?.region).to.equal(region);
      expect(stack?.dependencies.map((dependency) => dependency.stackName)).to.include(
        `AuthnPackOrganization-${region}`,
      );
      const rule = only(template, 'AWS::Events::Rule');
      expect(rule.Properties.EventPattern).to.deep.equal(changeEventPattern());
      expect(rule.Properties.Targets).to.deep.equal(memberRule.Properties.Targets);
      expect(JSON.stringify(rule.Properties.Targets)).to.include(
        `:${CENTRAL_ACCOUNT}:event-bus/${CHANGE_BUS_NAME}`,
      );
      const role = only(template, 'AWS::IAM::Role');
      expect(JSON.stringify(role.Properties.Policies)).to.include('events:PutEvents');
    }
  });
});
