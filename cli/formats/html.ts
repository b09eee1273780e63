/**
 * The HTML report: one self-contained page a security lead can forward — inline CSS and inline SVG, no script, no
 * font, image or anything else fetched (a Content-Security-Policy in the page forbids it as well).
 *
 * Every piece of dynamic text (resource names, annotations, tag values: they come from AWS or from templates and may
 * hold `<`, `&` or quotes) goes through the `markup` tag, which escapes whatever it interpolates unless it is already
 * `SafeHtml`. The section builders are exported so that other commands (e.g. `report`) can compose the same look.
 */
import { RULES } from '../../rules/index';
import { rankFindings, summarize, type ControlSummary, type Finding, type FindingsReport } from '../findings';

// ---------------------------------------------------------------------------------------------------------------
// Escaping

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for an HTML text node or a quoted attribute value (inline SVG included). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/** Markup that is already safe: built by `markup` from escaped pieces, or a trusted constant. */
export class SafeHtml {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

export type Interpolation =
  SafeHtml | string | number | boolean | null | undefined | readonly Interpolation[];

function piece(value: Interpolation): string {
  if (value === null || value === undefined || typeof value === 'boolean') return '';
  if (value instanceof SafeHtml) return value.html;
  if (typeof value === 'string') return escapeHtml(value);
  if (typeof value === 'number') return String(value);
  return value.map(piece).join('');
}

/**
 * Tagged template: the literal parts are markup, every interpolation is escaped text — except `SafeHtml` (kept as
 * is) and arrays (each element by the same rule). `null`, `undefined` and booleans render nothing, so
 * `cond && markup`…`` works. (Deliberately not called `html`: code formatters would reflow the markup.)
 */
export function markup(strings: TemplateStringsArray, ...values: readonly Interpolation[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += piece(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(out);
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers shared by the sections

const DAY_MS = 86_400_000;

/** `2026-10-02T08:41:17.512Z` → `2026-10-02 08:41 UTC`; anything unparsable is shown as given. */
export function formatTimestamp(iso: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  return `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

export type ExpiryStatus =
  | { readonly kind: 'none' }
  | { readonly kind: 'unknown' }
  | { readonly kind: 'expired'; readonly days: number }
  | { readonly kind: 'soon'; readonly days: number }
  | { readonly kind: 'later'; readonly days: number };

/**
 * How an exception's expiry (YYYY-MM-DD, valid through that UTC day) stands at the report's time: `soon` when it
 * lapses within `windowDays` days of `generatedAt`, `expired` when that day is already past.
 */
export function expiryStatus(expires: string | null, generatedAt: string, windowDays = 30): ExpiryStatus {
  if (expires === null) return { kind: 'none' };
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(expires.trim());
  const now = Date.parse(generatedAt);
  if (match === null || Number.isNaN(now)) return { kind: 'unknown' };
  const lastDay = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  const at = new Date(now);
  const today = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  const days = Math.round((lastDay - today) / DAY_MS);
  if (days < 0) return { kind: 'expired', days };
  return days <= windowDays ? { kind: 'soon', days } : { kind: 'later', days };
}

function needsAttention(expires: string | null, generatedAt: string): boolean {
  const kind = expiryStatus(expires, generatedAt).kind;
  return kind === 'soon' || kind === 'expired';
}

interface Located {
  readonly accountId?: string;
  readonly region?: string;
  readonly file?: string;
  readonly line?: number;
  readonly logicalId?: string;
}

/** Where an item lives: account and region for a scan; file, line and logical id for a template. */
export function locationCell(item: Located): SafeHtml {
  if (item.file !== undefined) {
    const line = item.line === undefined ? '' : `:${item.line}`;
    const logical =
      item.logicalId === undefined ? null : markup`<br><span class="sub">${item.logicalId}</span>`;
    return markup`<span class="loc">${item.file}${line}</span>${logical}`;
  }
  const parts = [item.accountId, item.region].filter((part): part is string => part !== undefined);
  if (parts.length === 0) return markup`<span class="sub">—</span>`;
  return markup`${parts.map((part, index) => markup`${index > 0 && markup`<br>`}<span class="loc">${part}</span>`)}`;
}

/**
 * A shell command for a `<code>` block: wraps at spaces, not after the hyphens of `--option-names` (a line ending in
 * `--` reads like a typo); tokens too long for a line (ARNs, JSON) still break anywhere. Copies as the plain command.
 */
export function commandMarkup(command: string): SafeHtml {
  return markup`${command
    .split(/(\s+)/)
    .map((token) =>
      token.includes('-') && token.length <= 36 ? markup`<span class="nobr">${token}</span>` : token,
    )}`;
}

/** A resource's name, and below it its id (an ARN for a scan) and type when they say more. */
export function resourceCell(name: string, id: string, type?: string): SafeHtml {
  const idLine = id === name ? null : markup`<br><code class="id arn">${id}</code>`;
  const typeLine = type === undefined ? null : markup`<br><span class="sub">${type}</span>`;
  return markup`<strong class="name">${name}</strong>${idLine}${typeLine}`;
}

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

// ---------------------------------------------------------------------------------------------------------------
// Page shell

export const REPORT_STYLES = `
:root {
  color-scheme: light;
  --ink: #101828; --muted: #475467; --line: #e4e7ec; --soft: #f8fafc;
  --red: #c4320a; --red-dark: #912018; --red-bg: #fef3f2;
  --green: #087443; --green-bg: #ecfdf3;
  --amber: #b54708; --amber-bg: #fffaeb; --amber-line: #f79009;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: #fff; color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif;
}
main { max-width: 1200px; margin: 0 auto; padding: 28px 32px 48px; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace; }
h1 { font-size: 26px; line-height: 1.2; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 40px 0 6px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
h2 .count { color: var(--muted); font-weight: 500; }
p.lead { margin: 4px 0 14px; color: var(--muted); }
.report-header { border-bottom: 3px solid var(--ink); padding-bottom: 14px; }
.report-header .kicker { text-transform: uppercase; letter-spacing: .08em; font-size: 12px; font-weight: 700; color: var(--muted); margin: 0 0 2px; }
.report-header dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 18px; margin: 14px 0 0; font-size: 14px; }
.report-header dt { color: var(--muted); }
.report-header dd { margin: 0; }
.report-header details summary { cursor: pointer; }
nav.toc { margin: 12px 0 0; font-size: 14px; }
nav.toc a { color: var(--ink); margin-right: 16px; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 12px; margin: 20px 0 0; padding: 0; list-style: none; }
.figure { border: 1px solid var(--line); border-radius: 10px; padding: 10px 14px; background: var(--soft); }
.figure .value { display: block; font-size: 30px; font-weight: 700; line-height: 1.15; font-variant-numeric: tabular-nums; }
.figure .label { display: block; font-size: 13.5px; font-weight: 600; }
.figure .note { display: block; font-size: 12.5px; color: var(--muted); }
.figure.bad { border-color: #fda29b; background: var(--red-bg); }
.figure.bad .value { color: var(--red-dark); }
.figure.good .value { color: var(--green); }
.figure.warn { border-color: #fec84b; background: var(--amber-bg); }
.figure.warn .value { color: var(--amber); }
figure.chart { margin: 14px 0 8px; }
figure.chart svg { display: block; width: 100%; height: auto; max-width: 1100px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; margin: 8px 0 0; }
caption { text-align: left; font-size: 13px; color: var(--muted); padding: 0 0 6px; caption-side: top; }
th, td { text-align: left; vertical-align: top; padding: 9px 10px; border-bottom: 1px solid var(--line); }
thead th { background: var(--soft); font-size: 12px; font-weight: 700; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); border-bottom: 2px solid var(--line); }
tbody th { font-weight: 600; }
tbody th .sub { font-weight: 400; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.num.bad { color: var(--red-dark); font-weight: 700; }
.sub { color: var(--muted); font-size: 12.5px; }
.name { overflow-wrap: anywhere; }
code.id { font-size: 12px; color: var(--muted); overflow-wrap: anywhere; }
td.tag { min-width: 15em; }
code.arn { word-break: break-all; }
.loc { white-space: nowrap; }
.badge { display: inline-block; padding: 1px 9px; border-radius: 999px; font-size: 12px; font-weight: 700; white-space: nowrap; line-height: 1.6; }
.badge.internet { background: var(--red); color: #fff; }
.badge.internal { background: #eef2f6; color: var(--muted); }
.badge.soon { background: #fff; color: var(--amber); border: 1px solid var(--amber-line); }
.badge.expired { background: var(--red); color: #fff; }
.badge.none { background: #eef2f6; color: var(--muted); }
table.failing td.rank { color: var(--muted); font-variant-numeric: tabular-nums; width: 2.5em; }
table.failing tr.internet-facing { background: #fffbfa; }
table.failing tr.internet-facing td.rank { box-shadow: inset 4px 0 0 var(--red); color: var(--red-dark); font-weight: 700; }
table.failing td.why { width: 46%; }
table.failing td.why p { margin: 0; }
.fix-label { display: block; margin: 8px 0 2px; font-size: 11px; font-weight: 700; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
pre.fix { margin: 0; padding: 8px 10px; background: #101828; color: #e4e7ec; border-radius: 6px; white-space: pre-wrap; overflow-wrap: anywhere; font-size: 12.5px; line-height: 1.45; }
pre.fix code { -webkit-user-select: all; user-select: all; }
pre.fix .nobr { white-space: nowrap; }
tr.expiring-soon { background: var(--amber-bg); }
.warning { border: 2px solid var(--amber-line); border-left-width: 8px; background: var(--amber-bg); border-radius: 8px; padding: 12px 18px 14px; margin: 22px 0 0; }
.warning h2 { margin: 0 0 4px; border: 0; padding: 0; color: var(--amber); font-size: 18px; }
.warning p { margin: 0 0 8px; }
.warning ul { margin: 0; padding-left: 20px; }
.warning li { margin: 3px 0; }
.all-clear { border: 1px solid #abefc6; background: var(--green-bg); color: var(--green); border-radius: 8px; padding: 10px 14px; font-weight: 600; }
footer { margin-top: 44px; padding-top: 10px; border-top: 1px solid var(--line); color: var(--muted); font-size: 12.5px; }
@media print {
  main { max-width: none; padding: 0; }
  nav.toc { display: none; }
  h2 { break-after: avoid; }
  tr, .figure, .warning, pre.fix { break-inside: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
@page { margin: 12mm; }
`;

/**
 * A complete, self-contained document around `body`. The Content-Security-Policy allows inline styles and nothing
 * else: no script runs and nothing is fetched, whatever the page holds.
 */
export function htmlDocument(title: string, body: SafeHtml, styles: string = REPORT_STYLES): string {
  const css = new SafeHtml(styles.replace(/<\/style/gi, '<\\/style'));
  return markup`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="authn-pack">
<title>${title}</title>
<style>${css}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`.html;
}

// ---------------------------------------------------------------------------------------------------------------
// Sections

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
  const soon = excepted.filter((f) =>
    needsAttention(f.exception?.expires ?? null, report.generatedAt),
  ).length;
  const figure = (tone: string, value: number, label: string, note: string): SafeHtml =>
    markup`<li class="figure ${tone}"><span class="value">${value}</span><span class="label">${label}</span><span class="note">${note}</span></li>`;
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

const CHART = {
  width: 1000,
  barX: 370,
  barWidth: 510,
  barHeight: 26,
  rowHeight: 52,
  top: 44,
  minSegment: 30,
  colors: { nonCompliant: '#d92d20', compliant: '#12805c', notApplicable: '#98a2b3', empty: '#f2f4f7' },
} as const;

/** Widths of non-empty segments: each at least `min` so its number fits, the rest shared in proportion. */
export function segmentWidths(counts: readonly number[], width: number, min: number): number[] {
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (total === 0) return counts.map(() => 0);
  const shown = counts.filter((count) => count > 0).length;
  const free = Math.max(width - min * shown, 0);
  return counts.map((count) => (count === 0 ? 0 : min + (free * count) / total));
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

const fmt = (value: number): string => (Math.round(value * 10) / 10).toString();

export interface ChartRow extends ControlSummary {
  readonly title: string;
  /** Of `compliant`, how many only by a documented exception. */
  readonly exceptionsCompliant: number;
}

const CHART_STYLES = `
.compliance-chart text { font-family: inherit; fill: #101828; }
.compliance-chart .legend { font-size: 13px; fill: #344054; }
.compliance-chart .control { font-size: 14px; font-weight: 700; }
.compliance-chart .title { font-size: 12px; fill: #475467; }
.compliance-chart .count { font-size: 13px; font-weight: 700; fill: #fff; text-anchor: middle; paint-order: stroke; stroke: #101828; stroke-opacity: 0.45; stroke-width: 3px; stroke-linejoin: round; }
.compliance-chart .total { font-size: 13px; font-weight: 600; }
.compliance-chart .note { font-size: 11.5px; fill: #475467; }
.compliance-chart .empty { font-size: 12px; fill: #667085; text-anchor: middle; font-style: italic; }
`;

function chartLegend(hatch: string): SafeHtml {
  const items: [string, string, boolean][] = [
    ['Non-compliant', CHART.colors.nonCompliant, false],
    ['Compliant', CHART.colors.compliant, false],
    ['Compliant by documented exception', CHART.colors.compliant, true],
    ['Not applicable', CHART.colors.notApplicable, false],
  ];
  let x = 0;
  return markup`<g class="legend-items">${items.map(([label, color, hatched]) => {
    const item = markup`<g transform="translate(${fmt(x)} 4)"><rect width="16" height="16" rx="3" fill="${color}"/>${
      hatched && markup`<rect width="16" height="16" rx="3" fill="url(#${hatch})"/>`
    }<text x="22" y="13" class="legend">${label}</text></g>`;
    x += 36 + label.length * 7.3;
    return item;
  })}</g>`;
}

function chartBar(row: ChartRow, y: number, hatch: string): SafeHtml {
  const total = row.nonCompliant + row.compliant + row.notApplicable;
  const barY = y + 4;
  const textY = barY + CHART.barHeight / 2 + 4.5;
  const end = CHART.barX + CHART.barWidth + 12;
  const label = markup`<text x="0" y="${y + 14}" class="control">${row.control}</text>
<text x="0" y="${y + 32}" class="title">${truncate(row.title, 54)}<title>${row.title}</title></text>`;
  const totals = markup`<text x="${end}" y="${barY + 12}" class="total">${plural(total, 'resource')}</text>${
    row.exceptionsCompliant > 0 &&
    markup`<text x="${end}" y="${barY + 27}" class="note">${row.exceptionsCompliant} by exception</text>`
  }`;
  if (total === 0) {
    return markup`<g class="row">${label}<rect x="${CHART.barX}" y="${barY}" width="${CHART.barWidth}" height="${CHART.barHeight}" rx="3" fill="${CHART.colors.empty}" stroke="#d0d5dd" stroke-dasharray="4 3"/><text x="${CHART.barX + CHART.barWidth / 2}" y="${textY}" class="empty">no resources found</text>${totals}</g>\n`;
  }
  const counts = [row.nonCompliant, row.compliant, row.notApplicable];
  const names = ['Non-compliant', 'Compliant (incl. exceptions)', 'Not applicable'];
  const colors = [CHART.colors.nonCompliant, CHART.colors.compliant, CHART.colors.notApplicable];
  const widths = segmentWidths(counts, CHART.barWidth, CHART.minSegment);
  const segments: SafeHtml[] = [];
  const numbers: SafeHtml[] = [];
  let x = CHART.barX;
  widths.forEach((width, index) => {
    const count = counts[index] ?? 0;
    if (width > 0) {
      segments.push(
        markup`<rect x="${fmt(x)}" y="${barY}" width="${fmt(width)}" height="${CHART.barHeight}" fill="${colors[index] ?? ''}"><title>${names[index] ?? ''}: ${count}</title></rect>`,
      );
      if (index === 1 && row.exceptionsCompliant > 0) {
        const hatched = Math.max((width * Math.min(row.exceptionsCompliant, count)) / count, 10);
        segments.push(
          markup`<rect x="${fmt(x + width - hatched)}" y="${barY}" width="${fmt(hatched)}" height="${CHART.barHeight}" fill="url(#${hatch})"><title>Compliant by documented exception: ${row.exceptionsCompliant}</title></rect>`,
        );
      }
      numbers.push(markup`<text x="${fmt(x + width / 2)}" y="${textY}" class="count">${count}</text>`);
    }
    x += width;
  });
  return markup`<g class="row">${label}${segments}${numbers}${totals}</g>\n`;
}

/**
 * The chart: one stacked horizontal bar per control — non-compliant, compliant (the part by documented exception
 * hatched), not applicable — each segment with its count, the total after the bar, and a legend. Self-contained
 * (its own styles), so it can be placed in any page; `idPrefix` keeps its ids unique when there are several.
 */
export function complianceChart(rows: readonly ChartRow[], idPrefix = 'chart'): SafeHtml {
  const height = CHART.top + rows.length * CHART.rowHeight;
  const hatch = `${idPrefix}-hatch`;
  const description = rows
    .map(
      (row) =>
        `${row.control}: ${row.nonCompliant} non-compliant, ${row.compliant} compliant (${row.exceptionsCompliant} by exception), ${row.notApplicable} not applicable`,
    )
    .join('; ');
  return markup`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${CHART.width} ${height}" width="${CHART.width}" height="${height}" role="img" aria-labelledby="${idPrefix}-title ${idPrefix}-desc" class="compliance-chart">
<title id="${idPrefix}-title">Compliance per control</title>
<desc id="${idPrefix}-desc">${description}</desc>
<defs><pattern id="${hatch}" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="${CHART.colors.compliant}"/><rect width="3" height="8" fill="#fff" fill-opacity="0.4"/></pattern></defs>
<style>${new SafeHtml(CHART_STYLES)}</style>
${chartLegend(hatch)}
${rows.map((row, index) => chartBar(row, CHART.top + index * CHART.rowHeight, hatch))}</svg>`;
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

function expiryCell(expires: string | null, generatedAt: string): SafeHtml {
  const status = expiryStatus(expires, generatedAt);
  switch (status.kind) {
    case 'none':
      return markup`<span class="badge none">No expiry</span>`;
    case 'unknown':
      return markup`${expires ?? ''}`;
    case 'expired':
      return markup`${expires ?? ''}<br><span class="badge expired">Expired ${plural(-status.days, 'day')} ago</span>`;
    case 'soon': {
      const when = status.days === 0 ? 'Expires today' : `Expires in ${plural(status.days, 'day')}`;
      return markup`${expires ?? ''}<br><span class="badge soon">⚠ ${when}</span>`;
    }
    case 'later':
      return markup`${expires ?? ''}<br><span class="sub">in ${plural(status.days, 'day')}</span>`;
  }
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
    const rowClass = needsAttention(exception.expires, report.generatedAt) && markup` class="expiring-soon"`;
    const wide = exception.wide && markup`<br><span class="sub">API-wide</span>`;
    return markup`<tr${rowClass}><td>${finding.control}</td><td>${resourceCell(finding.resourceName, finding.resourceId)}</td><td>${locationCell(finding)}</td><td>${exception.justification}</td><td class="loc">${expiryCell(exception.expires, report.generatedAt)}</td><td class="tag"><code class="id">${exception.tagKey}</code>${wide}</td></tr>\n`;
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
  return htmlDocument(reportTitle(report), reportBody(report));
}
