import { readFileSync } from 'node:fs';
import { OriginEntryError, type OriginEntry } from '@cardlink/ds-protocol';
import { entryFromJson } from './allow-list.js';

/**
 * The static allow-list for development and offline use: a JSON array of
 * `{ "origin": "https://app.example.com", "label": "my-app" }`, optionally with the application's
 * settings `pinEntry` (CONNECTOR_PAGE | HOST_PAGE), `consent` (OFF | ONCE_PER_ORIGIN |
 * EVERY_SESSION) and `pinReuseMinutes`, as the DS sends them.
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
    try {
      return entryFromJson(item);
    } catch (e) {
      throw new OriginEntryError(`origins file ${path}, entry ${i}: ${(e as Error).message}`);
    }
  });
}
