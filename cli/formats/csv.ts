/** CSV as RFC 4180 writes it, safe to open in a spreadsheet: the findings, the organization report, query results. */
import type { FindingsReport } from '../findings';
import { needsAttention } from '../../rules/core/exceptions';
import type { AggregateReport } from '../report/model';

/** Characters that make a spreadsheet read a cell as a formula (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One cell: objects and arrays as JSON; text that a spreadsheet would run as a formula gets a leading `'`; a cell with
 * a comma, quote, line break or leading/trailing space is quoted, its quotes doubled.
 */
export function csvCell(value: unknown): string {
  let text: string;
  if (value === null || value === undefined) text = '';
  else if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    text = String(value);
  else text = JSON.stringify(value);
  if (typeof value === 'string' && FORMULA_START.test(text) && !/^-?\d+(\.\d+)?$/.test(text))
    text = `'${text}`;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A header row and the data rows, CRLF-separated as RFC 4180 says, ending with a line break. */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

// ---------------------------------------------------------------------------------------------------------------
// Findings (scan, check-template)

export const FINDINGS_CSV_COLUMNS = [
  'section',
  'control',
  'compliance',
  'code',
  'resourceType',
  'resourceId',
  'resourceName',
  'accountId',
  'region',
  'file',
  'line',
  'logicalId',
  'internetFacing',
  'annotation',
  'remediation',
  'justification',
  'expires',
  'tagKey',
  'detail',
] as const;

/** One row per finding, dangling tag and unreadable scope; the `section` column says which. */
export function renderFindingsCsv(report: FindingsReport): string {
  type Row = Partial<Record<(typeof FINDINGS_CSV_COLUMNS)[number], unknown>>;
  const rows: Row[] = [
    ...report.findings.map(({ exception, ...finding }): Row => ({
      section: 'finding',
      ...finding,
      ...(exception === null
        ? {}
        : { justification: exception.justification, expires: exception.expires, tagKey: exception.tagKey }),
    })),
    ...report.dangling.map((tag): Row => ({ section: 'dangling-tag', ...tag, detail: tag.reason })),
    ...report.unreadable.map((item): Row => ({
      section: 'unreadable',
      ...item,
      detail: `${item.scope}: ${item.error}`,
    })),
  ];
  return toCsv(
    FINDINGS_CSV_COLUMNS,
    rows.map((row) => FINDINGS_CSV_COLUMNS.map((column) => row[column] ?? '')),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The organization report

export const REPORT_CSV_COLUMNS = [
  'section',
  'control',
  'accountId',
  'region',
  'configRuleName',
  'resourceType',
  'resourceId',
  'annotation',
  'remediation',
  'justification',
  'expires',
  'daysLeft',
  'expiryState',
  'detail',
] as const;

/** One row per item, the `section` column saying which list it belongs to. */
export function renderReportCsv(report: AggregateReport): string {
  type Row = Partial<Record<(typeof REPORT_CSV_COLUMNS)[number], unknown>>;
  const rows: Row[] = [
    ...report.nonCompliant.map((finding): Row => ({ section: 'non-compliant', ...finding })),
    ...report.exceptions.map((exception): Row => ({
      section: needsAttention(exception) ? 'exception-expiring' : 'exception',
      ...exception,
      expiryState: exception.state,
    })),
    ...report.missing.map((gap): Row => ({
      section: 'rule-missing',
      control: gap.missing.join(' '),
      accountId: gap.accountId,
      region: gap.region,
      detail: `present: ${gap.present.join(' ')}`,
    })),
    ...report.packAbsent.map((scope): Row => ({
      section: 'pack-absent',
      ...scope,
      detail: "none of the pack's rules",
    })),
    ...report.notEvaluating.map((item): Row => ({ section: 'not-evaluating', ...item, detail: item.reason })),
    ...report.sourceWarnings.map((warning): Row => ({
      section: 'source-outdated',
      accountId: warning.sourceId,
      region: warning.region,
      detail: `${warning.status}: ${warning.detail}`,
    })),
    ...report.unreadable.map((item): Row => ({
      section: 'unreadable',
      ...item,
      detail: `${item.scope}: ${item.error}`,
    })),
  ];
  return toCsv(
    REPORT_CSV_COLUMNS,
    rows.map((row) => REPORT_CSV_COLUMNS.map((column) => row[column] ?? '')),
  );
}
