import { expect } from 'chai';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { RULES, findRule, ruleFolder } from '../../rules/index';
import { sampleOf } from '../../scripts/sample-estate';

const ROOT = join(__dirname, '..', '..');
const RULES_DIR = join(ROOT, 'rules');

/** Every .ts file under a folder of the repository. */
function sourceFiles(folder: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry.endsWith('.ts')) found.push(path);
    }
  };
  walk(join(ROOT, folder));
  return found;
}

describe('rules/index (the registry)', () => {
  it('registers every folder under rules/ except core, each once', () => {
    // Prepare
    const folders = readdirSync(RULES_DIR).filter(
      (entry) => entry !== 'core' && statSync(join(RULES_DIR, entry)).isDirectory(),
    );
    // Act
    const registered = RULES.map(ruleFolder);
    // Assess
    expect(registered).to.have.members(folders);
    expect(new Set(registered).size).to.equal(registered.length);
    expect(new Set(RULES.map((rule) => rule.control)).size).to.equal(RULES.length);
  });

  it('names no control outside the registry: cli/, deploy/, hook/, scripts/ and rules/core/ loop over RULES', () => {
    // Prepare
    const files = ['cli', 'deploy', 'hook', 'scripts', 'rules/core'].flatMap(sourceFiles);
    const names = RULES.flatMap((rule) => [
      rule.control,
      rule.ruleName,
      ruleFolder(rule),
      rule.resourceType,
      rule.service.sdkPackage,
    ]);
    // Act
    const hits = files.flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return names.filter((name) => text.includes(name)).map((name) => `${relative(ROOT, file)}: ${name}`);
    });
    // Assess
    expect(hits).to.deep.equal([]);
  });

  for (const rule of RULES) {
    describe(`${rule.control} (${rule.ruleName})`, () => {
      const folder = join(RULES_DIR, ruleFolder(rule));

      it('lives in rules/<name without authn->/ with a rule and a Lambda handler', () => {
        // Assess
        expect(rule.ruleName).to.equal(`authn-${ruleFolder(rule)}`);
        expect(existsSync(join(folder, 'rule.ts')), 'rule.ts').to.be.true;
        expect(existsSync(join(folder, 'handler.ts')), 'handler.ts').to.be.true;
      });

      it('keeps facts, decision, sweep and sample in their own files; config-item.ts and template.ts when it has them', () => {
        // Assess
        for (const file of ['facts.ts', 'decision.ts', 'sweep.ts', 'sample.ts'])
          expect(existsSync(join(folder, file)), file).to.be.true;
        expect(existsSync(join(folder, 'config-item.ts')), 'config-item.ts').to.equal(
          rule.fromConfigurationItem !== undefined,
        );
        expect(existsSync(join(folder, 'template.ts')), 'template.ts').to.equal(rule.template !== undefined);
      });

      it('is imported by nothing in its folder but handler.ts', () => {
        // Prepare
        const importers = readdirSync(folder).filter((file) =>
          /from '\.\/rule'/.test(readFileSync(join(folder, file), 'utf8')),
        );
        // Assess
        expect(importers).to.deep.equal(['handler.ts']);
      });

      it('has a sample for the demo: resources to seed and a captured event under samples/events/', async () => {
        // Act
        const sample = await sampleOf(rule);
        // Assess
        expect(existsSync(join(ROOT, 'samples', 'events', sample.event)), sample.event).to.be.true;
      });

      it('depends on the SDK client it declares', () => {
        // Prepare
        const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
          dependencies: Record<string, string>;
        };
        // Assess
        expect(manifest.dependencies).to.have.property(rule.service.sdkPackage);
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

      if (rule.trigger.kind === 'periodic')
        it('offers its sweep in parts (no ceiling), and its handler keeps their progress in the state table', () => {
          // Prepare
          const handler = readFileSync(join(RULES_DIR, ruleFolder(rule), 'handler.ts'), 'utf8');
          // Assess
          expect(typeof rule.resumableSweep, 'resumableSweep').to.equal('function');
          expect(handler).to.match(/\bstateRuntime\(\)/);
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
