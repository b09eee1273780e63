/**
 * `authn-pack check-template`: the five decisions over CloudFormation templates (JSON or YAML) and CDK `cdk.out`
 * folders, before anything ships. Resources are named by logical id; a value that cannot be known statically is
 * NON_COMPLIANT with "cannot be verified before deploy".
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { applyException, findException, todayUtc, type ExceptionSettings } from '../rules/core/exceptions';
import { judge } from '../rules/core/decide';
import { describeError } from '../rules/core/errors';
import { expandSam, isSamTemplate } from '../rules/core/sam';
import {
  TemplateError,
  TemplateView,
  parseTemplate,
  type ParsedTemplate,
  type TemplateEvaluation,
} from '../rules/core/template';
import { ruleParameterValues } from '../rules/core/parameters';
import type { AnyRule } from '../rules/core/types';
import { RULES } from '../rules/index';
import {
  findingException,
  type CheckedInput,
  type DanglingTag,
  type Finding,
  type FindingsReport,
  type Unreadable,
} from './findings';
import { UsageError } from './io';
import { danglingTags } from './scan';

export interface TemplateCheckOptions {
  readonly rules?: readonly AnyRule[];
  readonly now: Date;
  readonly exceptionPrefix: string;
  readonly requireExpiry: boolean;
  readonly parameters?: Readonly<Record<string, string>>;
  /** Paths in findings are relative to this folder (default: the working directory). */
  readonly relativeTo?: string;
  /** Local files standing for S3 objects a template names (`s3://bucket/key` → path), as `--s3-file` gives them. */
  readonly s3Files?: Readonly<Record<string, string>>;
}

const TEMPLATE_FILE = /\.(json|ya?ml|template)$/i;

/** The property an unverifiable reason is about ("AuthorizationType is not known before deploy (…)"). */
const UNKNOWN_PROPERTY = /^([A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*|\[\d+\])*) is /;

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

/** Findings for one parsed template. */
export function checkTemplate(
  view: TemplateView,
  file: string,
  options: TemplateCheckOptions,
): { findings: Finding[]; dangling: DanglingTag[] } {
  const rules = options.rules ?? RULES;
  const exceptions: ExceptionSettings = {
    prefix: options.exceptionPrefix,
    requiresExpiry: options.requireExpiry,
    today: todayUtc(options.now),
  };
  const findings: Finding[] = [];
  const dangling: DanglingTag[] = [];
  for (const rule of rules) {
    const adapter = rule.template;
    if (adapter === undefined) continue;
    const params = ruleParameterValues(rule.parameters, options.parameters ?? {});
    const holders = new Map<
      string,
      { tags: Readonly<Record<string, string>>; qualifiers: Set<string>; name: string }
    >();
    for (const resource of view.resources.filter((r) => adapter.resourceTypes.includes(r.type))) {
      for (const evaluation of adapter.read(resource, view)) {
        findings.push(toFinding(rule, evaluation, params, exceptions, file));
        const holderId = evaluation.holder ?? evaluation.logicalId;
        const holder = holders.get(holderId) ?? {
          tags: evaluation.tags,
          qualifiers: new Set<string>(),
          name: holderId,
        };
        for (const qualifier of qualifiersOf(rule, evaluation) ?? []) holder.qualifiers.add(qualifier);
        holders.set(holderId, holder);
      }
    }
    for (const [holderId, holder] of holders) {
      const known = rule.exceptionQualifiers === undefined ? undefined : holder.qualifiers;
      for (const tag of danglingTags(
        rule,
        { resourceId: holderId, resourceName: holder.name },
        holder.tags,
        known,
        exceptions.prefix,
      )) {
        dangling.push({ ...tag, file });
      }
    }
  }
  return { findings, dangling };
}

function qualifiersOf(rule: AnyRule, evaluation: TemplateEvaluation<unknown>): readonly string[] | undefined {
  if (rule.exceptionQualifiers === undefined) return undefined;
  return 'facts' in evaluation ? rule.exceptionQualifiers(evaluation.facts) : (evaluation.qualifiers ?? []);
}

function toFinding(
  rule: AnyRule,
  evaluation: TemplateEvaluation<unknown>,
  params: Record<string, unknown>,
  exceptions: ExceptionSettings,
  file: string,
): Finding {
  const base = {
    control: rule.control,
    ruleName: rule.ruleName,
    resourceType: rule.resourceType,
    resourceId: evaluation.resourceId,
    resourceName: evaluation.resourceName,
    file,
    logicalId: evaluation.logicalId,
    ...(evaluation.line === undefined ? {} : { line: evaluation.line }),
  };
  if (!('facts' in evaluation)) {
    // Fail closed: what is decided only at deploy time cannot pass a pre-deploy gate, unless documented.
    const lookup = findException(evaluation.tags, rule.control, qualifiersOf(rule, evaluation), exceptions);
    const property = UNKNOWN_PROPERTY.exec(evaluation.unverifiable)?.[1] ?? 'the value';
    const fix =
      evaluation.fix ??
      `make ${property} a literal (or a parameter with a Default) so the check can see it, or document an exception tag`;
    const nextStep =
      evaluation.fix === undefined
        ? 'Use a literal or a parameter with a Default.'
        : `${evaluation.fix.charAt(0).toUpperCase()}${evaluation.fix.slice(1)}.`;
    const verdict = applyException(
      {
        compliance: 'NON_COMPLIANT',
        annotation: `${evaluation.resourceName} cannot be verified before deploy: ${evaluation.unverifiable}. ${nextStep}`,
      },
      lookup,
      rule.wideExceptionLabel,
    );
    return {
      ...base,
      compliance: verdict.compliance,
      annotation: verdict.annotation,
      exception: findingException(lookup.kind === 'valid' ? lookup : undefined),
      remediation:
        verdict.compliance === 'NON_COMPLIANT' ? `${whereToFix(evaluation.logicalId, file)}${fix}` : null,
      internetFacing: false,
    };
  }
  const judged = judge(rule, evaluation.facts, evaluation.tags, params, exceptions);
  return {
    ...base,
    compliance: judged.verdict.compliance,
    annotation: judged.verdict.annotation,
    exception: findingException(judged.exception),
    remediation:
      judged.verdict.compliance === 'NON_COMPLIANT'
        ? `${whereToFix(evaluation.logicalId, file)}${rule.template?.fix(evaluation.facts) ?? rule.remediation(evaluation.facts)}`
        : null,
    internetFacing: rule.isInternetFacing?.(evaluation.facts) ?? false,
  };
}

/** How a template finding's remediation starts: the resource and file to change (the CDK plugin strips it). */
export function whereToFix(logicalId: string, file: string): string {
  return `${logicalId} in ${file}: `;
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

/** What one input file gave: its format, how many resources it holds, and how many of them a control judged. */
export interface InputCheck {
  readonly findings: readonly Finding[];
  readonly dangling: readonly DanglingTag[];
  /** The format in the report's words ("CloudFormation", "SAM", "Terraform plan"). */
  readonly format: string;
  readonly resources: number;
  /** Resources of a type some control reads (a template without any is said, never passed in silence). */
  readonly inScope: number;
}

/**
 * A format check-template reads. The formats are tried in order and the first that claims a file reads it, so a new
 * format is one entry in INPUTS (a Terraform plan's JSON is claimed before CloudFormation's).
 */
export interface TemplateInput {
  /** Whether the text is this format, cheaply (a look at its first characters or its top-level keys). */
  claims(text: string, path: string): boolean;
  /** Findings for the file; a TemplateError when it cannot be read as this format. */
  check(text: string, file: string, options: TemplateCheckOptions): InputCheck;
}

/**
 * The view every template check decides on (check-template, the CDK plugin): a SAM template as the SAM transform
 * leaves its front doors, S3 objects read from the local files given for them.
 */
export function templateView(
  parsed: ParsedTemplate,
  s3Files: Readonly<Record<string, string>> = {},
): TemplateView {
  return new TemplateView(expandSam(parsed), (uri) => {
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

export const INPUTS: readonly TemplateInput[] = [cloudFormationInput];

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
    findings.push(...result.findings);
    dangling.push(...result.dangling);
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
