/**
 * The compliance chart: inline SVG, one stacked bar per control, with its own styles so any page can hold it. The
 * geometry (a 1000-unit wide view box, 30-unit minimum segments so a count always fits) is here and nowhere else.
 */
import { plural } from '../text';
import type { ControlSummary } from '../../findings';
import { SafeHtml, markup } from './safe';

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
