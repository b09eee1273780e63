/** Output formats shared by scan, check-template and report. */
import type { FindingsReport } from '../findings';
import { renderHtml } from './html';
import { renderSarif } from './sarif';
import { renderTable } from './table';

export const FORMATS = ['table', 'json', 'sarif', 'html'] as const;
export type Format = (typeof FORMATS)[number];

export function renderJson(report: FindingsReport): string {
  return `${JSON.stringify(
    {
      findings: report.findings,
      dangling: report.dangling,
      unreadable: report.unreadable,
      generatedAt: report.generatedAt,
    },
    null,
    2,
  )}\n`;
}

export function render(report: FindingsReport, format: Format): string {
  switch (format) {
    case 'table':
      return renderTable(report);
    case 'json':
      return renderJson(report);
    case 'sarif':
      return renderSarif(report);
    case 'html':
      return renderHtml(report);
  }
}
