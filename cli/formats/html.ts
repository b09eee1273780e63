/** Placeholder replaced by the HTML report. */
import type { FindingsReport } from '../findings';

export function renderHtml(report: FindingsReport): string {
  return `<!doctype html><title>authn-pack</title><pre>${JSON.stringify(report.findings.length)}</pre>`;
}
