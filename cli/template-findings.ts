/**
 * From what a reader found in one file (a CloudFormation template, a Terraform plan) to findings: the one path every
 * input format of `check-template` takes, so a route gets the same verdict whichever file it was written in.
 */
import { applyException, findException, todayUtc, type ExceptionSettings } from '../rules/core/exceptions';
import { CORE_CODES } from '../rules/core/codes';
import { judge } from '../rules/core/decide';
import { ruleParameterValues } from '../rules/core/parameters';
import type { TemplateEvaluation } from '../rules/core/template';
import type { AnyRule } from '../rules/core/types';
import { findingException, type DanglingTag, type Finding } from './findings';
import { danglingTags } from './dangling';

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

/**
 * One rule's findings for what a reader found in one file (a template, a Terraform plan), and the exception tags that
 * exempt nothing: the one path from evaluations to findings whatever the input format.
 */
export function judgeEvaluations(
  rule: AnyRule,
  evaluations: Iterable<TemplateEvaluation<unknown>>,
  fix: (facts: unknown) => string,
  file: string,
  options: TemplateCheckOptions,
): { findings: Finding[]; dangling: DanglingTag[] } {
  const exceptions: ExceptionSettings = {
    prefix: options.exceptionPrefix,
    requiresExpiry: options.requireExpiry,
    today: todayUtc(options.now),
  };
  const params = ruleParameterValues(rule.parameters, options.parameters ?? {});
  const findings: Finding[] = [];
  const dangling: DanglingTag[] = [];
  const holders = new Map<
    string,
    { tags: Readonly<Record<string, string>>; qualifiers: Set<string>; name: string }
  >();
  for (const evaluation of evaluations) {
    findings.push(toFinding(rule, evaluation, params, exceptions, file, fix));
    const holderId = evaluation.holder ?? evaluation.logicalId;
    const holder = holders.get(holderId) ?? {
      tags: evaluation.tags,
      qualifiers: new Set<string>(),
      name: holderId,
    };
    for (const qualifier of qualifiersOf(rule, evaluation) ?? []) holder.qualifiers.add(qualifier);
    holders.set(holderId, holder);
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
  fix: (facts: unknown) => string,
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
    const unverifiable = evaluation.unverifiable;
    const property = unverifiable.property ?? 'the value';
    const change =
      evaluation.fix ??
      `make ${property} a literal (or a parameter with a Default) so the check can see it, or document an exception tag`;
    const nextStep =
      evaluation.fix === undefined
        ? 'Use a literal or a parameter with a Default.'
        : `${evaluation.fix.charAt(0).toUpperCase()}${evaluation.fix.slice(1)}.`;
    const verdict = applyException(
      {
        compliance: 'NON_COMPLIANT',
        code: CORE_CODES.templateUnverifiable,
        annotation: `${evaluation.resourceName} cannot be verified before deploy: ${unverifiable.reason}. ${nextStep}`,
      },
      lookup,
      rule.wideExceptionLabel,
    );
    return {
      ...base,
      compliance: verdict.compliance,
      code: verdict.code,
      annotation: verdict.annotation,
      exception: findingException(lookup.kind === 'valid' ? lookup : undefined),
      remediation:
        verdict.compliance === 'NON_COMPLIANT' ? `${whereToFix(evaluation.logicalId, file)}${change}` : null,
      internetFacing: false,
    };
  }
  const judged = judge(rule, evaluation.facts, evaluation.tags, params, exceptions);
  return {
    ...base,
    compliance: judged.verdict.compliance,
    code: judged.verdict.code,
    annotation: judged.verdict.annotation,
    exception: findingException(judged.exception),
    remediation:
      judged.verdict.compliance === 'NON_COMPLIANT'
        ? `${whereToFix(evaluation.logicalId, file)}${evaluation.fix ?? fix(evaluation.facts)}`
        : null,
    internetFacing: rule.isInternetFacing?.(evaluation.facts) ?? false,
  };
}

/** How a template finding's remediation starts: the resource and file to change (the CDK plugin strips it). */
export function whereToFix(logicalId: string, file: string): string {
  return `${logicalId} in ${file}: `;
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
