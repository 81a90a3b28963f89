import { fail, ok, type Result } from '../errors.js';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Validate and normalise a CORS origin entry: `https://host[:port]`, `https://*.domain[:port]`
 * (any sub-domain, never the bare domain), or `http://` for localhost / 127.0.0.1 / [::1].
 * The result is lowercase with default ports dropped, exactly what the connector compares
 * against the browser's `Origin` header. WHATWG URL does the parsing (IDN, ports, escapes).
 */
export function normaliseOrigin(input: string): Result<string> {
  const raw = input.trim().toLowerCase();
  if (raw.length === 0 || raw.length > 255) return fail('INVALID_ORIGIN', 'an origin is 1-255 characters');
  const wildcard = /^[a-z]+:\/\/\*\./.test(raw);
  // URL refuses `*` in a host, so probe with a placeholder label and put the star back.
  const probe = wildcard ? raw.replace('://*.', '://wildcard-probe.') : raw;
  let url: URL;
  try {
    url = new URL(probe);
  } catch {
    return fail('INVALID_ORIGIN', `not an origin: ${input}`);
  }
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    return fail('INVALID_ORIGIN', `an origin has no path, query, fragment or credentials: ${input}`);
  }
  // `new URL('https://a.com/')` has pathname '/', but an explicit trailing slash is still a path.
  if (!/^[a-z]+:\/\/[^/]+$/.test(probe)) return fail('INVALID_ORIGIN', `an origin has no path: ${input}`);
  const loopback = LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol === 'http:') {
    if (!loopback || wildcard) return fail('INVALID_ORIGIN', `http is allowed only for localhost and 127.0.0.1: ${input}`);
  } else if (url.protocol !== 'https:') {
    return fail('INVALID_ORIGIN', `origins use https: ${input}`);
  }
  if (wildcard) {
    const domain = url.hostname.slice('wildcard-probe.'.length);
    if (domain.split('.').filter(Boolean).length < 2) return fail('INVALID_ORIGIN', `wildcard too broad: ${input}`);
    if (/^[\d.]+$/.test(domain) || domain.startsWith('[')) return fail('INVALID_ORIGIN', `no wildcard over an IP address: ${input}`);
    return ok(`${url.protocol}//*.${domain}${url.port ? `:${url.port}` : ''}`);
  }
  return ok(url.origin);
}
