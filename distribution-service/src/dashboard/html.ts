/**
 * A tagged template for HTML in which every interpolated value is escaped unless it is
 * already `Html` (the output of another `html` template or of `raw`). Arrays are joined.
 * null, undefined and false render as nothing. Escaping covers text and quoted attribute
 * values; URLs built from data go through `url` first.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export const escapeHtml = (s: string): string => s.replace(/[&<>"'`]/g, (c) => ESCAPES[c]!);

export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(v: HtmlValue): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

/** Trusted markup only (constants, or output known to be escaped). */
export const raw = (s: string): Html => new Html(s);

/**
 * A dashboard path from fixed parts and data parts: data is percent-encoded, so no value can
 * change the path's structure or scheme. Query values are encoded the same way.
 */
export function url(parts: readonly (string | { v: string })[], query?: Record<string, string | number | boolean | undefined>): string {
  const path = parts.map((p) => (typeof p === 'string' ? p : encodeURIComponent(p.v))).join('');
  const qs = query
    ? Object.entries(query)
        .filter(([, v]) => v !== undefined && v !== false && v !== '')
        .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
        .join('&')
    : '';
  return qs ? `${path}?${qs}` : path;
}
