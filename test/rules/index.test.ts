import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RULES, findRule, ruleFolder } from '../../rules/index';

const CONTROLS = [
  'APIGateway.8',
  'AppSync.5',
  'MSK.6',
  'ElastiCache.6',
  'DMS.11',
  'Neptune.7',
  'AUTHN-LAMBDA-URL',
  'AUTHN-APIGW-REST',
  'AUTHN-APPSYNC-EVENTS',
];

describe('rules/index (the registry)', () => {
  it('lists every control once', () => {
    // Act
    const controls = RULES.map((rule) => rule.control);
    // Assess
    expect(controls).to.have.members(CONTROLS);
    expect(new Set(controls).size).to.equal(controls.length);
  });

  for (const rule of RULES) {
    describe(`${rule.control} (${rule.ruleName})`, () => {
      it('lives in rules/<name without authn->/ with a rule and a Lambda handler', () => {
        // Prepare
        const folder = join(__dirname, '..', '..', 'rules', ruleFolder(rule));
        // Assess
        expect(rule.ruleName).to.equal(`authn-${ruleFolder(rule)}`);
        expect(existsSync(join(folder, 'rule.ts')), 'rule.ts').to.be.true;
        expect(existsSync(join(folder, 'handler.ts')), 'handler.ts').to.be.true;
      });

      it('is change-triggered exactly when it can read configuration items', () => {
        expect(rule.trigger.kind === 'change').to.equal(rule.fromConfigurationItem !== undefined);
      });

      if (rule.trigger.kind === 'periodic')
        it('takes ReportUnchanged and RefreshAfterDays (default 30) like every periodic rule', () => {
          // Assess
          expect(rule.parameters).to.include.keys('ReportUnchanged', 'RefreshAfterDays');
          expect(rule.parameters.RefreshAfterDays?.defaultText).to.equal('30');
        });

      it('is found by control id, rule name and folder name', () => {
        expect(findRule(rule.control)).to.equal(rule);
        expect(findRule(rule.ruleName)).to.equal(rule);
        expect(findRule(ruleFolder(rule).toUpperCase())).to.equal(rule);
      });
    });
  }

  it('finds nothing for an unknown name', () => {
    expect(findRule('S3.1')).to.be.undefined;
  });
});
