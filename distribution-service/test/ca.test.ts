import { execFileSync, spawnSync } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { afterAll, describe, expect, it } from 'vitest';
import { checkCsr } from '../src/ca/csr.js';
import { issueLeaf } from '../src/ca/issue.js';
import { CA_CERT_FILE, CA_KEY_FILE, loadOrCreateCa } from '../src/ca/root-ca.js';
import { systemClock } from '../src/clock.js';
import { buildCsr, newKey } from './support/csr.js';
import { testCa } from './support/harness.js';

const dir = mkdtempSync(join(tmpdir(), 'ds-ca-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ca = testCa();
const caFile = join(dir, 'ca.pem');
writeFileSync(caFile, ca.certPem);

const opensslText = (pem: string): string => execFileSync('openssl', ['x509', '-noout', '-text'], { input: pem, encoding: 'utf8' });
const opensslVerify = (leafPem: string) => {
  const leafFile = join(dir, `leaf-${Math.random()}.pem`);
  writeFileSync(leafFile, leafPem);
  return spawnSync('openssl', ['verify', '-CAfile', caFile, '-purpose', 'sslserver', leafFile], { encoding: 'utf8' });
};

describe('DS root CA', () => {
  it('carries a critical nameConstraints extension that OpenSSL decodes to the loopback names', () => {
    const text = opensslText(ca.certPem);
    expect(text).toContain('X509v3 Name Constraints: critical');
    const block = text.slice(text.indexOf('X509v3 Name Constraints'), text.indexOf('X509v3 Subject Key Identifier'));
    expect(block).toContain('DNS:localhost');
    expect(block).toContain('IP:127.0.0.1/255.255.255.255');
    expect(block).toContain('IP:0:0:0:0:0:0:0:1/FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF');
    expect(block.match(/DNS:|IP:/g)).toHaveLength(3);
    expect(block).not.toContain('Excluded');
    expect(text).toMatch(/Public-Key: \(2048 bit\)/);
    expect(text).toMatch(/CA:TRUE, pathlen:0/);
  });

  it('is parsed by node-forge with the same permitted subtrees', () => {
    const cert = forge.pki.certificateFromPem(ca.certPem);
    const ext = (cert.getExtension as unknown as (o: { id: string }) => unknown)({ id: '2.5.29.30' }) as { critical: boolean; permittedSubtrees: { type: number; value: string }[] };
    expect(ext.critical).toBe(true);
    expect(ext.permittedSubtrees.map((s) => [s.type, Buffer.from(s.value, 'binary').toString('hex')])).toEqual([
      [2, Buffer.from('localhost').toString('hex')],
      [7, '7f000001ffffffff'],
      [7, `${'00'.repeat(15)}01${'ff'.repeat(16)}`],
    ]);
  });

  it.each(['rsa', 'ec'] as const)('issues %s leaves that OpenSSL verifies against the CA, with exactly the loopback SANs and serverAuth', (kind) => {
    const csr = checkCsr(buildCsr(newKey(kind)));
    if (!csr.ok) throw csr.error;
    const leaf = issueLeaf(ca, csr.value, 3600, systemClock);
    const verified = opensslVerify(leaf.pem);
    expect(verified.stdout.trim()).toMatch(/: OK$/);
    const text = opensslText(leaf.pem);
    expect(text).toMatch(/X509v3 Subject Alternative Name: \n\s+DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1\n/);
    expect(text).toMatch(/X509v3 Extended Key Usage: \n\s+TLS Web Server Authentication\n/);
    expect(text).toContain('CA:FALSE');
    expect(text).toContain(kind === 'rsa' ? 'rsaEncryption' : 'prime256v1');
  });

  it('is useless for a public name: OpenSSL rejects a leaf for example.com signed by this CA', () => {
    // Sign a forbidden leaf directly with the CA key, bypassing the DS's own checks.
    const caKey = forge.pki.privateKeyFromPem(ca.key.export({ type: 'pkcs8', format: 'pem' }).toString());
    const leafKeys = forge.pki.rsa.generateKeyPair({ bits: 1024, e: 0x10001 });
    const cert = forge.pki.createCertificate();
    cert.publicKey = leafKeys.publicKey;
    cert.serialNumber = '01';
    cert.validity.notBefore = new Date(Date.now() - 60_000);
    cert.validity.notAfter = new Date(Date.now() + 3600_000);
    cert.setSubject([{ name: 'commonName', value: 'example.com' }]);
    cert.setIssuer(forge.pki.certificateFromPem(ca.certPem).subject.attributes);
    cert.setExtensions([{ name: 'subjectAltName', altNames: [{ type: 2, value: 'example.com' }] }]);
    cert.sign(caKey, forge.md.sha256.create());
    const verified = opensslVerify(forge.pki.certificateToPem(cert));
    expect(verified.status).not.toBe(0);
    expect(verified.stdout + verified.stderr).toMatch(/permitted subtree violation/);
  });

  it('is generated once into the data dir with a 0600 key and reused afterwards', () => {
    const dataDir = join(dir, 'data');
    const first = loadOrCreateCa(dataDir);
    expect(statSync(join(dataDir, CA_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'ca')).mode & 0o777).toBe(0o700);
    const second = loadOrCreateCa(dataDir);
    expect(second.certPem).toBe(first.certPem);
    expect(statSync(join(dataDir, CA_CERT_FILE)).isFile()).toBe(true);
  });
});

describe('leaf validity', () => {
  it('back-dates by at most a tenth of a short lifetime and ends exactly one lifetime after issue', () => {
    const now = Date.UTC(2025, 10, 28, 12, 0, 0);
    const csr = checkCsr(buildCsr(newKey('ec')));
    if (!csr.ok) throw csr.error;
    const short = issueLeaf(ca, csr.value, 60, { now: () => now });
    expect(short.notBefore).toBe('2025-11-28T11:59:54.000Z');
    expect(short.notAfter).toBe('2025-11-28T12:01:00.000Z');
    const long = issueLeaf(ca, csr.value, 90 * 86_400, { now: () => now });
    expect(long.notBefore).toBe('2025-11-28T11:55:00.000Z');
    expect(long.notAfter).toBe('2026-02-26T12:00:00.000Z');
  });
});

describe('CA shared by replicas', () => {
  it('gives replicas that start together on one data dir the same CA (one wins, the others read it)', async () => {
    const shared = mkdtempSync(join(tmpdir(), 'ds-ca-race-'));
    try {
      const { spawn } = await import('node:child_process');
      const script = join(__dirname, 'support', 'load-ca.mjs');
      const runs = Array.from({ length: 4 }, () => new Promise<string>((resolve, reject) => {
        const p = spawn(process.execPath, [script, shared], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        p.stdout.on('data', (d) => (out += d));
        p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`load-ca exited ${code}`))));
      }));
      const fingerprints = await Promise.all(runs);
      expect(fingerprints[0]).toMatch(/^[0-9a-f]{64}$/);
      expect(new Set(fingerprints).size).toBe(1);
      expect(statSync(join(shared, CA_KEY_FILE)).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(shared, { recursive: true, force: true });
    }
  });
});
