/**
 * Telling `terraform show -json` output from other JSON, and reading it cheaply: the CLI asks of every input file
 * whether it is a plan, and a 40 MB plan should be claimed after a few bytes and parsed only in the sections the
 * reader uses. Nothing here looks inside resources.
 */
import { isRecord } from './model';

/**
 * Whether parsed JSON is `terraform show -json` output: a `format_version` and the plan or state sections beside it.
 * An empty state is `{"format_version":"1.0"}` alone.
 */
export function isTerraformJson(document: unknown): document is Record<string, unknown> {
  if (!isRecord(document) || typeof document.format_version !== 'string') return false;
  const keys = Object.keys(document);
  return (
    keys.length === 1 ||
    [
      'terraform_version',
      'planned_values',
      'resource_changes',
      'values',
      'prior_state',
      'configuration',
    ].some((key) => key in document)
  );
}

/** Cheap test on the text before parsing it: Terraform JSON names its format version. */
export const MENTIONS_FORMAT_VERSION = /"format_version"\s*:\s*"/;

/** A stand-in document with these top-level keys, for `isTerraformJson`. */
const keysOnly = (members: ReadonlyMap<string, unknown>): Record<string, unknown> =>
  Object.fromEntries([...members.keys()].map((key) => [key, key === 'format_version' ? '1' : null]));

/**
 * Whether text is `terraform show -json` output, from its top-level keys alone (no parse). The scan stops once the
 * keys decide it: Terraform writes `format_version` and `terraform_version` first, so a 40 MB plan is claimed after
 * a few bytes instead of a walk through all of it (which readTerraformJson then does once).
 */
export function looksLikeTerraformJson(text: string): boolean {
  if (!MENTIONS_FORMAT_VERSION.test(text)) return false;
  let members: Map<string, { start: number; end: number }> | undefined;
  try {
    members = topLevelMembers(
      text,
      (found) => found.has('format_version') && found.size > 1 && isTerraformJson(keysOnly(found)),
    );
  } catch {
    return false;
  }
  if (members?.has('format_version') !== true) return false;
  return isTerraformJson(keysOnly(members));
}

/**
 * The top-level members of a JSON object text, as the ranges of their values, found in one pass that follows strings
 * and nesting (no parse). Lets the reader parse only the sections it reads: a 20,000-resource plan's
 * `planned_values` and `prior_state` repeat what `resource_changes` holds. Undefined when the text is no object.
 * `enough` ends the scan early, after the member that satisfies it.
 */
export function topLevelMembers(
  text: string,
  enough?: (members: ReadonlyMap<string, { start: number; end: number }>) => boolean,
): Map<string, { start: number; end: number }> | undefined {
  const members = new Map<string, { start: number; end: number }>();
  let at = text.search(/\S/);
  if (at < 0 || text[at] !== '{') return undefined;
  at += 1;
  const length = text.length;
  const skipSpace = (): void => {
    while (at < length) {
      const code = text.charCodeAt(at);
      if (code !== 32 && code !== 10 && code !== 13 && code !== 9) return;
      at += 1;
    }
  };
  /** From an opening quote to just past its closing one. */
  const skipString = (): void => {
    at += 1;
    for (;;) {
      const close = text.indexOf('"', at);
      if (close < 0) throw new SyntaxError('unterminated string');
      let backslashes = 0;
      for (let back = close - 1; text.charCodeAt(back) === 92; back -= 1) backslashes += 1;
      at = close + 1;
      if (backslashes % 2 === 0) return;
    }
  };
  for (;;) {
    skipSpace();
    if (text[at] === '}') return members;
    if (text[at] !== '"') return undefined;
    const keyStart = at;
    skipString();
    const key = JSON.parse(text.slice(keyStart, at)) as string;
    skipSpace();
    if (text[at] !== ':') return undefined;
    at += 1;
    skipSpace();
    const start = at;
    let depth = 0;
    while (at < length) {
      const char = text.charCodeAt(at);
      if (char === 34) {
        skipString();
        if (depth === 0) break;
        continue;
      }
      if (char === 123 || char === 91) depth += 1;
      else if (char === 125 || char === 93) {
        if (depth === 0) break;
        depth -= 1;
        if (depth === 0) {
          at += 1;
          break;
        }
      } else if (depth === 0 && char === 44) break;
      at += 1;
    }
    members.set(key, { start, end: at });
    if (enough?.(members) === true) return members;
    skipSpace();
    if (text[at] === ',') at += 1;
  }
}

/**
 * Sections of a plan the reader never reads: `planned_values` repeats `resource_changes` without the unknowns, and
 * `prior_state` is the state before. Left unparsed, they cost neither time nor memory (a third of a large plan).
 */
const UNREAD_SECTIONS = new Set(['planned_values', 'prior_state', 'resource_drift', 'relevant_attributes']);

/** Parses `terraform show -json` output from text, skipping the unread sections; undefined when it is not that. */
export function parseTerraformJson(text: string): Record<string, unknown> | undefined {
  if (!MENTIONS_FORMAT_VERSION.test(text)) return undefined;
  let document: unknown;
  try {
    const members = topLevelMembers(text);
    document =
      members === undefined
        ? JSON.parse(text)
        : Object.fromEntries(
            [...members].map(([key, range]) => [
              key,
              UNREAD_SECTIONS.has(key) ? {} : (JSON.parse(text.slice(range.start, range.end)) as unknown),
            ]),
          );
  } catch {
    return undefined;
  }
  return isTerraformJson(document) ? document : undefined;
}
