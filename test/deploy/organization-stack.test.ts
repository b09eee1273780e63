import { expect } from 'chai';
import type { Template } from 'aws-cdk-lib/assertions';
import { lambdaArnParameter, frequencyParameter, renderConformancePack } from '../../deploy/conformance-pack';
import { OrganizationStack } from '../../deploy/organization-stack';
import { RULES } from '../../rules/index';
import {
  CENTRAL_ACCOUNT,
  MEMBER_ACCOUNT,
  ORGANIZATION_CONTEXT,
  ORG_ID,
  resourcesOf,
  stackNamed,
  synthesize,
  type Synthesized,
} from '../helpers/cdk';

describe('deploy/organization-stack (central account)', () => {
  let synthesized: Synthesized;
  let stack: OrganizationStack;
  let template: Template;
  const functionArn = (ruleName: string): unknown => ({
    'Fn::GetAtt': [stack.getLogicalId(stack.functions[ruleName]!.function.node.defaultChild as never), 'Arn'],
  });

  before(function () {
    this.timeout(120_000);
    synthesized = synthesize({ ...ORGANIZATION_CONTEXT, frequencies: 'APIGateway.8=Twelve_Hours' });
    stack = stackNamed(synthesized.deployment, 'AuthnPackOrganization-eu-west-1', OrganizationStack);
    template = synthesized.template(stack);
  });

  it('is one stack per Region, in the central account', () => {
    const central = synthesized.deployment.stacks.filter((s) =>
      s.stackName.startsWith('AuthnPackOrganization-'),
    );
    expect(central.map((s) => [s.region, s.account])).to.deep.equal([
      ['eu-west-1', CENTRAL_ACCOUNT],
      ['us-east-1', CENTRAL_ACCOUNT],
    ]);
  });

  it('runs one nodejs22.x arm64 function per rule, all with the one central role', () => {
    // and the change recorder's (on the same central role)
    template.resourceCountIs('AWS::Lambda::Function', RULES.length + 1);
    template.resourceCountIs('AWS::IAM::Role', 1);
    template.resourceCountIs('AWS::CloudWatch::Alarm', RULES.length + 1);
    template.resourceCountIs('AWS::Logs::LogGroup', RULES.length + 1);
    const roleArn = { 'Fn::GetAtt': [stack.getLogicalId(stack.role.node.defaultChild as never), 'Arn'] };
    for (const fn of Object.values(resourcesOf(template, 'AWS::Lambda::Function'))) {
      expect(fn.Properties).to.deep.include({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Role: roleArn,
      });
    }
  });

  it('names the central role after its Region, for the member roles to trust', () => {
    template.hasResourceProperties('AWS::IAM::Role', { RoleName: 'authn-pack-evaluator-eu-west-1' });
  });

  it('lets the role assume only the member execution role, only in accounts of the organization', () => {
    const role = Object.values(resourcesOf(template, 'AWS::IAM::Role'))[0]!;
    const policies = role.Properties.Policies as {
      PolicyName: string;
      PolicyDocument: { Statement: unknown[] };
    }[];
    const assume = policies.find((policy) => policy.PolicyName === 'AssumeMemberExecutionRole')!;
    expect(assume.PolicyDocument.Statement).to.deep.equal([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Resource: {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:role/authn-pack-execution']],
        },
        Condition: { StringEquals: { 'aws:ResourceOrgID': ORG_ID } },
      },
    ]);
    const logs = policies.find((policy) => policy.PolicyName === 'WriteLogs')!;
    expect(logs.PolicyDocument.Statement).to.have.length(1);
    expect(policies.map((policy) => policy.PolicyName)).to.have.members([
      'AssumeMemberExecutionRole',
      'WriteLogs',
      'State',
      'ChangeRecords',
    ]);
    expect(role.Properties).not.to.have.property('ManagedPolicyArns');
  });

  it('keeps the periodic sweeps’ progress in its own encrypted table, which the role may use for those rules’ records only', () => {
    const tables = Object.values(resourcesOf(template, 'AWS::DynamoDB::Table'));
    expect(tables).to.have.length(1);
    expect(tables[0]!.Properties).to.deep.include({
      SSESpecification: { SSEEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    const role = Object.values(resourcesOf(template, 'AWS::IAM::Role'))[0]!;
    const policies = role.Properties.Policies as {
      PolicyName: string;
      PolicyDocument: { Statement: unknown[] };
    }[];
    const periodic = RULES.filter((rule) => rule.trigger.kind === 'periodic');
    expect(policies.find((policy) => policy.PolicyName === 'State')?.PolicyDocument.Statement).to.deep.equal([
      {
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [stack.getLogicalId(stack.stateTable.node.defaultChild as never), 'Arn'] },
        Condition: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': periodic.map((rule) => `${rule.ruleName}#*`) },
        },
      },
    ]);
    for (const rule of RULES) {
      const fn = resourcesOf(template, 'AWS::Lambda::Function')[
        stack.getLogicalId(stack.functions[rule.ruleName]!.function.node.defaultChild as never)
      ]!;
      const variables = (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)
        ?.Variables;
      if (rule.trigger.kind === 'periodic')
        expect(variables, rule.ruleName).to.have.property('AUTHN_PACK_STATE_TABLE');
      else expect(variables?.AUTHN_PACK_STATE_TABLE, rule.ruleName).to.be.undefined;
    }
  });

  it('lets config.amazonaws.com invoke each function, with no condition Config could not satisfy', () => {
    const permissions = Object.values(resourcesOf(template, 'AWS::Lambda::Permission')).filter(
      (permission) => permission.Properties.Principal === 'config.amazonaws.com',
    );
    expect(permissions).to.have.length(RULES.length);
    for (const rule of RULES) {
      const permission = permissions.find(
        (candidate) =>
          JSON.stringify(candidate.Properties.FunctionName) === JSON.stringify(functionArn(rule.ruleName)),
      );
      expect(permission?.Properties, rule.ruleName).to.deep.equal({
        Action: 'lambda:InvokeFunction',
        FunctionName: functionArn(rule.ruleName),
        Principal: 'config.amazonaws.com',
      });
    }
  });

  it('with invokerAccountIds, admits config.amazonaws.com only for those accounts (aws:SourceAccount)', function () {
    this.timeout(60_000);
    const scoped = synthesize(
      { ...ORGANIZATION_CONTEXT, invokerAccountIds: `${MEMBER_ACCOUNT},${CENTRAL_ACCOUNT}` },
      { nag: false },
    );
    const permissions = Object.values(
      resourcesOf(scoped.template('AuthnPackOrganization-eu-west-1'), 'AWS::Lambda::Permission'),
    ).filter((permission) => permission.Properties.Principal !== 'events.amazonaws.com'); // the change rule's
    expect(permissions).to.have.length(RULES.length * 2);
    for (const permission of permissions) {
      expect(permission.Properties).to.include({
        Principal: 'config.amazonaws.com',
        Action: 'lambda:InvokeFunction',
      });
      expect([MEMBER_ACCOUNT, CENTRAL_ACCOUNT]).to.include(permission.Properties.SourceAccount);
      expect(permission.Properties).not.to.have.property('PrincipalOrgID');
    }
  });

  describe('the organization conformance pack', () => {
    const pack = (): Record<string, unknown> => {
      const packs = resourcesOf(template, 'AWS::Config::OrganizationConformancePack');
      expect(Object.keys(packs)).to.have.length(1);
      return Object.values(packs)[0]! as unknown as Record<string, unknown>;
    };
    const properties = (): Record<string, unknown> => pack().Properties as Record<string, unknown>;
    const inputs = (): Record<string, unknown> =>
      Object.fromEntries(
        (
          properties().ConformancePackInputParameters as { ParameterName: string; ParameterValue: unknown }[]
        ).map((p) => [p.ParameterName, p.ParameterValue]),
      );

    it('is conformance-pack.yaml, verbatim', () => {
      expect(properties().TemplateBody).to.equal(renderConformancePack());
      expect(properties().OrganizationConformancePackName).to.equal('authn-pack');
    });

    it("fills in every rule's Lambda ARN with this Region's function", () => {
      for (const rule of RULES)
        expect(inputs()[lambdaArnParameter(rule)], rule.ruleName).to.deep.equal(functionArn(rule.ruleName));
    });

    it('tells the rules the member execution role and the configured frequencies', () => {
      expect(inputs().ExecutionRoleName).to.equal('authn-pack-execution');
      for (const rule of RULES.filter((r) => r.trigger.kind === 'periodic')) {
        const expected = rule.control === 'APIGateway.8' ? 'Twelve_Hours' : 'TwentyFour_Hours';
        expect(inputs()[frequencyParameter(rule)], rule.control).to.equal(expected);
      }
    });

    it('skips the excluded accounts', () => {
      expect(properties().ExcludedAccounts).to.deep.equal(['123456789012']);
    });

    it('is created only after every invoke permission exists (Config checks it)', () => {
      const permissionIds = Object.entries(resourcesOf(template, 'AWS::Lambda::Permission'))
        .filter(([, permission]) => permission.Properties.Principal === 'config.amazonaws.com')
        .map(([id]) => id);
      expect(pack().DependsOn).to.include.members(permissionIds);
    });
  });
});
