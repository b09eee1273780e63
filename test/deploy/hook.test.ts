/** deploy/hook: the LambdaHook, its function and the execution role, in both modes; cfn-lint on the StackSet body. */
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import {
  HOOK_ALIAS,
  HOOK_FUNCTION_NAME,
  HOOKS_SERVICE_PRINCIPAL,
  hookTargetTypes,
  memberHookTemplate,
} from '../../deploy/hook';
import { organizationSettings } from '../../deploy/member-role';
import { readSettings } from '../../deploy/settings';
import { RULES } from '../../rules/index';
import {
  CENTRAL_ACCOUNT,
  ORGANIZATION_CONTEXT,
  ORG_ID,
  actionsOf,
  cfnLint,
  policyDocuments,
  resourcesOf,
  synthesize,
} from '../helpers/cdk';

const IN_SCOPE = [
  'AWS::ApiGatewayV2::Api',
  'AWS::ApiGatewayV2::Route',
  'AWS::AppSync::GraphQLApi',
  'AWS::DMS::Endpoint',
  'AWS::ElastiCache::ReplicationGroup',
  'AWS::MSK::Cluster',
];

type Resource = { Type: string; Properties: Record<string, unknown> };

function only(template: Template, type: string): Resource {
  const found = Object.values(resourcesOf(template, type)) as Resource[];
  expect(found, type).to.have.length(1);
  return found[0]!;
}

describe('deploy/hook (the deploy-time CloudFormation Lambda hook)', function () {
  this.timeout(180_000);

  it('targets exactly the types the registry’s template adapters read, creates and updates only', () => {
    // Act
    const types = hookTargetTypes();
    // Assess: the six of the brief and every type a later control adds.
    expect(types).to.include.members(IN_SCOPE);
    expect(types).to.deep.equal(
      [...new Set(RULES.flatMap((rule) => rule.template?.resourceTypes ?? []))].sort(),
    );
  });

  describe('single account', () => {
    let template: Template;
    before(() => {
      template = synthesize().template('AuthnPackHook');
    });

    it('deploys the hook in WARN mode by default, for RESOURCE and CLOUD_CONTROL operations', () => {
      // Act
      const hook = only(template, 'AWS::CloudFormation::LambdaHook');
      // Assess
      expect(hook.Properties).to.deep.include({
        Alias: HOOK_ALIAS,
        FailureMode: 'WARN',
        HookStatus: 'ENABLED',
        TargetOperations: ['RESOURCE', 'CLOUD_CONTROL'],
      });
      const targets = (hook.Properties.TargetFilters as { Targets: Record<string, string>[] }).Targets;
      expect(targets).to.have.length(hookTargetTypes().length * 2);
      expect(new Set(targets.map((target) => target.Action))).to.deep.equal(new Set(['CREATE', 'UPDATE']));
      expect(new Set(targets.map((target) => target.InvocationPoint))).to.deep.equal(
        new Set(['PRE_PROVISION']),
      );
      expect([...new Set(targets.map((target) => target.TargetName))].sort()).to.deep.equal(
        hookTargetTypes(),
      );
      expect(hook.Properties.StackFilters).to.equal(undefined);
    });

    it('lets the Hooks service invoke exactly the hook function, and nothing else', () => {
      // Act
      const roles = resourcesOf(template, 'AWS::IAM::Role') as Record<string, Resource>;
      const execution = Object.entries(roles).find(([, role]) =>
        JSON.stringify(role.Properties.AssumeRolePolicyDocument).includes(HOOKS_SERVICE_PRINCIPAL),
      );
      // Assess
      expect(execution, 'execution role').to.not.equal(undefined);
      const [id, role] = execution!;
      expect((role.Properties.AssumeRolePolicyDocument as { Statement: unknown[] }).Statement).to.deep.equal([
        { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: HOOKS_SERVICE_PRINCIPAL } },
      ]);
      const statements = policyDocuments(template.toJSON())
        .filter((entry) => entry.resource === id)
        .flatMap((entry) => entry.document.Statement);
      const functions = Object.keys(resourcesOf(template, 'AWS::Lambda::Function'));
      expect(statements).to.deep.equal([
        {
          Action: 'lambda:InvokeFunction',
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [functions[0], 'Arn'] },
        },
      ]);
    });

    it('runs the function on Node.js 22 within the 30 s the Hooks service waits, reading only a route’s API and a namespace’s Event API', () => {
      // Act
      const fn = only(template, 'AWS::Lambda::Function');
      const statements = policyDocuments(template.toJSON()).flatMap((entry) => entry.document.Statement);
      // Assess
      expect(fn.Properties).to.deep.include({ Runtime: 'nodejs22.x', Timeout: 30, Handler: 'index.handler' });
      const actions = [...new Set(statements.flatMap(actionsOf))].sort();
      expect(actions).to.deep.equal([
        'apigateway:GET',
        'appsync:GetApi',
        'lambda:InvokeFunction',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
      ]);
      const read = statements.find((statement) => actionsOf(statement).includes('apigateway:GET'));
      expect(JSON.stringify(read?.Resource)).to.include('::/apis/*');
      const eventApi = statements.find((statement) => actionsOf(statement).includes('appsync:GetApi'));
      expect(JSON.stringify(eventApi?.Resource)).to.include(':apis/*');
    });
  });

  it('fails when the setting says FAIL, and leaves named stacks out of Resource operations', () => {
    // Act
    const template = synthesize({
      hookFailureMode: 'FAIL',
      hookExcludedStacks: 'legacy-shop,partner-sandbox',
      hookCloudControl: 'false',
    }).template('AuthnPackHook');
    // Assess
    const hook = only(template, 'AWS::CloudFormation::LambdaHook');
    expect(hook.Properties).to.deep.include({
      FailureMode: 'FAIL',
      TargetOperations: ['RESOURCE'],
      StackFilters: { FilteringCriteria: 'ALL', StackNames: { Exclude: ['legacy-shop', 'partner-sandbox'] } },
    });
  });

  it('refuses stack exclusions while the hook also judges Cloud Control operations (filters would be ignored)', () => {
    // Act + Assess
    expect(() => readSettings(() => undefined, { hookExcludedStacks: ['legacy-shop'] })).to.throw(
      'stack filters are ignored',
    );
  });

  describe('organization', () => {
    it('keeps the function central, named, and invocable only from inside the organization', () => {
      // Act
      const template = synthesize(ORGANIZATION_CONTEXT).template('AuthnPackHookFunction-eu-west-1');
      // Assess
      const fn = only(template, 'AWS::Lambda::Function');
      expect(fn.Properties).to.deep.include({
        FunctionName: HOOK_FUNCTION_NAME,
        Runtime: 'nodejs22.x',
        Timeout: 30,
      });
      expect(JSON.stringify(fn.Properties.Role)).to.include('authn-pack-evaluator-eu-west-1');
      const variables = (fn.Properties.Environment as { Variables: Record<string, string> }).Variables;
      expect(variables.AUTHN_PACK_EXECUTION_ROLE_NAME).to.equal('authn-pack-execution');
      const permission = only(template, 'AWS::Lambda::Permission');
      expect(permission.Properties).to.deep.include({
        Action: 'lambda:InvokeFunction',
        Principal: '*',
        PrincipalOrgID: ORG_ID,
      });
    });

    it('puts the hook in every target account and Region with a StackSet, invoking the central function', async () => {
      // Prepare
      const synthesized = synthesize(ORGANIZATION_CONTEXT);
      const stackSet = only(synthesized.template('AuthnPackMemberHooks'), 'AWS::CloudFormation::StackSet');
      const body = memberHookTemplate(organizationSettings(readSettings((key) => ORGANIZATION_CONTEXT[key])));
      const file = join(synthesized.outdir, 'member-hook.template.json');
      writeFileSync(file, JSON.stringify(body, null, 2));
      // Act
      const lint = await cfnLint([file]);
      // Assess
      expect(lint.code, lint.output).to.equal(0);
      expect(stackSet.Properties).to.deep.include({
        PermissionModel: 'SERVICE_MANAGED',
        Capabilities: ['CAPABILITY_IAM'],
      });
      const groups = stackSet.Properties.StackInstancesGroup as { Regions: string[] }[];
      expect(groups[0]?.Regions).to.deep.equal(['eu-west-1', 'us-east-1']);
      expect(JSON.parse(stackSet.Properties.TemplateBody as string)).to.deep.equal(body);
      const hook = only(Template.fromJSON(body), 'AWS::CloudFormation::LambdaHook');
      expect(hook.Properties.FailureMode).to.equal('WARN');
      expect(JSON.stringify(hook.Properties.LambdaFunction)).to.include(
        `:${CENTRAL_ACCOUNT}:function:${HOOK_FUNCTION_NAME}`,
      );
    });

    it('lets the member execution role read a route’s API for the hook (GetApi), in the configured Regions', () => {
      // Act
      const template = synthesize(ORGANIZATION_CONTEXT).template('AuthnPackManagementAccountRole');
      const statements = policyDocuments(template.toJSON()).flatMap((entry) => entry.document.Statement);
      // Assess
      const hookRead = statements.find((statement) =>
        JSON.stringify(statement.Resource).includes('::/apis/*"'),
      );
      expect(hookRead, 'GetApi statement').to.not.equal(undefined);
      expect(actionsOf(hookRead!)).to.deep.equal(['apigateway:GET']);
      expect(hookRead!.Condition).to.deep.equal({
        StringEquals: { 'aws:RequestedRegion': ['eu-west-1', 'us-east-1'] },
      });
    });
  });
});
