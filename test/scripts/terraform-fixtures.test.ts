/**
 * The Terraform fixtures are what Terraform really writes: where the Terraform CLI and the hashicorp/aws provider
 * mirror are present, every case is planned again, offline, and compared with the checked-in JSON. Elsewhere this
 * says it skipped and how to install them; nothing else in the suite needs Terraform.
 */
import { expect } from 'chai';
import {
  checkedIn,
  findTerraform,
  fixtureCases,
  generateCase,
  stableView,
} from '../../scripts/terraform-fixtures';

const setup = findTerraform();

describe('scripts/terraform-fixtures', () => {
  it('compares on what does not change between runs: timestamps and version strings are left out', () => {
    // Prepare
    const first = JSON.stringify({
      format_version: '1.2',
      terraform_version: '1.11.4',
      timestamp: '2026-12-01T21:58:20Z',
      resource_changes: [{ address: 'aws_x.y' }],
      prior_state: { format_version: '1.0', terraform_version: '1.11.4', values: {} },
    });
    const second = JSON.stringify({
      format_version: '1.3',
      terraform_version: '1.12.0',
      timestamp: '2026-12-02T08:00:00Z',
      resource_changes: [{ address: 'aws_x.y' }],
      prior_state: { format_version: '1.0', terraform_version: '1.12.0', values: {} },
    });
    const changed = JSON.stringify({ format_version: '1.2', resource_changes: [{ address: 'aws_x.z' }] });
    // Act
    const views = [first, second, changed].map((text) => JSON.stringify(stableView(text)));
    // Assess
    expect(views[0]).to.equal(views[1]);
    expect(views[0]).not.to.equal(views[2]);
  });

  it('every case has its checked-in plan.json', () => {
    // Act
    const cases = fixtureCases();
    // Assess
    expect(cases).to.include.members(['routes', 'data-services', 'lifecycle', 'front-doors']);
    for (const name of cases) expect(Object.keys(checkedIn(name)), name).to.include('plan.json');
  });

  if ('missing' in setup) {
    it.skip(
      `regenerates every case with Terraform and matches the checked-in JSON — skipped: ${setup.missing}`,
    );
  } else {
    describe(`with Terraform ${setup.version} and the provider mirror in ${setup.mirror}${setup.isolate.length > 0 ? ', without network (unshare)' : ', every proxy closed'}`, function () {
      // Init, plan and show load the provider (a 675 MB binary) three times: about 10 s a case here.
      this.timeout(240_000);
      for (const name of fixtureCases()) {
        it(`${name}: terraform plan + show -json give the checked-in JSON`, () => {
          // Prepare
          const current = checkedIn(name);
          // Act
          const generated = generateCase(name, setup);
          // Assess
          expect(Object.keys(generated).sort()).to.deep.equal(Object.keys(current).sort());
          for (const [file, text] of Object.entries(generated)) {
            expect(
              stableView(text),
              `${name}/${file} differs: run npm run fixtures:terraform and review the diff`,
            ).to.deep.equal(stableView(current[file] ?? 'null'));
          }
        });
      }
    });
  }
});
