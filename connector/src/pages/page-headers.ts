import type { ServerResponse } from 'node:http';

/**
 * The connector's own pages load nothing but their own stylesheet and script, cannot be framed
 * (frame-ancestors 'none' and X-Frame-Options for older browsers), post forms only to themselves,
 * and are never cached (they carry per-operation secrets).
 */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': PAGE_CSP,
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  // same-origin, not no-referrer: under no-referrer a form post's Origin is "null" and could not be checked.
  'Referrer-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=()',
};

export function sendPage(res: ServerResponse, status: number, html: string, lang: string): void {
  res.writeHead(status, {
    ...PAGE_HEADERS,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Language': lang,
    'Content-Length': Buffer.byteLength(html),
  });
  res.end(html);
}

export function sendAsset(res: ServerResponse, type: string, body: string): void {
  res.writeHead(200, { ...PAGE_HEADERS, 'Content-Type': `${type}; charset=utf-8`, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
