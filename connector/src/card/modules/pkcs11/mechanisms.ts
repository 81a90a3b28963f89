import type { Algorithm } from '../../card-types.js';
import type { HostMechanism } from './host-protocol.js';

// PKCS#11 constants (PKCS#11 v2.40 §2-3). Numbers, not the binding's exports: the connector
// process never loads the native binding; only the host process does.
export const CKM_RSA_PKCS = 0x1;
export const CKM_RSA_PKCS_PSS = 0xd;
export const CKM_ECDSA = 0x1041;
const CKM_SHA256 = 0x250;
const CKM_SHA384 = 0x260;
const CKM_SHA512 = 0x270;
const CKG_MGF1_SHA256 = 0x2;
const CKG_MGF1_SHA384 = 0x3;
const CKG_MGF1_SHA512 = 0x4;

export type KeyType = 'RSA' | 'EC';

interface TokenAlgorithm {
  keyType: KeyType;
  hashLength: number;
  /** The raw mechanism the token must list: the connector sends a hash, the token pads and signs it. */
  mechanism: number;
  /** RSA PKCS#1 v1.5: the DigestInfo prefix put before the hash (RFC 8017 §9.2, note 1). */
  digestInfoPrefix?: string;
  pss?: { hashAlg: number; mgf: number };
}

/** The algorithms `tokenSign` offers: RSA PKCS#1 v1.5 and PSS with SHA-2, ECDSA over a SHA-2 hash. */
const ALGORITHMS: Partial<Record<Algorithm, TokenAlgorithm>> = {
  RSA_PKCS1_SHA256: { keyType: 'RSA', hashLength: 32, mechanism: CKM_RSA_PKCS, digestInfoPrefix: '3031300d060960864801650304020105000420' },
  RSA_PKCS1_SHA384: { keyType: 'RSA', hashLength: 48, mechanism: CKM_RSA_PKCS, digestInfoPrefix: '3041300d060960864801650304020205000430' },
  RSA_PKCS1_SHA512: { keyType: 'RSA', hashLength: 64, mechanism: CKM_RSA_PKCS, digestInfoPrefix: '3051300d060960864801650304020305000440' },
  RSA_PSS_SHA256: { keyType: 'RSA', hashLength: 32, mechanism: CKM_RSA_PKCS_PSS, pss: { hashAlg: CKM_SHA256, mgf: CKG_MGF1_SHA256 } },
  RSA_PSS_SHA384: { keyType: 'RSA', hashLength: 48, mechanism: CKM_RSA_PKCS_PSS, pss: { hashAlg: CKM_SHA384, mgf: CKG_MGF1_SHA384 } },
  RSA_PSS_SHA512: { keyType: 'RSA', hashLength: 64, mechanism: CKM_RSA_PKCS_PSS, pss: { hashAlg: CKM_SHA512, mgf: CKG_MGF1_SHA512 } },
  ECDSA_SHA256: { keyType: 'EC', hashLength: 32, mechanism: CKM_ECDSA },
  ECDSA_SHA384: { keyType: 'EC', hashLength: 48, mechanism: CKM_ECDSA },
  ECDSA_SHA512: { keyType: 'EC', hashLength: 64, mechanism: CKM_ECDSA },
};

export const tokenAlgorithm = (a: Algorithm): TokenAlgorithm | undefined => ALGORITHMS[a];

/** The algorithms a key of `keyType` can use on a token that lists `mechanisms`. */
export function algorithmsFor(keyType: KeyType | null, mechanisms: readonly number[]): Algorithm[] {
  const have = new Set(mechanisms);
  return (Object.entries(ALGORITHMS) as [Algorithm, TokenAlgorithm][])
    .filter(([, a]) => (keyType === null || a.keyType === keyType) && have.has(a.mechanism))
    .map(([name]) => name);
}

/** What the host signs and how: PSS salt is the hash length (as WebCrypto and most verifiers expect). */
export function signInput(a: TokenAlgorithm, hash: Buffer): { mechanism: HostMechanism; data: Buffer } {
  const data = a.digestInfoPrefix ? Buffer.concat([Buffer.from(a.digestInfoPrefix, 'hex'), hash]) : hash;
  const mechanism: HostMechanism = a.pss ? { mechanism: a.mechanism, pss: { ...a.pss, saltLen: a.hashLength } } : { mechanism: a.mechanism };
  return { mechanism, data };
}
