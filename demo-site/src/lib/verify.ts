// Verify a card's signature in the browser with WebCrypto, against the public key of the
// certificate the connector returned. No dependency: a small DER walk finds the certificate's
// SubjectPublicKeyInfo, which WebCrypto imports as 'spki'.
import type { Algorithm } from '@cardlink/web-sdk';

type HashName = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

interface Scheme {
  /** WebCrypto's name for the scheme. */
  name: 'RSASSA-PKCS1-v1_5' | 'RSA-PSS' | 'ECDSA';
  hash: HashName;
}

/**
 * The card algorithms a browser can verify. MD5 and SHA-3 are not in WebCrypto. The card's
 * ECDSA signatures are plain r||s, which is WebCrypto's format; its RSA-PSS salt is the hash length.
 */
export const VERIFIABLE: Partial<Record<Algorithm, Scheme>> = {
  RSA_PKCS1_SHA1: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-1' },
  RSA_PKCS1_SHA256: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  RSA_PKCS1_SHA384: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' },
  RSA_PKCS1_SHA512: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512' },
  RSA_PSS_SHA1: { name: 'RSA-PSS', hash: 'SHA-1' },
  RSA_PSS_SHA256: { name: 'RSA-PSS', hash: 'SHA-256' },
  RSA_PSS_SHA384: { name: 'RSA-PSS', hash: 'SHA-384' },
  RSA_PSS_SHA512: { name: 'RSA-PSS', hash: 'SHA-512' },
  ECDSA_SHA256: { name: 'ECDSA', hash: 'SHA-256' },
  ECDSA_SHA384: { name: 'ECDSA', hash: 'SHA-384' },
  ECDSA_SHA512: { name: 'ECDSA', hash: 'SHA-512' },
};

const HASH_LENGTH: Record<HashName, number> = { 'SHA-1': 20, 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };

/** Algorithms worth offering first, best first. */
const PREFERRED: Algorithm[] = ['RSA_PKCS1_SHA256', 'ECDSA_SHA256', 'ECDSA_SHA384', 'RSA_PKCS1_SHA384', 'RSA_PKCS1_SHA512', 'ECDSA_SHA512'];

/** The card's algorithms this page can verify, preferred ones first. */
export function verifiableAlgorithms(cardAlgorithms: readonly Algorithm[]): Algorithm[] {
  const ok = cardAlgorithms.filter((a) => VERIFIABLE[a] !== undefined);
  return [...PREFERRED.filter((a) => ok.includes(a)), ...ok.filter((a) => !PREFERRED.includes(a))];
}

/** WebCrypto's digest name for a verifiable algorithm. */
export function hashOf(algorithm: Algorithm): HashName {
  const s = VERIFIABLE[algorithm];
  if (!s) throw new Error(`${algorithm} cannot be verified in the browser.`);
  return s.hash;
}

/** A human description, e.g. "RSASSA-PKCS1-v1_5 with SHA-256". */
export function describeAlgorithm(algorithm: Algorithm): string {
  const s = VERIFIABLE[algorithm];
  return s ? `${s.name} with ${s.hash}` : algorithm;
}

export const digest = async (algorithm: Algorithm, data: BufferSource): Promise<Uint8Array> =>
  new Uint8Array(await crypto.subtle.digest(hashOf(algorithm), data));

// ---- DER ------------------------------------------------------------------------------

interface Tlv {
  tag: number;
  /** Offset of the value. */
  start: number;
  /** Offset just after the value. */
  end: number;
  /** Offset of the tag byte (the whole element is [offset, end)). */
  offset: number;
}

/** One DER element at `offset` (single-byte tags, definite lengths: all X.509 needs). */
function tlv(der: Uint8Array, offset: number, limit = der.length): Tlv {
  const fail = (): never => {
    throw new Error('The certificate is not valid DER.');
  };
  if (offset + 2 > limit) fail();
  const tag = der[offset]!;
  if ((tag & 0x1f) === 0x1f) fail();
  let len = der[offset + 1]!;
  let start = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || start + n > limit) fail();
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[start + i]!;
    start += n;
  }
  const end = start + len;
  if (end > limit) fail();
  return { tag, start, end, offset };
}

/** The children of a constructed element. */
function children(der: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let p = parent.start; p < parent.end; ) {
    const t = tlv(der, p, parent.end);
    out.push(t);
    p = t.end;
  }
  return out;
}

/** Dotted OID from an OBJECT IDENTIFIER's value bytes. */
function oid(bytes: Uint8Array): string {
  const parts: number[] = [];
  let v = 0;
  for (const b of bytes) {
    v = v * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      if (parts.length === 0) parts.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

const SEQUENCE = 0x30;
const OID = 0x06;
const CURVES: Record<string, 'P-256' | 'P-384' | 'P-521'> = {
  '1.2.840.10045.3.1.7': 'P-256',
  '1.3.132.0.34': 'P-384',
  '1.3.132.0.35': 'P-521',
};

export interface PublicKeyInfo {
  /** The DER SubjectPublicKeyInfo, as WebCrypto imports it ('spki'). */
  spki: Uint8Array;
  type: 'RSA' | 'EC';
  /** For EC keys. */
  namedCurve?: 'P-256' | 'P-384' | 'P-521';
}

/** PEM (one certificate) to DER bytes. */
export function pemToDer(pem: string): Uint8Array {
  const m = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(pem);
  if (!m) throw new Error('Not a PEM certificate.');
  const bin = atob(m[1]!.replace(/\s+/g, ''));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/**
 * The SubjectPublicKeyInfo of an X.509 certificate (RFC 5280):
 * Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version OPTIONAL, serialNumber,
 * signature, issuer, validity, subject, subjectPublicKeyInfo, ... }, ... }
 */
export function publicKeyInfo(certDer: Uint8Array): PublicKeyInfo {
  const cert = tlv(certDer, 0);
  if (cert.tag !== SEQUENCE) throw new Error('Not an X.509 certificate.');
  const tbs = children(certDer, cert)[0];
  if (tbs?.tag !== SEQUENCE) throw new Error('Not an X.509 certificate.');
  const fields = children(certDer, tbs);
  const skip = fields[0]?.tag === 0xa0 ? 1 : 0; // explicit [0] version
  const spkiTlv = fields[skip + 5];
  if (spkiTlv?.tag !== SEQUENCE) throw new Error('The certificate has no public key.');
  const [algId] = children(certDer, spkiTlv);
  if (algId?.tag !== SEQUENCE) throw new Error('The certificate has no public key algorithm.');
  const [algOid, params] = children(certDer, algId);
  if (algOid?.tag !== OID) throw new Error('The certificate has no public key algorithm.');
  const spki = certDer.slice(spkiTlv.offset, spkiTlv.end);
  const alg = oid(certDer.subarray(algOid.start, algOid.end));
  if (alg === '1.2.840.113549.1.1.1') return { spki, type: 'RSA' };
  if (alg === '1.2.840.10045.2.1') {
    const curve = params?.tag === OID ? CURVES[oid(certDer.subarray(params.start, params.end))] : undefined;
    if (!curve) throw new Error('The certificate uses an elliptic curve WebCrypto does not support.');
    return { spki, type: 'EC', namedCurve: curve };
  }
  throw new Error(`Unsupported public key algorithm ${alg}.`);
}

const fromBase64 = (b64: string): Uint8Array => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

export interface VerifyRequest {
  algorithm: Algorithm;
  /** The certificate whose key made the signature (PEM), as the connector returns it. */
  certificate: string;
  /** The signed data (the card signed its hash). */
  data: BufferSource;
  /** The signature: bytes, or base64 as the connector returns it. */
  signature: Uint8Array | string;
}

/** True when `signature` over `data` verifies with the certificate's public key. */
export async function verifySignature(req: VerifyRequest): Promise<boolean> {
  const scheme = VERIFIABLE[req.algorithm];
  if (!scheme) throw new Error(`${req.algorithm} cannot be verified in the browser.`);
  const key = publicKeyInfo(pemToDer(req.certificate));
  if ((key.type === 'EC') !== (scheme.name === 'ECDSA')) throw new Error(`The certificate's ${key.type} key cannot make ${req.algorithm} signatures.`);
  const signature = typeof req.signature === 'string' ? fromBase64(req.signature) : req.signature;
  const importAlg: RsaHashedImportParams | EcKeyImportParams =
    key.type === 'EC' ? { name: 'ECDSA', namedCurve: key.namedCurve! } : { name: scheme.name, hash: scheme.hash };
  const publicKey = await crypto.subtle.importKey('spki', key.spki as BufferSource, importAlg, false, ['verify']);
  const verifyAlg: AlgorithmIdentifier | RsaPssParams | EcdsaParams =
    scheme.name === 'ECDSA'
      ? { name: 'ECDSA', hash: scheme.hash }
      : scheme.name === 'RSA-PSS'
        ? { name: 'RSA-PSS', saltLength: HASH_LENGTH[scheme.hash] }
        : { name: scheme.name };
  return crypto.subtle.verify(verifyAlg, publicKey, signature as BufferSource, req.data);
}

/** The subject's common name (CN) of a PEM certificate, or null. */
export function subjectCommonName(pem: string): string | null {
  const der = pemToDer(pem);
  const tbs = children(der, tlv(der, 0))[0];
  if (!tbs) return null;
  const fields = children(der, tbs);
  const subject = fields[(fields[0]?.tag === 0xa0 ? 1 : 0) + 4];
  if (subject?.tag !== SEQUENCE) return null;
  for (const rdn of children(der, subject)) {
    for (const atv of children(der, rdn)) {
      const [type, value] = children(der, atv);
      if (type?.tag === OID && value && oid(der.subarray(type.start, type.end)) === '2.5.4.3') {
        return new TextDecoder().decode(der.subarray(value.start, value.end));
      }
    }
  }
  return null;
}
