import { describe, expect, it } from 'vitest';
import forge from 'node-forge';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { X509Certificate } from 'node:crypto';
import { refuseCertificate } from '../../src/ds/certificate-check.js';
import { createLoopbackCa, issueLoopbackLeaf, randomSerial } from '../../src/tls/x509.js';
import { DsClient } from '../../src/ds/ds-client.js';
import { CertStore } from '../../src/tls/cert-store.js';
import { openDatabase } from '../../src/store/database.js';
import { StateStore } from '../../src/store/state-store.js';
import { TransactionStore } from '../../src/transactions/transaction-store.js';
import { OriginPolicy } from '../../src/origins/origin-policy.js';
import type { DsHttp } from '../../src/ds/ds-http.js';

const ca = createLoopbackCa('Test DS CA', 10);
const other = createLoopbackCa('Another CA', 10);

/** A leaf signed by `issuer` for `keyPem`'s key with the given names. */
function leafWithNames(issuer: typeof ca, altNames: { type: number; value?: string; ip?: string }[]): { certPem: string; keyPem: string } {
  const keys = forge.pki.rsa.generateKeyPair({ bits: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = randomSerial();
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  cert.setSubject([{ name: 'commonName', value: 'localhost' }]);
  cert.setIssuer(forge.pki.certificateFromPem(issuer.certPem).subject.attributes);
  cert.setExtensions([{ name: 'basicConstraints', cA: false }, { name: 'extKeyUsage', serverAuth: true }, { name: 'subjectAltName', altNames }]);
  cert.sign(forge.pki.privateKeyFromPem(issuer.keyPem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: forge.pki.privateKeyToPem(keys.privateKey) };
}

describe('checking a certificate the DS sends', () => {
  const good = issueLoopbackLeaf(ca, 30);

  it('accepts a leaf for our key, chained to the trusted CA, for exactly the loopback names', () => {
    expect(refuseCertificate({ pem: good.certPem, caChain: [ca.certPem] }, good.keyPem, ca.certPem)).toBeUndefined();
  });

  it.each([
    ['another key', () => ({ pem: good.certPem, caChain: [ca.certPem], key: issueLoopbackLeaf(ca, 30).keyPem }), /does not match our key/],
    ['another CA', () => {
      const l = issueLoopbackLeaf(other, 30);
      return { pem: l.certPem, caChain: [other.certPem], key: l.keyPem };
    }, /not issued by the trusted DS CA/],
    ['extra name', () => {
      const l = leafWithNames(ca, [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' }, { type: 2, value: 'evil.example' }]);
      return { pem: l.certPem, caChain: [ca.certPem], key: l.keyPem };
    }, /loopback names/],
    ['missing name', () => {
      const l = leafWithNames(ca, [{ type: 2, value: 'localhost' }]);
      return { pem: l.certPem, caChain: [ca.certPem], key: l.keyPem };
    }, /loopback names/],
    ['expired', () => {
      const l = issueLoopbackLeaf(ca, 1, new Date(Date.now() - 10 * 86_400_000));
      return { pem: l.certPem, caChain: [ca.certPem], key: l.keyPem };
    }, /not valid now/],
    ['garbage', () => ({ pem: 'not a pem', caChain: [ca.certPem], key: good.keyPem }), /not a certificate/],
  ])('refuses a certificate with %s', (_n, make, reason) => {
    const c = make();
    expect(refuseCertificate({ pem: c.pem, caChain: c.caChain }, c.key, ca.certPem)).toMatch(reason);
  });

  it('keeps serving the old certificate when a renewal brings a bad one', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cardlink-badcert-'));
    const db = openDatabase(join(dataDir, 'c.db'));
    const state = new StateStore(db);
    const certs = new CertStore(dataDir);
    // Currently served: a DS certificate that is already inside its renewal window.
    const current = issueLoopbackLeaf(ca, 1, new Date(Date.now() - 0.9 * 86_400_000));
    certs.save({ key: current.keyPem, cert: current.certPem, chain: '', ca: ca.certPem });
    state.set('ds.deviceId', 'device-1');
    const rogue = issueLoopbackLeaf(other, 30);
    const installed: unknown[] = [];
    const http = {
      async post() {
        return { ack: [], cors: { version: 1, unchanged: true }, config: { version: 1 }, certificate: { pem: rogue.certPem, caChain: [other.certPem], serial: 'x', notAfter: new Date().toISOString() }, nextSyncAfterSeconds: 60, serverTime: new Date().toISOString() };
      },
      close: async () => undefined,
    } as unknown as DsHttp;
    const client = new DsClient({
      url: 'https://ds.test', http, state, certs, transactions: new TransactionStore(db), origins: new OriginPolicy(),
      useCredentials: (c) => installed.push(c), log: pino({ level: 'silent' }), version: '0.1.0', startedAt: Date.now(),
    });
    const out = await client.sync();
    expect(out.renewedSerial).toBeUndefined();
    expect(installed).toEqual([]);
    expect(new X509Certificate(certs.load()!.cert).serialNumber).toBe(new X509Certificate(current.certPem).serialNumber);
  });
});
