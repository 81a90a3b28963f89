import { LRUCache } from 'lru-cache';
import type { DocumentNode, GraphQLError, Location, Token } from 'graphql';

/**
 * Caches that a page can fill are bounded in bytes, not only in entries: one hostile page
 * sending unique 100 KB documents otherwise grows the connector by gigabytes (measured:
 * 1,500 documents took it from 78 MB to 1.8 GB). Sizes are estimates from what V8 keeps
 * (measured with heap snapshots of parsed, validated and compiled documents: ~90-310 bytes
 * per token, the source text, the generated code of a compiled operation about 3.5x its
 * length); they err on the high side. An entry larger than a quarter of its budget is not
 * kept at all: it is recomputed when it comes back, bounded by the body and token limits.
 */
export function byteBudgetCache<V extends object>(maxBytes: number, sizeOf: (value: V) => number): LRUCache<string, V> {
  return new LRUCache<string, V>({
    maxSize: maxBytes,
    maxEntrySize: Math.floor(maxBytes / 4),
    sizeCalculation: (value, key) => Math.max(1, ENTRY_BYTES + stringBytes(key) + sizeOf(value)),
  });
}

/** Validation results are kept per parsed document (weakly), so the parse budget bounds them too. */
export interface CacheBudgets {
  /** Parsed documents (and parse errors). */
  parse: number;
  /** Operations compiled by graphql-jit. */
  compiled: number;
}

export const DEFAULT_CACHE_BUDGETS: CacheBudgets = { parse: 8 << 20, compiled: 16 << 20 };

const ENTRY_BYTES = 256;
const TOKEN_BYTES = 320;
const ERROR_BYTES = 1024;

/** V8 keeps one- or two-byte strings: count two, the worst case. */
export const stringBytes = (s: string): number => 2 * s.length;

/** Every token of the document the location belongs to (comments included: they are kept too). */
function tokenCount(loc: Location | undefined): number {
  if (!loc) return 0;
  let n = 0;
  for (let t: Token | null = loc.startToken; t; t = t.prev) n++;
  for (let t: Token | null = loc.startToken.next; t; t = t.next) n++;
  return n;
}

/** A parsed document: its source text and a node plus a token object per token. */
export function documentBytes(doc: DocumentNode): number {
  return stringBytes(doc.loc?.source.body ?? '') + TOKEN_BYTES * Math.max(tokenCount(doc.loc), doc.definitions.length);
}

/** Errors point at nodes of their document, so they keep the whole document alive. */
export function errorsBytes(errors: readonly GraphQLError[]): number {
  let bytes = 0;
  for (const e of errors) bytes += ERROR_BYTES + stringBytes(e.message);
  const loc = errors.find((e) => e.nodes?.[0]?.loc)?.nodes?.[0]?.loc;
  if (loc) bytes += stringBytes(loc.source.body) + TOKEN_BYTES * tokenCount(loc);
  else if (errors[0]?.source) bytes += stringBytes(errors[0].source.body);
  return bytes;
}
