import type { Lang, Translate } from './i18n.js';

/** Escape text for HTML content and double-quoted attributes. */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A trusted HTML fragment (built from escaped parts only). */
export interface Html {
  readonly html: string;
}
const raw = (html: string): Html => ({ html });

/** Tagged template: interpolated values are escaped unless they are Html fragments or arrays of them. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!;
  });
  return raw(out);
}

function render(v: unknown): string {
  if (v === null || v === undefined || v === false) return '';
  if (Array.isArray(v)) return v.map(render).join('');
  if (typeof v === 'object' && 'html' in (v as object)) return (v as Html).html;
  return esc(v);
}

export interface ShellOptions {
  lang: Lang;
  t: Translate;
  title: string;
  host: string;
  body: Html;
  /** Close the window shortly after showing (the operation is over). */
  autoClose?: boolean;
}

/** The page around every connector page: own stylesheet and script only, no inline code. */
export function shell(o: ShellOptions): string {
  return `<!doctype html>${
    html`<html lang="${o.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title}</title><link rel="stylesheet" href="/pages/pages.css"><script src="/pages/pages.js" defer></script></head>
<body${o.autoClose ? raw(' data-auto-close="1"') : ''}><main><header><p class="brand">Cardlink</p><h1>${o.title}</h1></header>
${o.body}
<footer><p>${o.t('pageOf', { host: o.host })}</p></footer></main></body></html>`.html
  }`;
}

/** A definition list of label → value rows; rows with an undefined value are left out. */
export function facts(rows: [string, unknown, string?][]): Html {
  return html`<dl>${rows
    .filter(([, v]) => v !== undefined)
    .map(([k, v, note]) => html`<dt>${k}</dt><dd>${v}${note ? html` <small class="given">(${note})</small>` : ''}</dd>`)}</dl>`;
}
