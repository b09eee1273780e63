import { expect } from 'chai';
import { Validations, type Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ORGANIZATION_CONTEXT, synthesize, type Synthesized } from '../helpers/cdk';

/** Every acknowledgement recorded in a stack's construct tree, with its reason. */
function acknowledgements(stack: Stack): { path: string; id: string; reason: string }[] {
  return stack.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id,
          reason,
        })),
      ),
  );
}

describe('deploy/nag (cdk-nag AwsSolutions)', () => {
  const deployments: [string, () => Synthesized][] = [];
  let single: Synthesized;
  let organization: Synthesized;

  before(function () {
    this.timeout(120_000);
    single = synthesize();
    organization = synthesize(ORGANIZATION_CONTEXT);
  });
  deployments.push(['single account', () => single], ['organization', () => organization]);

  for (const [label, synthesized] of deployments) {
    describe(label, () => {
      it('every stack passes AwsSolutions, or each finding is acknowledged', () => {
        for (const stack of synthesized().deployment.stacks) {
          const report = new AwsSolutionsChecks().validateScope(stack);
          const open = report.violations.map(
            (v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
          );
          expect(open, stack.stackName).to.deep.equal([]);
          expect(report.success, stack.stackName).to.equal(true);
        }
      });

      it('every acknowledgement is a specific AwsSolutions finding with a written reason', () => {
        const all = synthesized().deployment.stacks.flatMap(acknowledgements);
        expect(all.length, 'acknowledgements found').to.be.above(0);
        for (const stack of synthesized().deployment.stacks) {
          for (const { path, id, reason } of acknowledgements(stack)) {
            expect(id, path).to.match(/AwsSolutions-(IAM5\[Resource::.*\*.*\]|L1)$/);
            expect(reason.length, `${path} ${id}`).to.be.above(40);
          }
        }
      });
    });
  }

  it('still reports what it should: an unacknowledged wildcard would fail', async () => {
    const { App, Stack } = await import('aws-cdk-lib');
    const { PolicyStatement, Role, ServicePrincipal } = await import('aws-cdk-lib/aws-iam');
    const stack = new Stack(new App(), 'Probe');
    const role = new Role(stack, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(new PolicyStatement({ actions: ['config:PutEvaluations'], resources: ['*'] }));
    expect(new AwsSolutionsChecks().validateScope(stack).success).to.equal(false);
  });
});
