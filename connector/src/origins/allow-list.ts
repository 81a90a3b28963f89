/**
 * The web origins that may use the connector, each with the label of its application.
 * Entries are exact origins (`https://app.example.com[:port]`) or wildcards
 * (`https://*.example.com[:port]`, matching any sub-domain, never the bare domain).
 */
export interface OriginEntry {
  origin: string;
  label: string;
  /** Who types the PIN; absent means HOST_PAGE (the wire default older DSs and origins files imply). */
  pinEntry?: PinEntry;
  /** When the user must consent to identity reads; absent means OFF. */
  consent?: ConsentMode;
  /** Minutes a PIN verified in a tab may be reused for authentication; absent means 0. */
  pinReuseMinutes?: number;
}

export type PinEntry = 'CONNECTOR_PAGE' | 'HOST_PAGE';
export type ConsentMode = 'OFF' | 'ONCE_PER_ORIGIN' | 'EVERY_SESSION';
const PIN_ENTRIES: readonly string[] = ['CONNECTOR_PAGE', 'HOST_PAGE'];
const CONSENT_MODES: readonly string[] = ['OFF', 'ONCE_PER_ORIGIN', 'EVERY_SESSION'];

/** An application's settings with the defaults filled in. */
export interface AppSettings {
  label: string;
  pinEntry: PinEntry;
  consent: ConsentMode;
  pinReuseMinutes: number;
}

export const settingsOf = (e: OriginEntry): AppSettings => ({
  label: e.label,
  pinEntry: e.pinEntry ?? 'HOST_PAGE',
  consent: e.consent ?? 'OFF',
  pinReuseMinutes: e.pinReuseMinutes ?? 0,
});

/**
 * An entry from JSON (origins file, DS sync) reduced to the known fields, each checked;
 * throws OriginEntryError with a readable reason.
 */
export function entryFromJson(raw: unknown): OriginEntry {
  const o = raw as Record<string, unknown> | null;
  if (typeof o?.origin !== 'string' || typeof o?.label !== 'string') throw new OriginEntryError('an entry needs "origin" and "label" strings');
  const entry: OriginEntry = { origin: o.origin, label: o.label };
  if (o.pinEntry !== undefined) {
    if (typeof o.pinEntry !== 'string' || !PIN_ENTRIES.includes(o.pinEntry)) throw new OriginEntryError(`pinEntry must be one of ${PIN_ENTRIES.join(', ')}`);
    entry.pinEntry = o.pinEntry as PinEntry;
  }
  if (o.consent !== undefined) {
    if (typeof o.consent !== 'string' || !CONSENT_MODES.includes(o.consent)) throw new OriginEntryError(`consent must be one of ${CONSENT_MODES.join(', ')}`);
    entry.consent = o.consent as ConsentMode;
  }
  if (o.pinReuseMinutes !== undefined) {
    if (!Number.isInteger(o.pinReuseMinutes) || (o.pinReuseMinutes as number) < 0 || (o.pinReuseMinutes as number) > 1440) {
      throw new OriginEntryError('pinReuseMinutes must be an integer from 0 to 1440');
    }
    entry.pinReuseMinutes = o.pinReuseMinutes as number;
  }
  compileEntry(entry);
  return entry;
}

interface CompiledEntry {
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
  return { label: entry.label, scheme: url.protocol, host, port: url.port, wildcard };
}

export class AllowList {
  private readonly exact = new Map<string, string>();
  private readonly byLabel = new Map<string, AppSettings>();
  private readonly wildcards: CompiledEntry[] = [];
  /** Memo of decisions: pages send the same Origin on every request. */
  private readonly memo = new Map<string, string | null>();
  readonly entries: readonly OriginEntry[];

  constructor(entries: readonly OriginEntry[]) {
    this.entries = entries;
    for (const e of entries) {
      const c = compileEntry(e);
      // One application, one set of settings: the first entry of a label gives them.
      if (!this.byLabel.has(e.label)) this.byLabel.set(e.label, settingsOf(e));
      if (c.wildcard) this.wildcards.push(c);
      else this.exact.set(`${c.scheme}//${c.host}${c.port ? `:${c.port}` : ''}`, c.label);
    }
  }

  /** The label of the application for this Origin header value, or undefined if refused. */
  labelFor(origin: string): string | undefined {
    const known = this.memo.get(origin);
    if (known !== undefined) return known ?? undefined;
    const label = this.decide(origin);
    if (this.memo.size > 1000) this.memo.clear();
    this.memo.set(origin, label ?? null);
    return label;
  }

  /** The settings of the application with this label (defaults for an unknown one). */
  settingsFor(label: string): AppSettings {
    return this.byLabel.get(label) ?? settingsOf({ origin: '', label });
  }

  private decide(origin: string): string | undefined {
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
        return w.label;
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
