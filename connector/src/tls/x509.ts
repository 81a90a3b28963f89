import forge from 'node-forge';
import { randomBytes } from 'node:crypto';
import { LOOPBACK_DNS_NAMES, LOOPBACK_IPS } from '@cardlink/ds-protocol';

const { asn1, pki } = forge;

/** A fresh key pair; forge delegates RSA generation to node's native crypto. */
export function generateRsaKeyPair(): forge.pki.rsa.KeyPair {
  return pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });
}

/** Positive 128-bit serial, hex (the top bit cleared so DER keeps it positive). */
export function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  return bytes.toString('hex');
}

function ipBytes(ip: string): string {
  return (forge.util as unknown as { bytesFromIP(ip: string): string }).bytesFromIP(ip);
}

/**
 * nameConstraints (RFC 5280 4.2.1.10), critical: permitted subtrees localhost, 127.0.0.1/32
 * and ::1/128. forge parses this extension but cannot build it, so the ASN.1 is assembled here.
 */
export function loopbackNameConstraints(): { id: string; critical: true; value: forge.asn1.Asn1 } {
  const subtree = (base: forge.asn1.Asn1) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [base]);
  const dns = LOOPBACK_DNS_NAMES.map((n) => subtree(asn1.create(asn1.Class.CONTEXT_SPECIFIC, 2, false, n)));
  const ips = LOOPBACK_IPS.map((ip) => {
    const addr = ipBytes(ip);
    const mask = String.fromCharCode(...new Array<number>(addr.length).fill(0xff));
    return subtree(asn1.create(asn1.Class.CONTEXT_SPECIFIC, 7, false, addr + mask));
  });
  return {
    id: '2.5.29.30',
    critical: true,
    value: asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [...dns, ...ips]),
    ]),
  };
}

export function loopbackAltNames(): { type: number; value?: string; ip?: string }[] {
  return [
    ...LOOPBACK_DNS_NAMES.map((value) => ({ type: 2, value })),
    ...LOOPBACK_IPS.map((ip) => ({ type: 7, ip })),
  ];
}

export interface IssuedCert {
  certPem: string;
  keyPem: string;
}

/** A CA that can only vouch for loopback names. */
export function createLoopbackCa(commonName: string, days: number, now = new Date()): IssuedCert {
  const keys = generateRsaKeyPair();
  const cert = pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = randomSerial();
  cert.validity.notBefore = new Date(now.getTime() - 60_000);
  cert.validity.notAfter = new Date(now.getTime() + days * 86_400_000);
  const name = [{ name: 'commonName', value: commonName }, { name: 'organizationName', value: 'Cardlink local connector' }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
    loopbackNameConstraints(),
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { certPem: pki.certificateToPem(cert), keyPem: pki.privateKeyToPem(keys.privateKey) };
}

/** A server certificate for exactly the loopback names, signed by the given CA. */
export function issueLoopbackLeaf(ca: IssuedCert, days: number, now = new Date()): IssuedCert {
  const caCert = pki.certificateFromPem(ca.certPem);
  const caKey = pki.privateKeyFromPem(ca.keyPem);
  const keys = generateRsaKeyPair();
  const cert = pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = randomSerial();
  cert.validity.notBefore = new Date(now.getTime() - 60_000);
  cert.validity.notAfter = new Date(now.getTime() + days * 86_400_000);
  cert.setSubject([{ name: 'commonName', value: 'localhost' }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: loopbackAltNames() },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { certPem: pki.certificateToPem(cert), keyPem: pki.privateKeyToPem(keys.privateKey) };
}
