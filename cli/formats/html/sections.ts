/**
 * The scan and template-check page (`--format html`): one self-contained page a security lead can forward. Built from
 * the sections below, in reading order; shared cells in ./cells, the chart in ./chart, the look in ./styles.
 */
import { RULES } from '../../../rules/index';
import { exceptionExpiry, needsAttention } from '../../../rules/core/exceptions';
import { rankFindings, summarize, type Finding, type FindingsReport } from '../../findings';
import { plural } from '../text';
import {
  commandMarkup,
  expiryCell,
  figure,
  formatTimestamp,
  locationCell,
  resourceCell,
  type Located,
} from './cells';
import { complianceChart, type ChartRow } from './chart';
import { htmlDocument, markup, type SafeHtml } from './safe';
import { REPORT_STYLES } from './styles';

/** Exceptions lapsing within this many days of the report are flagged. */
const EXPIRING_WITHIN_DAYS = 30;

const expiryAt = (expires: string | null, report: FindingsReport) =>
  exceptionExpiry(expires, report.generatedAt, EXPIRING_WITHIN_DAYS);

/** The controls to chart: the registry's, then any other control the findings name (kept, never dropped). */
export function reportControls(findings: readonly Finding[]): { control: string; title: string }[] {
  const controls = RULES.map((rule) => ({ control: rule.control, title: rule.title }));
  for (const finding of findings) {
    if (!controls.some((known) => known.control === finding.control)) {
      controls.push({ control: finding.control, title: finding.ruleName });
    }
  }
  return controls;
}

/** Accounts, regions and files a report covers (from findings, dangling tags and unreadable scopes alike). */
export function coverage(report: FindingsReport): { accounts: string[]; regions: string[]; files: string[] } {
  const items: readonly Located[] = [...report.findings, ...report.dangling, ...report.unreadable];
  const collect = (pick: (item: Located) => string | undefined): string[] =>
    [...new Set(items.map(pick).filter((value): value is string => value !== undefined))].sort();
  return {
    accounts: collect((item) => item.accountId),
    regions: collect((item) => item.region),
    files: collect((item) => item.file),
  };
}

function kindLabel(report: FindingsReport): string {
  return report.kind === 'scan' ? 'Account scan' : 'Template check';
}

function listOrCount(values: readonly string[], noun: string): SafeHtml {
  if (values.length === 0) return markup`<span class="sub">none</span>`;
  if (values.length <= 6) return markup`${values.join(', ')}`;
  return markup`<details><summary>${plural(values.length, noun)}</summary>${values.join(', ')}</details>`;
}

/** Title, kind (scan or template check), time, and the accounts/regions or files the report covers. */
export function reportHeader(report: FindingsReport): SafeHtml {
  const covered = coverage(report);
  const scope =
    report.kind === 'scan'
      ? markup`<dt>Accounts</dt><dd>${listOrCount(covered.accounts, 'account')}</dd>
<dt>Regions</dt><dd>${listOrCount(covered.regions, 'region')}</dd>`
      : markup`<dt>Files</dt><dd>${listOrCount(covered.files, 'file')}</dd>`;
  const unreadableLink = report.unreadable.length > 0 && markup`<a href="#unreadable">Not evaluated</a>`;
  return markup`<header class="report-header">
<p class="kicker">authn-pack · ${kindLabel(report)}</p>
<h1>Authentication compliance report</h1>
<dl>
<dt>Generated</dt><dd><time datetime="${report.generatedAt}">${formatTimestamp(report.generatedAt)}</time></dd>
${scope}
<dt>Resources evaluated</dt><dd>${report.findings.length}</dd>
</dl>
<nav class="toc" aria-label="Sections">${unreadableLink}<a href="#compliance">Compliance per control</a><a href="#failing">Failing resources</a><a href="#exceptions">Exceptions</a><a href="#dangling">Dangling tags</a></nav>
</header>`;
}

/** The few numbers a reader takes in first. */
export function keyFigures(report: FindingsReport): SafeHtml {
  const failing = report.findings.filter((f) => f.compliance === 'NON_COMPLIANT');
  const internet = failing.filter((f) => f.internetFacing).length;
  const compliant = report.findings.filter((f) => f.compliance === 'COMPLIANT').length;
  const excepted = report.findings.filter((f) => f.exception !== null);
  const soon = excepted.filter((f) => needsAttention(expiryAt(f.exception?.expires ?? null, report))).length;
  return markup`<ul class="figures" aria-label="Key figures">
${figure(failing.length > 0 ? 'bad' : 'good', failing.length, 'Failing resources', `${internet} internet-facing`)}
${figure('good', compliant, 'Compliant', `${excepted.length} by documented exception`)}
${figure(soon > 0 ? 'warn' : '', excepted.length, 'Exceptions', `${soon} expiring within 30 days`)}
${figure(report.dangling.length > 0 ? 'warn' : '', report.dangling.length, 'Dangling exception tags', 'exempting nothing')}
${figure(report.unreadable.length > 0 ? 'warn' : 'good', report.unreadable.length, 'Not evaluated', 'could not be read')}
</ul>`;
}

/** Anything that could not be read, in a box nobody can miss (nothing when everything was read). */
export function unreadableWarning(report: FindingsReport): SafeHtml {
  if (report.unreadable.length === 0) return markup``;
  const items = report.unreadable.map(
    (item) => markup`<li><strong>${item.scope}</strong>: ${item.error}</li>\n`,
  );
  return markup`<section class="warning" id="unreadable" aria-labelledby="unreadable-heading">
<h2 id="unreadable-heading">⚠ Incomplete: ${plural(report.unreadable.length, 'scope')} could not be read</h2>
<p>These were <strong>not evaluated</strong>: resources there may be failing and are not counted in this report.</p>
<ul>
${items}</ul>
</section>`;
}

/** Per control: the counts, the title from the registry, and how many are compliant only by exception. */
export function chartRows(report: FindingsReport): ChartRow[] {
  const controls = reportControls(report.findings);
  return summarize(
    controls.map((c) => c.control),
    report.findings,
  ).map((summary, index) => ({
    ...summary,
    title: controls[index]?.title ?? '',
    exceptionsCompliant: report.findings.filter(
      (f) => f.control === summary.control && f.compliance === 'COMPLIANT' && f.exception !== null,
    ).length,
  }));
}

/** Compliance per control at a glance: the chart, then the same numbers as a table. */
export function complianceSection(report: FindingsReport): SafeHtml {
  const rows = chartRows(report);
  const body = rows.map(
    (row) =>
      markup`<tr><th scope="row">${row.control}<br><span class="sub">${row.title}</span></th><td class="num${row.nonCompliant > 0 ? ' bad' : ''}">${row.nonCompliant}</td><td class="num">${row.compliant}</td><td class="num">${row.exceptions}</td><td class="num">${row.notApplicable}</td><td class="num">${row.nonCompliant + row.compliant + row.notApplicable}</td></tr>\n`,
  );
  return markup`<section id="compliance" aria-labelledby="compliance-heading">
<h2 id="compliance-heading">Compliance per control</h2>
<p class="lead">One bar per control, across all its resources: non-compliant, compliant (hatched: by documented exception), not applicable.</p>
<figure class="chart">${complianceChart(rows)}</figure>
<table class="summary">
<caption>Resources per control and verdict</caption>
<thead><tr><th scope="col">Control</th><th scope="col" class="num">Non-compliant</th><th scope="col" class="num">Compliant (incl. exceptions)</th><th scope="col" class="num">By exception</th><th scope="col" class="num">Not applicable</th><th scope="col" class="num">Total</th></tr></thead>
<tbody>
${body}</tbody>
</table>
</section>`;
}

function exposureBadge(finding: Finding): SafeHtml {
  return finding.internetFacing
    ? markup`<span class="badge internet">Internet-facing</span>`
    : markup`<span class="badge internal">Not internet-facing</span>`;
}

/** One failing resource: rank, exposure, control, resource, location, annotation and the fix command. */
export function failingRow(finding: Finding, rank: number): SafeHtml {
  const fix =
    finding.remediation !== null &&
    markup`<span class="fix-label">Fix</span><pre class="fix"><code>${commandMarkup(finding.remediation)}</code></pre>`;
  return markup`<tr class="${finding.internetFacing ? 'internet-facing' : 'internal'}"><td class="rank">${rank}</td><td>${exposureBadge(finding)}</td><td>${finding.control}</td><td>${resourceCell(finding.resourceName, finding.resourceId, finding.resourceType)}</td><td>${locationCell(finding)}</td><td class="why"><p>${finding.annotation}</p>${fix}</td></tr>\n`;
}

/** Failing resources ranked by exposure (internet-facing first), each with its annotation and fix. */
export function failingSection(report: FindingsReport): SafeHtml {
  const failing = rankFindings(report.findings).filter((f) => f.compliance === 'NON_COMPLIANT');
  const internet = failing.filter((f) => f.internetFacing).length;
  const heading = markup`<h2 id="failing-heading">Failing resources <span class="count">(${failing.length})</span></h2>`;
  if (failing.length === 0) {
    return markup`<section id="failing" aria-labelledby="failing-heading">${heading}<p class="all-clear">No failing resources.</p></section>`;
  }
  return markup`<section id="failing" aria-labelledby="failing-heading">
${heading}
<p class="lead">Ranked by exposure: ${plural(internet, 'internet-facing resource')} first (reachable by anyone on the internet), then the rest. Click a fix to select the whole command.</p>
<table class="failing">
<caption>Failing resources, most exposed first</caption>
<thead><tr><th scope="col">#</th><th scope="col">Exposure</th><th scope="col">Control</th><th scope="col">Resource</th><th scope="col">Location</th><th scope="col">Why it fails, and the fix</th></tr></thead>
<tbody>
${failing.map((finding, index) => failingRow(finding, index + 1))}</tbody>
</table>
</section>`;
}

const expiryOrder = (finding: Finding): string => finding.exception?.expires ?? '9999-99-99';

/** Documented exceptions, soonest expiry first; those lapsing within 30 days of the report are flagged. */
export function exceptionsSection(report: FindingsReport): SafeHtml {
  const excepted = report.findings
    .filter((f) => f.exception !== null)
    .sort(
      (a, b) => expiryOrder(a).localeCompare(expiryOrder(b)) || a.resourceName.localeCompare(b.resourceName),
    );
  const heading = markup`<h2 id="exceptions-heading">Documented exceptions <span class="count">(${excepted.length})</span></h2>`;
  if (excepted.length === 0) {
    return markup`<section id="exceptions" aria-labelledby="exceptions-heading">${heading}<p class="lead">No resource is exempted by an exception tag.</p></section>`;
  }
  const rows = excepted.map((finding) => {
    const exception = finding.exception;
    if (exception === null) return markup``;
    const expiry = expiryAt(exception.expires, report);
    const rowClass = needsAttention(expiry) && markup` class="expiring-soon"`;
    const wide = exception.wide && markup`<br><span class="sub">API-wide</span>`;
    return markup`<tr${rowClass}><td>${finding.control}</td><td>${resourceCell(finding.resourceName, finding.resourceId)}</td><td>${locationCell(finding)}</td><td>${exception.justification}</td><td class="loc">${expiryCell(exception.expires, expiry)}</td><td class="tag"><code class="id">${exception.tagKey}</code>${wide}</td></tr>\n`;
  });
  return markup`<section id="exceptions" aria-labelledby="exceptions-heading">
${heading}
<p class="lead">Resources that would fail but carry a documented exception tag. Soonest expiry first; those expiring within 30 days are highlighted.</p>
<table class="exceptions">
<caption>Documented exceptions and their expiry</caption>
<thead><tr><th scope="col">Control</th><th scope="col">Resource</th><th scope="col">Location</th><th scope="col">Justification</th><th scope="col">Expires</th><th scope="col">Tag</th></tr></thead>
<tbody>
${rows}</tbody>
</table>
</section>`;
}

/** Exception tags that exempt nothing (a typo, a removed route, a tag on the wrong resource). */
export function danglingSection(report: FindingsReport): SafeHtml {
  const heading = markup`<h2 id="dangling-heading">Dangling exception tags <span class="count">(${report.dangling.length})</span></h2>`;
  if (report.dangling.length === 0) {
    return markup`<section id="dangling" aria-labelledby="dangling-heading">${heading}<p class="lead">Every exception tag exempts something.</p></section>`;
  }
  const rows = report.dangling.map(
    (tag) =>
      markup`<tr><td>${resourceCell(tag.resourceName, tag.resourceId)}</td><td>${locationCell(tag)}</td><td class="tag"><code class="id">${tag.tagKey}</code></td><td>${tag.reason}</td></tr>\n`,
  );
  return markup`<section id="dangling" aria-labelledby="dangling-heading">
${heading}
<p class="lead">Exception tags that exempt nothing: fix or remove them — the exception someone relies on does not exist.</p>
<table class="dangling">
<caption>Exception tags that exempt nothing</caption>
<thead><tr><th scope="col">Resource</th><th scope="col">Location</th><th scope="col">Tag</th><th scope="col">Why it exempts nothing</th></tr></thead>
<tbody>
${rows}</tbody>
</table>
</section>`;
}

export function reportFooter(report: FindingsReport): SafeHtml {
  return markup`<footer>Generated by authn-pack (${kindLabel(report).toLowerCase()}) at ${formatTimestamp(report.generatedAt)}. This file is self-contained: no scripts, nothing loaded from the network.</footer>`;
}

/** The page title: what, how bad, where and when — so a forwarded file says what it is. */
export function reportTitle(report: FindingsReport): string {
  const covered = coverage(report);
  const scope =
    report.kind === 'scan'
      ? `${plural(covered.accounts.length, 'account')}, ${plural(covered.regions.length, 'region')}`
      : plural(covered.files.length, 'file');
  const failing = report.findings.filter((f) => f.compliance === 'NON_COMPLIANT').length;
  return `authn-pack ${report.kind === 'scan' ? 'scan' : 'template check'}: ${failing} failing · ${scope} · ${formatTimestamp(report.generatedAt)}`;
}

/** The whole report page. */
export function reportBody(report: FindingsReport): SafeHtml {
  return markup`${reportHeader(report)}
${keyFigures(report)}
${unreadableWarning(report)}
${complianceSection(report)}
${failingSection(report)}
${exceptionsSection(report)}
${danglingSection(report)}
${reportFooter(report)}`;
}

export function renderHtml(report: FindingsReport): string {
  return htmlDocument(reportTitle(report), reportBody(report), REPORT_STYLES);
}
