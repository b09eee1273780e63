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
import { appsyncEventApiNoApiKey as eventApiRule } from '../../rules/appsync-event-api-no-api-key/rule';
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

  describe('AppSync Event APIs (Service Authorization Reference, "Actions, resources, and condition keys for AWS AppSync")', () => {
    const EVENT_API_ACTIONS = ['appsync:GetApi', 'appsync:ListApis', 'appsync:ListChannelNamespaces'];
    /** The statements of a template that grant any of the Event API rule's actions. */
    const eventApiStatements = (template: Record<string, unknown>): PolicyStatementJson[] =>
      everyStatement(template).filter((statement) =>
        actionsOf(statement).some((action) => EVENT_API_ACTIONS.includes(action)),
      );
    /** The ARN a CloudFormation value stands for, pseudo parameters by name (`arn:${AWS::Partition}:…`). */
    const arnOf = (value: unknown): string => {
      if (typeof value === 'string') return value;
      const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
      if (join === undefined) return JSON.stringify(value);
      return join[1]
        .map((part) => (typeof part === 'string' ? part : `\${${(part as { Ref: string }).Ref}}`))
        .join(join[0]);
    };

    it('the registry asks for exactly these three actions', () => {
      expect([...eventApiRule.service.iamActions].sort()).to.deep.equal(EVENT_API_ACTIONS);
    });

    it('ListApis, which has no resource type, on "*" alone; GetApi and ListChannelNamespaces on apis/* of the account and Region', () => {
      // Act
      const statements = scopedStatements(EVENT_API_ACTIONS, [
        { partition: 'aws', region: 'eu-west-1', account: '123456789012' },
      ]).map((statement) => statement.toStatementJson() as PolicyStatementJson);
      // Assess
      expect(statements).to.deep.equal([
        {
          Effect: 'Allow',
          Action: ['appsync:GetApi', 'appsync:ListChannelNamespaces'],
          Resource: 'arn:aws:appsync:eu-west-1:123456789012:apis/*',
        },
        { Effect: 'Allow', Action: 'appsync:ListApis', Resource: '*' },
      ]);
    });

    /** Each Event API action and every resource the template's statements grant it on. */
    const resourcesByAction = (template: Record<string, unknown>): Record<string, string[]> => {
      const granted: Record<string, string[]> = {};
      for (const statement of eventApiStatements(template)) {
        const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
        for (const action of actionsOf(statement).filter((name) => EVENT_API_ACTIONS.includes(name))) {
          granted[action] = [...new Set([...(granted[action] ?? []), ...resources.map(arnOf)])].sort();
        }
      }
      return granted;
    };

    it("the rule's role in one account grants them so", () => {
      // Act
      const granted = resourcesByAction(single.template('AuthnPack').toJSON());
      // Assess
      const apis = 'arn:${AWS::Partition}:appsync:${AWS::Region}:${AWS::AccountId}:apis/*';
      expect(granted).to.deep.equal({
        'appsync:GetApi': [apis],
        'appsync:ListApis': ['*'],
        'appsync:ListChannelNamespaces': [apis],
      });
    });

    it('the member execution role grants GetApi and ListChannelNamespaces only on apis/*, ListApis on "*"', () => {
      for (const name of ['AuthnPackManagementAccountRole', 'AuthnPackMemberRoles']) {
        // Act
        const granted = resourcesByAction(organization.template(name).toJSON());
        // Assess
        expect(Object.keys(granted).sort(), name).to.deep.equal(EVENT_API_ACTIONS);
        expect(granted['appsync:ListApis'], name).to.deep.equal(['*']);
        for (const action of ['appsync:GetApi', 'appsync:ListChannelNamespaces']) {
          expect(granted[action], `${name}: ${action}`).to.have.length.above(0);
          for (const resource of granted[action] ?? [])
            expect(resource, `${name}: ${action}`).to.match(/^arn:.+:appsync:.+:apis\/\*$/);
        }
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
