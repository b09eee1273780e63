/**
 * The exception tag convention: a documented exception is a tag on the resource (or, for API Gateway routes,
 * on the API), so Config records it, aggregator queries find it and an SCP can restrict who writes it.
 *
 *   <prefix>/<Control>[/<qualifier>]          = justification (at least 10 characters)
 *   <prefix>-expires/<Control>[/<qualifier>]  = YYYY-MM-DD, UTC, valid through that day
 *
 * Exceptions are consulted only for a resource that would otherwise fail, and a malformed one fails closed.
 */
import type { Verdict } from './types';
import { cutAnnotation } from './annotation';

export const DEFAULT_EXCEPTION_PREFIX = 'authn-exception';
const MIN_JUSTIFICATION = 10;

/** Characters safe in tag keys and values on all five services (no `:` for MSK, no `@` for DMS, no `$ { }`). */
export const TAG_SAFE = /^[A-Za-z0-9 _./=+-]+$/;

export interface ExceptionSettings {
  readonly prefix: string;
  readonly requiresExpiry: boolean;
  /** Today in UTC as YYYY-MM-DD; an exception expiring today is still valid. */
  readonly today: string;
}

export type ExceptionLookup =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'valid';
      readonly tagKey: string;
      readonly justification: string;
      readonly expires?: string;
      /** True when the tag names no qualifier although the rule has qualifiers (API-wide). */
      readonly wide: boolean;
    }
  | { readonly kind: 'invalid'; readonly tagKey: string; readonly problem: string };

export function justificationKey(prefix: string, control: string, qualifier?: string): string {
  return qualifier === undefined ? `${prefix}/${control}` : `${prefix}/${control}/${qualifier}`;
}

export function expiryKey(prefix: string, control: string, qualifier?: string): string {
  return qualifier === undefined
    ? `${prefix}-expires/${control}`
    : `${prefix}-expires/${control}/${qualifier}`;
}

export function todayUtc(now: Date): string {
  return now.toISOString().slice(0, 10);
}

function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const parsed = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === text;
}

/**
 * Finds the exception that covers a resource for one control. Qualified tags (route id, then route key) win over
 * the unqualified one; qualifiers with characters that tags cannot hold are skipped.
 */
export function findException(
  tags: Readonly<Record<string, string>>,
  control: string,
  qualifiers: readonly string[] | undefined,
  settings: ExceptionSettings,
): ExceptionLookup {
  const candidates: { qualifier?: string; wide: boolean }[] = [
    ...(qualifiers ?? [])
      .filter((q) => q !== '' && TAG_SAFE.test(q))
      .map((qualifier) => ({ qualifier, wide: false })),
    { wide: qualifiers !== undefined },
  ];
  for (const { qualifier, wide } of candidates) {
    const tagKey = justificationKey(settings.prefix, control, qualifier);
    // Values are read as unknown: tags reach here from JSON a caller may not have checked.
    const justification: unknown = tags[tagKey];
    if (justification === undefined) continue;
    const expiresKey = expiryKey(settings.prefix, control, qualifier);
    const expiresValue: unknown = tags[expiresKey];
    const expires =
      expiresValue === undefined || typeof expiresValue === 'string'
        ? expiresValue
        : `<${typeof expiresValue}>`;
    if (typeof justification !== 'string' || justification.trim().length < MIN_JUSTIFICATION) {
      return {
        kind: 'invalid',
        tagKey,
        problem: `the justification must be at least ${MIN_JUSTIFICATION} characters`,
      };
    }
    if (expires === undefined || expires.trim() === '') {
      if (settings.requiresExpiry) {
        return {
          kind: 'invalid',
          tagKey,
          problem: `it has no expiry tag ${expiresKey} (ExceptionRequiresExpiry=true)`,
        };
      }
      return { kind: 'valid', tagKey, justification: justification.trim(), wide };
    }
    const date = expires.trim();
    if (!isCalendarDate(date)) {
      return {
        kind: 'invalid',
        tagKey: expiresKey,
        problem: `"${date.slice(0, 40)}" is not a YYYY-MM-DD date`,
      };
    }
    if (date < settings.today) {
      return { kind: 'invalid', tagKey: expiresKey, problem: `the exception expired on ${date}` };
    }
    return { kind: 'valid', tagKey, justification: justification.trim(), expires: date, wide };
  }
  return { kind: 'none' };
}

/**
 * Applies an exception to a verdict. Only a NON_COMPLIANT verdict can be exempted; a malformed or expired exception
 * keeps it NON_COMPLIANT and names the tag and what is wrong with it.
 */
export function applyException(
  verdict: Verdict,
  lookup: ExceptionLookup,
  wideLabel = 'resource-wide',
): Verdict {
  if (verdict.compliance !== 'NON_COMPLIANT' || lookup.kind === 'none') return verdict;
  if (lookup.kind === 'invalid') {
    return {
      compliance: 'NON_COMPLIANT',
      annotation: cutAnnotation(
        `Exception tag ${lookup.tagKey} not honoured: ${lookup.problem}. ${verdict.annotation}`,
      ),
    };
  }
  const details = [
    lookup.wide ? wideLabel : undefined,
    lookup.expires ? `expires ${lookup.expires}` : 'no expiry',
  ]
    .filter((part) => part !== undefined)
    .join(', ');
  const suffix = ` (${details})`;
  const room = 256 - 'Exception: '.length - suffix.length;
  const justification =
    lookup.justification.length > room
      ? `${lookup.justification.slice(0, Math.max(room - 3, 0))}...`
      : lookup.justification;
  return { compliance: 'COMPLIANT', annotation: `Exception: ${justification}${suffix}` };
}

/** One exception tag found on a resource, parsed from its key (for dangling-tag reports). */
export interface ExceptionTag {
  readonly key: string;
  readonly value: string;
  readonly kind: 'justification' | 'expiry';
  readonly control: string;
  readonly qualifier?: string;
}

/** Every tag of the convention on a resource, whatever it names. */
export function listExceptionTags(tags: Readonly<Record<string, string>>, prefix: string): ExceptionTag[] {
  const found: ExceptionTag[] = [];
  for (const [key, value] of Object.entries(tags)) {
    const kind = key.startsWith(`${prefix}-expires/`)
      ? 'expiry'
      : key.startsWith(`${prefix}/`)
        ? 'justification'
        : undefined;
    if (kind === undefined) continue;
    const rest = key.slice((kind === 'expiry' ? `${prefix}-expires/` : `${prefix}/`).length);
    const slash = rest.indexOf('/');
    const control = slash === -1 ? rest : rest.slice(0, slash);
    const qualifier = slash === -1 ? undefined : rest.slice(slash + 1);
    found.push(
      qualifier === undefined ? { key, value, kind, control } : { key, value, kind, control, qualifier },
    );
  }
  return found;
}
