/**
 * `authn-pack check-template`: the five decisions over CloudFormation templates (JSON or YAML) and CDK `cdk.out`
 * folders, before anything ships. Resources are named by logical id; a value that cannot be known statically is
 * NON_COMPLIANT with "cannot be verified before deploy".
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describeError } from '../rules/core/errors';
import { expandSam, isSamTemplate } from '../rules/core/sam';
import {
  TemplateError,
  TemplateView,
  parseTemplate,
  type ParsedTemplate,
  type TemplateEvaluation,
} from '../rules/core/template';
import type { TemplateAdapter } from '../rules/core/types';
import { RULES, SAM_EXPANSIONS } from '../rules/index';
import { terraformInput } from './check-plan';
import type { CheckedInput, DanglingTag, Finding, FindingsReport, Unreadable } from './findings';
import { UsageError } from './io';
import {
  judgeEvaluations,
  type InputCheck,
  type TemplateCheckOptions,
  type TemplateInput,
} from './template-findings';

export {
  whereToFix,
  type InputCheck,
  type TemplateCheckOptions,
  type TemplateInput,
} from './template-findings';

const TEMPLATE_FILE = /\.(json|ya?ml|template)$/i;

/** Text that means to be a CloudFormation template: the format version, or a top-level `Resources` key. */
const LOOKS_LIKE_TEMPLATE = /AWSTemplateFormatVersion|(^|[{,])\s*["']?Resources["']?\s*:/m;

/** The template files named by the arguments: files as given, folders searched (a cdk.out: its *.template.json). */
export function templateFiles(paths: readonly string[]): { files: string[]; named: Set<string> } {
  const files: string[] = [];
  const named = new Set<string>();
  const walk = (folder: string, cdkOut: boolean): void => {
    for (const entry of readdirSync(folder).sort()) {
      if (entry === 'node_modules' || entry.startsWith('.')) continue;
      const path = join(folder, entry);
      if (statSync(path).isDirectory()) {
        walk(path, cdkOut || existsSync(join(path, 'manifest.json')));
      } else if (cdkOut ? entry.endsWith('.template.json') : TEMPLATE_FILE.test(entry)) {
        files.push(path);
      }
    }
  };
  for (const path of paths) {
    if (!existsSync(path)) throw new UsageError(`${path}: no such file or folder`);
    if (statSync(path).isDirectory()) {
      walk(path, existsSync(join(path, 'manifest.json')));
    } else {
      files.push(path);
      named.add(path);
    }
  }
  return { files, named };
}

/**
 * A template finding and the property it is about: a CloudFormation property path (`MongoDbSettings.AuthType`,
 * `AdditionalAuthenticationProviders[0].AuthenticationType`), or null when it is about the resource as a whole.
 */
export interface TemplateResult {
  readonly finding: Finding;
  readonly property: string | null;
}

/** Findings for one parsed template. */
export function checkTemplate(
  view: TemplateView,
  file: string,
  options: TemplateCheckOptions,
): { findings: Finding[]; dangling: DanglingTag[] } {
  const { results, dangling } = evaluateTemplate(view, file, options);
  return { findings: results.map(({ finding }) => finding), dangling };
}

/** As `checkTemplate`, with the property each finding is about (where the CDK plugin points). */
export function evaluateTemplate(
  view: TemplateView,
  file: string,
  options: TemplateCheckOptions,
): { results: TemplateResult[]; dangling: DanglingTag[] } {
  const rules = options.rules ?? RULES;
  const results: TemplateResult[] = [];
  const dangling: DanglingTag[] = [];
  for (const rule of rules) {
    const adapter = rule.template;
    if (adapter === undefined) continue;
    const evaluations = view.resources
      .filter((resource) => adapter.resourceTypes.includes(resource.type))
      .flatMap((resource) => adapter.read(resource, view));
    const judged = judgeEvaluations(rule, evaluations, (facts) => adapter.fix(facts), file, options);
    // judgeEvaluations gives one finding per evaluation, in order.
    judged.findings.forEach((finding, index) => {
      const evaluation = evaluations[index];
      results.push({ finding, property: evaluation === undefined ? null : propertyOf(adapter, evaluation) });
    });
    for (const tag of judged.dangling) dangling.push(tag);
  }
  return { results, dangling };
}

/** The property a finding is about: the evaluation's own, the unknown one, the adapter's hook, else its default. */
function propertyOf<Facts>(
  adapter: TemplateAdapter<Facts>,
  evaluation: TemplateEvaluation<Facts>,
): string | null {
  if (evaluation.property !== undefined) return evaluation.property;
  if (!('facts' in evaluation)) return evaluation.unverifiable.property ?? adapter.property;
  const located = adapter.location?.(evaluation.facts);
  return located === undefined ? adapter.property : located;
}

/** `--s3-file s3://bucket/key=path` pairs; a file that does not exist is a usage error, before anything is read. */
export function parseS3Files(pairs: readonly string[]): Record<string, string> {
  const files: Record<string, string> = {};
  for (const pair of pairs) {
    const match = /^(s3:\/\/[^/=]+\/[^=]+)=(.+)$/.exec(pair);
    if (match?.[1] === undefined || match[2] === undefined) {
      throw new UsageError(`--s3-file takes s3://bucket/key=path/to/file; got "${pair}"`);
    }
    if (!existsSync(match[2])) throw new UsageError(`--s3-file ${match[1]}: ${match[2]}: no such file`);
    files[match[1]] = match[2];
  }
  return files;
}

/**
 * The view every template check decides on (check-template, the CDK plugin): a SAM template as the SAM transform
 * leaves its front doors, S3 objects read from the local files given for them.
 */
export function templateView(
  parsed: ParsedTemplate,
  s3Files: Readonly<Record<string, string>> = {},
): TemplateView {
  return new TemplateView(expandSam(parsed, SAM_EXPANSIONS), (uri) => {
    const path = s3Files[uri];
    if (path === undefined) return undefined;
    try {
      return { path, text: readFileSync(path, 'utf8') };
    } catch (error) {
      throw new TemplateError(`${path} (given for ${uri}) cannot be read: ${describeError(error)}`);
    }
  });
}

/** CloudFormation templates (JSON or YAML), CDK's *.template.json and SAM templates among them. */
export const cloudFormationInput: TemplateInput = {
  claims: () => true,
  check: (text, file, options) => {
    const parsed = parseTemplate(text, file);
    const view = templateView(parsed, options.s3Files);
    const rules = options.rules ?? RULES;
    const types = new Set(rules.flatMap((rule) => rule.template?.resourceTypes ?? []));
    return {
      ...checkTemplate(view, file, options),
      format: isSamTemplate(parsed) ? 'SAM' : 'CloudFormation',
      resources: view.resources.length,
      inScope: view.resources.filter((resource) => types.has(resource.type)).length,
    };
  },
};

export const INPUTS: readonly TemplateInput[] = [terraformInput, cloudFormationInput];

/** Checks every template the paths name. An unreadable template is reported, never skipped. */
export function checkTemplates(paths: readonly string[], options: TemplateCheckOptions): FindingsReport {
  const { files, named } = templateFiles(paths);
  const findings: Finding[] = [];
  const dangling: DanglingTag[] = [];
  const unreadable: Unreadable[] = [];
  const inputs: CheckedInput[] = [];
  const skipped: string[] = [];
  for (const path of files) {
    const file = relative(options.relativeTo ?? process.cwd(), path) || path;
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      unreadable.push({ scope: file, error: describeError(error) });
      continue;
    }
    const input = INPUTS.find((candidate) => candidate.claims(text, path)) ?? cloudFormationInput;
    let result: InputCheck;
    try {
      result = input.check(text, file, options);
    } catch (error) {
      // Anything but an unreadable file (a bad --parameter) is the command's error, not this file's.
      if (!(error instanceof TemplateError)) throw error;
      // A file found in a folder that is not a template (package.json, a tsconfig.json with comments, a multi-document
      // Kubernetes manifest) is not ours to judge; one that reads like a template but does not parse is reported.
      if (
        !named.has(path) &&
        (/not a CloudFormation template/.test(error.message) || !LOOKS_LIKE_TEMPLATE.test(text))
      ) {
        skipped.push(file);
        continue;
      }
      unreadable.push({ scope: file, error: describeError(error) });
      continue;
    }
    // One at a time: spreading a 100,000-finding file into push() passes as many arguments, past V8's limit.
    for (const finding of result.findings) findings.push(finding);
    for (const tag of result.dangling) dangling.push(tag);
    inputs.push({ file, format: result.format, resources: result.resources, inScope: result.inScope });
  }
  return {
    kind: 'template',
    generatedAt: options.now.toISOString(),
    findings,
    dangling,
    unreadable,
    inputs,
    skipped,
  };
}

/**
 * What a gate must not pass in silence, as lines for stderr: files no control found anything in, files in the
 * folders that are no template, and nothing checked at all (a gate wired to the wrong path).
 */
export function inputNotes(report: FindingsReport, controls: number = RULES.length): string[] {
  const notes: string[] = [];
  const inputs = report.inputs ?? [];
  for (const input of inputs) {
    if (input.inScope === 0) {
      notes.push(
        `${input.file}: no resources of the ${controls} controls found (${input.format}, ${input.resources} resource${input.resources === 1 ? '' : 's'}); nothing in it was judged.`,
      );
    }
  }
  const skipped = report.skipped ?? [];
  if (skipped.length > 0) {
    const shown = skipped.slice(0, 5).join(', ');
    notes.push(
      `${skipped.length} file${skipped.length === 1 ? ' is' : 's are'} no template and ${skipped.length === 1 ? 'was' : 'were'} skipped: ${shown}${skipped.length > 5 ? ', …' : ''}.`,
    );
  }
  if (inputs.length === 0 && report.unreadable.length === 0) {
    notes.push('no template was found, so nothing was judged: check the paths the gate is given.');
  }
  return notes;
}
