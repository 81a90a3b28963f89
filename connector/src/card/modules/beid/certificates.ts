import { X509Certificate } from 'node:crypto';
import { CardError } from '../../card-error.js';
import type { CertificateInfo as Certificate } from '../../card-types.js';

/**
 * Certificate files hold one DER certificate followed by zero padding; an absent
 * certificate is all zeros. Returns the exact DER or undefined.
 */
export function derFromCardFile(file: Buffer): Buffer | undefined {
  if (file.length < 4 || file[0] !== 0x30) return undefined;
  const first = file[1]!;
  let len: number;
  let header: number;
  if (first < 0x80) {
    len = first;
    header = 2;
  } else {
    const n = first & 0x7f;
    if (n < 1 || n > 3 || file.length < 2 + n) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = (len << 8) | file[2 + i]!;
    header = 2 + n;
  }
  if (header + len > file.length) return undefined;
  return file.subarray(0, header + len);
}

const CURVES: Record<string, string> = { prime256v1: 'P256', secp384r1: 'P384', secp521r1: 'P521' };

export function describeCertificate(der: Buffer): Certificate {
  let x: X509Certificate;
  try {
    x = new X509Certificate(der);
  } catch {
    throw new CardError('CARD_ERROR', "The card's certificate is malformed.");
  }
  const key = x.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  const alg =
    key.asymmetricKeyType === 'rsa'
      ? `RSA-${details.modulusLength}`
      : key.asymmetricKeyType === 'ec'
        ? `EC-${CURVES[details.namedCurve ?? ''] ?? details.namedCurve}`
        : String(key.asymmetricKeyType).toUpperCase();
  return {
    pem: x.toString(),
    subject: x.subject.split('\n').join(', '),
    issuer: x.issuer.split('\n').join(', '),
    serialNumber: x.serialNumber,
    notBefore: new Date(x.validFrom).toISOString(),
    notAfter: new Date(x.validTo).toISOString(),
    publicKeyAlgorithm: alg,
  };
}
