/**
 * Exception tags that exempt nothing (a misspelt control, a route that does not exist), for the scan and the
 * template check alike. Kept apart from cli/scan.ts so the template check loads no AWS SDK client.
 */
import { listExceptionTags } from '../rules/core/exceptions';
import type { AnyRule } from '../rules/core/types';
import { RULES } from '../rules/index';
import type { DanglingTag } from './findings';

/** Exception tags on one tag holder that exempt nothing. */
export function danglingTags(
  rule: AnyRule,
  holder: { resourceId: string; resourceName: string },
  tags: Readonly<Record<string, string>>,
  knownQualifiers: ReadonlySet<string> | undefined,
  prefix: string,
  registry: readonly AnyRule[] = RULES,
): Omit<DanglingTag, 'region' | 'accountId' | 'file'>[] {
  const found: Omit<DanglingTag, 'region' | 'accountId' | 'file'>[] = [];
  const add = (tagKey: string, reason: string): void => {
    found.push({ resourceId: holder.resourceId, resourceName: holder.resourceName, tagKey, reason });
  };
  const controls = new Set(registry.map((r) => r.control));
  for (const tag of listExceptionTags(tags, prefix)) {
    if (!controls.has(tag.control)) {
      add(tag.key, `names no control of this pack ("${tag.control}")`);
    } else if (tag.control !== rule.control) {
      add(tag.key, `${tag.control} does not evaluate ${rule.resourceType}`);
    } else if (tag.qualifier !== undefined && knownQualifiers === undefined) {
      add(tag.key, `${rule.control} exceptions name no route or sub-resource`);
    } else if (
      tag.qualifier !== undefined &&
      knownQualifiers !== undefined &&
      !knownQualifiers.has(tag.qualifier)
    ) {
      add(tag.key, `no route with id or key "${tag.qualifier}" on this API`);
    } else if (tag.kind === 'expiry') {
      const justification = `${prefix}/${tag.control}${tag.qualifier === undefined ? '' : `/${tag.qualifier}`}`;
      if (tags[justification] === undefined)
        add(tag.key, `expiry without a justification tag ${justification}`);
    }
  }
  return found;
}
