import {
  compileOriginEntry,
  CONSENT_MODES,
  MAX_PIN_REUSE_MINUTES,
  OriginEntryError,
  OriginMatcher,
  PIN_ENTRIES,
  type ConsentMode,
  type OriginEntry,
  type OriginMatch,
  type PinEntry,
} from '@cardlink/ds-protocol';

export type { ConsentMode, OriginEntry, OriginMatch, PinEntry };

/** An application's settings for the connector's own pages, with the defaults filled in. */
export interface AppSettings {
  label: string;
  pinEntry: PinEntry;
  consent: ConsentMode;
  pinReuseMinutes: number;
}

/** Absent settings (an older DS, an origins file) mean the legacy behaviour: HOST_PAGE, OFF, 0. */
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
    if (!PIN_ENTRIES.includes(o.pinEntry as PinEntry)) throw new OriginEntryError(`pinEntry must be one of ${PIN_ENTRIES.join(', ')}`);
    entry.pinEntry = o.pinEntry as PinEntry;
  }
  if (o.consent !== undefined) {
    if (!CONSENT_MODES.includes(o.consent as ConsentMode)) throw new OriginEntryError(`consent must be one of ${CONSENT_MODES.join(', ')}`);
    entry.consent = o.consent as ConsentMode;
  }
  if (o.pinReuseMinutes !== undefined) {
    const n = o.pinReuseMinutes;
    if (!Number.isInteger(n) || (n as number) < 0 || (n as number) > MAX_PIN_REUSE_MINUTES) {
      throw new OriginEntryError(`pinReuseMinutes must be an integer from 0 to ${MAX_PIN_REUSE_MINUTES}`);
    }
    entry.pinReuseMinutes = n as number;
  }
  compileOriginEntry(entry);
  return entry;
}

/**
 * The web origins that may use the connector, each with the label of its application. The
 * entry and matching rules are the DS protocol's (@cardlink/ds-protocol): exact origins and
 * `https://*.domain` wildcards; a literal `*` in a request's Origin matches nothing.
 */
export class AllowList {
  private readonly matcher: OriginMatcher;
  /** Memo of decisions (bounded): pages send the same Origin on every request. */
  private readonly memo = new Map<string, OriginMatch | null>();
  private readonly byLabel = new Map<string, AppSettings>();
  readonly entries: readonly OriginEntry[];

  /** Throws OriginEntryError for a malformed entry. */
  constructor(entries: readonly OriginEntry[]) {
    this.entries = entries;
    this.matcher = new OriginMatcher(entries);
    // One application, one set of settings: the first entry of a label gives them.
    for (const e of entries) if (!this.byLabel.has(e.label)) this.byLabel.set(e.label, settingsOf(e));
  }

  /** The label of the application for this Origin header value, or undefined if refused. */
  labelFor(origin: string): string | undefined {
    return this.match(origin)?.label;
  }

  /** The allow-list entry (with its settings) this Origin header value matches, or undefined if refused. */
  entryFor(origin: string): OriginEntry | undefined {
    return this.match(origin)?.source;
  }

  /** The entry this Origin header value matches (label and entry, for per-entry limits), or undefined. */
  match(origin: string): OriginMatch | undefined {
    const known = this.memo.get(origin);
    if (known !== undefined) return known ?? undefined;
    const found = this.matcher.match(origin);
    if (this.memo.size > 1000) this.memo.clear();
    this.memo.set(origin, found ?? null);
    return found;
  }

  /** The settings of the application with this label (the legacy defaults for an unknown one). */
  settingsFor(label: string): AppSettings {
    return this.byLabel.get(label) ?? settingsOf({ origin: '', label });
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
