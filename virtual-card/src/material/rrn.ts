import { createHash, createPrivateKey, sign, verify, X509Certificate, type KeyObject } from 'node:crypto';
import type { Profile, RrnSignatureFormat } from './types.js';
import { rrnSignatureFormatOf } from './types.js';

/**
 * Identity and address integrity as on the card:
 * - 4032 = RRN signature over the identity file (4031) exactly as stored (no padding);
 * - 4034 = RRN signature over (address file without its trailing zero padding) ‖ 4032.
 * Applet 1.7: RSASSA-PKCS1-v1_5 with SHA-1. Applet 1.8: ECDSA P-384 with SHA-384, the
 * signature DER-encoded (`SEQUENCE { INTEGER r, INTEGER s }`), which is what Java's
 * "SHA384withECDSA" (commons-eid's BeIDIntegrity) verifies against real 1.8 cards.
 */
export function rrnSign(format: RrnSignatureFormat, key: KeyObject | string, data: Uint8Array): Buffer {
  const k = typeof key === 'string' ? createPrivateKey(key) : key;
  if (format === 'rsa-pkcs1-sha1') return sign('sha1', data, k);
  return sign('sha384', data, { key: k, dsaEncoding: 'der' });
}

export function signIdentity(profile: Profile, key: KeyObject | string, identity: Uint8Array): Buffer {
  return rrnSign(rrnSignatureFormatOf(profile), key, identity);
}

export function signAddress(
  profile: Profile,
  key: KeyObject | string,
  address: Uint8Array,
  identitySignature: Uint8Array,
): Buffer {
  return rrnSign(rrnSignatureFormatOf(profile), key, Buffer.concat([stripZeroPadding(address), identitySignature]));
}

/** The address file content without the zero padding that fills it to 117 bytes. */
export function stripZeroPadding(data: Uint8Array): Buffer {
  let end = data.length;
  while (end > 0 && data[end - 1] === 0) end--;
  return Buffer.from(data.subarray(0, end));
}

function certOf(rrnCert: Uint8Array | X509Certificate): X509Certificate {
  return rrnCert instanceof X509Certificate ? rrnCert : new X509Certificate(Buffer.from(rrnCert));
}

/**
 * Verifies an RRN signature (4032 or 4034) with the RRN certificate (503C, zero padding
 * allowed after the DER). Tolerant on purpose so the connector can rely on it for both
 * profiles and for real cards: RSA is tried with SHA-1 then SHA-256; ECDSA accepts DER and
 * plain r‖s (96 bytes for P-384), SHA-384 (then SHA-256).
 */
export function verifyRrnSignature(
  rrnCert: Uint8Array | X509Certificate,
  data: Uint8Array,
  signature: Uint8Array,
): boolean {
  const cert = certOf(rrnCert instanceof X509Certificate ? rrnCert : trimDer(rrnCert));
  const key = cert.publicKey;
  const sig = Buffer.from(signature);
  if (key.asymmetricKeyType === 'rsa') {
    return ['sha1', 'sha256'].some((h) => safeVerify(h, data, key, sig));
  }
  if (key.asymmetricKeyType === 'ec') {
    const hashes = ['sha384', 'sha256', 'sha512'];
    const fieldBytes = key.asymmetricKeyDetails?.namedCurve === 'secp521r1' ? 66
      : key.asymmetricKeyDetails?.namedCurve === 'prime256v1' ? 32 : 48;
    const encodings: ('der' | 'ieee-p1363')[] = sig.length === fieldBytes * 2 ? ['ieee-p1363', 'der'] : ['der'];
    return encodings.some((dsaEncoding) => hashes.some((h) => safeVerify(h, data, { key, dsaEncoding }, sig)));
  }
  return false;
}

function safeVerify(hash: string, data: Uint8Array, key: Parameters<typeof verify>[2], sig: Buffer): boolean {
  try {
    return verify(hash, data, key, sig);
  } catch {
    return false;
  }
}

/** Cuts a DER object (certificate file) at the end of its outer TLV, dropping zero padding. */
export function trimDer(data: Uint8Array): Buffer {
  const b = Buffer.from(data);
  if (b.length < 2) return b;
  const first = b[1]!;
  if (first < 0x80) return b.subarray(0, 2 + first);
  const n = first & 0x7f;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + b[2 + i]!;
  return b.subarray(0, 2 + n + len);
}

export interface IntegrityInput {
  identity: Uint8Array;
  identitySignature: Uint8Array;
  address: Uint8Array;
  addressSignature: Uint8Array;
  photo: Uint8Array;
  /** The photo hash from identity tag 11. */
  photoHash: Uint8Array;
  rrnCert: Uint8Array;
}

export interface IntegrityResult {
  identity: boolean;
  address: boolean;
  photo: boolean;
}

/** All three checks a reader of the ID files makes. */
export function checkIntegrity(input: IntegrityInput): IntegrityResult {
  const rsa = certOf(trimDer(input.rrnCert)).publicKey.asymmetricKeyType === 'rsa';
  const identitySignature = trimSignature(input.identitySignature, rsa);
  const addressSignature = trimSignature(input.addressSignature, rsa);
  const photoAlg = input.photoHash.length === 20 ? 'sha1' : input.photoHash.length === 32 ? 'sha256' : 'sha384';
  return {
    identity: verifyRrnSignature(input.rrnCert, input.identity, identitySignature),
    address: verifyRrnSignature(
      input.rrnCert,
      Buffer.concat([stripZeroPadding(input.address), identitySignature]),
      addressSignature,
    ),
    photo: createHash(photoAlg).update(input.photo).digest().equals(Buffer.from(input.photoHash)),
  };
}

/**
 * DER ECDSA signatures are self-delimiting; RSA signatures are kept whole. Decided by the
 * key, never by the first byte: an RSA signature starts with 0x30 once in 256.
 */
function trimSignature(sig: Uint8Array, rsa: boolean): Buffer {
  return !rsa && sig[0] === 0x30 ? trimDer(sig) : Buffer.from(sig);
}
