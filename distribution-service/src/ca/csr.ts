import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { fail, ok, type Result } from '../errors.js';
import { asn1Extras, forge, fromBinary, pkiExtras, type Asn1Validator } from './forge.js';
import { LOOPBACK_NAMES, MAX_CSR_PEM_LENGTH } from '@cardlink/ds-protocol';

const { asn1 } = forge;

/** What the CA needs from an accepted CSR. */
export interface CheckedCsr {
  /** SubjectPublicKeyInfo DER, copied verbatim into the issued certificate. */
  spkiDer: Buffer;
  publicKey: KeyObject;
  publicKeyPem: string;
  /** Hex SHA-256 of the SPKI DER: identifies the key across devices and certificates. */
  keyId: string;
  keyType: 'rsa' | 'ec';
}

/** Signature algorithms accepted on a CSR, by OID; forge's own CSR parser only reads RSA keys. */
const SIGNATURE_ALGORITHMS: Record<string, { hash: string; key: 'rsa' | 'ec' }> = {
  '1.2.840.113549.1.1.11': { hash: 'sha256', key: 'rsa' },
  '1.2.840.113549.1.1.12': { hash: 'sha384', key: 'rsa' },
  '1.2.840.113549.1.1.13': { hash: 'sha512', key: 'rsa' },
  '1.2.840.10045.4.3.2': { hash: 'sha256', key: 'ec' },
  '1.2.840.10045.4.3.3': { hash: 'sha384', key: 'ec' },
};

const U = forge.asn1.Class.UNIVERSAL;
const T = forge.asn1.Type;

/** PKCS#10 CertificationRequest (RFC 2986), declared for forge's asn1.validate. */
const csrValidator: Asn1Validator = {
  name: 'CertificationRequest',
  tagClass: U,
  type: T.SEQUENCE,
  constructed: true,
  value: [
    {
      name: 'CertificationRequestInfo',
      tagClass: U,
      type: T.SEQUENCE,
      constructed: true,
      captureAsn1: 'info',
      value: [
        { name: 'version', tagClass: U, type: T.INTEGER, constructed: false, capture: 'version' },
        { name: 'subject', tagClass: U, type: T.SEQUENCE, constructed: true, captureAsn1: 'subject' },
        { name: 'subjectPKInfo', tagClass: U, type: T.SEQUENCE, constructed: true, captureAsn1: 'spki' },
        { name: 'attributes', tagClass: forge.asn1.Class.CONTEXT_SPECIFIC, type: 0, constructed: true, optional: true, captureAsn1: 'attributes' },
      ],
    },
    {
      name: 'signatureAlgorithm',
      tagClass: U,
      type: T.SEQUENCE,
      constructed: true,
      value: [{ name: 'algorithm', tagClass: U, type: T.OID, constructed: false, capture: 'sigOid' }],
    },
    { name: 'signature', tagClass: U, type: T.BITSTRING, constructed: false, capture: 'signature' },
  ],
};

/**
 * Parse a PEM CSR and apply the DS's rules: self-signature valid (the requester holds the
 * key), RSA 2048-8192 or EC P-256, and only loopback names requested. Refusals are values:
 * during a sync a bad CSR must not fail the whole request.
 */
export function checkCsr(pem: string): Result<CheckedCsr> {
  if (pem.length > MAX_CSR_PEM_LENGTH) return fail('INVALID_CSR', 'CSR too large');
  const parsed = parse(pem);
  if (!parsed.ok) return parsed;
  const { info, subject, spkiDer, attributes, sigOid, signature } = parsed.value;

  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: spkiDer, format: 'der', type: 'spki' });
  } catch {
    return fail('CSR_KEY_NOT_ALLOWED', 'the CSR public key cannot be read');
  }
  const keyType = keyTypeOf(publicKey);
  if (!keyType.ok) return keyType;

  const alg = SIGNATURE_ALGORITHMS[sigOid];
  if (!alg || alg.key !== keyType.value) return fail('INVALID_CSR', `unsupported CSR signature algorithm ${sigOid}`);
  const infoDer = fromBinary(asn1.toDer(info).getBytes());
  let valid = false;
  try {
    valid = verify(alg.hash, infoDer, publicKey, signature);
  } catch {
    valid = false;
  }
  if (!valid) return fail('INVALID_CSR', 'the CSR signature does not verify');

  const names = checkNames(subject, attributes);
  if (!names.ok) return names;

  return ok({
    spkiDer,
    publicKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: keyIdOf(spkiDer),
    keyType: keyType.value,
  });
}

export const keyIdOf = (spkiDer: Buffer): string => createHash('sha256').update(spkiDer).digest('hex');

interface ParsedCsr {
  info: forge.asn1.Asn1;
  subject: forge.asn1.Asn1;
  spkiDer: Buffer;
  attributes: forge.asn1.Asn1 | undefined;
  sigOid: string;
  signature: Buffer;
}

function parse(pem: string): Result<ParsedCsr> {
  try {
    const msgs = forge.pem.decode(pem);
    const msg = msgs[0];
    if (msgs.length !== 1 || !msg || !['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST'].includes(msg.type)) {
      return fail('INVALID_CSR', 'expected one PEM CERTIFICATE REQUEST');
    }
    // Bit strings stay raw: the signature must be the exact bytes, not a re-parsed structure.
    const obj = asn1Extras.fromDer(msg.body, { strict: true, decodeBitStrings: false, parseAllBytes: true });
    const cap: Record<string, unknown> = {};
    if (!asn1Extras.validate(obj, csrValidator, cap)) return fail('INVALID_CSR', 'not a PKCS#10 certification request');
    const sigBits = cap.signature as string;
    // A BIT STRING starts with its count of unused bits; a signature has none.
    if (sigBits.charCodeAt(0) !== 0) return fail('INVALID_CSR', 'malformed CSR signature');
    return ok({
      info: cap.info as forge.asn1.Asn1,
      subject: cap.subject as forge.asn1.Asn1,
      spkiDer: fromBinary(asn1.toDer(cap.spki as forge.asn1.Asn1).getBytes()),
      attributes: cap.attributes as forge.asn1.Asn1 | undefined,
      sigOid: asn1.derToOid(cap.sigOid as string),
      signature: fromBinary(sigBits.slice(1)),
    });
  } catch {
    return fail('INVALID_CSR', 'the CSR cannot be parsed');
  }
}

function keyTypeOf(key: KeyObject): Result<'rsa' | 'ec'> {
  const d = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') {
    const bits = d.modulusLength ?? 0;
    if (bits < 2048 || bits > 8192) return fail('CSR_KEY_NOT_ALLOWED', `RSA keys must be 2048-8192 bits, got ${bits}`);
    return ok('rsa');
  }
  if (key.asymmetricKeyType === 'ec') {
    if (d.namedCurve !== 'prime256v1') return fail('CSR_KEY_NOT_ALLOWED', `EC keys must be on P-256, got ${d.namedCurve ?? 'unknown'}`);
    return ok('ec');
  }
  return fail('CSR_KEY_NOT_ALLOWED', `key type ${key.asymmetricKeyType ?? 'unknown'} not allowed (RSA or EC P-256)`);
}

function checkNames(subject: forge.asn1.Asn1, attributes: forge.asn1.Asn1 | undefined): Result<void> {
  for (const a of pkiExtras.RDNAttributesAsArray(subject)) {
    if (a.shortName === 'CN' && !LOOPBACK_NAMES.has(String(a.value))) {
      return fail('CSR_NAMES_NOT_ALLOWED', `subject CN ${String(a.value)} is not a loopback name`);
    }
  }
  const attrs = attributes ? pkiExtras.CRIAttributesAsArray(attributes.value as forge.asn1.Asn1[]) : [];
  const san = attrs.flatMap((a) => a.extensions ?? []).find((e) => e.id === '2.5.29.17');
  if (!san?.altNames || san.altNames.length === 0) {
    return fail('CSR_NAMES_NOT_ALLOWED', 'the CSR must request a subjectAltName with localhost, 127.0.0.1 and/or ::1');
  }
  for (const n of san.altNames) {
    // 2 = dNSName, 7 = iPAddress; any other name type is refused outright.
    const name = n.type === 2 ? n.value.toLowerCase() : n.type === 7 ? normaliseIp(n.ip) : undefined;
    if (name === undefined || !LOOPBACK_NAMES.has(name)) {
      return fail('CSR_NAMES_NOT_ALLOWED', `name ${n.ip ?? n.value} (type ${n.type}) is not a loopback name`);
    }
  }
  return ok(undefined);
}

/** forge prints IPv6 as eight full groups; compare in the short form. */
function normaliseIp(ip: string | undefined): string | undefined {
  if (ip === undefined) return undefined;
  if (!ip.includes(':')) return ip;
  try {
    return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
}
