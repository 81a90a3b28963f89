import { TOKEN_RE, TOKEN_RULE } from '@cardlink/ds-protocol/labels';
import { ConnectorError } from './errors.js';

/** The connector's T1C-Tag rule, which is the DS protocol's: 1-64 characters of A-Z a-z 0-9 . _ : - */
export const TAG_PATTERN: RegExp = TOKEN_RE;
/** A BeID PIN: 4 to 12 digits. */
export const PIN_PATTERN = /^\d{4,12}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const invalid = (message: string) => new ConnectorError('INVALID_INPUT', message);

export function checkTag(tag: unknown): string | null {
  if (tag === undefined || tag === null) return null;
  if (typeof tag !== 'string' || !TAG_PATTERN.test(tag)) {
    throw new ConnectorError('INVALID_TAG', `The tag must be ${TOKEN_RULE}`);
  }
  return tag;
}

export function checkPin(pin: unknown, what = 'PIN'): string {
  if (typeof pin !== 'string' || !PIN_PATTERN.test(pin)) throw invalid(`The ${what} must be 4 to 12 digits.`);
  return pin;
}

export function checkReaderId(id: unknown): string {
  if (typeof id !== 'string' || id === '') throw invalid('readerId must be a non-empty string (see readers()).');
  return id;
}

/** A hash given as bytes or base64, as the base64 the connector expects. */
export function hashToBase64(hash: Uint8Array | ArrayBuffer | ArrayBufferView | string): string {
  if (typeof hash === 'string') {
    if (hash === '' || hash.length % 4 !== 0 || !BASE64.test(hash)) throw invalid('hash must be base64 (or bytes).');
    return hash;
  }
  const bytes = ArrayBuffer.isView(hash)
    ? new Uint8Array(hash.buffer, hash.byteOffset, hash.byteLength)
    : hash instanceof ArrayBuffer
      ? new Uint8Array(hash)
      : new Uint8Array(0);
  if (bytes.length === 0) throw invalid('hash must be a non-empty Uint8Array, ArrayBuffer or base64 string.');
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
  return btoa(s);
}

/** A date-time argument as ISO-8601, or null when absent. */
export function isoDateTime(v: Date | string | undefined | null, name: string): string | null {
  if (v === undefined || v === null) return null;
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) throw invalid(`${name} is an invalid Date.`);
    return v.toISOString();
  }
  if (typeof v !== 'string') throw invalid(`${name} must be a Date or an ISO-8601 string.`);
  return v;
}
