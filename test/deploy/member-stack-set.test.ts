import { expect } from 'chai';
import { CfnWaitConditionHandle } from 'aws-cdk-lib/aws-cloudformation';
import { memberTemplate } from '../../deploy/member-stack-set';
import { ORGANIZATION_CONTEXT, resourcesOf, synthesize, type Synthesized } from '../helpers/cdk';

const MEMBER_STACK_SETS = ['AuthnPackMemberRoles', 'AuthnPackMemberHooks', 'AuthnPackMemberChangeEvents'];

describe('deploy/member-stack-set (what every member-account StackSet shares)', () => {
  let synthesized: Synthesized;

  before(function () {
    this.timeout(120_000);
    synthesized = synthesize(ORGANIZATION_CONTEXT);
  });

  for (const stackName of MEMBER_STACK_SETS) {
    it(`${stackName}: one service-managed StackSet, deployed as accounts join and removed as they leave`, () => {
      // Prepare
      const template = synthesized.template(stackName);

      // Act
      const stackSets = Object.values(resourcesOf(template, 'AWS::CloudFormation::StackSet'));

      // Assess
      expect(stackSets).to.have.length(1);
      expect(stackSets[0]!.Properties).to.deep.include({
        PermissionModel: 'SERVICE_MANAGED',
        AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
        CallAs: 'DELEGATED_ADMIN',
        ManagedExecution: { Active: true },
        OperationPreferences: {
          FailureTolerancePercentage: 10,
          MaxConcurrentPercentage: 25,
          RegionConcurrencyType: 'PARALLEL',
        },
      });
      expect(stackSets[0]!.Properties.StackInstancesGroup).to.have.deep.nested.property(
        '[0].DeploymentTargets',
        { OrganizationalUnitIds: ['r-a1b2'] },
      );
    });
  }

  it('memberTemplate: what the build adds, with the description, and no bootstrap parameter or rule', () => {
    // Prepare
    const build = (stack: Parameters<Parameters<typeof memberTemplate>[2]>[0]): void => {
      new CfnWaitConditionHandle(stack, 'Marker');
    };

    // Act
    const template = memberTemplate('MemberProbe', 'authn-pack: probe', build);

    // Assess
    expect(template).to.deep.equal({
      Description: 'authn-pack: probe',
      Resources: { Marker: { Type: 'AWS::CloudFormation::WaitConditionHandle' } },
    });
  });
});
