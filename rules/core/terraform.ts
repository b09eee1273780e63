/**
 * Reading `terraform show -json` output (a saved plan, or a state) for the pre-deploy check. The format is
 * Terraform's "JSON Output Format" (internals/json-format in the Terraform docs): `format_version` 1.x,
 * `resource_changes[]` with `change.actions/after/after_unknown/after_sensitive`, `configuration` with each module's
 * `resources[].expressions` (`constant_value` or `references`) and `module_calls`, and for a state `values.root_module`
 * with `resources[].values/sensitive_values` and nested `child_modules`.
 *
 * This reader knows no control: it walks modules and resources, says which values are known before apply, resolves
 * the configuration's references (through module inputs and outputs), and never hands on a sensitive value — plans
 * carry them in clear text (`auth_token`, `password`, sensitive variables), so they are replaced here, at the edge.
 *
 * This file is the reader's public entry point; its parts are in terraform/: json-output (recognising and parsing
 * the text), resources (the instances a plan deploys), sensitive (the guard), known (after_unknown), references
 * (the configuration's expressions) and plan-view (the view that composes them).
 */
export {
  TerraformPlanError,
  type PlanChange,
  type PlanResource,
  type PlanUnknown,
  type PlanValue,
  type ReferenceTargets,
  type TextParser,
} from './terraform/model';
export { SENSITIVE, SensitiveValue } from './terraform/sensitive';
export {
  MENTIONS_FORMAT_VERSION,
  isTerraformJson,
  looksLikeTerraformJson,
  topLevelMembers,
} from './terraform/json-output';
export { PlanView, knownText, readTerraformJson } from './terraform/plan-view';
