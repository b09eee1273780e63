/**
 * The shapes every part of the Terraform reader shares (resources, values as known before apply, where references
 * lead), and its one error. Kept apart so the reader's modules can all use them without importing one another.
 */
import { EXIT, PackError } from '../errors';

/** The plan cannot be read as Terraform JSON output (or Terraform itself says the plan failed): as unreadable as a
 * broken template. */
export class TerraformPlanError extends PackError {
  override readonly name = 'TerraformPlanError';
  readonly code = 'terraform-plan';
  readonly exitStatus = EXIT.unreadable;
}

/** Reads a text that is not JSON (YAML), or throws. */
export type TextParser = (text: string) => unknown;

/** A value as the plan knows it before apply. */
export type PlanValue = { readonly known: true; readonly value: unknown } | PlanUnknown;

/** Why a value cannot be read before apply: the words, and the argument path they are about (`engine_version`). */
export interface PlanUnknown {
  readonly known: false;
  readonly reason: string;
  readonly property: string;
}

/** What happens to a resource instance in this plan (`state`: read from a state file, nothing changes). */
export type PlanChange = 'create' | 'update' | 'replace' | 'no-op' | 'state';

export interface PlanResource {
  /** The full address, e.g. `module.cache.aws_elasticache_replication_group.sessions` or `aws_x.y["k"]`. */
  readonly address: string;
  /** The module instance part of the address (`module.cache`, `module.svc["a"]`), empty in the root module. */
  readonly moduleAddress: string;
  readonly type: string;
  readonly name: string;
  /** The `count` / `for_each` key of this instance, when it has one. */
  readonly index?: number | string;
  readonly change: PlanChange;
}

/**
 * What the plan says about a resource's values, kept inside the view: they are read only through `value`, `text`
 * and `tags`, which never return a secret.
 */
export interface PlanValues {
  /** The values after the change, sensitive ones replaced by `SENSITIVE`. Unknown values are null or absent. */
  readonly values: Readonly<Record<string, unknown>>;
  /** `after_unknown`: `true` where a value is known only after apply. */
  readonly unknown: unknown;
}

/** Where a reference in the configuration leads. */
export interface ReferenceTargets {
  /** Managed resources of this plan the expression refers to. */
  readonly resources: readonly PlanResource[];
  /** Things outside the plan it refers to (a root input variable, a data source): named for messages. */
  readonly external: readonly string[];
  /** References the plan JSON cannot follow (locals are not in it), named for messages. */
  readonly unresolved: readonly string[];
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
