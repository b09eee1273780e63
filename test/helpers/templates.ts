/** Template snippets through the real check-template path (adapter, decision, exceptions), for table-driven tests. */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkTemplate, evaluateTemplate, templateView, type TemplateResult } from '../../cli/check-template';
import type { DanglingTag, Finding } from '../../cli/findings';
import { CORE_CODES } from '../../rules/core/codes';
import { DEFAULT_EXCEPTION_PREFIX } from '../../rules/core/exceptions';
import { parseTemplate } from '../../rules/core/template';
import type { AnyRule, Compliance } from '../../rules/core/types';

export const TEMPLATE_FILE = 'stack.yaml';
export const CHECKED_AT = new Date('2026-10-04T12:00:00Z');

export interface SnippetOptions {
  readonly parameters?: Readonly<Record<string, string>>;
  readonly requireExpiry?: boolean;
  readonly s3Files?: Readonly<Record<string, string>>;
}

/** The findings and dangling tags of one rule over a YAML (or JSON) template. */
export function checkSnippet(
  rule: AnyRule,
  text: string,
  options: SnippetOptions = {},
): { findings: Finding[]; dangling: DanglingTag[] } {
  return checkTemplate(templateView(parseTemplate(text, TEMPLATE_FILE), options.s3Files), TEMPLATE_FILE, {
    rules: [rule],
    now: CHECKED_AT,
    exceptionPrefix: DEFAULT_EXCEPTION_PREFIX,
    requireExpiry: options.requireExpiry ?? false,
    ...(options.parameters === undefined ? {} : { parameters: options.parameters }),
  });
}

/** One row of a template table: a snippet and what the check must say about one of its resources. */
export interface TemplateRow {
  readonly title: string;
  readonly template: string;
  /** The finding's resourceId (a logical id, or `<Api>/$default` for a quick-create route). */
  readonly resourceId: string;
  readonly compliance: Compliance;
  /** The finding's reason code, when the row names it. */
  readonly code?: string;
  readonly annotation: RegExp;
  readonly options?: SnippetOptions;
  /** Other expectations on the finding. */
  readonly also?: (finding: Finding) => void;
}

export function templateTable(rule: AnyRule, rows: readonly TemplateRow[]): void {
  for (const row of rows) {
    it(row.title, () => {
      // Act
      const { findings } = checkSnippet(rule, row.template, row.options);
      // Assess
      const finding = findings.find((candidate) => candidate.resourceId === row.resourceId);
      expect(
        finding,
        `no finding for ${row.resourceId} in ${JSON.stringify(findings.map((f) => f.resourceId))}`,
      ).to.not.equal(undefined);
      expect(finding?.compliance, finding?.annotation).to.equal(row.compliance);
      expect(finding?.annotation).to.match(row.annotation);
      if (row.code !== undefined) expect(finding?.code).to.equal(row.code);
      expect(finding?.control).to.equal(rule.control);
      // The reason code is one the rule declares, or core's for a value known only at deploy.
      expect([...rule.codes, CORE_CODES.templateUnverifiable, CORE_CODES.exceptionTagInvalid]).to.include(
        finding?.code,
      );
      if (
        finding !== undefined &&
        finding.annotation.startsWith(`${finding.resourceName} cannot be verified`)
      )
        expect(finding.code).to.equal(CORE_CODES.templateUnverifiable);
      if (finding !== undefined) row.also?.(finding);
    });
  }
}

/** "cannot be verified before deploy", as every unverifiable finding says. */
export const UNVERIFIABLE = /cannot be verified before deploy/;

const SAM_FIXTURES = join(__dirname, '..', 'fixtures', 'sam');

/**
 * A SAM template of test/fixtures/sam through check-template for one rule: each finding by resource id with the
 * property it points at (`edit` changes the text first), and the 1-based line of a nested key (`lineOf('OpenChat:', 'Auth:')`: the first `Auth:`
 * after `OpenChat:`).
 */
export function samFixture(
  rule: AnyRule,
  name: string,
  edit: (text: string) => string = (text) => text,
): { result(resourceId: string): TemplateResult; lineOf(...keys: readonly string[]): number } {
  const text = edit(readFileSync(join(SAM_FIXTURES, name), 'utf8'));
  const { results } = evaluateTemplate(templateView(parseTemplate(text, name)), name, {
    rules: [rule],
    now: CHECKED_AT,
    exceptionPrefix: DEFAULT_EXCEPTION_PREFIX,
    requireExpiry: false,
  });
  const lines = text.split('\n').map((line) => line.trim());
  return {
    result: (resourceId) => {
      const found = results.find((candidate) => candidate.finding.resourceId === resourceId);
      if (found === undefined)
        throw new Error(
          `${name}: no finding for ${resourceId} in ${results.map((r) => r.finding.resourceId).join(', ')}`,
        );
      return found;
    },
    lineOf: (...keys) => {
      let index = -1;
      for (const key of keys) {
        index = lines.findIndex((line, at) => at > index && line === key);
        if (index === -1) throw new Error(`${name}: no line ${keys.join(' … ')}`);
      }
      return index + 1;
    },
  };
}
