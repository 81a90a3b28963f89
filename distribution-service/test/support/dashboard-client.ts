import { request as httpsRequest } from 'node:https';

export interface Page {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Raw Set-Cookie lines of this response. */
  setCookies: string[];
  text: string;
  location: string | undefined;
}

/**
 * A minimal cookie-keeping HTTP client for the dashboard: what a browser does with forms,
 * without a browser. Redirects are not followed (tests look at them).
 */
export class DashboardClient {
  readonly cookies = new Map<string, string>();

  constructor(
    readonly base: string,
    private readonly opts: { ca?: string } = {},
  ) {}

  private async send(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Page> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const h: Record<string, string> = { ...(cookie ? { cookie } : {}), ...headers };
    if (body !== undefined) h['content-type'] ??= 'application/x-www-form-urlencoded';
    let page: Page;
    if (this.opts.ca) {
      page = await new Promise<Page>((resolve, reject) => {
        const req = httpsRequest(`${this.base}${path}`, { method, headers: h, ca: this.opts.ca }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => {
            const sc = res.headers['set-cookie'] ?? [];
            resolve({ status: res.statusCode ?? 0, headers: res.headers, setCookies: sc, text, location: res.headers.location });
          });
        });
        req.on('error', reject);
        req.end(body);
      });
    } else {
      const res = await fetch(`${this.base}${path}`, { method, headers: h, redirect: 'manual', ...(body !== undefined ? { body } : {}) });
      const headersObj: Record<string, string> = {};
      res.headers.forEach((v, k) => (headersObj[k] = v));
      page = { status: res.status, headers: headersObj, setCookies: res.headers.getSetCookie(), text: await res.text(), location: res.headers.get('location') ?? undefined };
    }
    for (const line of page.setCookies) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line) || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return page;
  }

  get(path: string, headers?: Record<string, string>): Promise<Page> {
    return this.send('GET', path, undefined, headers);
  }

  post(path: string, form: Record<string, string>, headers?: Record<string, string>): Promise<Page> {
    return this.send('POST', path, new URLSearchParams(form).toString(), headers);
  }

  /** GET a page, take the CSRF token of its forms, and POST the form with it. */
  async submit(pagePath: string, action: string, form: Record<string, string>, headers?: Record<string, string>): Promise<Page> {
    const page = await this.get(pagePath);
    return this.post(action, { _csrf: csrfOf(page.text), ...form }, headers);
  }

  async login(email: string, password: string): Promise<Page> {
    return this.submit('/dashboard/login', '/dashboard/login', { email, password });
  }
}

export function csrfOf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error(`no CSRF token in page: ${html.slice(0, 300)}`);
  return m[1]!;
}

/** The cells of the table with this id, as text (tags unescaped), header row first. */
export function tableCells(html: string, id: string): string[][] {
  const start = html.indexOf(`<table id="${id}"`);
  if (start < 0) throw new Error(`no table ${id}`);
  const table = html.slice(start, html.indexOf('</table>', start));
  const rows = [...table.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((m) =>
    [...m[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => unescape(c[1]!.replace(/<[^>]+>/g, '').trim())),
  );
  return rows;
}

const unescape = (s: string): string =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&#96;/g, '`').replace(/&amp;/g, '&');

/** RFC 4180 parsing, enough for the DS's CSV (quoted fields, CRLF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length) rows.push([...row, cell]);
  return rows;
}
