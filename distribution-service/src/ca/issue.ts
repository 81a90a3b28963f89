import { sign } from 'node:crypto';
import type { Clock } from '../clock.js';
import { isoAt } from '../clock.js';
import type { CheckedCsr } from './csr.js';
import { asn1Extras, forge, fromBinary, pkiExtras, toBinary } from './forge.js';
import { LOOPBACK_DNS_NAMES, LOOPBACK_IPS } from '@cardlink/ds-protocol';
import type { RootCa } from './root-ca.js';
import { randomSerial } from './serial.js';

const { asn1 } = forge;

export interface IssuedCertificate {
  pem: string;
  serial: string;
  issuedAt: string;
  notBefore: string;
  notAfter: string;
}

/** TBSCertificate child holding subjectPublicKeyInfo (after version, serial, signature, issuer, validity, subject). */
const TBS_SPKI_INDEX = 6;

/**
 * Sign a loopback server certificate for an already checked CSR. The names never come from
 * the CSR: every leaf covers exactly localhost, 127.0.0.1 and ::1.
 *
 * forge builds certificates only around RSA keys, so the TBSCertificate is built with the
 * CA's own RSA key as a stand-in and its subjectPublicKeyInfo then replaced by the CSR's
 * (RSA or EC) verbatim; Node's crypto signs the result.
 */
export function issueLeaf(ca: RootCa, csr: CheckedCsr, lifetimeSeconds: number, clock: Clock): IssuedCertificate {
  const now = clock.now();
  const lifetimeMs = lifetimeSeconds * 1000;
  // Back-dated a little for device clocks running behind, but never by more than a tenth
  // of a (short, test) lifetime so the renewal arithmetic stays meaningful.
  const backdateMs = Math.min(300_000, Math.floor(lifetimeMs / 10));
  const notBefore = new Date(Math.floor((now - backdateMs) / 1000) * 1000);
  const notAfter = new Date(Math.floor((now + lifetimeMs) / 1000) * 1000);

  const cert = forge.pki.createCertificate();
  cert.publicKey = ca.cert.publicKey;
  const serial = randomSerial();
  cert.serialNumber = serial;
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  cert.setSubject([{ name: 'commonName', value: 'localhost' }]);
  cert.setIssuer(ca.cert.subject.attributes);
  // Bit strings stay raw so the key bits are copied byte for byte.
  const spkiAsn1 = asn1Extras.fromDer(toBinary(csr.spkiDer), { strict: true, decodeBitStrings: false });
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    csr.keyType === 'rsa'
      ? { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true }
      : { name: 'keyUsage', digitalSignature: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [...LOOPBACK_DNS_NAMES.map((value) => ({ type: 2, value })), ...LOOPBACK_IPS.map((ip) => ({ type: 7, ip }))],
    },
    { id: '2.5.29.14', value: asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, subjectKeyIdentifier(spkiAsn1)) },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.keyIdentifier },
  ]);
  cert.signatureOid = forge.pki.oids.sha256WithRSAEncryption!;
  cert.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption!;

  const tbs = pkiExtras.getTBSCertificate(cert);
  (tbs.value as forge.asn1.Asn1[])[TBS_SPKI_INDEX] = spkiAsn1;
  const signature = sign('sha256', fromBinary(asn1.toDer(tbs).getBytes()), ca.key);
  // certificateToPem serialises the stored tbsCertificate with the signature we supply.
  (cert as unknown as { tbsCertificate: forge.asn1.Asn1 }).tbsCertificate = tbs;
  cert.signature = toBinary(signature);
  return {
    pem: forge.pki.certificateToPem(cert),
    serial,
    issuedAt: isoAt(now),
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
  };
}

/** RFC 5280 method 1: SHA-1 of the subjectPublicKey BIT STRING contents (unused-bits byte excluded). */
function subjectKeyIdentifier(spki: forge.asn1.Asn1): string {
  const bits = (spki.value as forge.asn1.Asn1[])[1]!;
  return forge.md.sha1.create().update((bits.value as string).slice(1)).digest().getBytes();
}
