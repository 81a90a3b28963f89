import { createHash, sign } from 'node:crypto';

/**
 * Headers proving possession of the device key (PROTOCOL.md "Signing"): the DS checks the
 * signature over method, path, timestamp and body hash with a certificate it issued to us.
 */
export function signedHeaders(deviceId: string, path: string, body: string, keyPem: string, now = Date.now()): Record<string, string> {
  const timestamp = String(now);
  const bodyHash = createHash('sha256').update(body).digest('base64');
  const signature = sign('sha256', Buffer.from(`POST\n${path}\n${timestamp}\n${bodyHash}`), keyPem).toString('base64');
  return { 'x-device-id': deviceId, 'x-timestamp': timestamp, 'x-signature': signature };
}
