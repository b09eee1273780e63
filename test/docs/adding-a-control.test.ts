/**
 * README's "Adding a control" and docs/architecture.md's "How to add a control" list the same files, word for word,
 * and the list is true: every registered control has each file it names (the ones its trigger and adapters need).
 */
import { expect } from 'chai';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { AnyRule } from '../../rules/core/types';
import { RULES, ruleFolder } from '../../rules/index';
import { sampleOf } from '../../scripts/sample-estate';

const ROOT = join(__dirname, '..', '..');
const SOURCE_FOLDERS = ['rules', 'cli', 'deploy', 'scripts', 'hook', 'bench', 'test'];

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
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

/** The text under a `## heading`, up to the next one. */
function section(text: string, heading: string): string {
  const start = text.indexOf(`\n## ${heading}\n`);
  if (start === -1) return '';
  const end = text.indexOf('\n## ', start + 4);
  return (end === -1 ? text.slice(start) : text.slice(start, end)).trim();
}

/** The numbered steps of a section, each joined onto one line. */
function steps(text: string): string[] {
  const found: string[] = [];
  for (const line of text.split('\n')) {
    if (/^\d+\. /.test(line)) found.push(line);
    else if (/^ {2,}\S/.test(line) && found.length > 0) found.push(`${found.pop() ?? ''} ${line.trim()}`);
  }
  return found;
}

const README_STEPS = steps(section(read('README.md'), 'Adding a control'));
const ARCHITECTURE_STEPS = steps(section(read('docs/architecture.md'), 'How to add a control'));

/** The path a step names: its first code span. */
const pathOf = (step: string): string => /`([^`]+)`/.exec(step)?.[1] ?? '';

/** Whether a control needs what a step names (a change-triggered rule reads configuration items, …). */
function needs(rule: AnyRule, path: string): boolean {
  if (path.endsWith('/config-item.ts') || path.startsWith('test/fixtures/'))
    return rule.trigger.kind === 'change';
  if (path.endsWith('/template.ts')) return rule.template !== undefined;
  if (path.endsWith('/hook.ts')) return rule.hook !== undefined;
  if (path.endsWith('/changeEvents.ts')) return rule.changes !== undefined;
  // Not per control: one file (iam.ts, the pack) or a folder of queries named by what they answer.
  return !['deploy/iam.ts', 'queries/'].includes(path);
}

describe('adding a control (README and docs/architecture.md)', () => {
  it('README and docs/architecture.md list the same steps, word for word', () => {
    // Assess
    expect(README_STEPS.length).to.be.greaterThan(10);
    expect(README_STEPS).to.deep.equal(ARCHITECTURE_STEPS);
  });

  it('names each file once, starting with the folder; any other file of a folder is a helper only the folder imports', () => {
    // Prepare
    const paths = README_STEPS.map(pathOf);
    const named = new Set(
      paths.filter((path) => path.startsWith('rules/<name>/')).map((path) => path.slice(13)),
    );
    // Act
    const inFolders = new Set(RULES.flatMap((rule) => readdirSync(join(ROOT, 'rules', ruleFolder(rule)))));
    const helpers = RULES.flatMap((rule) =>
      readdirSync(join(ROOT, 'rules', ruleFolder(rule)))
        .filter((file) => !named.has(file))
        .map((file) => ({ folder: ruleFolder(rule), module: file.replace(/\.ts$/, '') })),
    );
    const importedFromOutside = helpers.filter(({ folder, module }) =>
      SOURCE_FOLDERS.flatMap(sourceFiles)
        // The folder itself and its tests (test/rules/<name>/) may import its helpers.
        .filter(
          (file) =>
            !file.startsWith(join(ROOT, 'rules', folder) + sep) &&
            !file.startsWith(join(ROOT, 'test', 'rules', folder) + sep),
        )
        .some((file) => readFileSync(file, 'utf8').includes(`${folder}/${module}'`)),
    );
    // Assess
    expect(new Set(paths).size).to.equal(paths.length);
    expect(paths[0]).to.match(/^rules\/<name>\//);
    for (const file of named) expect(inFolders, `some control has ${file}`).to.include(file);
    expect(importedFromOutside).to.deep.equal([]);
  });

  it('says how many files outside its folder a control touches, and which it always touches', () => {
    // Prepare
    const outside = README_STEPS.map(pathOf).filter((path) => !path.startsWith('rules/<name>/'));
    const first = README_STEPS.findIndex((step) => !pathOf(step).startsWith('rules/<name>/')) + 1;
    // Act
    const text = section(read('README.md'), 'Adding a control').replace(/\s+/g, ' ');
    // Assess
    expect(text).to.include(
      `Outside its folder a new control touches at most ${outside.length} files (steps ${first} to ${README_STEPS.length})`,
    );
  });

  for (const rule of RULES) {
    it(`is true of ${rule.control}: every file it names exists`, async () => {
      // Prepare
      const sample = await sampleOf(rule);
      const missing: string[] = [];
      // Act
      for (const step of README_STEPS) {
        const path = pathOf(step)
          .replaceAll('<name>', ruleFolder(rule))
          .replaceAll('<Control>', rule.control)
          .replaceAll('<event>', sample.event.replace(/\.json$/, ''));
        if (!needs(rule, pathOf(step))) continue;
        const full = join(ROOT, path);
        const there = existsSync(full) && (!statSync(full).isDirectory() || readdirSync(full).length > 0);
        if (!there) missing.push(path);
      }
      // Assess
      expect(missing).to.deep.equal([]);
      expect(read('docs/behaviour.md')).to.include(`## ${rule.control} — ${rule.title}`);
      expect(read('docs/guardrails.md')).to.match(
        new RegExp(`^## ${rule.control.replace('.', '\\.')}\\b`, 'm'),
      );
      expect(read('rules/index.ts')).to.include(`./${ruleFolder(rule)}/rule'`);
    });
  }
});
