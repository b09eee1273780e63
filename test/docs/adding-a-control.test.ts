/**
 * README's "Adding a control" and docs/architecture.md's "How to add a control" list the same files, word for word,
 * and the list is true: every registered control has each file it names (the ones its trigger and adapters need).
 */
import { expect } from 'chai';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { AnyRule } from '../../rules/core/types';
import { RULES, ruleFolder } from '../../rules/index';
import { sampleOf } from '../../scripts/sample-estate';

const ROOT = join(__dirname, '..', '..');
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
  // Not per control: one file (iam.ts, the pack) or a folder of queries named by what they answer.
  return !['deploy/iam.ts', 'queries/'].includes(path);
}

describe('adding a control (README and docs/architecture.md)', () => {
  it('README and docs/architecture.md list the same steps, word for word', () => {
    // Assess
    expect(README_STEPS.length).to.be.greaterThan(10);
    expect(README_STEPS).to.deep.equal(ARCHITECTURE_STEPS);
  });

  it('names each file once, starting with the folder', () => {
    // Act
    const paths = README_STEPS.map(pathOf);
    // Assess
    expect(new Set(paths).size).to.equal(paths.length);
    const inFolders = new Set(
      RULES.flatMap((rule) => readdirSync(join(ROOT, 'rules', ruleFolder(rule)))).map(
        (file) => `rules/<name>/${file}`,
      ),
    );
    expect(paths.filter((path) => path.startsWith('rules/<name>/'))).to.have.members([...inFolders]);
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
