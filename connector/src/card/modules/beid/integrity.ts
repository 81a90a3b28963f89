import { createHash, verify, X509Certificate } from 'node:crypto';
import { isJpeg } from './photo.js';

/**
 * Does `signature` over `data` verify with the RRN certificate? RSA cards (applet <= 1.7)
 * sign with PKCS#1 v1.5 (SHA-1 on older cards, SHA-256 on newer); applet 1.8 signs with
 * ECDSA P-384. The hash is not announced, so the candidates are tried.
 */
export function verifiesWithRrn(rrnDer: Buffer, data: Buffer, signature: Buffer): boolean {
  if (signature.length === 0) return false;
  let key;
  try {
    key = new X509Certificate(rrnDer).publicKey;
  } catch {
    return false;
  }
  const attempts: [string, 'der' | 'ieee-p1363' | undefined][] =
    key.asymmetricKeyType === 'ec'
      ? [['sha384', 'ieee-p1363'], ['sha384', 'der'], ['sha256', 'ieee-p1363'], ['sha256', 'der']]
      : [['sha256', undefined], ['sha1', undefined], ['sha384', undefined], ['sha512', undefined]];
  for (const [hash, dsaEncoding] of attempts) {
    try {
      if (verify(hash, data, dsaEncoding ? { key, dsaEncoding } : key, signature)) return true;
    } catch {
      // wrong encoding for this attempt
    }
  }
  return false;
}

/** Address signature covers the address file without its zero padding, then the identity signature. */
export function addressSignedData(addressFile: Buffer, identitySignature: Buffer): Buffer[] {
  let end = addressFile.length;
  while (end > 0 && addressFile[end - 1] === 0) end--;
  return [Buffer.concat([addressFile.subarray(0, end), identitySignature]), Buffer.concat([addressFile, identitySignature])];
}

/**
 * Photo hash on the card: SHA-1 (20 bytes, applet <= 1.7) or SHA-384 (48 bytes, 1.8). A
 * photo that is not a JPEG fails even with a matching hash: it cannot be what was issued.
 */
export function photoMatches(photo: Buffer, expected: Buffer | undefined): boolean {
  if (!expected || !isJpeg(photo)) return false;
  const alg = expected.length === 20 ? 'sha1' : expected.length === 32 ? 'sha256' : expected.length === 48 ? 'sha384' : undefined;
  if (!alg) return false;
  return createHash(alg).update(photo).digest().equals(expected);
}

/**
 * The signature inside a signature file, without padding: RSA signatures are exactly the
 * modulus size; ECDSA ones are DER (length from the header) or plain r||s (2 x curve size).
 */
export function signatureFromFile(file: Buffer, rrnDer: Buffer): Buffer {
  let key;
  try {
    key = new X509Certificate(rrnDer).publicKey;
  } catch {
    return file;
  }
  const d = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') {
    const size = (d.modulusLength ?? 0) / 8;
    return size && file.length > size ? file.subarray(0, size) : file;
  }
  if (file[0] === 0x30 && file.length > 2) {
    const len = file[1]! < 0x80 ? file[1]! + 2 : file[1] === 0x81 ? file[2]! + 3 : file.length;
    return file.subarray(0, Math.min(len, file.length));
  }
  const coord = d.namedCurve === 'secp384r1' ? 48 : d.namedCurve === 'prime256v1' ? 32 : d.namedCurve === 'secp521r1' ? 66 : 0;
  return coord && file.length > 2 * coord ? file.subarray(0, 2 * coord) : file;
}
