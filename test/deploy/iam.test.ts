import { expect } from 'chai';
import {
  ACTION_SCOPING,
  UnscopedActionError,
  memberAccountActions,
  scopedStatements,
  wildcardReason,
} from '../../deploy/iam';
import { ruleLogicalId } from '../../deploy/conformance-pack';
import { RULES } from '../../rules/index';
import { evaluatedAccountActions, usesStateTable } from '../../rules/core/permissions';
import { STATE_TABLE_ACTIONS } from '../../deploy/state-table';
import { RULE_STATE_ACTIONS } from '../../deploy/change-events';
import {
  ORGANIZATION_CONTEXT,
  actionsOf,
  policyDocuments,
  synthesize,
  type PolicyStatementJson,
  type Synthesized,
} from '../helpers/cdk';

const LOG_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'];

/**
 * The registry's answer, computed here independently of deploy/: what an evaluated account must allow (the change
 * recorder starts evaluations there when a rule has change events).
 */
const neededInAccount = (): string[] =>
  [
    ...new Set([
      ...RULES.flatMap((rule) => evaluatedAccountActions(rule)),
      ...(RULES.some((rule) => rule.changes !== undefined) ? ['config:StartConfigRulesEvaluation'] : []),
    ]),
  ].sort();

function grantedActions(template: Record<string, unknown>, roleId: string): string[] {
  return [
    ...new Set(
      policyDocuments(template)
        .filter(({ resource }) => resource === roleId)
        .flatMap(({ document }) => document.Statement.filter((s) => s.Effect === 'Allow').flatMap(actionsOf)),
    ),
  ].sort();
}

function everyStatement(template: Record<string, unknown>): PolicyStatementJson[] {
  const statements = policyDocuments(template).flatMap(({ document }) => document.Statement);
  // Templates inside StackSets are templates too.
  const resources = (template.Resources ?? {}) as Record<
    string,
    { Type: string; Properties: Record<string, unknown> }
  >;
  for (const resource of Object.values(resources)) {
    if (resource.Type === 'AWS::CloudFormation::StackSet') {
      statements.push(
        ...everyStatement(JSON.parse(resource.Properties.TemplateBody as string) as Record<string, unknown>),
      );
    }
  }
  return statements;
}

describe('deploy/iam (least privilege from the registry)', () => {
  let single: Synthesized;
  let organization: Synthesized;

  before(function () {
    this.timeout(120_000);
    single = synthesize();
    organization = synthesize(ORGANIZATION_CONTEXT);
  });

  const allTemplates = (): [string, Record<string, unknown>][] =>
    [single, organization].flatMap((synthesized) =>
      synthesized.deployment.stacks.map((stack): [string, Record<string, unknown>] => [
        stack.stackName,
        synthesized.template(stack).toJSON(),
      ]),
    );

  it('knows the resources of every action the registry asks for', () => {
    for (const action of neededInAccount()) expect(ACTION_SCOPING, action).to.have.property(action);
  });

  it('refuses to grant an action it has no scoping for', () => {
    expect(() =>
      scopedStatements(['s3:GetObject'], [{ partition: 'aws', region: 'eu-west-1', account: '1' }]),
    ).to.throw(UnscopedActionError, /s3:GetObject/);
  });

  it('gives a reason for every wildcard resource', () => {
    for (const action of neededInAccount()) expect(wildcardReason([action]), action).to.have.length.above(20);
  });

  describe('single account', () => {
    for (const rule of RULES) {
      it(`${rule.control}: its role grants exactly what ${rule.ruleName} calls, plus its own logs (and state records, when it keeps some)`, () => {
        const template = single.template('AuthnPack').toJSON();
        const roleId = Object.keys(template.Resources as object).find(
          (id) =>
            id.startsWith(`${ruleLogicalId(rule)}Role`) &&
            (template.Resources as Record<string, { Type: string }>)[id]!.Type === 'AWS::IAM::Role',
        )!;
        expect(grantedActions(template, roleId)).to.deep.equal(
          [
            ...new Set([
              ...evaluatedAccountActions(rule),
              ...LOG_ACTIONS,
              ...(usesStateTable(rule) ? STATE_TABLE_ACTIONS : []),
              // A rule with change events also reads, updates and deletes its change records.
              ...(rule.changes === undefined ? [] : RULE_STATE_ACTIONS),
            ]),
          ].sort(),
        );
      });
    }
  });

  describe('organization', () => {
    it('the central role may only assume roles, write its logs and use the state table (sweeps and change records)', () => {
      const template = organization.template('AuthnPackOrganization-eu-west-1').toJSON();
      const [roleId] = Object.entries(template.Resources as Record<string, { Type: string }>).find(
        ([, resource]) => resource.Type === 'AWS::IAM::Role',
      )!;
      expect(grantedActions(template, roleId)).to.deep.equal(
        [
          ...new Set(['sts:AssumeRole', ...LOG_ACTIONS, ...STATE_TABLE_ACTIONS, ...RULE_STATE_ACTIONS]),
        ].sort(),
      );
    });

    it('the member execution role grants exactly the union of what the rules call', () => {
      expect(memberAccountActions()).to.deep.equal(neededInAccount());
      for (const name of ['AuthnPackManagementAccountRole', 'AuthnPackMemberRoles']) {
        const statements = everyStatement(organization.template(name).toJSON());
        expect([...new Set(statements.flatMap(actionsOf))].sort(), name).to.deep.equal(neededInAccount());
      }
    });
  });

  it('no policy anywhere grants a wildcard action', () => {
    for (const [name, template] of allTemplates()) {
      for (const statement of everyStatement(template)) {
        for (const action of actionsOf(statement)) expect(action, `${name}: ${action}`).not.to.contain('*');
      }
      const resources = (template.Resources ?? {}) as Record<
        string,
        { Type: string; Properties: Record<string, unknown> }
      >;
      for (const resource of Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Permission')) {
        expect(resource.Properties.Action).to.equal('lambda:InvokeFunction');
      }
    }
  });

  it('names "*" as a resource only for actions IAM cannot scope', () => {
    for (const [name, template] of allTemplates()) {
      for (const statement of everyStatement(template)) {
        const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
        if (!resources.includes('*')) continue;
        for (const action of actionsOf(statement)) {
          expect(ACTION_SCOPING[action], `${name}: ${action} on "*"`).to.have.property('anyResource');
        }
      }
    }
  });
});
