/** The default output: a dashboard-like text report for a terminal, for the findings and for the organization report. */
import { RULES } from '../../rules/index';
import { rankFindings, summarize, type Finding, type FindingsReport } from '../findings';
import {
  accountRows,
  controlRows,
  expiringExceptions,
  type AggregateReport,
  type ExceptionFinding,
} from '../report/model';
import { plural } from './text';

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

// ---------------------------------------------------------------------------------------------------------------
// The organization report

/** An exception's expiry in words, with how far off (or past) it is. */
export function expiryWords(exception: ExceptionFinding): string {
  switch (exception.state) {
    case 'no-expiry':
      return 'no expiry';
    case 'unknown':
      return `expires ${exception.expires ?? ''} (not a date)`;
    case 'expired':
      return `EXPIRED ${exception.expires ?? ''} (${plural(-(exception.daysLeft ?? 0), 'day')} ago; the next evaluation fails it)`;
    case 'expiring':
      return exception.daysLeft === 0
        ? `expires ${exception.expires ?? ''} (today)`
        : `expires ${exception.expires ?? ''} (in ${plural(exception.daysLeft ?? 0, 'day')})`;
    case 'valid':
      return `expires ${exception.expires ?? ''}`;
  }
}

export function renderReportTable(report: AggregateReport): string {
  const lines: string[] = [];
  const accounts = new Set(report.scopes.map((scope) => scope.accountId));
  lines.push(
    `authn-pack report · aggregator ${report.aggregator} · ${report.generatedAt} · ${plural(accounts.size, 'account')}, ${plural(report.scopes.length, 'account/Region')}`,
    '',
  );
  if (report.unreadable.length > 0) {
    lines.push(
      `INCOMPLETE: ${plural(report.unreadable.length, 'scope')} could not be read (listed at the end); resources there are not counted.`,
      '',
    );
  }
  lines.push('Per control:');
  lines.push(
    textTable([
      [
        'Control',
        'Deployed in',
        'Non-compliant',
        'Exceptions',
        `Expiring ≤${report.expiringWithinDays}d`,
        'Missing in',
        'Not evaluating',
        'Unreadable',
      ],
      ...controlRows(report).map((row) => [
        row.control,
        String(row.deployedIn),
        String(row.nonCompliant),
        String(row.exceptions),
        String(row.expiring),
        String(row.missingIn),
        String(row.notEvaluating),
        String(row.unreadable),
      ]),
    ]).replace(/^/gm, '  '),
  );
  lines.push('', 'Per account:');
  const perAccount = accountRows(report);
  if (perAccount.length === 0) lines.push('  (no account seen)');
  else {
    lines.push(
      textTable([
        [
          'Account',
          'Regions',
          'Non-compliant',
          'Exceptions',
          'Expiring',
          'Missing rules',
          'Not evaluating',
          'Unreadable',
        ],
        ...perAccount.map((row) => [
          row.accountId,
          String(row.regions.length),
          String(row.nonCompliant),
          String(row.exceptions),
          String(row.expiring),
          String(row.missingRules),
          String(row.notEvaluating),
          String(row.unreadable),
        ]),
      ]).replace(/^/gm, '  '),
    );
  }

  for (const rule of RULES) {
    const failing = report.nonCompliant.filter((finding) => finding.control === rule.control);
    const excepted = report.exceptions.filter((finding) => finding.control === rule.control);
    lines.push('', `${rule.control} — ${rule.title} (${rule.ruleName})`);
    if (failing.length === 0 && excepted.length === 0) {
      lines.push('  No non-compliant resources and no exceptions.');
      continue;
    }
    const byAccount = [...new Set([...failing, ...excepted].map((finding) => finding.accountId))].sort();
    for (const accountId of byAccount) {
      lines.push(`  account ${accountId}`);
      for (const finding of failing.filter((item) => item.accountId === accountId)) {
        lines.push(`    ✗ ${finding.resourceId}  (${finding.region})`);
        if (finding.annotation !== '') lines.push(`        ${finding.annotation}`);
        lines.push(`        fix: ${finding.remediation}`);
      }
      for (const exception of excepted.filter((item) => item.accountId === accountId)) {
        const wide = exception.wide ? ', resource-wide' : '';
        lines.push(
          `    ~ ${exception.resourceId}  (${exception.region}): ${exception.justification} [${expiryWords(exception)}${wide}]`,
        );
      }
    }
  }

  const expiring = expiringExceptions(report);
  lines.push(
    '',
    `Exceptions expiring within ${plural(report.expiringWithinDays, 'day')}, or past (${expiring.length}):`,
  );
  if (expiring.length === 0) lines.push('  None.');
  for (const exception of expiring) {
    lines.push(
      `  ! ${exception.control}  ${exception.resourceId}  (${exception.accountId} ${exception.region}): ${expiryWords(exception)} — ${exception.justification}`,
    );
  }

  lines.push(
    '',
    `Rules missing (${report.missing.length} account/Region(s) with some of the pack's rules but not all):`,
  );
  if (report.missing.length === 0) lines.push('  None.');
  for (const gap of report.missing)
    lines.push(`  - ${gap.accountId} ${gap.region}: missing ${gap.missing.join(', ')}`);
  if (report.packAbsent.length > 0) {
    lines.push(
      '',
      `Accounts/Regions the aggregator shows with none of the pack's rules (${report.packAbsent.length}):`,
    );
    lines.push(`  ${report.packAbsent.map((scope) => `${scope.accountId} ${scope.region}`).join(', ')}`);
  }

  lines.push('', `Rules not evaluating (${report.notEvaluating.length}):`);
  if (report.notEvaluating.length === 0) lines.push('  None.');
  for (const item of report.notEvaluating)
    lines.push(
      `  ? ${item.control}  ${item.accountId} ${item.region} (${item.configRuleName}): ${item.reason}`,
    );

  if (report.sourceWarnings.length > 0) {
    lines.push('', `Aggregator sources not current (${report.sourceWarnings.length}):`);
    for (const warning of report.sourceWarnings)
      lines.push(`  ~ ${warning.sourceId} ${warning.region}: ${warning.status}, ${warning.detail}`);
  }
  if (report.unreadable.length > 0) {
    lines.push('', `Could not be read (${report.unreadable.length}) — not counted above:`);
    for (const item of report.unreadable) lines.push(`  ! ${item.scope}: ${item.error}`);
  }
  return `${lines.join('\n')}\n`;
}
