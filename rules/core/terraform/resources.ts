/**
 * The resource instances a plan deploys (from `resource_changes`) or a state holds (from `values.root_module` and
 * its `child_modules`), each with its values as the view keeps them: sensitive ones already replaced, so no secret
 * is stored past this point. Deleted, forgotten, deposed and data-source instances are left out here.
 */
import { moduleOf } from './addresses';
import { TerraformPlanError, isRecord, type PlanChange, type PlanResource, type PlanValues } from './model';
import type { SecretGuard } from './sensitive';

/** Resource instances in the order the input lists them, with their values. */
export type ResourceValues = Map<PlanResource, PlanValues>;

function addResource(
  into: ResourceValues,
  guard: SecretGuard,
  raw: Record<string, unknown>,
  address: string,
  change: PlanChange,
  values: Record<string, unknown>,
  sensitive: unknown,
  unknown: unknown,
  file: string,
): void {
  const type = raw.type;
  const name = raw.name;
  if (typeof type !== 'string' || typeof name !== 'string') {
    throw new TerraformPlanError(`${file}: ${address} has no type or name`);
  }
  const moduleAddress = typeof raw.module_address === 'string' ? raw.module_address : moduleOf(address);
  const index = raw.index;
  const resource: PlanResource = {
    address,
    moduleAddress,
    type,
    name,
    ...(typeof index === 'number' || typeof index === 'string' ? { index } : {}),
    change,
  };
  into.set(resource, {
    values: guard.redact(values, sensitive) as Record<string, unknown>,
    unknown: unknown ?? {},
  });
}

function readChange(into: ResourceValues, guard: SecretGuard, raw: unknown, file: string): void {
  if (!isRecord(raw)) throw new TerraformPlanError(`${file}: a resource_changes entry is not an object`);
  const change = raw.change;
  const address = raw.address;
  if (typeof address !== 'string' || !isRecord(change) || !Array.isArray(change.actions)) {
    throw new TerraformPlanError(`${file}: a resource_changes entry has no address or change.actions`);
  }
  if (raw.mode !== 'managed' || raw.deposed !== undefined) return;
  const actions = change.actions as unknown[];
  // ["delete"] removes the object; ["forget"] stops managing it without a new configuration: neither is deployed
  // by this plan. A replace (["delete","create"] / ["create","delete"]) deploys its "after".
  if (!actions.includes('create') && !actions.includes('update') && !actions.includes('no-op')) return;
  const after = change.after;
  if (!isRecord(after)) throw new TerraformPlanError(`${file}: ${address} has no change.after values`);
  const kind: PlanChange = actions.includes('delete')
    ? 'replace'
    : actions.includes('create')
      ? 'create'
      : actions.includes('update')
        ? 'update'
        : 'no-op';
  addResource(into, guard, raw, address, kind, after, change.after_sensitive, change.after_unknown, file);
}

/** The managed resources a plan's `resource_changes` deploys. */
export function readChanges(changes: unknown, guard: SecretGuard, file: string): ResourceValues {
  if (changes !== undefined && !Array.isArray(changes)) {
    throw new TerraformPlanError(`${file}: resource_changes is not a list`);
  }
  const into: ResourceValues = new Map();
  for (const change of (changes as unknown[] | undefined) ?? []) readChange(into, guard, change, file);
  return into;
}

/** The managed resources of a state's module tree, everything known. */
export function readState(values: unknown, guard: SecretGuard, file: string): ResourceValues {
  if (values !== undefined && !isRecord(values))
    throw new TerraformPlanError(`${file}: values is not an object`);
  const into: ResourceValues = new Map();
  walkState(into, guard, values?.root_module, file);
  return into;
}

function walkState(into: ResourceValues, guard: SecretGuard, module: unknown, file: string): void {
  if (module === undefined) return;
  if (!isRecord(module)) throw new TerraformPlanError(`${file}: a state module is not an object`);
  for (const raw of Array.isArray(module.resources) ? (module.resources as unknown[]) : []) {
    if (!isRecord(raw) || typeof raw.address !== 'string') {
      throw new TerraformPlanError(`${file}: a state resource has no address`);
    }
    if (raw.mode !== 'managed') continue;
    const values = raw.values;
    if (!isRecord(values)) throw new TerraformPlanError(`${file}: ${raw.address} has no values`);
    const moduleAddress = moduleOf(raw.address);
    addResource(
      into,
      guard,
      { ...raw, module_address: moduleAddress },
      raw.address,
      'state',
      values,
      raw.sensitive_values,
      {},
      file,
    );
  }
  for (const child of Array.isArray(module.child_modules) ? (module.child_modules as unknown[]) : []) {
    walkState(into, guard, child, file);
  }
}
