/**
 * `authn-pack query <name>`: runs one of queries/*.sql through SelectAggregateResourceConfig (with --aggregator) or
 * SelectResourceConfig (the current account and Region), reading every page, and prints the rows as a table, JSON
 * or CSV. `authn-pack query --list` lists the queries with their purpose.
 */
import {
  ConfigServiceClient,
  SelectAggregateResourceConfigCommand,
  SelectResourceConfigCommand,
} from '@aws-sdk/client-config-service';
import { CLIENT_MAX_ATTEMPTS } from '../rules/core/clients';
import { describeError } from '../rules/core/errors';
import { DEFAULT_RETRY, withRetries, type RetryPolicy } from '../rules/core/retry';
import { toCsv } from './formats/csv';
import { UsageError, writeOutput, type Output } from './io';
import { EXIT_UNREADABLE } from './scan-command';
import {
  POST_FILTERS,
  checkAdvancedQuery,
  listQueries,
  loadQuery,
  resultColumns,
  valueAt,
  type QueryRow,
} from './queries';

export const QUERY_FORMATS = ['table', 'json', 'csv'] as const;
export type QueryFormat = (typeof QUERY_FORMATS)[number];

/** Config returns at most 100 rows a page. */
export const QUERY_PAGE_SIZE = 100;

export interface QueryCommandOptions {
  readonly list?: boolean;
  readonly aggregator?: string;
  readonly format: string;
  readonly region?: string;
  readonly profile?: string;
  readonly output?: string;
}

export interface QueryDependencies {
  readonly client?: ConfigServiceClient;
  readonly retry?: RetryPolicy;
}

export interface QueryResult {
  readonly query: string;
  readonly aggregator: string | null;
  readonly columns: readonly string[];
  readonly rows: readonly QueryRow[];
  /** Rows Config returned before the query's client-side filter (equal to rows.length when it has none). */
  readonly returned: number;
}

export function parseQueryFormat(value: string): QueryFormat {
  const format = QUERY_FORMATS.find((candidate) => candidate === value);
  if (format === undefined) throw new UsageError(`--format must be one of ${QUERY_FORMATS.join(', ')}`);
  return format;
}

/** A Config client with adaptive retries, from the SDK's standard configuration (profile, AWS_REGION, endpoints). */
export function configClient(region: string | undefined, profile: string | undefined): ConfigServiceClient {
  return new ConfigServiceClient({
    retryMode: 'adaptive',
    maxAttempts: CLIENT_MAX_ATTEMPTS,
    ...(region === undefined ? {} : { region }),
    ...(profile === undefined ? {} : { profile }),
  });
}

function parseRow(text: string, index: number): QueryRow {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`result ${index + 1} is not JSON: ${text.slice(0, 80)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`result ${index + 1} is not a JSON object`);
  }
  return value as QueryRow;
}

/** Runs an expression to the last page (NextToken), 100 rows a page, each page with our bounded retries. */
export async function runExpression(
  client: ConfigServiceClient,
  expression: string,
  aggregator: string | undefined,
  retry: RetryPolicy = DEFAULT_RETRY,
): Promise<{ rows: QueryRow[]; selectFields: string[] | undefined }> {
  const rows: QueryRow[] = [];
  let selectFields: string[] | undefined;
  let token: string | undefined;
  const seen = new Set<string>();
  do {
    const page =
      aggregator === undefined
        ? await withRetries(retry, () =>
            client.send(
              new SelectResourceConfigCommand({
                Expression: expression,
                Limit: QUERY_PAGE_SIZE,
                ...(token === undefined ? {} : { NextToken: token }),
              }),
            ),
          )
        : await withRetries(retry, () =>
            client.send(
              new SelectAggregateResourceConfigCommand({
                Expression: expression,
                ConfigurationAggregatorName: aggregator,
                Limit: QUERY_PAGE_SIZE,
                ...(token === undefined ? {} : { NextToken: token }),
              }),
            ),
          );
    for (const text of page.Results ?? []) rows.push(parseRow(text, rows.length));
    selectFields ??= page.QueryInfo?.SelectFields?.map((field) => field.Name).filter(
      (name): name is string => !!name,
    );
    token = page.NextToken || undefined;
    if (token !== undefined) {
      if (seen.has(token))
        throw new Error('Config returned the same NextToken twice; stopping rather than looping');
      seen.add(token);
    }
  } while (token !== undefined);
  return { rows, selectFields };
}

export async function runNamedQuery(
  name: string,
  options: { aggregator?: string; region?: string; profile?: string },
  dependencies: QueryDependencies = {},
): Promise<QueryResult> {
  const query = loadQuery(name);
  const problems = checkAdvancedQuery(query.expression);
  if (problems.length > 0) {
    throw new UsageError(`queries/${query.name}.sql is not a valid advanced query: ${problems.join('; ')}`);
  }
  const client = dependencies.client ?? configClient(options.region, options.profile);
  const { rows, selectFields } = await runExpression(
    client,
    query.expression,
    options.aggregator,
    dependencies.retry,
  );
  const filter = POST_FILTERS[query.name];
  const kept =
    filter === undefined ? rows : rows.map(filter).filter((row): row is QueryRow => row !== undefined);
  return {
    query: query.name,
    aggregator: options.aggregator ?? null,
    columns: resultColumns(kept.length > 0 ? kept : rows, selectFields),
    rows: kept,
    returned: rows.length,
  };
}

/** A cell for the table and CSV: scalars as they are, objects and arrays as JSON. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

export function renderQueryTable(result: QueryResult): string {
  const scope = result.aggregator === null ? 'this account and Region' : `aggregator ${result.aggregator}`;
  const filtered =
    result.returned === result.rows.length
      ? ''
      : ` (${result.returned} returned, ${result.returned - result.rows.length} dropped by the client-side filter)`;
  const lines = [`query ${result.query} · ${scope} · ${result.rows.length} row(s)${filtered}`, ''];
  if (result.rows.length === 0) return `${lines.join('\n')}No rows.\n`;
  const table = [
    [...result.columns],
    ...result.rows.map((row) =>
      result.columns.map((column) => cellText(valueAt(row, column)).replace(/\s*\n\s*/g, ' ')),
    ),
  ];
  const widths = result.columns.map((_, column) =>
    Math.max(...table.map((row) => (row[column] ?? '').length)),
  );
  for (const row of table) {
    lines.push(
      row
        .map((cell, column) => cell.padEnd((widths[column] ?? 0) + 2))
        .join('')
        .trimEnd(),
    );
  }
  return `${lines.join('\n')}\n`;
}

export function renderQuery(result: QueryResult, format: QueryFormat): string {
  switch (format) {
    case 'table':
      return renderQueryTable(result);
    case 'json':
      return `${JSON.stringify({ query: result.query, aggregator: result.aggregator, count: result.rows.length, columns: result.columns, results: result.rows }, null, 2)}\n`;
    case 'csv':
      return toCsv(
        result.columns,
        result.rows.map((row) =>
          result.columns.map((column) => {
            const value = valueAt(row, column);
            return typeof value === 'object' && value !== null ? JSON.stringify(value) : value;
          }),
        ),
      );
  }
}

export function renderQueryList(): string {
  const queries = listQueries();
  const width = Math.max(...queries.map((query) => query.name.length));
  return `${queries.map((query) => `${query.name.padEnd(width + 2)}${query.purpose}`).join('\n')}\n`;
}

export async function runQueryCommand(
  name: string | undefined,
  options: QueryCommandOptions,
  out: Output,
  dependencies: QueryDependencies = {},
): Promise<number> {
  if (options.list === true) {
    out.stdout(renderQueryList());
    return 0;
  }
  if (name === undefined) throw new UsageError('name a query (authn-pack query --list shows them)');
  const format = parseQueryFormat(options.format);
  let result: QueryResult;
  try {
    result = await runNamedQuery(
      name,
      {
        ...(options.aggregator === undefined ? {} : { aggregator: options.aggregator }),
        ...(options.region === undefined ? {} : { region: options.region }),
        ...(options.profile === undefined ? {} : { profile: options.profile }),
      },
      dependencies,
    );
  } catch (error) {
    if (error instanceof UsageError) throw error;
    // Nothing is printed rather than the pages read so far: a partial answer would pass for a whole one.
    out.stderr(`error: query ${name} could not be read: ${describeError(error)}\n`);
    return EXIT_UNREADABLE;
  }
  const text = renderQuery(result, format);
  writeOutput(text, options.output, out);
  return 0;
}
