// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata
// polyfill loaded first. This module is only imported when material is generated.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto, randomBytes } from 'node:crypto';

type CryptoKeyPair = webcrypto.CryptoKeyPair;
type Algorithm = webcrypto.Algorithm;
type EcdsaParams = webcrypto.EcdsaParams;
import type { CertName, Citizen, KeyName, Profile } from './types.js';

x509.cryptoProvider.set(webcrypto as never);

type Alg = webcrypto.RsaHashedKeyGenParams | webcrypto.EcKeyGenParams;

function keyAlgorithm(profile: Profile): Alg & { hash?: string } {
  return profile === '1.7'
    ? { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }
    : { name: 'ECDSA', namedCurve: 'P-384' };
}

function signingAlgorithm(profile: Profile): Algorithm | EcdsaParams {
  return profile === '1.7' ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as Algorithm : { name: 'ECDSA', hash: 'SHA-384' };
}

export interface GeneratedKey {
  privateKeyPem: string;
  publicKeyPem: string;
  cryptoKey: CryptoKeyPair;
}

export interface GeneratedPki {
  keys: Record<KeyName, GeneratedKey>;
  certs: Record<CertName, Buffer>;
}

function toPem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

async function generateKey(profile: Profile): Promise<GeneratedKey> {
  const pair = (await webcrypto.subtle.generateKey(keyAlgorithm(profile), true, ['sign', 'verify'])) as CryptoKeyPair;
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', pair.privateKey);
  const spki = await webcrypto.subtle.exportKey('spki', pair.publicKey);
  return { privateKeyPem: toPem('PRIVATE KEY', pkcs8), publicKeyPem: toPem('PUBLIC KEY', spki), cryptoKey: pair };
}

function serial(): string {
  const b = randomBytes(16);
  b[0] = (b[0]! & 0x7f) | 0x10; // positive, no leading zero byte
  return b.toString('hex');
}

/** Escapes a value for the RFC 4514 string x509 parses. */
function rdn(value: string): string {
  return value.replace(/([,+"\\<>;=])/g, '\\$1');
}

const OID_SURNAME = '2.5.4.4';
const OID_GIVEN_NAME = '2.5.4.42';
const OID_SERIAL_NUMBER = '2.5.4.5';

export interface PkiOptions {
  profile: Profile;
  citizen: Citizen;
  notBefore: Date;
  notAfter: Date;
}

/**
 * Test PKI: root CA → citizen CA → authentication and non-repudiation certificates, and
 * an RRN certificate issued by the root. Certificates are signed with SHA-256/RSA (1.7)
 * or SHA-384/ECDSA P-384 (1.8). All names say "Cardlink Test" so nobody mistakes them
 * for the real Belgian hierarchy.
 */
export async function generatePki(opts: PkiOptions): Promise<GeneratedPki> {
  const { profile, citizen } = opts;
  const sigAlg = signingAlgorithm(profile);
  const names: KeyName[] = ['root', 'citizenCa', 'auth', 'nonRepudiation', 'rrn'];
  if (profile === '1.8') names.push('basic');
  const keys = {} as Record<KeyName, GeneratedKey>;
  for (const n of names) keys[n] = await generateKey(profile);

  const caNotBefore = new Date(opts.notBefore.getTime() - 365 * 86400_000);
  const caNotAfter = new Date(opts.notAfter.getTime() + 5 * 365 * 86400_000);

  const rootName = 'CN=Cardlink Test Root CA (fictitious), O=Cardlink Test, C=BE';
  const caName = 'CN=Cardlink Test Citizen CA (fictitious), O=Cardlink Test, C=BE';
  const rrnName = 'CN=Cardlink Test RRN (fictitious national register), O=Cardlink Test, C=BE';
  const fullName = `${citizen.firstNames.split(' ')[0] ?? citizen.firstNames} ${citizen.surname}`;
  const citizenName = (role: string) =>
    `CN=${rdn(`${fullName} (${role})`)}, ${OID_SURNAME}=${rdn(citizen.surname)}, ` +
    `${OID_GIVEN_NAME}=${rdn(citizen.firstNames)}, ${OID_SERIAL_NUMBER}=${citizen.nationalNumber}, C=BE`;

  const ski = async (k: GeneratedKey) => x509.SubjectKeyIdentifierExtension.create(k.cryptoKey.publicKey);
  const aki = async (k: GeneratedKey) => x509.AuthorityKeyIdentifierExtension.create(k.cryptoKey.publicKey);

  const root = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: rootName,
    notBefore: caNotBefore,
    notAfter: caNotAfter,
    signingAlgorithm: sigAlg,
    keys: keys.root.cryptoKey,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await ski(keys.root),
    ],
  });

  const issue = async (
    subject: string,
    subjectKey: GeneratedKey,
    issuer: string,
    issuerKey: GeneratedKey,
    extensions: x509.Extension[],
    notBefore: Date,
    notAfter: Date,
  ) =>
    x509.X509CertificateGenerator.create({
      serialNumber: serial(),
      subject,
      issuer,
      notBefore,
      notAfter,
      signingAlgorithm: sigAlg,
      publicKey: subjectKey.cryptoKey.publicKey,
      signingKey: issuerKey.cryptoKey.privateKey,
      extensions: [...extensions, await ski(subjectKey), await aki(issuerKey)],
    });

  const citizenCa = await issue(
    caName,
    keys.citizenCa,
    rootName,
    keys.root,
    [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
    caNotBefore,
    caNotAfter,
  );
  const auth = await issue(
    citizenName('Authentication'),
    keys.auth,
    caName,
    keys.citizenCa,
    [
      new x509.BasicConstraintsExtension(false, undefined, false),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
    ],
    opts.notBefore,
    opts.notAfter,
  );
  const nonRepudiation = await issue(
    citizenName('Signature'),
    keys.nonRepudiation,
    caName,
    keys.citizenCa,
    [
      new x509.BasicConstraintsExtension(false, undefined, false),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.nonRepudiation, true),
    ],
    opts.notBefore,
    opts.notAfter,
  );
  const rrn = await issue(
    rrnName,
    keys.rrn,
    rootName,
    keys.root,
    [
      new x509.BasicConstraintsExtension(false, undefined, false),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true),
    ],
    caNotBefore,
    caNotAfter,
  );

  const der = (c: x509.X509Certificate) => Buffer.from(c.rawData);
  return {
    keys,
    certs: {
      root: der(root),
      citizenCa: der(citizenCa),
      auth: der(auth),
      nonRepudiation: der(nonRepudiation),
      rrn: der(rrn),
    },
  };
}
