/**
 * The exception tag convention: a documented exception is a tag on the resource (or, for API Gateway routes,
 * on the API), so Config records it, aggregator queries find it and an SCP can restrict who writes it.
 *
 *   <prefix>/<Control>[/<qualifier>]          = justification (at least 10 characters)
 *   <prefix>-expires/<Control>[/<qualifier>]  = YYYY-MM-DD, UTC, valid through that day
 *
 * Exceptions are consulted only for a resource that would otherwise fail, and a malformed one fails closed.
 */
import { CORE_CODES } from './codes';
import type { Verdict } from './types';
import { MAX_ANNOTATION, cutAnnotation } from './annotation';

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

const DAY_MS = 86_400_000;

/** Midnight UTC of a YYYY-MM-DD calendar day, or undefined for anything else (February 30, `2026-1-1`, …). */
function calendarDay(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  // Date.parse, not Date.UTC: Date.UTC reads the years 0-99 as 1900-1999.
  const time = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === text ? time : undefined;
}

/**
 * Where an exception's expiry stands, in the one set of names the rules, the report and the HTML pages share:
 * `no-expiry` (no expiry tag), `unknown` (not a calendar date, or no clock to judge it by), `expired` (the day is
 * past: the rules refuse it), `expiring` (valid, and lapses within the window) and `valid`.
 */
export type ExpiryState = 'no-expiry' | 'unknown' | 'valid' | 'expiring' | 'expired';

export interface ExceptionExpiry {
  readonly state: ExpiryState;
  /** Whole days from the reference day to the expiry day: 0 expires today, -1 expired yesterday; null without a date. */
  readonly daysLeft: number | null;
}

/**
 * Classifies an expiry (YYYY-MM-DD, valid through that UTC day) at `asOf`: a Date, or an ISO date or timestamp of
 * which only the UTC day counts. `expiring` when it lapses within `windowDays` days (inclusive; 0 = only today).
 */
export function exceptionExpiry(
  expires: string | null | undefined,
  asOf: Date | string,
  windowDays: number,
): ExceptionExpiry {
  if (expires === null || expires === undefined || expires.trim() === '') {
    return { state: 'no-expiry', daysLeft: null };
  }
  const day = calendarDay(expires.trim());
  const now = typeof asOf === 'string' ? Date.parse(asOf) : asOf.getTime();
  if (day === undefined || Number.isNaN(now)) return { state: 'unknown', daysLeft: null };
  const daysLeft = Math.round((day - Math.floor(now / DAY_MS) * DAY_MS) / DAY_MS);
  if (daysLeft < 0) return { state: 'expired', daysLeft };
  return { state: daysLeft <= windowDays ? 'expiring' : 'valid', daysLeft };
}

/** An exception that needs attention now: lapsing within the window, or already past. */
export function needsAttention(expiry: ExceptionExpiry): boolean {
  return expiry.state === 'expiring' || expiry.state === 'expired';
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
    const expiry = exceptionExpiry(date, settings.today, 0);
    if (expiry.state === 'unknown') {
      return {
        kind: 'invalid',
        tagKey: expiresKey,
        problem: `"${date.slice(0, 40)}" is not a YYYY-MM-DD date`,
      };
    }
    if (expiry.state === 'expired') {
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
      code: CORE_CODES.exceptionTagInvalid,
      annotation: cutAnnotation(
        `Exception tag ${lookup.tagKey} not honoured: ${lookup.problem}. ${verdict.annotation}`,
      ),
    };
  }
  return {
    compliance: 'COMPLIANT',
    code: verdict.code,
    annotation: formatExceptionAnnotation(lookup, wideLabel),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The exception as an annotation. Config keeps only the annotation text of a result, so the organization report
// (cli/report) must read the exception back out of it: the writer and the reader live here, side by side, and a
// property test (test/properties/exceptions.property.test.ts) holds them to a round trip.

const EXCEPTION_LEAD = 'Exception: ';

/** An exception as an annotation says it. */
export interface AnnotatedException {
  readonly justification: string;
  /** YYYY-MM-DD, or null without an expiry. */
  readonly expires: string | null;
  /** Resource-wide (API-wide for routes) rather than naming this resource. */
  readonly wide: boolean;
}

/**
 * `Exception: <justification> ([<wide label>, ]expires YYYY-MM-DD | [<wide label>, ]no expiry)`, at most 256
 * characters: a justification too long for the rest is cut and ends in `...`; the details are always kept.
 */
export function formatExceptionAnnotation(
  exception: { readonly justification: string; readonly expires?: string | null; readonly wide: boolean },
  wideLabel = 'resource-wide',
): string {
  const details = [
    exception.wide ? wideLabel : undefined,
    exception.expires ? `expires ${exception.expires}` : 'no expiry',
  ]
    .filter((part) => part !== undefined)
    .join(', ');
  const suffix = ` (${details})`;
  const room = MAX_ANNOTATION - EXCEPTION_LEAD.length - suffix.length;
  const justification =
    exception.justification.length > room
      ? `${exception.justification.slice(0, Math.max(room - 3, 0))}...`
      : exception.justification;
  return `${EXCEPTION_LEAD}${justification}${suffix}`;
}

/**
 * Reads what `formatExceptionAnnotation` wrote. Another annotation after `Exception:` (the CORS preflight exemption)
 * is kept whole as the justification, no expiry known. Undefined when the annotation is not an exception.
 */
export function parseExceptionAnnotation(annotation: string | undefined): AnnotatedException | undefined {
  if (annotation === undefined || !annotation.startsWith(EXCEPTION_LEAD.trim())) return undefined;
  const body = annotation.slice(EXCEPTION_LEAD.trim().length).trim();
  const match = /^(.*) \((?:([^()]*?), )?(?:expires (\d{4}-\d{2}-\d{2})|(no expiry))\)$/s.exec(body);
  if (match === null) return { justification: body, expires: null, wide: false };
  return {
    justification: (match[1] ?? '').trim(),
    expires: match[3] ?? null,
    wide: (match[2] ?? '').toLowerCase().includes('wide'),
  };
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
