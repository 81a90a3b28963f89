import { createHash, createPublicKey, sign } from 'node:crypto';

/** X-Key-Id (PROTOCOL.md "Signing"): hex SHA-256 of the key's SubjectPublicKeyInfo DER. */
export function keyIdOf(keyPem: string): string {
  return createHash('sha256').update(createPublicKey(keyPem).export({ type: 'spki', format: 'der' })).digest('hex');
}

/**
 * Headers proving possession of the device key (PROTOCOL.md "Signing"): the DS checks the
 * signature over method, path, timestamp and body hash with the certificate it issued to us
 * for the key named by X-Key-Id.
 */
export function signedHeaders(deviceId: string, path: string, body: string, keyPem: string, now = Date.now()): Record<string, string> {
  const timestamp = String(now);
  const bodyHash = createHash('sha256').update(body).digest('base64');
  const signature = sign('sha256', Buffer.from(`POST\n${path}\n${timestamp}\n${bodyHash}`), keyPem).toString('base64');
  return { 'x-device-id': deviceId, 'x-key-id': keyIdOf(keyPem), 'x-timestamp': timestamp, 'x-signature': signature };
}
