/**
 * `check-template` on Terraform: the output of `terraform show -json` for a saved plan (or a state), judged by the
 * same decisions as CloudFormation. Resources are named by their full address (`module.cache.aws_…sessions`); a value
 * known only after apply is NON_COMPLIANT with "cannot be verified before deploy"; resources being deleted are not
 * judged. Which Terraform types a control reads, and how, is the control's own `terraform` adapter.
 */
import { TemplateError, type TemplateEvaluation } from '../rules/core/template';
import {
  TerraformPlanError,
  looksLikeTerraformJson,
  readTerraformJson,
  type PlanView,
} from '../rules/core/terraform';
import { RULES } from '../rules/index';
import { judgeEvaluations, type TemplateCheckOptions, type TemplateInput } from './template-findings';
import type { DanglingTag, Finding } from './findings';

/** The change that makes a value checkable before apply, when the control's adapter names none. */
function knownBeforeApply(evaluation: TemplateEvaluation<unknown>): TemplateEvaluation<unknown> {
  if ('facts' in evaluation || evaluation.fix !== undefined) return evaluation;
  // The argument the adapter names (`engine_version`, `client_authentication[0].sasl[0].iam`).
  const argument = evaluation.unverifiable.property ?? 'the value';
  return {
    ...evaluation,
    fix: `set ${argument} from values known at plan time (a literal or a variable, not an attribute computed at apply), or document an exception tag`,
  };
}

/**
 * Text inside a plan value that is not JSON (an OpenAPI body from `file("openapi.yaml")`), read as YAML. The yaml
 * package loads here, on first use: `check-template` on a template or a plan without such a body never needs it.
 */
export const readYamlText = (text: string): unknown =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('yaml') as typeof import('yaml')).parse(text) as unknown;

export interface PlanCheck {
  readonly findings: Finding[];
  readonly dangling: DanglingTag[];
  /** Managed resources the plan deploys (or the state holds). */
  readonly resources: number;
  /** Of those, resources of a type some control reads. */
  readonly inScope: number;
}

/** Findings for one plan or state. */
export function checkPlan(plan: PlanView, file: string, options: TemplateCheckOptions): PlanCheck {
  const rules = options.rules ?? RULES;
  const findings: Finding[] = [];
  const dangling: DanglingTag[] = [];
  let inScope = 0;
  for (const rule of rules) {
    const adapter = rule.terraform;
    if (adapter === undefined) continue;
    const resources = adapter.resourceTypes.flatMap((type) => plan.ofType(type));
    inScope += resources.length;
    const evaluations = resources.flatMap((resource) => adapter.read(resource, plan).map(knownBeforeApply));
    const judged = judgeEvaluations(rule, evaluations, (facts) => adapter.fix(facts), file, options);
    for (const finding of judged.findings) findings.push(finding);
    for (const tag of judged.dangling) dangling.push(tag);
  }
  return { findings, dangling, resources: plan.resources.length, inScope };
}

/** `terraform show -json` output: claimed before CloudFormation by its top-level keys (`format_version`, …). */
export const terraformInput: TemplateInput = {
  claims: (text) => looksLikeTerraformJson(text),
  check: (text, file, options) => {
    let plan: PlanView | undefined;
    try {
      plan = readTerraformJson(text, file, readYamlText);
    } catch (error) {
      // An errored plan or an unknown format version is as unreadable as a broken template: reported, not passed.
      if (error instanceof TerraformPlanError) throw new TemplateError(error.message);
      throw error;
    }
    if (plan === undefined) throw new TemplateError(`${file}: not readable as terraform show -json output`);
    const result = checkPlan(plan, file, options);
    return { ...result, format: plan.kind === 'plan' ? 'Terraform plan' : 'Terraform state' };
  },
};
