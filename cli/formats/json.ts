/** JSON: the findings as `{"findings": [...]}` with the documented fields, and the organization report whole. */
import type { FindingsReport } from '../findings';
import { accountRows, controlRows, expiringExceptions, type AggregateReport } from '../report/model';

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

/** The organization report with its per-control and per-account summaries and the exceptions that need attention. */
export function renderReportJson(report: AggregateReport): string {
  return `${JSON.stringify(
    {
      ...report,
      summary: { controls: controlRows(report), accounts: accountRows(report) },
      expiring: expiringExceptions(report),
    },
    null,
    2,
  )}\n`;
}
