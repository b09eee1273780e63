/**
 * The organization report page (`authn-pack report --format html`): the scan page's shell, look, chart and cells,
 * with the report's own sections (per control, per account, non-compliant, exceptions, coverage).
 */
import { needsAttention } from '../../../rules/core/exceptions';
import { accountRows, controlRows, expiringExceptions, type AggregateReport } from '../../report/model';
import { plural } from '../text';
import { commandMarkup, expiryCell, figure, formatTimestamp, locationCell, resourceCell } from './cells';
import { complianceChart } from './chart';
import { htmlDocument, markup, type SafeHtml } from './safe';
import { ORGANIZATION_STYLES } from './styles';

function htmlHeader(report: AggregateReport): SafeHtml {
  const accounts = new Set(report.scopes.map((scope) => scope.accountId));
  const expiring = expiringExceptions(report);
  return markup`<header class="report-header">
<p class="kicker">authn-pack · Organization report</p>
<h1>Authentication compliance across the organization</h1>
<dl>
<dt>Aggregator</dt><dd>${report.aggregator}</dd>
<dt>Generated</dt><dd><time datetime="${report.generatedAt}">${formatTimestamp(report.generatedAt)}</time></dd>
<dt>Coverage</dt><dd>${plural(accounts.size, 'account')}, ${plural(report.scopes.length, 'account/Region')}, ${plural(report.rules.length, 'deployed rule')}</dd>
</dl>
<nav class="toc" aria-label="Sections">${report.unreadable.length > 0 && markup`<a href="#unreadable">Not read</a>`}<a href="#controls">Per control</a><a href="#accounts">Per account</a><a href="#failing">Non-compliant</a><a href="#exceptions">Exceptions</a><a href="#coverage">Coverage</a></nav>
</header>
<ul class="figures" aria-label="Key figures">
${figure(report.nonCompliant.length > 0 ? 'bad' : 'good', report.nonCompliant.length, 'Non-compliant resources', `in ${plural(new Set(report.nonCompliant.map((f) => f.accountId)).size, 'account')}`)}
${figure(expiring.length > 0 ? 'warn' : '', report.exceptions.length, 'Documented exceptions', `${expiring.length} expiring within ${report.expiringWithinDays} days or past`)}
${figure(report.missing.length > 0 ? 'warn' : 'good', report.missing.length, 'Rules missing', 'accounts/Regions with some rules but not all')}
${figure(report.notEvaluating.length > 0 ? 'warn' : 'good', report.notEvaluating.length, 'Rules not evaluating', 'no results delivered')}
${figure(report.unreadable.length > 0 ? 'warn' : 'good', report.unreadable.length, 'Not read', 'could not be read')}
</ul>`;
}

function htmlUnreadable(report: AggregateReport): SafeHtml {
  if (report.unreadable.length === 0) return markup``;
  return markup`<section class="warning" id="unreadable" aria-labelledby="unreadable-heading">
<h2 id="unreadable-heading">⚠ Incomplete: ${plural(report.unreadable.length, 'scope')} could not be read</h2>
<p>These were <strong>not read</strong>: resources there may be failing and are not counted in this report.</p>
<ul>
${report.unreadable.map((item) => markup`<li><strong>${item.scope}</strong>: ${item.error}</li>\n`)}</ul>
</section>`;
}

function htmlControls(report: AggregateReport): SafeHtml {
  const rows = controlRows(report);
  const chart = complianceChart(
    rows.map((row) => ({
      control: row.control,
      title: row.title,
      nonCompliant: row.nonCompliant,
      compliant: row.exceptions,
      notApplicable: 0,
      exceptions: row.exceptions,
      exceptionsCompliant: row.exceptions,
    })),
    'org-chart',
  );
  return markup`<section id="controls" aria-labelledby="controls-heading">
<h2 id="controls-heading">Per control</h2>
<p class="lead">Non-compliant resources and documented exceptions per control, from the rules' own results in every account and Region of the aggregator. (Compliant resources without an exception are not listed by this report.)</p>
<figure class="chart">${chart}</figure>
<table class="summary">
<caption>Each control across the organization</caption>
<thead><tr><th scope="col">Control</th><th scope="col" class="num">Deployed in</th><th scope="col" class="num">Non-compliant</th><th scope="col" class="num">Exceptions</th><th scope="col" class="num">Expiring ≤${report.expiringWithinDays} d</th><th scope="col" class="num">Missing in</th><th scope="col" class="num">Not evaluating</th><th scope="col" class="num">Not read</th></tr></thead>
<tbody>
${rows.map(
  (row) =>
    markup`<tr><th scope="row">${row.control}<br><span class="sub">${row.title}</span><br><code class="id">${row.ruleName}</code></th><td class="num">${row.deployedIn}</td><td class="num${row.nonCompliant > 0 ? ' bad' : ''}">${row.nonCompliant}</td><td class="num">${row.exceptions}</td><td class="num">${row.expiring}</td><td class="num${row.missingIn > 0 ? ' bad' : ''}">${row.missingIn}</td><td class="num">${row.notEvaluating}</td><td class="num">${row.unreadable}</td></tr>\n`,
)}</tbody>
</table>
</section>`;
}

function htmlAccounts(report: AggregateReport): SafeHtml {
  const rows = accountRows(report);
  return markup`<section id="accounts" aria-labelledby="accounts-heading">
<h2 id="accounts-heading">Per account <span class="count">(${rows.length})</span></h2>
<table class="summary">
<caption>Each account of the aggregator</caption>
<thead><tr><th scope="col">Account</th><th scope="col" class="num">Regions</th><th scope="col" class="num">Non-compliant</th><th scope="col" class="num">Exceptions</th><th scope="col" class="num">Expiring</th><th scope="col" class="num">Missing rules</th><th scope="col" class="num">Not evaluating</th><th scope="col" class="num">Not read</th></tr></thead>
<tbody>
${rows.map(
  (row) =>
    markup`<tr><th scope="row"><span class="loc">${row.accountId}</span></th><td class="num">${row.regions.length}</td><td class="num${row.nonCompliant > 0 ? ' bad' : ''}">${row.nonCompliant}</td><td class="num">${row.exceptions}</td><td class="num">${row.expiring}</td><td class="num${row.missingRules > 0 ? ' bad' : ''}">${row.missingRules}</td><td class="num">${row.notEvaluating}</td><td class="num${row.unreadable > 0 ? ' bad' : ''}">${row.unreadable}</td></tr>\n`,
)}</tbody>
</table>
</section>`;
}

function htmlFailing(report: AggregateReport): SafeHtml {
  const heading = markup`<h2 id="failing-heading">Non-compliant resources <span class="count">(${report.nonCompliant.length})</span></h2>`;
  if (report.nonCompliant.length === 0) {
    return markup`<section id="failing" aria-labelledby="failing-heading">${heading}<p class="all-clear">No non-compliant resources.</p></section>`;
  }
  return markup`<section id="failing" aria-labelledby="failing-heading">
${heading}
<p class="lead">By control, then account and Region. The fix is a command; the parts in angle brackets are not in Config's result and must be filled in. Click a fix to select it.</p>
<table class="failing">
<caption>Non-compliant resources with the rule's annotation and the fix</caption>
<thead><tr><th scope="col">#</th><th scope="col">Control</th><th scope="col">Resource</th><th scope="col">Location</th><th scope="col">Why it fails, and the fix</th></tr></thead>
<tbody>
${report.nonCompliant.map(
  (finding, index) =>
    markup`<tr><td class="rank">${index + 1}</td><td>${finding.control}</td><td>${resourceCell(finding.resourceId, finding.resourceId, finding.resourceType)}</td><td>${locationCell(finding)}</td><td class="why"><p>${finding.annotation}</p><span class="fix-label">Fix</span><pre class="fix"><code>${commandMarkup(finding.remediation)}</code></pre></td></tr>\n`,
)}</tbody>
</table>
</section>`;
}

function htmlExceptions(report: AggregateReport): SafeHtml {
  const heading = markup`<h2 id="exceptions-heading">Documented exceptions <span class="count">(${report.exceptions.length})</span></h2>`;
  if (report.exceptions.length === 0) {
    return markup`<section id="exceptions" aria-labelledby="exceptions-heading">${heading}<p class="lead">No resource is exempted by an exception.</p></section>`;
  }
  const sorted = [...report.exceptions].sort(
    (a, b) =>
      (a.expires ?? '9999-99-99').localeCompare(b.expires ?? '9999-99-99') ||
      a.resourceId.localeCompare(b.resourceId),
  );
  return markup`<section id="exceptions" aria-labelledby="exceptions-heading">
${heading}
<p class="lead">Resources the rules found failing but exempted by an exception tag, with the justification and expiry the rule read. Soonest expiry first; those expiring within ${plural(report.expiringWithinDays, 'day')} (or already past) are highlighted.</p>
<table class="exceptions">
<caption>Documented exceptions and their expiry</caption>
<thead><tr><th scope="col">Control</th><th scope="col">Resource</th><th scope="col">Location</th><th scope="col">Justification</th><th scope="col">Expires</th></tr></thead>
<tbody>
${sorted.map(
  (exception) =>
    markup`<tr${needsAttention(exception) && markup` class="expiring-soon"`}><td>${exception.control}</td><td>${resourceCell(exception.resourceId, exception.resourceId)}${exception.wide && markup`<br><span class="sub">resource-wide</span>`}</td><td>${locationCell(exception)}</td><td>${exception.justification}</td><td class="loc">${expiryCell(exception.expires, exception)}</td></tr>\n`,
)}</tbody>
</table>
</section>`;
}

function htmlCoverage(report: AggregateReport): SafeHtml {
  const missing =
    report.missing.length === 0
      ? markup`<p class="all-clear">Every account and Region that has the pack's rules has all of them.</p>`
      : markup`<table class="coverage"><caption>Accounts and Regions with some of the pack's rules but not all</caption>
<thead><tr><th scope="col">Location</th><th scope="col">Missing</th><th scope="col">Present</th></tr></thead>
<tbody>
${report.missing.map((gap) => markup`<tr><td>${locationCell(gap)}</td><td class="gap">${gap.missing.join(', ')}</td><td>${gap.present.join(', ')}</td></tr>\n`)}</tbody></table>`;
  const notEvaluating =
    report.notEvaluating.length === 0
      ? markup`<p class="lead">Every deployed rule has delivered results.</p>`
      : markup`<table class="coverage"><caption>Rules without evaluation results</caption>
<thead><tr><th scope="col">Control</th><th scope="col">Location</th><th scope="col">Rule</th><th scope="col">Why</th></tr></thead>
<tbody>
${report.notEvaluating.map((item) => markup`<tr><td>${item.control}</td><td>${locationCell(item)}</td><td><code class="id">${item.configRuleName}</code></td><td>${item.reason}</td></tr>\n`)}</tbody></table>`;
  const absent =
    report.packAbsent.length > 0 &&
    markup`<details class="absent"><summary>${plural(report.packAbsent.length, 'account/Region')} with none of the pack's rules</summary><p>${report.packAbsent.map((scope) => `${scope.accountId} ${scope.region}`).join(', ')}</p></details>`;
  const stale =
    report.sourceWarnings.length > 0 &&
    markup`<h3>Aggregator sources not current</h3><ul>${report.sourceWarnings.map((warning) => markup`<li><strong>${warning.sourceId} ${warning.region}</strong>: ${warning.status}, ${warning.detail}</li>`)}</ul>`;
  return markup`<section id="coverage" aria-labelledby="coverage-heading">
<h2 id="coverage-heading">Coverage: missing and silent rules</h2>
${missing}
${notEvaluating}
${absent}
${stale}
</section>`;
}

export function renderReportHtml(report: AggregateReport): string {
  const title = `authn-pack organization report: ${report.nonCompliant.length} non-compliant · aggregator ${report.aggregator} · ${formatTimestamp(report.generatedAt)}`;
  const body = markup`${htmlHeader(report)}
${htmlUnreadable(report)}
${htmlControls(report)}
${htmlAccounts(report)}
${htmlFailing(report)}
${htmlExceptions(report)}
${htmlCoverage(report)}
<footer>Generated by authn-pack (organization report, aggregator ${report.aggregator}) at ${formatTimestamp(report.generatedAt)}. This file is self-contained: no scripts, nothing loaded from the network.</footer>`;
  return htmlDocument(title, body, ORGANIZATION_STYLES);
}
