import forge from 'node-forge';
import { generateRsaKeyPair, loopbackAltNames } from '../tls/x509.js';

/**
 * A fresh device key and a CSR for the loopback names. The private key stays on this
 * machine; the DS only ever sees the CSR (proof of possession by its self-signature).
 */
export function createKeyAndCsr(): { keyPem: string; csrPem: string } {
  const keys = generateRsaKeyPair();
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = keys.publicKey;
  csr.setSubject([{ name: 'commonName', value: 'localhost' }]);
  csr.setAttributes([{ name: 'extensionRequest', extensions: [{ name: 'subjectAltName', altNames: loopbackAltNames() }] }]);
  csr.sign(keys.privateKey, forge.md.sha256.create());
  return { keyPem: forge.pki.privateKeyToPem(keys.privateKey), csrPem: forge.pki.certificationRequestToPem(csr) };
}

/** CSR for an existing key (a renewal key kept across a lost response). */
export function csrForKey(keyPem: string): string {
  const privateKey = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = forge.pki.setRsaPublicKey(privateKey.n, privateKey.e);
  csr.setSubject([{ name: 'commonName', value: 'localhost' }]);
  csr.setAttributes([{ name: 'extensionRequest', extensions: [{ name: 'subjectAltName', altNames: loopbackAltNames() }] }]);
  csr.sign(privateKey, forge.md.sha256.create());
  return forge.pki.certificationRequestToPem(csr);
}
