import { expect } from 'chai';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { ruleLogicalId } from '../../deploy/conformance-pack';
import { SingleAccountStack } from '../../deploy/single-account-stack';
import { RULES } from '../../rules/index';
import { sweepsApiGateway } from '../../rules/core/api-gateway-quota';
import { resourcesOf, stackNamed, synthesize, type Synthesized } from '../helpers/cdk';

const CHANGE_DETAILS = [
  { EventSource: 'aws.config', MessageType: 'ConfigurationItemChangeNotification' },
  { EventSource: 'aws.config', MessageType: 'OversizedConfigurationItemChangeNotification' },
];

describe('deploy/single-account-stack', () => {
  let synthesized: Synthesized;
  let stack: SingleAccountStack;
  let template: Template;

  before(function () {
    this.timeout(120_000);
    synthesized = synthesize({
      frequencies: 'ElastiCache.6=Six_Hours',
      ruleParameters: '{"APIGateway.8":{"authorizationType":"JWT"}}',
      logRetentionDays: '90',
    });
    stack = stackNamed(synthesized.deployment, 'AuthnPack', SingleAccountStack);
    template = synthesized.template(stack);
  });

  it('is the only rules stack of a single-account deployment, beside the hook’s own stack', () => {
    expect(synthesized.deployment.stacks.map((s) => s.stackName)).to.deep.equal([
      'AuthnPack',
      'AuthnPackHook',
    ]);
    expect(
      synthesized.deployment.stacks.filter((s) => s instanceof SingleAccountStack).map((s) => s.stackName),
    ).to.deep.equal(['AuthnPack']);
  });

  it('has one function, role, log group, alarm and Config rule per registry rule, and the change recorder’s own', () => {
    for (const type of [
      'AWS::Lambda::Function',
      'AWS::IAM::Role',
      'AWS::Logs::LogGroup',
      'AWS::CloudWatch::Alarm',
    ]) {
      template.resourceCountIs(type, RULES.length + 1);
    }
    template.resourceCountIs('AWS::Config::ConfigRule', RULES.length);
  });

  it('runs every function on nodejs22.x, arm64, logging to its own log group', () => {
    const functions = resourcesOf(template, 'AWS::Lambda::Function');
    for (const fn of Object.values(functions)) {
      expect(fn.Properties).to.deep.include({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
      });
      expect((fn.Properties.LoggingConfig as { LogGroup: unknown }).LogGroup).to.have.property('Ref');
    }
  });

  it('keeps logs for the configured retention, and keeps the groups when the stack goes', () => {
    const groups = resourcesOf(template, 'AWS::Logs::LogGroup');
    for (const group of Object.values(groups)) {
      expect(group.Properties.RetentionInDays).to.equal(90);
      expect(group.DeletionPolicy).to.equal('Retain');
    }
  });

  it('alarms on any error of each function', () => {
    for (const rule of RULES) {
      const fn = stack.functions[rule.ruleName]!.function;
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'Errors',
        Namespace: 'AWS/Lambda',
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        Dimensions: [
          { Name: 'FunctionName', Value: { Ref: stack.getLogicalId(fn.node.defaultChild as never) } },
        ],
      });
    }
  });

  it('has one state table: on-demand, encrypted with the AWS managed key, PITR, TTL on expiresAt, keyed pk/sk', () => {
    const tables = Object.values(resourcesOf(template, 'AWS::DynamoDB::Table'));
    expect(tables).to.have.length(1);
    expect(tables[0]!.Properties).to.deep.include({
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  for (const rule of RULES) {
    describe(`${rule.control} (${rule.ruleName})`, () => {
      const properties = (): Record<string, unknown> => {
        const rules = resourcesOf(template, 'AWS::Config::ConfigRule', {
          Properties: { ConfigRuleName: rule.ruleName },
        });
        expect(Object.keys(rules), 'one rule').to.have.length(1);
        return Object.values(rules)[0]!.Properties;
      };
      const functionRef = (): unknown => ({
        'Fn::GetAtt': [
          stack.getLogicalId(stack.functions[rule.ruleName]!.function.node.defaultChild as never),
          'Arn',
        ],
      });

      it('is a CUSTOM_LAMBDA rule on its own function', () => {
        expect(properties().Source).to.deep.include({
          Owner: 'CUSTOM_LAMBDA',
          SourceIdentifier: functionRef(),
        });
      });

      if (rule.trigger.kind === 'change') {
        it('is triggered by both configuration item messages, scoped to its type', () => {
          expect((properties().Source as Record<string, unknown>).SourceDetails).to.deep.equal(
            CHANGE_DETAILS,
          );
          expect(properties().Scope).to.deep.equal({ ComplianceResourceTypes: [rule.resourceType] });
        });
      } else {
        const defaultFrequency = rule.trigger.defaultFrequency;
        it('is scheduled at the configured (or registry) frequency', () => {
          const expected = rule.control === 'ElastiCache.6' ? 'Six_Hours' : defaultFrequency;
          expect((properties().Source as Record<string, unknown>).SourceDetails).to.deep.equal([
            {
              EventSource: 'aws.config',
              MessageType: 'ScheduledNotification',
              MaximumExecutionFrequency: expected,
            },
          ]);
          expect(properties().MaximumExecutionFrequency).to.equal(expected);
        });
      }

      it('passes the rule parameters as strings, and no execution role (the function uses its own)', () => {
        const input = (properties().InputParameters ?? {}) as Record<string, unknown>;
        expect(input).not.to.have.property('ExecutionRoleName');
        for (const [name, spec] of Object.entries(rule.parameters)) {
          const expected =
            rule.control === 'APIGateway.8' && name === 'authorizationType' ? 'JWT' : spec.defaultText;
          if (expected === '') expect(input).not.to.have.property(name);
          else expect(input[name], name).to.equal(expected);
        }
        for (const value of Object.values(input)) expect(value).to.be.a('string');
      });

      it('lets config.amazonaws.com invoke the function only for this account (aws:SourceAccount)', () => {
        const permissions = resourcesOf(template, 'AWS::Lambda::Permission', {
          Properties: { FunctionName: functionRef() },
        });
        expect(Object.values(permissions)).to.have.length(1);
        expect(Object.values(permissions)[0]!.Properties).to.deep.equal({
          Action: 'lambda:InvokeFunction',
          FunctionName: functionRef(),
          Principal: 'config.amazonaws.com',
          SourceAccount: { Ref: 'AWS::AccountId' },
        });
      });

      const tableRef = (): unknown => ({
        'Fn::GetAtt': [stack.getLogicalId(stack.stateTable.node.defaultChild as never), 'Arn'],
      });
      const roleOf = (): Record<string, unknown> => {
        const fn = resourcesOf(template, 'AWS::Lambda::Function', {
          Properties: { Description: Match.stringLikeRegexp(rule.control.replace('.', '\\.')) },
        });
        const roleId = (Object.values(fn)[0]!.Properties.Role as { 'Fn::GetAtt': string[] })[
          'Fn::GetAtt'
        ][0]!;
        return resourcesOf(template, 'AWS::IAM::Role')[roleId]!.Properties;
      };

      if (rule.trigger.kind === 'periodic') {
        it('may read and write only its own records of the state table, whose name it is given', () => {
          const policies = roleOf().Policies as {
            PolicyName: string;
            PolicyDocument: { Statement: unknown[] };
          }[];
          const state = policies.find((policy) => policy.PolicyName === 'State');
          expect(state?.PolicyDocument.Statement).to.deep.equal([
            {
              Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
              Effect: 'Allow',
              Resource: tableRef(),
              Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${rule.ruleName}#*`] } },
            },
          ]);
          const fn = template.toJSON() as {
            Resources: Record<string, { Properties: Record<string, unknown> }>;
          };
          const own =
            fn.Resources[
              stack.getLogicalId(stack.functions[rule.ruleName]!.function.node.defaultChild as never)
            ];
          expect(own?.Properties.Environment).to.deep.equal({
            Variables: {
              AUTHN_PACK_STATE_TABLE: {
                Ref: stack.getLogicalId(stack.stateTable.node.defaultChild as never),
              },
              // Half the account's 10 requests a second (the default share), split between the two API Gateway sweeps.
              ...(sweepsApiGateway(rule) ? { AUTHN_PACK_APIGATEWAY_REQUESTS_PER_SECOND: '2.5' } : {}),
            },
          });
        });
      } else {
        it('has no access to the state table', () => {
          const policies = roleOf().Policies as { PolicyName: string }[];
          expect(policies.map((policy) => policy.PolicyName)).not.to.include('State');
        });
      }

      it('has its own role, assumable by Lambda only, with no managed policy', () => {
        const fn = resourcesOf(template, 'AWS::Lambda::Function', {
          Properties: { Description: Match.stringLikeRegexp(rule.control.replace('.', '\\.')) },
        });
        const roleId = (Object.values(fn)[0]!.Properties.Role as { 'Fn::GetAtt': string[] })[
          'Fn::GetAtt'
        ][0]!;
        expect(roleId).to.contain(ruleLogicalId(rule));
        const role = resourcesOf(template, 'AWS::IAM::Role')[roleId]!;
        expect(role.Properties).not.to.have.property('ManagedPolicyArns');
        expect((role.Properties.AssumeRolePolicyDocument as { Statement: unknown }).Statement).to.deep.equal([
          { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
        ]);
      });
    });
  }

  it('makes one stack per configured Region', function () {
    this.timeout(60_000);
    const regional = synthesize({ regions: 'eu-west-1,eu-central-1' }, { nag: false });
    expect(regional.deployment.stacks.map((s) => [s.stackName, s.region])).to.deep.equal([
      ['AuthnPack-eu-west-1', 'eu-west-1'],
      ['AuthnPackHook-eu-west-1', 'eu-west-1'],
      ['AuthnPack-eu-central-1', 'eu-central-1'],
      ['AuthnPackHook-eu-central-1', 'eu-central-1'],
    ]);
  });
});
