/**
 * `authn-pack scan`: every registered decision over a live account (or a whole organization) through the service
 * APIs, before any Config rule exists. Same sweeps, same decisions and same exception tags as the deployed rules.
 */
import { clientSettings, partitionOfRegion } from '../rules/core/clients';
import { mapConcurrent } from '../rules/core/concurrency';
import { judgeSwept } from '../rules/core/decide';
import { describeError } from '../rules/core/errors';
import { todayUtc, type ExceptionSettings } from '../rules/core/exceptions';
import { ruleParameterValues } from '../rules/core/parameters';
import type { AnyRule, ClientSettings, SweptResource } from '../rules/core/types';
import { RULES } from '../rules/index';
import { danglingTags } from './dangling';
import {
  findingException,
  type DanglingTag,
  type Finding,
  type FindingsReport,
  type Unreadable,
} from './findings';

export { danglingTags } from './dangling';

/** One account and region to scan, with the credentials to use there (none: the SDK's default chain). */
export interface ScanTarget {
  readonly accountId: string;
  readonly region: string;
  readonly credentials?: ClientSettings['credentials'];
  readonly profile?: string;
}

export interface ScanOptions {
  readonly rules?: readonly AnyRule[];
  readonly now: Date;
  readonly exceptionPrefix: string;
  readonly requireExpiry: boolean;
  /** Rule parameters by name, as in the Config rules (e.g. RequireAuthOnAllVersions=true). */
  readonly parameters?: Readonly<Record<string, string>>;
  readonly tagConcurrency?: number;
  readonly onProgress?: (message: string) => void;
}

export interface TargetResult {
  readonly findings: Finding[];
  readonly dangling: DanglingTag[];
  readonly unreadable: Unreadable[];
}

export function settingsFor(target: ScanTarget): ClientSettings & { profile?: string } {
  return {
    ...clientSettings(target.region, target.credentials),
    ...(target.profile === undefined || target.credentials !== undefined ? {} : { profile: target.profile }),
  };
}

/** Every resource's tags (the scan reads them all: exceptions are listed, and dangling tags found). */
async function readTags(
  resource: SweptResource<unknown>,
): Promise<{ tags: Readonly<Record<string, string>> } | { error: unknown }> {
  if (typeof resource.tags !== 'function') return { tags: resource.tags };
  try {
    return { tags: await resource.tags() };
  } catch (error) {
    return { error };
  }
}

/** Scans one account and region with every rule; a rule that cannot be read there is reported, not skipped. */
export async function scanTarget(target: ScanTarget, options: ScanOptions): Promise<TargetResult> {
  const rules = options.rules ?? RULES;
  const exceptions: ExceptionSettings = {
    prefix: options.exceptionPrefix,
    requiresExpiry: options.requireExpiry,
    today: todayUtc(options.now),
  };
  const result: TargetResult = { findings: [], dangling: [], unreadable: [] };
  const where = { accountId: target.accountId, region: target.region };
  for (const rule of rules) {
    options.onProgress?.(`${target.accountId} ${target.region} ${rule.control}`);
    let swept: readonly SweptResource<unknown>[];
    let params: Record<string, unknown>;
    try {
      params = ruleParameterValues(rule.parameters, options.parameters ?? {});
      const client = rule.service.createClient(settingsFor(target));
      swept = await rule.sweep(client, {
        accountId: target.accountId,
        region: target.region,
        partition: partitionOfRegion(target.region),
      });
    } catch (error) {
      result.unreadable.push({
        scope: `${rule.control} in account ${target.accountId}, ${target.region}`,
        control: rule.control,
        error: describeError(error),
        ...where,
      });
      continue;
    }
    const tagReads = await mapConcurrent(swept, options.tagConcurrency ?? 5, readTags);
    const holders = new Map<
      string,
      {
        resourceId: string;
        resourceName: string;
        tags: Readonly<Record<string, string>>;
        qualifiers: Set<string>;
      }
    >();
    for (const [index, resource] of swept.entries()) {
      const read = tagReads[index];
      if (read === undefined) continue;
      const judged = await judgeSwept(
        rule,
        'tags' in read
          ? { ...resource, tags: read.tags }
          : { ...resource, tags: () => Promise.reject(read.error as Error) },
        params,
        exceptions,
      );
      const failing = judged.verdict.compliance === 'NON_COMPLIANT';
      result.findings.push({
        control: rule.control,
        ruleName: rule.ruleName,
        resourceType: resource.resourceType,
        resourceId: resource.resourceId,
        resourceName: resource.resourceName,
        compliance: judged.verdict.compliance,
        code: judged.verdict.code,
        annotation: judged.verdict.annotation,
        exception: findingException(judged.exception),
        remediation: failing ? rule.remediation(resource.facts) : null,
        internetFacing: rule.isInternetFacing?.(resource.facts) ?? false,
        ...where,
      });
      if (!('tags' in read)) {
        if (!failing) {
          result.unreadable.push({
            scope: `tags of ${resource.resourceName} (exceptions and dangling tags not checked)`,
            control: rule.control,
            error: describeError(read.error),
            ...where,
          });
        }
        continue;
      }
      const holder = resource.parent ?? resource;
      const entry = holders.get(holder.resourceId) ?? {
        resourceId: holder.resourceId,
        resourceName: holder.resourceName,
        tags: read.tags,
        qualifiers: new Set<string>(),
      };
      for (const qualifier of rule.exceptionQualifiers?.(resource.facts) ?? [])
        entry.qualifiers.add(qualifier);
      holders.set(holder.resourceId, entry);
    }
    for (const holder of holders.values()) {
      const known = rule.exceptionQualifiers === undefined ? undefined : holder.qualifiers;
      for (const dangling of danglingTags(rule, holder, holder.tags, known, options.exceptionPrefix, RULES)) {
        result.dangling.push({ ...dangling, ...where });
      }
    }
  }
  return result;
}

/** Scans several targets with bounded concurrency and merges the results. */
export async function scanTargets(
  targets: readonly ScanTarget[],
  options: ScanOptions & { readonly targetConcurrency?: number },
  unreadableTargets: readonly Unreadable[] = [],
): Promise<FindingsReport> {
  const results = await mapConcurrent(targets, options.targetConcurrency ?? 4, (target) =>
    scanTarget(target, options),
  );
  return {
    kind: 'scan',
    generatedAt: options.now.toISOString(),
    findings: results.flatMap((r) => r.findings),
    dangling: results.flatMap((r) => r.dangling),
    unreadable: [...unreadableTargets, ...results.flatMap((r) => r.unreadable)],
  };
}
