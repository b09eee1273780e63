/**
 * Terraform addresses as text: the module instance steps of `module.a["x"].module.b.aws_y.z[0]`, their keys, and
 * the configuration path they share with every instance. Both the resource reader and reference following need them.
 */
import { TerraformPlanError } from './model';

/** One step of a module instance address: `module.name` with an optional key. */
const MODULE_STEP = /^module\.([A-Za-z_][A-Za-z0-9_-]*)(\[(?:\d+|"(?:[^"\\]|\\.)*")\])?/;

export interface ModuleStep {
  readonly name: string;
  readonly key?: number | string;
  readonly text: string;
}

/** The steps of a module instance address (`module.a["x"].module.b` → two steps). */
export function moduleSteps(address: string): ModuleStep[] {
  const steps: ModuleStep[] = [];
  let rest = address;
  while (rest !== '') {
    const match = MODULE_STEP.exec(rest);
    if (match === null) throw new TerraformPlanError(`unreadable module address "${address}"`);
    const [text, name, key] = match as unknown as [string, string, string | undefined];
    steps.push({ name, text, ...(key === undefined ? {} : { key: parseKey(key) }) });
    rest = rest.slice(text.length).replace(/^\./, '');
  }
  return steps;
}

/** `[0]` → 0, `["a"]` → "a". */
export function parseKey(bracketed: string): number | string {
  const inner = bracketed.slice(1, -1);
  return inner.startsWith('"') ? (JSON.parse(inner) as string) : Number(inner);
}

/** The configuration path of a module instance: its address without instance keys. */
export const configPath = (moduleAddress: string): string =>
  moduleSteps(moduleAddress)
    .map((step) => `module.${step.name}`)
    .join('.');

/** The module part of a resource address (`module.a["x"].aws_y.z[0]` → `module.a["x"]`). */
export function moduleOf(address: string): string {
  let rest = address;
  const parts: string[] = [];
  for (;;) {
    const match = MODULE_STEP.exec(rest);
    if (match === null) break;
    parts.push(match[0]);
    rest = rest.slice(match[0].length).replace(/^\./, '');
  }
  return parts.join('.');
}
