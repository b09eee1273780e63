import { expect } from 'chai';
import { Template, type Template as TemplateType } from 'aws-cdk-lib/assertions';
import { STACK_SET_NAME, memberRoleTemplate, organizationSettings } from '../../deploy/member-role';
import { readSettings } from '../../deploy/settings';
import { memberAccountActions } from '../../deploy/iam';
import {
  CENTRAL_ACCOUNT,
  MANAGEMENT_ACCOUNT,
  ORGANIZATION_CONTEXT,
  ORG_ID,
  actionsOf,
  policyDocuments,
  resourcesOf,
  synthesize,
  type Synthesized,
} from '../helpers/cdk';

const centralRole = (region: string): unknown => ({
  'Fn::Join': [
    '',
    ['arn:', { Ref: 'AWS::Partition' }, `:iam::${CENTRAL_ACCOUNT}:role/authn-pack-evaluator-${region}`],
  ],
});

function expectMemberRole(template: TemplateType): void {
  template.resourceCountIs('AWS::IAM::Role', 1);
  const role = Object.values(resourcesOf(template, 'AWS::IAM::Role'))[0]!;
  expect(role.Properties.RoleName).to.equal('authn-pack-execution');
  expect((role.Properties.AssumeRolePolicyDocument as { Statement: unknown }).Statement).to.deep.equal([
    {
      Action: 'sts:AssumeRole',
      Effect: 'Allow',
      Principal: {
        AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${CENTRAL_ACCOUNT}:root`]] },
      },
      Condition: {
        ArnEquals: { 'aws:PrincipalArn': [centralRole('eu-west-1'), centralRole('us-east-1')] },
        StringEquals: { 'aws:PrincipalOrgID': ORG_ID },
      },
    },
  ]);
  const statements = policyDocuments(template.toJSON()).flatMap(({ document }) => document.Statement);
  expect([...new Set(statements.flatMap(actionsOf))].sort()).to.deep.equal(memberAccountActions());
  for (const statement of statements) {
    expect(statement.Condition).to.deep.equal({
      StringEquals: { 'aws:RequestedRegion': ['eu-west-1', 'us-east-1'] },
    });
  }
}

describe('deploy/member-role (the execution role in every evaluated account)', () => {
  let synthesized: Synthesized;

  before(function () {
    this.timeout(120_000);
    synthesized = synthesize(ORGANIZATION_CONTEXT);
  });

  describe('the StackSet', () => {
    let properties: Record<string, unknown>;
    before(() => {
      const template = synthesized.template('AuthnPackMemberRoles');
      template.resourceCountIs('AWS::CloudFormation::StackSet', 1);
      properties = Object.values(resourcesOf(template, 'AWS::CloudFormation::StackSet'))[0]!.Properties;
    });

    it('is service-managed, deploying automatically to the target OUs as accounts join', () => {
      expect(properties).to.deep.include({
        StackSetName: STACK_SET_NAME,
        PermissionModel: 'SERVICE_MANAGED',
        AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
        CallAs: 'DELEGATED_ADMIN',
        Capabilities: ['CAPABILITY_NAMED_IAM'],
      });
    });

    it('targets the configured OUs (here the root), once per account: IAM is global, so one Region', () => {
      expect(properties.StackInstancesGroup).to.deep.equal([
        { DeploymentTargets: { OrganizationalUnitIds: ['r-a1b2'] }, Regions: ['eu-west-1'] },
      ]);
    });

    it('deploys a template with only the role: no assets, no CDK bootstrap requirement', () => {
      const body = JSON.parse(properties.TemplateBody as string) as Record<string, Record<string, unknown>>;
      expect(body).not.to.have.property('Parameters');
      expect(body).not.to.have.property('Rules');
      expect(Object.values(body.Resources!).map((r) => (r as { Type: string }).Type)).to.deep.equal([
        'AWS::IAM::Role',
      ]);
      expectMemberRole(Template.fromJSON(body));
    });

    it('is the same role the code builds on its own', () => {
      const settings = organizationSettings(readSettings((key) => ORGANIZATION_CONTEXT[key]));
      expect(JSON.parse(properties.TemplateBody as string)).to.deep.equal(memberRoleTemplate(settings));
    });

    it('is created by the management account when stackSetCallAs is SELF', function () {
      this.timeout(60_000);
      const self = synthesize({ ...ORGANIZATION_CONTEXT, stackSetCallAs: 'SELF' }, { nag: false });
      const stack = self.deployment.stacks.find((s) => s.stackName === 'AuthnPackMemberRoles')!;
      expect(stack.account).to.equal(MANAGEMENT_ACCOUNT);
      self.template(stack).hasResourceProperties('AWS::CloudFormation::StackSet', { CallAs: 'SELF' });
    });
  });

  describe('the management account stack (StackSets skip that account)', () => {
    it('holds the same role, trusting only the central roles within the organization', () => {
      const stack = synthesized.deployment.stacks.find(
        (s) => s.stackName === 'AuthnPackManagementAccountRole',
      )!;
      expect(stack.account).to.equal(MANAGEMENT_ACCOUNT);
      expectMemberRole(synthesized.template(stack));
    });

    it('needs no CDK bootstrap in the management account', () => {
      const template = synthesized.template('AuthnPackManagementAccountRole').toJSON();
      expect(template).not.to.have.nested.property('Parameters.BootstrapVersion');
    });
  });
});
