import { expect } from 'chai';
import sinon from 'sinon';
import { App } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildDeployment } from '../../deploy/stacks';
import { ORGANIZATION_CONTEXT, cfnLint, synthesize, type Synthesized } from '../helpers/cdk';

describe('deploy/stacks (the whole app, as `cdk synth` builds it)', () => {
  const cases: [string, Record<string, string>, string[]][] = [
    ['single account', {}, ['AuthnPack', 'AuthnPackHook']],
    [
      'single account, two Regions',
      { regions: 'eu-west-1,us-east-1' },
      ['AuthnPack-eu-west-1', 'AuthnPackHook-eu-west-1', 'AuthnPack-us-east-1', 'AuthnPackHook-us-east-1'],
    ],
    [
      'organization',
      ORGANIZATION_CONTEXT,
      [
        'AuthnPackOrganization-eu-west-1',
        'AuthnPackOrganization-us-east-1',
        'AuthnPackHookFunction-eu-west-1',
        'AuthnPackHookFunction-us-east-1',
        'AuthnPackMemberRoles',
        'AuthnPackMemberHooks',
        'AuthnPackMemberChangeEvents',
        'AuthnPackManagementAccountRole',
        'AuthnPackManagementAccountChangeEvents-eu-west-1',
        'AuthnPackManagementAccountChangeEvents-us-east-1',
      ],
    ],
  ];

  for (const [label, context, stackNames] of cases) {
    describe(label, () => {
      let synthesized: Synthesized;

      before(function () {
        this.timeout(120_000);
        // With the AwsSolutions plugin on, as in the app: an unacknowledged finding would make synth throw.
        synthesized = synthesize(context);
      });

      it(`makes the stacks ${stackNames.join(', ')}`, () => {
        expect(synthesized.deployment.stacks.map((stack) => stack.stackName)).to.deep.equal(stackNames);
      });

      it('synthesizes with cdk-nag AwsSolutions on and clean (the validation report has no failure)', () => {
        const files = readdirSync(synthesized.outdir);
        expect(files).to.include.members(stackNames.map((name) => `${name}.template.json`));
        const report = JSON.parse(
          readFileSync(join(synthesized.outdir, 'validation-report.json'), 'utf8'),
        ) as {
          pluginReports: { conclusion: string }[];
        };
        expect(report.pluginReports.filter((plugin) => plugin.conclusion !== 'success')).to.deep.equal([]);
      });

      it('every synthesized template passes cfn-lint', async function () {
        this.timeout(120_000);
        const templates = stackNames.map((name) => join(synthesized.outdir, `${name}.template.json`));
        const result = await cfnLint(templates);
        expect(result.code, result.output).to.equal(0);
      });
    });
  }

  it('fails the synth on an unacknowledged AwsSolutions finding (the gate is on)', function () {
    this.timeout(60_000);
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const [stack] = buildDeployment(app).stacks;
    new Role(stack!, 'Careless', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') }).addToPolicy(
      new PolicyStatement({ actions: ['config:PutEvaluations'], resources: ['*'] }),
    );
    const quiet = sinon.stub(console, 'error'); // the report CDK prints is the expected outcome here
    try {
      expect(() => app.synth()).to.throw(/Validation failed/);
    } finally {
      quiet.restore();
    }
  });
});
