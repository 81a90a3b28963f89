import type { Algorithm } from '../../card-types.js';

interface AlgorithmSpec {
  /** MSE:SET algorithm reference. */
  ref: number;
  hashLength: number;
  /** DER DigestInfo prefix when the card signs a caller-built DigestInfo (ref 01 on RSA). */
  digestInfoPrefix?: string;
  /** Node's names, for verifying in tests and for callers. */
  nodeHash: string;
  padding: 'pkcs1' | 'pss' | 'ecdsa';
}

/** Applet 1.7 (RSA-2048): the card's own references, plus SHA-384/512 through DigestInfo (ref 01). */
const RSA: Partial<Record<Algorithm, AlgorithmSpec>> = {
  RSA_PKCS1_MD5: { ref: 0x04, hashLength: 16, nodeHash: 'md5', padding: 'pkcs1' },
  RSA_PKCS1_SHA1: { ref: 0x02, hashLength: 20, nodeHash: 'sha1', padding: 'pkcs1' },
  RSA_PKCS1_SHA256: { ref: 0x08, hashLength: 32, nodeHash: 'sha256', padding: 'pkcs1' },
  RSA_PKCS1_SHA384: { ref: 0x01, hashLength: 48, nodeHash: 'sha384', padding: 'pkcs1', digestInfoPrefix: '3041300d060960864801650304020205000430' },
  RSA_PKCS1_SHA512: { ref: 0x01, hashLength: 64, nodeHash: 'sha512', padding: 'pkcs1', digestInfoPrefix: '3051300d060960864801650304020305000440' },
  RSA_PSS_SHA1: { ref: 0x10, hashLength: 20, nodeHash: 'sha1', padding: 'pss' },
  RSA_PSS_SHA256: { ref: 0x20, hashLength: 32, nodeHash: 'sha256', padding: 'pss' },
};

/** Applet 1.8 (ECDSA P-384): the card signs the given hash; the result is plain r||s. */
const ECDSA: Partial<Record<Algorithm, AlgorithmSpec>> = {
  ECDSA_SHA256: { ref: 0x01, hashLength: 32, nodeHash: 'sha256', padding: 'ecdsa' },
  ECDSA_SHA384: { ref: 0x02, hashLength: 48, nodeHash: 'sha384', padding: 'ecdsa' },
  ECDSA_SHA512: { ref: 0x04, hashLength: 64, nodeHash: 'sha512', padding: 'ecdsa' },
  ECDSA_SHA3_256: { ref: 0x08, hashLength: 32, nodeHash: 'sha3-256', padding: 'ecdsa' },
  ECDSA_SHA3_384: { ref: 0x10, hashLength: 48, nodeHash: 'sha3-384', padding: 'ecdsa' },
  ECDSA_SHA3_512: { ref: 0x20, hashLength: 64, nodeHash: 'sha3-512', padding: 'ecdsa' },
};

export type KeyFamily = 'RSA' | 'EC';

export function algorithmsFor(family: KeyFamily): Algorithm[] {
  return Object.keys(family === 'RSA' ? RSA : ECDSA) as Algorithm[];
}

export function algorithmSpec(family: KeyFamily, alg: Algorithm): AlgorithmSpec | undefined {
  return (family === 'RSA' ? RSA : ECDSA)[alg];
}

/** What goes into PSO:COMPUTE DIGITAL SIGNATURE for this algorithm and hash. */
export function signatureInput(spec: AlgorithmSpec, hash: Buffer): Buffer {
  return spec.digestInfoPrefix ? Buffer.concat([Buffer.from(spec.digestInfoPrefix, 'hex'), hash]) : hash;
}
