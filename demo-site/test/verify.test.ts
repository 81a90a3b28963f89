// The demo's in-browser signature check, run on Node's WebCrypto (the same API as browsers)
// against certificates made by openssl and signatures made by Node's crypto.
import { execFileSync } from 'node:child_process';
import { constants, createPrivateKey, randomBytes, sign, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pemToDer, publicKeyInfo, subjectCommonName, verifiableAlgorithms, verifySignature } from '../src/lib/verify.js';

const dir = mkdtempSync(join(tmpdir(), 'demo-verify-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A self-signed certificate and its private key, made by openssl. */
function selfSigned(name: string, keyArgs: string[], subject = `/CN=${name}`): { pem: string; key: ReturnType<typeof createPrivateKey> } {
  const keyFile = join(dir, `${name}.key`);
  const certFile = join(dir, `${name}.crt`);
  execFileSync('openssl', ['req', '-x509', ...keyArgs, '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-utf8', '-subj', subject], { stdio: 'ignore' });
  return { pem: readFileSync(certFile, 'utf8'), key: createPrivateKey(readFileSync(keyFile)) };
}

let rsa: ReturnType<typeof selfSigned>;
let p384: ReturnType<typeof selfSigned>;
let p256: ReturnType<typeof selfSigned>;
beforeAll(() => {
  rsa = selfSigned('rsa', ['-newkey', 'rsa:2048']);
  p384 = selfSigned('p384', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384']);
  p256 = selfSigned('p256', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256']);
});

const data = new TextEncoder().encode('I agree to the terms.');
const ieee = (alg: string, key: ReturnType<typeof createPrivateKey>, d: Uint8Array = data) => sign(alg, d, { key, dsaEncoding: 'ieee-p1363' });

describe('publicKeyInfo', () => {
  it('finds the same SubjectPublicKeyInfo as Node, with the key type and curve', () => {
    for (const [c, type, curve] of [[rsa, 'RSA', undefined], [p384, 'EC', 'P-384'], [p256, 'EC', 'P-256']] as const) {
      const info = publicKeyInfo(pemToDer(c.pem));
      expect(Buffer.from(info.spki)).toEqual(new X509Certificate(c.pem).publicKey.export({ type: 'spki', format: 'der' }));
      expect(info.type).toBe(type);
      expect(info.namedCurve).toBe(curve);
    }
  });

  it("subjectCommonName: the subject's CN, UTF-8 included", () => {
    expect(subjectCommonName(rsa.pem)).toBe('rsa');
    const utf8 = selfSigned('utf8', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], '/O=Cardlink/CN=Zoë Spécimen (Signature)');
    expect(subjectCommonName(utf8.pem)).toBe('Zoë Spécimen (Signature)');
  });

  it('refuses what is not a certificate', () => {
    expect(() => pemToDer('hello')).toThrow(/PEM/);
    expect(() => publicKeyInfo(new Uint8Array([0x30, 0x05, 0x01]))).toThrow(/DER/);
    expect(() => publicKeyInfo(new Uint8Array([0x04, 0x00]))).toThrow(/X\.509/);
  });
});

describe('verifySignature (WebCrypto)', () => {
  it('RSASSA-PKCS1-v1_5 (applet 1.7) with SHA-1/256/384/512, signature as base64 or bytes', async () => {
    for (const [alg, hash] of [['RSA_PKCS1_SHA1', 'sha1'], ['RSA_PKCS1_SHA256', 'sha256'], ['RSA_PKCS1_SHA384', 'sha384'], ['RSA_PKCS1_SHA512', 'sha512']] as const) {
      const sig = sign(hash, data, rsa.key);
      expect(await verifySignature({ algorithm: alg, certificate: rsa.pem, data, signature: sig.toString('base64') })).toBe(true);
      expect(await verifySignature({ algorithm: alg, certificate: rsa.pem, data, signature: new Uint8Array(sig) })).toBe(true);
    }
  });

  it('RSA-PSS with the salt as long as the hash', async () => {
    const sig = sign('sha256', data, { key: rsa.key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
    expect(await verifySignature({ algorithm: 'RSA_PSS_SHA256', certificate: rsa.pem, data, signature: sig.toString('base64') })).toBe(true);
  });

  it('ECDSA P-384 (applet 1.8) with plain r||s, any SHA-2 hash; P-256 too', async () => {
    for (const [alg, hash] of [['ECDSA_SHA256', 'sha256'], ['ECDSA_SHA384', 'sha384'], ['ECDSA_SHA512', 'sha512']] as const) {
      const sig = ieee(hash, p384.key);
      expect(sig.length).toBe(96);
      expect(await verifySignature({ algorithm: alg, certificate: p384.pem, data, signature: sig.toString('base64') })).toBe(true);
    }
    expect(await verifySignature({ algorithm: 'ECDSA_SHA256', certificate: p256.pem, data, signature: ieee('sha256', p256.key).toString('base64') })).toBe(true);
  });

  it('false for other data, a flipped bit, another key or the wrong hash', async () => {
    const rsaSig = sign('sha256', data, rsa.key);
    const ecSig = ieee('sha384', p384.key);
    const other = randomBytes(16);
    expect(await verifySignature({ algorithm: 'RSA_PKCS1_SHA256', certificate: rsa.pem, data: other, signature: rsaSig })).toBe(false);
    const flipped = Buffer.from(ecSig);
    flipped[10]! ^= 1;
    expect(await verifySignature({ algorithm: 'ECDSA_SHA384', certificate: p384.pem, data, signature: flipped })).toBe(false);
    expect(await verifySignature({ algorithm: 'ECDSA_SHA384', certificate: p384.pem, data, signature: ieee('sha384', p384.key, other) })).toBe(false);
    expect(await verifySignature({ algorithm: 'ECDSA_SHA256', certificate: p384.pem, data, signature: ecSig })).toBe(false);
    expect(await verifySignature({ algorithm: 'RSA_PKCS1_SHA384', certificate: rsa.pem, data, signature: rsaSig })).toBe(false);
  });

  it('refuses an algorithm that does not fit the key or that WebCrypto lacks', async () => {
    const sig = sign('sha256', data, rsa.key);
    await expect(verifySignature({ algorithm: 'ECDSA_SHA256', certificate: rsa.pem, data, signature: sig })).rejects.toThrow(/RSA key/);
    await expect(verifySignature({ algorithm: 'ECDSA_SHA3_256', certificate: p384.pem, data, signature: sig })).rejects.toThrow(/cannot be verified/);
  });
});

it('verifiableAlgorithms: what the browser can check, preferred first', () => {
  expect(verifiableAlgorithms(['RSA_PKCS1_MD5', 'RSA_PKCS1_SHA1', 'RSA_PKCS1_SHA256', 'RSA_PKCS1_SHA384', 'RSA_PSS_SHA256'])).toEqual([
    'RSA_PKCS1_SHA256',
    'RSA_PKCS1_SHA384',
    'RSA_PKCS1_SHA1',
    'RSA_PSS_SHA256',
  ]);
  expect(verifiableAlgorithms(['ECDSA_SHA256', 'ECDSA_SHA384', 'ECDSA_SHA512', 'ECDSA_SHA3_256'])).toEqual(['ECDSA_SHA256', 'ECDSA_SHA384', 'ECDSA_SHA512']);
});
