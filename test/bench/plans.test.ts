/**
 * The plan part of the bench at a small size, so `npm run bench` cannot rot unnoticed: the generated plan is
 * Terraform JSON of exactly the size asked for, every copy its own addresses and secrets, and the check finds every
 * control's resources in it without showing a secret.
 */
import { expect } from 'chai';
import { checkPlan, readYamlText } from '../../cli/check-plan';
import { render } from '../../cli/formats/index';
import { planEstate } from '../../bench/plans';
import { readTerraformJson } from '../../rules/core/terraform';
import { RULES } from '../../rules/index';

describe('bench: the Terraform plan part at a small size', () => {
  it('builds a plan of exactly the size asked for, each resource with its own address and block', () => {
    // Act
    const plan = JSON.parse(planEstate(300)) as {
      resource_changes: { address: string }[];
      configuration: { root_module: { resources: { address: string }[] } };
    };
    // Assess
    const addresses = plan.resource_changes.map((change) => change.address);
    expect(addresses).to.have.length(300);
    expect(new Set(addresses).size).to.equal(300);
    const blocks = new Set(plan.configuration.root_module.resources.map((block) => block.address));
    for (const address of addresses) expect(blocks.has(address.replace(/\[.*$/, '')), address).to.equal(true);
  });

  it('is judged by every control that reads Terraform, and no copied secret reaches the report', () => {
    // Prepare
    const text = planEstate(300);
    // Act
    const view = readTerraformJson(text, 'plan.json', readYamlText);
    if (view === undefined) throw new Error('not read as Terraform JSON');
    const result = checkPlan(view, 'plan.json', {
      now: new Date('2026-12-01T12:00:00Z'),
      exceptionPrefix: 'authn-exception',
      requireExpiry: false,
    });
    // Assess
    const controls = new Set(result.findings.map((finding) => finding.control));
    const readers = RULES.filter((rule) => rule.terraform !== undefined).map((rule) => rule.control);
    expect([...controls].sort()).to.deep.equal([...readers].sort());
    expect(text).to.include('TF-FIXTURE-SECRET');
    const report = render(
      {
        kind: 'template',
        generatedAt: '2026-12-01T12:00:00Z',
        findings: result.findings,
        dangling: [],
        unreadable: [],
      },
      'json',
    );
    expect(report).not.to.include('TF-FIXTURE-SECRET');
  });
});
