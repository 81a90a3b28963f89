import { readFileSync } from 'node:fs';
import { compileOriginEntry, OriginEntryError, type OriginEntry } from '@cardlink/ds-protocol';

/**
 * The static allow-list for development and offline use: a JSON array of
 * `{ "origin": "https://app.example.com", "label": "my-app" }`, optionally with
 * `"pinReuseMinutes": N` (0-60, default 0).
 */
export function readOriginsFile(path: string): OriginEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new OriginEntryError(`cannot read origins file ${path}: ${(e as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw new OriginEntryError(`origins file ${path} must hold a JSON array`);
  return parsed.map((item: unknown, i) => {
    const o = item as Partial<OriginEntry>;
    if (typeof o?.origin !== 'string' || typeof o?.label !== 'string') {
      throw new OriginEntryError(`origins file ${path}, entry ${i}: needs "origin" and "label" strings`);
    }
    const entry: OriginEntry = { origin: o.origin, label: o.label };
    if (o.pinReuseMinutes !== undefined) entry.pinReuseMinutes = o.pinReuseMinutes;
    compileOriginEntry(entry);
    return entry;
  });
}
