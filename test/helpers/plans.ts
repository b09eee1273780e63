/**
 * Terraform plans for table-driven tests, in the shape `terraform show -json` writes them (resource_changes entries
 * with `change.after/after_unknown/after_sensitive`, the resource blocks' expressions in `configuration`), through
 * the real check path (adapter, decision, exceptions): the cases not worth a real plan in test/fixtures/terraform.
 */
import { expect } from 'chai';
import { checkPlan, readYamlText } from '../../cli/check-plan';
import type { Finding } from '../../cli/findings';
import { DEFAULT_EXCEPTION_PREFIX } from '../../rules/core/exceptions';
import { PlanView } from '../../rules/core/terraform';
import type { AnyRule, Compliance } from '../../rules/core/types';
import { CHECKED_AT, type SnippetOptions } from './templates';

export const PLAN_FILE = 'plan.json';

export interface PlannedResource {
  /** A root-module address, with an instance key when it has one (`aws_x.y[0]`). */
  readonly address: string;
  /** `change.after`: the values known before apply. */
  readonly after: Record<string, unknown>;
  /** `change.after_unknown`: true where a value is known only after apply. */
  readonly unknown?: Record<string, unknown>;
  /** `change.after_sensitive`. */
  readonly sensitive?: Record<string, unknown>;
  /** The resource block's `expressions` in `configuration` (absent arguments are left to the provider). */
  readonly expressions?: Record<string, unknown>;
  readonly actions?: readonly string[];
}

function split(address: string): { type: string; name: string; index?: number | string } {
  const match = /^([^.]+)\.([^[]+)(?:\[(\d+|"[^"]*")\])?$/.exec(address);
  if (match === null) throw new Error(`not a root-module address: ${address}`);
  const [, type, name, key] = match as unknown as [string, string, string, string | undefined];
  if (key === undefined) return { type, name };
  return { type, name, index: key.startsWith('"') ? (JSON.parse(key) as string) : Number(key) };
}

/** `terraform show -json` output for a plan of these root-module resources. */
export function planDocument(resources: readonly PlannedResource[]): Record<string, unknown> {
  const blocks = new Map<string, PlannedResource>();
  for (const resource of resources) blocks.set(resource.address.replace(/\[.*$/, ''), resource);
  return {
    format_version: '1.2',
    terraform_version: '1.11.4',
    resource_changes: resources.map((resource) => ({
      address: resource.address,
      mode: 'managed',
      ...split(resource.address),
      provider_name: 'registry.terraform.io/hashicorp/aws',
      change: {
        actions: resource.actions ?? ['create'],
        before: null,
        after: resource.after,
        after_unknown: resource.unknown ?? {},
        before_sensitive: false,
        after_sensitive: resource.sensitive ?? {},
      },
    })),
    configuration: {
      provider_config: { aws: { name: 'aws', full_name: 'registry.terraform.io/hashicorp/aws' } },
      root_module: {
        resources: [...blocks].map(([address, resource]) => ({
          address,
          mode: 'managed',
          ...split(address),
          provider_config_key: 'aws',
          expressions: resource.expressions ?? {},
          schema_version: 0,
        })),
      },
    },
  };
}

/** One rule's findings over a plan of these resources. */
export function checkPlanned(
  rule: AnyRule,
  resources: readonly PlannedResource[],
  options: SnippetOptions = {},
): Finding[] {
  return checkPlan(PlanView.parse(planDocument(resources), PLAN_FILE, readYamlText), PLAN_FILE, {
    rules: [rule],
    now: CHECKED_AT,
    exceptionPrefix: DEFAULT_EXCEPTION_PREFIX,
    requireExpiry: options.requireExpiry ?? false,
    ...(options.parameters === undefined ? {} : { parameters: options.parameters }),
  }).findings;
}

/** One row of a plan table: resources and what the check must say about one of them. */
export interface PlanRow {
  readonly title: string;
  readonly resources: readonly PlannedResource[];
  /** The finding's resourceId: the full address (`<api address>/$default` for a quick-create route). */
  readonly resourceId: string;
  readonly compliance: Compliance;
  readonly annotation: RegExp;
  readonly options?: SnippetOptions;
  readonly also?: (finding: Finding) => void;
}

export function planTable(rule: AnyRule, rows: readonly PlanRow[]): void {
  for (const row of rows) {
    it(row.title, () => {
      // Act
      const findings = checkPlanned(rule, row.resources, row.options);
      // Assess
      const finding = findings.find((candidate) => candidate.resourceId === row.resourceId);
      expect(
        finding,
        `no finding for ${row.resourceId} in ${JSON.stringify(findings.map((f) => f.resourceId))}`,
      ).to.not.equal(undefined);
      expect(finding?.compliance, finding?.annotation).to.equal(row.compliance);
      expect(finding?.annotation).to.match(row.annotation);
      expect(finding?.control).to.equal(rule.control);
      if (finding !== undefined) row.also?.(finding);
    });
  }
}
