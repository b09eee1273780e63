/**
 * The advanced queries under queries/: one `.sql` file per question, a header of `--` comment lines (Purpose, Answers,
 * Limits, Run) and one SELECT. AWS Config's advanced query language is a subset of SQL; `checkAdvancedQuery` holds a
 * query to that subset before anything is sent, and the test suite holds every shipped query to it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_EXCEPTION_PREFIX } from '../rules/core/exceptions';
import { UsageError } from './io';
import { matchPackRule } from './rule-names';

export const QUERIES_DIR = join(__dirname, '..', 'queries');

/** SelectResourceConfig / SelectAggregateResourceConfig accept at most this many characters. */
export const MAX_EXPRESSION_LENGTH = 4096;

export interface QueryFile {
  readonly name: string;
  /** The `Purpose:` line: one sentence, for `query --list`. */
  readonly purpose: string;
  /** Every header comment line, without the `-- ` marker. */
  readonly header: readonly string[];
  /** The SELECT as sent: comments removed, whitespace outside string literals collapsed. */
  readonly expression: string;
}

/** Splits a query into code and string-literal pieces (`'...'`, with `''` as an escaped quote). */
function pieces(sql: string): { text: string; literal: boolean }[] {
  const out: { text: string; literal: boolean }[] = [];
  let index = 0;
  while (index < sql.length) {
    const quote = sql.indexOf("'", index);
    if (quote === -1) {
      out.push({ text: sql.slice(index), literal: false });
      break;
    }
    if (quote > index) out.push({ text: sql.slice(index, quote), literal: false });
    let end = quote + 1;
    for (;;) {
      const next = sql.indexOf("'", end);
      if (next === -1) {
        end = sql.length;
        break;
      }
      if (sql[next + 1] === "'") {
        end = next + 2;
        continue;
      }
      end = next + 1;
      break;
    }
    out.push({ text: sql.slice(quote, end), literal: true });
    index = end;
  }
  return out;
}

/** Removes `--` comments (outside literals) and collapses whitespace outside literals to single spaces. */
export function toExpression(sql: string): string {
  const withoutComments = sql
    .split('\n')
    .map((line) => {
      let code = '';
      for (const piece of pieces(line)) {
        if (piece.literal) {
          code += piece.text;
          continue;
        }
        const dashes = piece.text.indexOf('--');
        if (dashes !== -1) {
          code += piece.text.slice(0, dashes);
          return code;
        }
        code += piece.text;
      }
      return code;
    })
    .join('\n');
  return pieces(withoutComments)
    .map((piece) => (piece.literal ? piece.text : piece.text.replace(/\s+/g, ' ')))
    .join('')
    .trim();
}

export function parseQueryFile(name: string, text: string): QueryFile {
  const lines = text.split(/\r?\n/);
  const header: string[] = [];
  for (const line of lines) {
    if (!line.startsWith('--')) break;
    header.push(line.replace(/^--\s?/, ''));
  }
  const purposeLine = header.find((line) => line.startsWith('Purpose:'));
  return {
    name,
    purpose: purposeLine === undefined ? '' : purposeLine.slice('Purpose:'.length).trim(),
    header,
    expression: toExpression(text),
  };
}

/** Every query file, by name (the file name without `.sql`), sorted. */
export function listQueries(directory = QUERIES_DIR): QueryFile[] {
  return readdirSync(directory)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) =>
      parseQueryFile(file.slice(0, -'.sql'.length), readFileSync(join(directory, file), 'utf8')),
    );
}

export function loadQuery(name: string, directory = QUERIES_DIR): QueryFile {
  const known = listQueries(directory);
  const query = known.find((candidate) => candidate.name === name || `${candidate.name}.sql` === name);
  if (query === undefined) {
    throw new UsageError(
      `unknown query "${name}"; the queries are: ${known.map((q) => q.name).join(', ')} (see --list)`,
    );
  }
  return query;
}

const FORBIDDEN_KEYWORDS = ['JOIN', 'DISTINCT', 'FROM', 'AS', 'HAVING', 'UNION', 'ALL'] as const;
const AGGREGATES = /\b(COUNT|SUM|AVG|MIN|MAX)\s*\(/i;

function clauseAfter(code: string, keyword: RegExp, stops: readonly RegExp[]): string | undefined {
  const start = keyword.exec(code);
  if (start === null) return undefined;
  const rest = code.slice(start.index + start[0].length);
  const end = Math.min(...stops.map((stop) => stop.exec(rest)?.index ?? rest.length));
  return rest.slice(0, end);
}

/** Splits on commas that are not inside parentheses. */
function splitList(clause: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of clause) {
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (char === ',' && depth === 0) {
      items.push(current.trim());
      current = '';
    } else {
      current += char;
    }
  }
  if (current.trim() !== '') items.push(current.trim());
  return items;
}

/**
 * What in an expression AWS Config's advanced query language does not accept (an empty list when it is fine):
 * it starts with SELECT; no JOIN, DISTINCT, FROM, AS, HAVING, UNION or ALL; no NULL comparison; LIKE patterns
 * with suffix wildcards only, after at least 3 literal characters; at most 3 GROUP BY properties (1 when ORDER BY
 * sorts on an aggregate); at most 4096 characters.
 */
export function checkAdvancedQuery(expression: string): string[] {
  const problems: string[] = [];
  if (expression.length > MAX_EXPRESSION_LENGTH) {
    problems.push(`${expression.length} characters; the limit is ${MAX_EXPRESSION_LENGTH}`);
  }
  const parts = pieces(expression);
  // Code with every literal replaced by a placeholder, so keywords inside strings are not seen.
  const code = parts.map((piece) => (piece.literal ? "'?'" : piece.text)).join('');
  if (!/^\s*SELECT\s/i.test(code)) problems.push('does not start with SELECT');
  for (const keyword of FORBIDDEN_KEYWORDS) {
    if (new RegExp(`\\b${keyword}\\b`, 'i').test(code))
      problems.push(`uses ${keyword}, which advanced queries do not support`);
  }
  if (/\bNULL\b/i.test(code)) problems.push('compares with NULL, which advanced queries do not support');
  parts.forEach((piece, index) => {
    if (!piece.literal) return;
    const before = parts[index - 1];
    if (before === undefined || before.literal || !/\bLIKE\s*$/i.test(before.text)) return;
    const pattern = piece.text.slice(1, -1).replace(/''/g, "'");
    const wildcard = pattern.search(/[%_]/);
    if (wildcard === -1) return;
    if (wildcard === 0)
      problems.push(`LIKE '${pattern}' starts with a wildcard; only suffix wildcards are supported`);
    else if (wildcard < 3) problems.push(`LIKE '${pattern}' has fewer than 3 characters before its wildcard`);
    else if (!/^%*$/.test(pattern.slice(wildcard))) {
      problems.push(`LIKE '${pattern}' has a wildcard before its end; only suffix wildcards are supported`);
    }
  });
  const groupBy = clauseAfter(code, /\bGROUP\s+BY\b/i, [/\bORDER\s+BY\b/i]);
  const orderBy = clauseAfter(code, /\bORDER\s+BY\b/i, [/\bGROUP\s+BY\b/i]);
  if (groupBy !== undefined) {
    const count = splitList(groupBy).length;
    const limit = orderBy !== undefined && AGGREGATES.test(orderBy) ? 1 : 3;
    if (count > limit) problems.push(`GROUP BY has ${count} properties; the limit is ${limit}`);
  }
  return problems;
}

/** The LIKE patterns of an expression (e.g. the rule-name patterns a test matches against the registry). */
export function likePatterns(expression: string): string[] {
  const parts = pieces(expression);
  const patterns: string[] = [];
  parts.forEach((piece, index) => {
    const before = parts[index - 1];
    if (piece.literal && before !== undefined && !before.literal && /\bLIKE\s*$/i.test(before.text)) {
      patterns.push(piece.text.slice(1, -1).replace(/''/g, "'"));
    }
  });
  return patterns;
}

/** SQL LIKE (`%` any run, `_` one character), case-sensitive as Config compares values. */
export function likeMatches(pattern: string, value: string): boolean {
  const regex = pattern
    .split('')
    .map((char) => (char === '%' ? '.*' : char === '_' ? '.' : char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${regex}$`, 's').test(value);
}

// ---------------------------------------------------------------------------------------------------------------
// Results

export type QueryRow = Readonly<Record<string, unknown>>;

/** A value by its selected name: the key as given (`COUNT(*)`), else the dotted path (`configuration.x.y`). */
export function valueAt(row: QueryRow, field: string): unknown {
  if (Object.prototype.hasOwnProperty.call(row, field)) return row[field];
  let current: unknown = row;
  for (const part of field.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** The columns of a result: the selected fields Config reports, else the top-level keys in order of appearance. */
export function resultColumns(
  rows: readonly QueryRow[],
  selectFields: readonly string[] | undefined,
): string[] {
  if (selectFields !== undefined && selectFields.length > 0) return [...selectFields];
  const columns: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  return columns;
}

function tagKeyOf(tag: unknown): string | undefined {
  if (typeof tag !== 'object' || tag === null) return undefined;
  const record = tag as Record<string, unknown>;
  const key = record['key'] ?? record['Key'];
  return typeof key === 'string' ? key : undefined;
}

function withConfigurationField(row: QueryRow, field: string, value: unknown): QueryRow {
  const configuration = row['configuration'];
  const base =
    typeof configuration === 'object' && configuration !== null
      ? (configuration as Record<string, unknown>)
      : {};
  return { ...row, configuration: { ...base, [field]: value } };
}

/**
 * Client-side filters for queries whose conditions meet Config's array semantics (conditions on an array are each
 * true when ANY element matches). Each returns the row narrowed to what the question asks, or undefined to drop it.
 */
export const POST_FILTERS: Readonly<Record<string, (row: QueryRow) => QueryRow | undefined>> = {
  'pack-noncompliant': (row) => {
    const list = valueAt(row, 'configuration.configRuleList');
    if (!Array.isArray(list)) return undefined;
    const ours = list.filter((entry: unknown) => {
      if (typeof entry !== 'object' || entry === null) return false;
      const record = entry as Record<string, unknown>;
      const name = record['configRuleName'];
      return (
        typeof name === 'string' &&
        matchPackRule(name) !== undefined &&
        record['complianceType'] === 'NON_COMPLIANT'
      );
    });
    return ours.length === 0 ? undefined : withConfigurationField(row, 'configRuleList', ours);
  },
  'exceptions-tagged': (row) => {
    const tags = row['tags'];
    const keep = (key: string | undefined): boolean =>
      key !== undefined && key.startsWith(DEFAULT_EXCEPTION_PREFIX);
    if (Array.isArray(tags)) {
      const ours = tags.filter((tag: unknown) => keep(tagKeyOf(tag)));
      return ours.length === 0 ? undefined : { ...row, tags: ours };
    }
    if (typeof tags === 'object' && tags !== null) {
      const ours = Object.fromEntries(
        Object.entries(tags as Record<string, unknown>).filter(([key]) => keep(key)),
      );
      return Object.keys(ours).length === 0 ? undefined : { ...row, tags: ours };
    }
    return row;
  },
};
