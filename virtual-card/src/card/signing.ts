import { constants, createHash, privateEncrypt, randomBytes, type KeyObject } from 'node:crypto';
import { p384 } from '@noble/curves/nist.js';
import type { Profile } from '../material/types.js';

/** One MSE algorithm reference of a profile. */
export interface AlgorithmInfo {
  ref: number;
  name: string;
  /** Exact input length in bytes, or a [min, max] range. */
  inputLength: number | readonly [number, number];
  /** Node hash name of the digest the caller sends (undefined for raw input / DigestInfo). */
  hash?: string;
  scheme: 'pkcs1-digestinfo' | 'pkcs1' | 'pss' | 'ecdsa';
}

/** Applet 1.7, RSA-2048. */
export const ALGORITHMS_17: readonly AlgorithmInfo[] = [
  { ref: 0x01, name: 'RSA PKCS#1 v1.5, DigestInfo from the caller', inputLength: [1, 256 - 11], scheme: 'pkcs1-digestinfo' },
  { ref: 0x02, name: 'RSA PKCS#1 v1.5 SHA-1', inputLength: 20, hash: 'sha1', scheme: 'pkcs1' },
  { ref: 0x04, name: 'RSA PKCS#1 v1.5 MD5', inputLength: 16, hash: 'md5', scheme: 'pkcs1' },
  { ref: 0x08, name: 'RSA PKCS#1 v1.5 SHA-256', inputLength: 32, hash: 'sha256', scheme: 'pkcs1' },
  { ref: 0x10, name: 'RSA PSS SHA-1', inputLength: 20, hash: 'sha1', scheme: 'pss' },
  { ref: 0x20, name: 'RSA PSS SHA-256', inputLength: 32, hash: 'sha256', scheme: 'pss' },
];

/** Applet 1.8, ECDSA P-384; signatures are plain r‖s (96 bytes). */
export const ALGORITHMS_18: readonly AlgorithmInfo[] = [
  { ref: 0x01, name: 'ECDSA SHA-256', inputLength: 32, hash: 'sha256', scheme: 'ecdsa' },
  { ref: 0x02, name: 'ECDSA SHA-384', inputLength: 48, hash: 'sha384', scheme: 'ecdsa' },
  { ref: 0x04, name: 'ECDSA SHA-512', inputLength: 64, hash: 'sha512', scheme: 'ecdsa' },
  { ref: 0x08, name: 'ECDSA SHA3-256', inputLength: 32, hash: 'sha3-256', scheme: 'ecdsa' },
  { ref: 0x10, name: 'ECDSA SHA3-384', inputLength: 48, hash: 'sha3-384', scheme: 'ecdsa' },
  { ref: 0x20, name: 'ECDSA SHA3-512', inputLength: 64, hash: 'sha3-512', scheme: 'ecdsa' },
  { ref: 0x40, name: 'ECDSA raw hash', inputLength: [1, 64], scheme: 'ecdsa' },
];

export function algorithmsOf(profile: Profile): readonly AlgorithmInfo[] {
  return profile === '1.7' ? ALGORITHMS_17 : ALGORITHMS_18;
}

export function inputLengthOk(alg: AlgorithmInfo, length: number): boolean {
  if (typeof alg.inputLength === 'number') return length === alg.inputLength;
  return length >= alg.inputLength[0] && length <= alg.inputLength[1];
}

const DIGEST_INFO_PREFIX: Record<string, string> = {
  sha1: '3021300906052b0e03021a05000414',
  md5: '3020300c06082a864886f70d020505000410',
  sha256: '3031300d060960864801650304020105000420',
};

export function digestInfo(hash: string, digest: Uint8Array): Buffer {
  const prefix = DIGEST_INFO_PREFIX[hash];
  if (!prefix) throw new Error(`no DigestInfo prefix for ${hash}`);
  return Buffer.concat([Buffer.from(prefix, 'hex'), digest]);
}

function mgf1(hash: string, seed: Buffer, length: number): Buffer {
  const out: Buffer[] = [];
  let produced = 0;
  for (let counter = 0; produced < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    const block = createHash(hash).update(seed).update(c).digest();
    out.push(block);
    produced += block.length;
  }
  return Buffer.concat(out).subarray(0, length);
}

/** EMSA-PSS-ENCODE (RFC 8017 §9.1.1) of an already computed hash, salt length = hash length. */
export function emsaPssEncode(hash: string, mHash: Uint8Array, emBits: number): Buffer {
  const hLen = mHash.length;
  const sLen = hLen;
  const emLen = Math.ceil(emBits / 8);
  if (emLen < hLen + sLen + 2) throw new Error('encoding error');
  const salt = randomBytes(sLen);
  const h = createHash(hash).update(Buffer.alloc(8)).update(mHash).update(salt).digest();
  const db = Buffer.concat([Buffer.alloc(emLen - sLen - hLen - 2), Buffer.from([0x01]), salt]);
  const mask = mgf1(hash, h, emLen - hLen - 1);
  for (let i = 0; i < db.length; i++) db[i]! ^= mask[i]!;
  db[0]! &= 0xff >> (8 * emLen - emBits);
  return Buffer.concat([db, h, Buffer.from([0xbc])]);
}

/** Signs `input` (hash, DigestInfo or raw) the way the card does for `alg`. */
export function cardSign(alg: AlgorithmInfo, key: KeyObject, input: Uint8Array): Buffer {
  switch (alg.scheme) {
    case 'pkcs1-digestinfo':
      return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, input);
    case 'pkcs1':
      return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, digestInfo(alg.hash!, input));
    case 'pss': {
      const bits = key.asymmetricKeyDetails?.modulusLength ?? 2048;
      const em = emsaPssEncode(alg.hash!, input, bits - 1);
      const padded = Buffer.alloc(Math.ceil(bits / 8));
      em.copy(padded, padded.length - em.length);
      return privateEncrypt({ key, padding: constants.RSA_NO_PADDING }, padded);
    }
    case 'ecdsa':
      return ecdsaSignHash(key, input);
  }
}

/** ECDSA P-384 over a caller-supplied hash, plain r‖s (96 bytes). */
export function ecdsaSignHash(key: KeyObject, hash: Uint8Array): Buffer {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.crv !== 'P-384' || !jwk.d) throw new Error('expected a P-384 private key');
  const d = Buffer.from(jwk.d, 'base64url');
  const sig = p384.sign(hash, d, { prehash: false, lowS: false });
  return Buffer.from(sig);
}
