/** The default output: a dashboard-like text report for a terminal. */
import { RULES } from '../../rules/index';
import { rankFindings, summarize, type Finding, type FindingsReport } from '../findings';

/** Rows of text cells as aligned columns (the first row sets the column count). */
export function textTable(rows: readonly (readonly string[])[]): string {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd((widths[column] ?? 0) + 2))
        .join('')
        .trimEnd(),
    )
    .join('\n');
}

function where(finding: Finding): string {
  if (finding.file !== undefined)
    return `${finding.file}${finding.line === undefined ? '' : `:${finding.line}`}`;
  return [finding.accountId, finding.region].filter((part) => part !== undefined).join(' ');
}

export function renderTable(report: FindingsReport): string {
  const lines: string[] = [];
  const controls = RULES.map((rule) => rule.control);
  const heading = report.kind === 'scan' ? 'authn-pack scan' : 'authn-pack check-template';
  const scopes = new Set(report.findings.map((f) => f.file ?? `${f.accountId ?? ''} ${f.region ?? ''}`));
  lines.push(
    `${heading} · ${report.generatedAt} · ${report.findings.length} resources in ${scopes.size} location(s)`,
    '',
  );
  lines.push(
    textTable([
      ['Control', 'Non-compliant', 'Compliant', 'Exceptions', 'Not applicable'],
      ...summarize(controls, report.findings).map((row) => [
        row.control,
        String(row.nonCompliant),
        String(row.compliant),
        String(row.exceptions),
        String(row.notApplicable),
      ]),
    ]),
  );
  const failing = rankFindings(report.findings).filter((finding) => finding.compliance === 'NON_COMPLIANT');
  lines.push(
    '',
    failing.length === 0
      ? 'No failing resources.'
      : `Failing resources (${failing.length}), internet-facing first:`,
  );
  for (const finding of failing) {
    const exposure = finding.internetFacing ? '[internet] ' : '';
    lines.push(`  ✗ ${exposure}${finding.control}  ${finding.resourceName}  (${where(finding)})`);
    lines.push(`      ${finding.annotation}`);
    if (finding.remediation !== null) lines.push(`      fix: ${finding.remediation}`);
  }
  const excepted = report.findings.filter((finding) => finding.exception !== null);
  if (excepted.length > 0) {
    lines.push('', `Documented exceptions (${excepted.length}):`);
    for (const finding of excepted) {
      const exception = finding.exception;
      if (exception === null) continue;
      const scope = exception.wide ? ', API-wide' : '';
      lines.push(
        `  ~ ${finding.control}  ${finding.resourceName}  (${where(finding)}): ${exception.justification} [${exception.expires === null ? 'no expiry' : `expires ${exception.expires}`}${scope}]`,
      );
    }
  }
  if (report.dangling.length > 0) {
    lines.push('', `Dangling exception tags (${report.dangling.length}), exempting nothing:`);
    for (const tag of report.dangling) {
      lines.push(`  ? ${tag.resourceName}: "${tag.tagKey}" ${tag.reason}`);
    }
  }
  if (report.unreadable.length > 0) {
    lines.push('', `Could not be read (${report.unreadable.length}) — not evaluated:`);
    for (const item of report.unreadable) lines.push(`  ! ${item.scope}: ${item.error}`);
  }
  return `${lines.join('\n')}\n`;
}
