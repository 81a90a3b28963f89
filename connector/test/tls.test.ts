import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { startTestConnector, type TestConnector } from './helpers/test-connector.js';
import { CertStore } from '../src/tls/cert-store.js';

let t: TestConnector;
beforeAll(async () => {
  t = await startTestConnector();
});
afterAll(() => t.close());

const openssl = (...args: string[]) => execFileSync('openssl', args, { encoding: 'utf8' });

describe('local CA and leaf', () => {
  it('the CA is a critical, name-constrained CA for loopback names only', () => {
    const p = new CertStore(t.dataDir).paths;
    const text = openssl('x509', '-in', p.ca, '-noout', '-text');
    expect(text).toMatch(/X509v3 Name Constraints: critical/);
    expect(text).toMatch(/Permitted:\s+DNS:localhost\s+IP:127\.0\.0\.1\/255\.255\.255\.255\s+IP:0:0:0:0:0:0:0:1\/FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF/);
    expect(text).toMatch(/CA:TRUE/);
  });

  it('the leaf covers exactly localhost, 127.0.0.1 and ::1 and chains to the CA', () => {
    const p = new CertStore(t.dataDir).paths;
    const leaf = new X509Certificate(execFileSync('cat', [p.cert]));
    expect(leaf.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    expect(openssl('verify', '-x509_strict', '-CAfile', p.ca, '-purpose', 'sslserver', p.cert)).toMatch(/: OK/);
    expect(leaf.publicKey.asymmetricKeyType).toBe('rsa');
    expect(leaf.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  it('a certificate for another name signed by this CA is rejected by the name constraints', () => {
    // Issue a rogue leaf for example.com with the CA key and ask openssl to verify it.
    const p = new CertStore(t.dataDir).paths;
    const dir = t.dataDir;
    const key = join(dir, 'rogue.key');
    const csr = join(dir, 'rogue.csr');
    const crt = join(dir, 'rogue.crt');
    const ext = join(dir, 'rogue.ext');
    writeFileSync(ext, 'subjectAltName=DNS:example.com\n');
    openssl('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-subj', '/CN=example.com', '-out', csr);
    openssl('x509', '-req', '-in', csr, '-CA', p.ca, '-CAkey', p.localCaKey, '-CAcreateserial', '-days', '1', '-extfile', ext, '-out', crt);
    expect(() => openssl('verify', '-CAfile', p.ca, crt)).toThrow(/permitted subtree violation|name constraints/i);
  });

  it('writes private keys with mode 0600', () => {
    const p = new CertStore(t.dataDir).paths;
    expect(statSync(p.key).mode & 0o777).toBe(0o600);
    expect(statSync(p.localCaKey).mode & 0o777).toBe(0o600);
  });

  it('keeps the same CA and leaf across restarts', async () => {
    const before = new CertStore(t.dataDir).load()!;
    const again = await new CertStore(t.dataDir).ensure();
    expect(again.cert).toBe(before.cert);
    expect(again.ca).toBe(before.ca);
  });

  it('speaks TLS 1.2+ only', async () => {
    const handshake = (maxVersion: 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3') =>
      new Promise<string>((resolve, reject) => {
        const s = connect({ host: '127.0.0.1', port: t.port, servername: 'localhost', ca: t.ca, maxVersion, minVersion: 'TLSv1' }, () => {
          resolve(s.getProtocol() ?? '');
          s.end();
        });
        s.on('error', reject);
      });
    expect(await handshake('TLSv1.3')).toBe('TLSv1.3');
    expect(await handshake('TLSv1.2')).toBe('TLSv1.2');
    await expect(handshake('TLSv1.1')).rejects.toThrow();
  });

  it('offers TLS 1.2 only with ECDHE and AEAD suites (openssl s_client)', async () => {
    // Asynchronous: the connector answers from this same process.
    const handshake = (cipher: string) =>
      new Promise<{ ok: boolean; out: string }>((resolve) => {
        const child = execFile(
          'openssl',
          ['s_client', '-connect', `127.0.0.1:${t.port}`, '-servername', 'localhost', '-tls1_2', '-cipher', cipher, '-brief'],
          { encoding: 'utf8', timeout: 10_000 },
          (err, stdout, stderr) => resolve({ ok: !err, out: `${stdout}${stderr}` }),
        );
        child.stdin?.end();
      });
    // Not forward-secret (RSA key exchange), CBC with ECDHE, and CBC without either: refused.
    for (const weak of ['AES128-SHA', 'AES256-GCM-SHA384', 'ECDHE-RSA-AES128-SHA', 'ECDHE-RSA-AES256-SHA384', 'DHE-RSA-AES128-GCM-SHA256']) {
      const r = await handshake(weak);
      expect({ weak, ok: r.ok }).toEqual({ weak, ok: false });
      expect(r.out).toMatch(/handshake failure|no cipher|alert/i);
    }
    for (const good of ['ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE-RSA-CHACHA20-POLY1305']) {
      const r = await handshake(good);
      expect({ good, ok: r.ok, out: r.out }).toMatchObject({ good, ok: true });
      expect(r.out).toContain(`Ciphersuite: ${good}`);
    }
  });
});
