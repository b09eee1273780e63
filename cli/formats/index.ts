/**
 * Every output format of the CLI, behind one interface (as Powertools' `LogFormatter`: one contract, one
 * implementation per format). `scan` and `check-template` render their findings through it, `report` the
 * organization report; a format that has no sense for one of them (SARIF for the report) leaves it out.
 */
import type { FindingsReport } from '../findings';
import type { AggregateReport } from '../report/model';
import { renderFindingsCsv, renderReportCsv } from './csv';
import { renderReportHtml } from './html/report-sections';
import { renderHtml } from './html/sections';
import { renderJson, renderReportJson } from './json';
import { renderSarif } from './sarif';
import { renderReportTable, renderTable } from './table';

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
  { name: 'html', findings: renderHtml, aggregate: renderReportHtml },
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
