import { createHash } from 'node:crypto';

/**
 * Signed requests (PROTOCOL.md "Signing"): the device signs method, path, the timestamp as sent
 * and the base64 SHA-256 of the exact body bytes, joined by LF, with the key of a live
 * certificate the DS issued to it, and names that key by its id.
 */
export const SIGNATURE_HEADERS = {
  deviceId: 'x-device-id',
  keyId: 'x-key-id',
  timestamp: 'x-timestamp',
  signature: 'x-signature',
} as const;

export const DEVICE_ID_RE = /^[A-Za-z0-9-]{1,64}$/;
/** Unix milliseconds, decimal. */
export const TIMESTAMP_RE = /^\d{1,15}$/;
export const KEY_ID_RE = /^[0-9a-f]{64}$/;
export const SIGNATURE_RE = /^[A-Za-z0-9+/]{16,2048}={0,2}$/;

export function stringToSign(method: string, path: string, timestamp: string, body: Uint8Array | string): Buffer {
  const bodyHash = createHash('sha256').update(body).digest('base64');
  return Buffer.from(`${method.toUpperCase()}\n${path}\n${timestamp}\n${bodyHash}`, 'utf8');
}

/** X-Key-Id: lowercase hex SHA-256 of the key's SubjectPublicKeyInfo DER. */
export function keyIdOf(spkiDer: Uint8Array): string {
  return createHash('sha256').update(spkiDer).digest('hex');
}
