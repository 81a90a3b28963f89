import { parseOriginEntry } from '@cardlink/ds-protocol';
import { fail, ok, type Result } from '../errors.js';

/**
 * An origin entry as an admin typed it, normalised by the protocol's rules (exactly what the
 * connector compares against the browser's `Origin`), or INVALID_ORIGIN with the reason.
 */
export function normaliseOrigin(input: string): Result<string> {
  const r = parseOriginEntry(input);
  return r.ok ? ok(r.value.origin) : fail('INVALID_ORIGIN', r.reason);
}
