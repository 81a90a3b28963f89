/**
 * The web origins that may use the connector, each with the label of its application.
 * Entries are exact origins (`https://app.example.com[:port]`) or wildcards
 * (`https://*.example.com[:port]`, matching any sub-domain, never the bare domain).
 */
export interface OriginEntry {
  origin: string;
  label: string;
  /**
   * Minutes a PIN verified in a tab may be reused by `authenticate` in that same tab
   * (default 0: every authentication asks for the PIN). From the origins file or the DS.
   */
  pinReuseMinutes?: number;
}

/** Longest PIN reuse an application may ask for. */
export const MAX_PIN_REUSE_MINUTES = 60;

interface CompiledEntry {
  entry: OriginEntry;
  label: string;
  scheme: string;
  /** Exact host, or the suffix (with leading dot) for wildcards. */
  host: string;
  port: string;
  wildcard: boolean;
}

export class OriginEntryError extends Error {
  readonly code = 'INVALID_ORIGIN_ENTRY';
}

const LABEL = /^[A-Za-z0-9._:-]{1,64}$/;

/** Parse an allow-list entry; throws OriginEntryError with a readable reason. */
export function compileEntry(entry: OriginEntry): CompiledEntry {
  if (!LABEL.test(entry.label ?? '')) throw new OriginEntryError(`invalid label for ${entry.origin}`);
  const reuse = entry.pinReuseMinutes;
  if (reuse !== undefined && !(Number.isInteger(reuse) && reuse >= 0 && reuse <= MAX_PIN_REUSE_MINUTES)) {
    throw new OriginEntryError(`pinReuseMinutes must be an integer 0-${MAX_PIN_REUSE_MINUTES} for ${entry.origin}`);
  }
  const raw = String(entry.origin ?? '').trim().toLowerCase();
  const wildcard = /^https?:\/\/\*\./.test(raw);
  const probe = wildcard ? raw.replace('://*.', '://wildcard.') : raw;
  let url: URL;
  try {
    url = new URL(probe);
  } catch {
    throw new OriginEntryError(`not an origin: ${entry.origin}`);
  }
  if (url.origin !== probe) throw new OriginEntryError(`an origin has no path, query or credentials: ${entry.origin}`);
  const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback && !wildcard)) {
    throw new OriginEntryError(`origins must use https (http only for localhost): ${entry.origin}`);
  }
  const host = wildcard ? url.hostname.slice('wildcard'.length) : url.hostname;
  if (wildcard && host.split('.').filter(Boolean).length < 2) throw new OriginEntryError(`wildcard too broad: ${entry.origin}`);
  return { entry, label: entry.label, scheme: url.protocol, host, port: url.port, wildcard };
}

export class AllowList {
  private readonly exact = new Map<string, CompiledEntry>();
  private readonly wildcards: CompiledEntry[] = [];
  /** Memo of decisions: pages send the same Origin on every request. */
  private readonly memo = new Map<string, CompiledEntry | null>();
  readonly entries: readonly OriginEntry[];

  constructor(entries: readonly OriginEntry[]) {
    this.entries = entries;
    for (const e of entries) {
      const c = compileEntry(e);
      if (c.wildcard) this.wildcards.push(c);
      else this.exact.set(`${c.scheme}//${c.host}${c.port ? `:${c.port}` : ''}`, c);
    }
  }

  /** The label of the application for this Origin header value, or undefined if refused. */
  labelFor(origin: string): string | undefined {
    return this.entryFor(origin)?.label;
  }

  /** The allow-list entry this Origin header value matches, or undefined if refused. */
  entryFor(origin: string): OriginEntry | undefined {
    const known = this.memo.get(origin);
    if (known !== undefined) return known?.entry;
    const c = this.decide(origin);
    if (this.memo.size > 1000) this.memo.clear();
    this.memo.set(origin, c ?? null);
    return c?.entry;
  }

  private decide(origin: string): CompiledEntry | undefined {
    if (origin.length > 2048) return undefined;
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
        return w;
      }
    }
    return undefined;
  }
}

/** Merge lists; on duplicate origins the first list wins (DS before the local file). */
export function mergeEntries(...lists: readonly (readonly OriginEntry[])[]): OriginEntry[] {
  const seen = new Set<string>();
  const out: OriginEntry[] = [];
  for (const list of lists) {
    for (const e of list) {
      const key = e.origin.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(e);
    }
  }
  return out;
}
