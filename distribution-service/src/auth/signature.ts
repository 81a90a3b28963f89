import { verify, type KeyObject } from 'node:crypto';

/**
 * RSA keys: PKCS#1 v1.5 with SHA-256 (Node's default padding for RSA keys). EC keys: ECDSA
 * SHA-256, DER-encoded as Node and OpenSSL write it; the raw 64-byte r‖s form that WebCrypto
 * produces is accepted as well.
 */
export function verifySignature(key: KeyObject, data: Buffer, signature: Buffer): boolean {
  try {
    if (key.asymmetricKeyType === 'ec' && signature.length === 64) {
      return verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
    }
    return verify('sha256', data, key, signature);
  } catch {
    return false;
  }
}
