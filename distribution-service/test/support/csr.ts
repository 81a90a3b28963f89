import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { asn1Extras } from '../../src/ca/forge.js';

const { asn1 } = forge;
const U = asn1.Class.UNIVERSAL;
const T = asn1.Type;
const bin = (b: Uint8Array): string => Buffer.from(b).toString('binary');

export interface CsrOptions {
  dns?: string[];
  ips?: string[];
  uris?: string[];
  cn?: string;
  /** Leave out the extensionRequest attribute. */
  noSan?: boolean;
  /** Corrupt the self-signature. */
  badSignature?: boolean;
}

export interface DeviceKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  privateKeyPem: string;
}

export function newKey(kind: 'rsa' | 'ec' | 'rsa1024' | 'p384' = 'rsa'): DeviceKey {
  const pair =
    kind === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 })
    : kind === 'rsa1024' ? generateKeyPairSync('rsa', { modulusLength: 1024 })
    : kind === 'ec' ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
    : generateKeyPairSync('ec', { namedCurve: 'P-384' });
  return { ...pair, privateKeyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

/**
 * A PKCS#10 request for any key Node can sign with (forge alone writes RSA requests only).
 * Test-side helper: lets tests ask for forbidden names, weak keys and broken signatures.
 */
export function buildCsr(key: DeviceKey, opts: CsrOptions = {}): string {
  const dns = opts.dns ?? ['localhost'];
  const ips = opts.ips ?? ['127.0.0.1', '::1'];
  const spki = key.publicKey.export({ type: 'spki', format: 'der' });
  const names = [
    ...dns.map((d) => asn1.create(asn1.Class.CONTEXT_SPECIFIC, 2, false, d)),
    ...ips.map((ip) => asn1.create(asn1.Class.CONTEXT_SPECIFIC, 7, false, (forge.util as unknown as { bytesFromIP(ip: string): string }).bytesFromIP(ip))),
    ...(opts.uris ?? []).map((u) => asn1.create(asn1.Class.CONTEXT_SPECIFIC, 6, false, u)),
  ];
  const sanExt = asn1.create(U, T.SEQUENCE, true, [
    asn1.create(U, T.OID, false, asn1.oidToDer('2.5.29.17').getBytes()),
    asn1.create(U, T.OCTETSTRING, false, asn1.toDer(asn1.create(U, T.SEQUENCE, true, names)).getBytes()),
  ]);
  const attrs = opts.noSan
    ? []
    : [
        asn1.create(U, T.SEQUENCE, true, [
          asn1.create(U, T.OID, false, asn1.oidToDer('1.2.840.113549.1.9.14').getBytes()),
          asn1.create(U, T.SET, true, [asn1.create(U, T.SEQUENCE, true, [sanExt])]),
        ]),
      ];
  const subject = asn1.create(U, T.SEQUENCE, true, [
    asn1.create(U, T.SET, true, [
      asn1.create(U, T.SEQUENCE, true, [
        asn1.create(U, T.OID, false, asn1.oidToDer('2.5.4.3').getBytes()),
        asn1.create(U, T.UTF8, false, opts.cn ?? 'localhost'),
      ]),
    ]),
  ]);
  const info = asn1.create(U, T.SEQUENCE, true, [
    asn1.create(U, T.INTEGER, false, '\x00'),
    subject,
    asn1Extras.fromDer(bin(spki), { decodeBitStrings: false }),
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, attrs),
  ]);
  const isRsa = key.privateKey.asymmetricKeyType === 'rsa';
  const algOid = isRsa ? '1.2.840.113549.1.1.11' : '1.2.840.10045.4.3.2';
  const algId = asn1.create(U, T.SEQUENCE, true, [
    asn1.create(U, T.OID, false, asn1.oidToDer(algOid).getBytes()),
    ...(isRsa ? [asn1.create(U, T.NULL, false, '')] : []),
  ]);
  const sig = sign('sha256', Buffer.from(asn1.toDer(info).getBytes(), 'binary'), key.privateKey);
  if (opts.badSignature) sig[sig.length - 1]! ^= 0x01;
  const csr = asn1.create(U, T.SEQUENCE, true, [info, algId, asn1.create(U, T.BITSTRING, false, `\x00${bin(sig)}`)]);
  return forge.pem.encode({ type: 'CERTIFICATE REQUEST', body: asn1.toDer(csr).getBytes() });
}
