import { MAX_PIN_REUSE_MINUTES, type ConsentMode, type PinEntry } from './use-cases.js';
import { isLabel, TOKEN_RULE } from './labels.js';
import { LOOPBACK_URL_HOSTS } from './loopback.js';

/**
 * Origin entries: which web origins may use a connector, each with its application's label.
 * An entry is `https://host[:port]`, `https://*.domain[:port]` (any sub-domain, never the bare
 * domain, never over an IP address) or `http://` for a loopback host. Entries are lowercase
 * with default ports dropped: exactly what a browser sends as `Origin`. The DS normalises what
 * an admin types with these rules, the connector accepts entries by them and matches by them.
 */
export interface OriginEntry {
  origin: string;
  label: string;
  /** Who types the PIN; absent means HOST_PAGE (what an older DS or an origins file implies). */
  pinEntry?: PinEntry | undefined;
  /** Consent before identity reads; absent means OFF. */
  consent?: ConsentMode | undefined;
  /** Minutes a PIN verified in a tab may be reused; absent means 0. */
  pinReuseMinutes?: number | undefined;
}


export interface ParsedOrigin {
  /** Normalised: lowercase, default port dropped, `*.` kept for wildcards. */
  origin: string;
  scheme: 'https:' | 'http:';
  /** The exact hostname, or for a wildcard the suffix with its leading dot (`.example.com`). */
  host: string;
  port: string;
  wildcard: boolean;
}

export type OriginParse = { ok: true; value: ParsedOrigin } | { ok: false; reason: string };

const PROBE = 'wildcard-probe';
const refuse = (reason: string): OriginParse => ({ ok: false, reason });

/** Validate and normalise an origin entry (WHATWG URL does the parsing: IDN, ports, escapes). */
export function parseOriginEntry(input: string): OriginParse {
  const raw = String(input ?? '').trim().toLowerCase();
  if (raw.length === 0 || raw.length > 255) return refuse('an origin is 1-255 characters');
  const wildcard = /^[a-z]+:\/\/\*\./.test(raw);
  // URL takes `*` in a host as a plain character: probe with a placeholder label instead.
  const probe = wildcard ? raw.replace('://*.', `://${PROBE}.`) : raw;
  if (probe.includes('*')) return refuse(`a wildcard is only a leading "*.": ${input}`);
  let url: URL;
  try {
    url = new URL(probe);
  } catch {
    return refuse(`not an origin: ${input}`);
  }
  // `new URL('https://a.com/')` has pathname '/', but an explicit trailing slash is still a path.
  if (url.username || url.password || url.search || url.hash || !/^[a-z]+:\/\/[^/?#]+$/.test(probe)) {
    return refuse(`an origin has no path, query, fragment or credentials: ${input}`);
  }
  const loopback = LOOPBACK_URL_HOSTS.has(url.hostname);
  if (url.protocol === 'http:') {
    if (!loopback || wildcard) return refuse(`http is allowed only for localhost, 127.0.0.1 and [::1]: ${input}`);
  } else if (url.protocol !== 'https:') {
    return refuse(`origins use https: ${input}`);
  }
  const port = url.port;
  if (!wildcard) return { ok: true, value: { origin: url.origin, scheme: url.protocol, host: url.hostname, port, wildcard } };
  const domain = url.hostname.slice(PROBE.length + 1);
  if (domain.split('.').filter(Boolean).length < 2) return refuse(`wildcard too broad: ${input}`);
  if (/^[\d.]+$/.test(domain) || domain.startsWith('[')) return refuse(`no wildcard over an IP address: ${input}`);
  return { ok: true, value: { origin: `https://*.${domain}${port ? `:${port}` : ''}`, scheme: 'https:', host: `.${domain}`, port, wildcard } };
}

export class OriginEntryError extends Error {
  readonly code = 'INVALID_ORIGIN_ENTRY';
}

export interface CompiledOriginEntry extends ParsedOrigin {
  label: string;
  /** The entry as given (with its settings). */
  source: OriginEntry;
}

/** An entry with a valid label and origin, ready to match; throws OriginEntryError. */
export function compileOriginEntry(entry: OriginEntry): CompiledOriginEntry {
  if (!isLabel(entry?.label)) throw new OriginEntryError(`invalid label for ${String(entry?.origin)}: ${TOKEN_RULE}`);
  const reuse = entry.pinReuseMinutes;
  if (reuse !== undefined && !(Number.isInteger(reuse) && reuse >= 0 && reuse <= MAX_PIN_REUSE_MINUTES)) {
    throw new OriginEntryError(`pinReuseMinutes must be an integer 0-${MAX_PIN_REUSE_MINUTES} for ${String(entry.origin)}`);
  }
  const parsed = parseOriginEntry(entry.origin);
  if (!parsed.ok) throw new OriginEntryError(parsed.reason);
  return { ...parsed.value, label: entry.label, source: entry };
}

/**
 * Decides which entry a request's `Origin` header value belongs to. The value must be exactly a
 * serialised origin as browsers send it; a literal `*` in it matches nothing (a wildcard entry
 * is a rule, not a name a page can claim).
 */
/** The entry a request's Origin matched: its label and the entry as written (for per-entry limits). */
export interface OriginMatch {
  label: string;
  /** The entry's normalised origin, e.g. `https://*.example.com`. */
  entry: string;
  /** The entry as given, with its application settings. */
  source: OriginEntry;
}

export class OriginMatcher {
  private readonly exact = new Map<string, OriginMatch>();
  private readonly wildcards: CompiledOriginEntry[] = [];

  constructor(entries: readonly OriginEntry[]) {
    for (const e of entries) {
      const c = compileOriginEntry(e);
      if (c.wildcard) this.wildcards.push(c);
      else if (!this.exact.has(c.origin)) this.exact.set(c.origin, { label: c.label, entry: c.origin, source: c.source });
    }
  }

  /** The label for this `Origin` value, or undefined when no entry allows it. */
  labelFor(origin: string): string | undefined {
    return this.match(origin)?.label;
  }

  /** The entry this `Origin` value belongs to, or undefined when no entry allows it. */
  match(origin: string): OriginMatch | undefined {
    if (origin.length > 2048 || origin.includes('*')) return undefined;
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return undefined;
    }
    // A browser's Origin is exactly the serialised origin; anything else is forged or malformed.
    if (url.origin === 'null' || url.origin !== origin) return undefined;
    const exact = this.exact.get(origin);
    if (exact !== undefined) return exact;
    for (const w of this.wildcards) {
      if (url.protocol === w.scheme && url.port === w.port && url.hostname.endsWith(w.host) && url.hostname.length > w.host.length) {
        return { label: w.label, entry: w.origin, source: w.source };
      }
    }
    return undefined;
  }
}
