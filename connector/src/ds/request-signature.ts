import { createPublicKey, sign } from 'node:crypto';
import { keyIdOf, SIGNATURE_HEADERS, stringToSign } from '@cardlink/ds-protocol';

/**
 * Headers proving possession of the device key (PROTOCOL.md "Signing"): the DS checks the
 * signature with the certificate it issued to us for the key named by X-Key-Id.
 */
export function signedHeaders(deviceId: string, path: string, body: string, keyPem: string, now = Date.now()): Record<string, string> {
  const timestamp = String(now);
  const signature = sign('sha256', stringToSign('POST', path, timestamp, body), keyPem).toString('base64');
  return {
    [SIGNATURE_HEADERS.deviceId]: deviceId,
    [SIGNATURE_HEADERS.keyId]: keyIdOf(createPublicKey(keyPem).export({ type: 'spki', format: 'der' })),
    [SIGNATURE_HEADERS.timestamp]: timestamp,
    [SIGNATURE_HEADERS.signature]: signature,
  };
}
