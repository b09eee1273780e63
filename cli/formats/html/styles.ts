/** The report pages' look: one stylesheet for the scan, template-check and organization pages. */

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

/** What only the organization report adds (its coverage tables). */
export const ORGANIZATION_STYLES = `${REPORT_STYLES}
table.coverage td.gap { color: var(--red-dark); font-weight: 600; }
details.absent summary { cursor: pointer; color: var(--muted); }
`;
