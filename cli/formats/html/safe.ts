/**
 * Safe HTML for the report pages: every piece of dynamic text (resource names, annotations, tag values: they come
 * from AWS or from templates and may hold `<`, `&` or quotes) goes through the `markup` tag, which escapes whatever
 * it interpolates unless it is already `SafeHtml`; and the self-contained page shell around a body.
 */

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

/**
 * A complete, self-contained document around `body`: inline CSS and inline SVG, no script, no font, image or
 * anything else fetched. The Content-Security-Policy allows inline styles and nothing else: no script runs and
 * nothing is fetched, whatever the page holds.
 */
export function htmlDocument(title: string, body: SafeHtml, styles: string): string {
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
