/** Cells and small pieces both report pages use: time, location, resource, fix command, expiry, key figure. */
import type { ExceptionExpiry } from '../../../rules/core/exceptions';
import { plural } from '../text';
import { markup, type SafeHtml } from './safe';

/** `2026-10-02T08:41:17.512Z` → `2026-10-02 08:41 UTC`; anything unparsable is shown as given. */
export function formatTimestamp(iso: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  return `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Where an item lives, as findings, dangling tags, unreadable scopes and report items all say it. */
export interface Located {
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

/** An exception's expiry date with a badge saying how it stands (soon, past, or how far off). */
export function expiryCell(expires: string | null, expiry: ExceptionExpiry): SafeHtml {
  switch (expiry.state) {
    case 'no-expiry':
      return markup`<span class="badge none">No expiry</span>`;
    case 'unknown':
      return markup`${expires ?? ''}`;
    case 'expired':
      return markup`${expires ?? ''}<br><span class="badge expired">Expired ${plural(-(expiry.daysLeft ?? 0), 'day')} ago</span>`;
    case 'expiring': {
      const when =
        expiry.daysLeft === 0 ? 'Expires today' : `Expires in ${plural(expiry.daysLeft ?? 0, 'day')}`;
      return markup`${expires ?? ''}<br><span class="badge soon">⚠ ${when}</span>`;
    }
    case 'valid':
      return markup`${expires ?? ''}<br><span class="sub">in ${plural(expiry.daysLeft ?? 0, 'day')}</span>`;
  }
}

/** One of the key figures at the top of a page. */
export function figure(tone: string, value: number, label: string, note: string): SafeHtml {
  return markup`<li class="figure ${tone}"><span class="value">${value}</span><span class="label">${label}</span><span class="note">${note}</span></li>`;
}
