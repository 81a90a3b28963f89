import { OriginMatcher, type OriginEntry, type OriginMatch } from '@cardlink/ds-protocol';

export type { OriginEntry, OriginMatch };

/**
 * The web origins that may use the connector, each with the label of its application. The
 * entry and matching rules are the DS protocol's (@cardlink/ds-protocol): exact origins and
 * `https://*.domain` wildcards; a literal `*` in a request's Origin matches nothing.
 */
export class AllowList {
  private readonly matcher: OriginMatcher;
  /** Memo of decisions (bounded): pages send the same Origin on every request. */
  private readonly memo = new Map<string, OriginMatch | null>();
  readonly entries: readonly OriginEntry[];

  /** Throws OriginEntryError for a malformed entry. */
  constructor(entries: readonly OriginEntry[]) {
    this.entries = entries;
    this.matcher = new OriginMatcher(entries);
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
