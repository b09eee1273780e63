/**
 * Every output format of the CLI, behind one interface (as Powertools' `LogFormatter`: one contract, one
 * implementation per format). `scan` and `check-template` render their findings through it, `report` the
 * organization report; a format that has no sense for one of them (SARIF for the report) leaves it out.
 */
import type { FindingsReport } from '../findings';
import type { AggregateReport } from '../report/model';
import { renderFindingsCsv, renderReportCsv } from './csv';
import { renderJson, renderReportJson } from './json';
import { renderSarif } from './sarif';
import { renderReportTable, renderTable } from './table';

// The HTML report (sections, charts, styles) loads when it is asked for: `check-template` in a pipeline prints a
// table or SARIF, and loading the HTML code with every command was a tenth of its start (BENCHMARKS.md, "CLI start").
/* eslint-disable @typescript-eslint/no-require-imports */
const html = (): typeof import('./html/sections') =>
  require('./html/sections') as typeof import('./html/sections');
const htmlReport = (): typeof import('./html/report-sections') =>
  require('./html/report-sections') as typeof import('./html/report-sections');
/* eslint-enable @typescript-eslint/no-require-imports */

export interface Formatter {
  readonly name: string;
  /** The findings of `scan` and `check-template`. */
  readonly findings: (report: FindingsReport) => string;
  /** The organization report of `report`, where the format has one. */
  readonly aggregate?: (report: AggregateReport) => string;
}

export const FORMATTERS = [
  { name: 'table', findings: renderTable, aggregate: renderReportTable },
  { name: 'json', findings: renderJson, aggregate: renderReportJson },
  { name: 'csv', findings: renderFindingsCsv, aggregate: renderReportCsv },
  { name: 'sarif', findings: renderSarif },
  {
    name: 'html',
    findings: (report: FindingsReport) => html().renderHtml(report),
    aggregate: (report: AggregateReport) => htmlReport().renderReportHtml(report),
  },
] as const satisfies readonly Formatter[];

type Formatters = (typeof FORMATTERS)[number];

/** Formats for `scan` and `check-template`. */
export type Format = Formatters['name'];
export const FORMATS: readonly Format[] = FORMATTERS.map((formatter) => formatter.name);

/** Formats for `report`. */
export type ReportFormat = Extract<Formatters, { aggregate: unknown }>['name'];
export const REPORT_FORMATS: readonly ReportFormat[] = FORMATTERS.flatMap((formatter) =>
  'aggregate' in formatter ? [formatter.name] : [],
);

export function render(report: FindingsReport, format: Format): string {
  const formatter: Formatter | undefined = FORMATTERS.find((candidate) => candidate.name === format);
  if (formatter === undefined) throw new Error(`no formatter "${format}"`);
  return formatter.findings(report);
}

export function renderReport(report: AggregateReport, format: ReportFormat): string {
  const formatter: Formatter | undefined = FORMATTERS.find((candidate) => candidate.name === format);
  if (formatter?.aggregate === undefined) throw new Error(`no report formatter "${format}"`);
  return formatter.aggregate(report);
}
