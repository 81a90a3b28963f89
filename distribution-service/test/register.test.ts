import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as tokens from '../src/services/tokens.js';
import * as organisations from '../src/services/organisations.js';
import { buildCsr, newKey } from './support/csr.js';
import { postJson, register, startDs, type Harness } from './support/harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startDs();
});
afterEach(async () => h.close());

const registerBody = (token: string, csr: string) => ({ installToken: token, csr, version: '0.1.0', os: 'linux test' });

/** A CSR from OpenSSL: an independent producer, so parser and test helper cannot share a mistake. */
function opensslCsr(kind: 'rsa' | 'ec', dir: string, san = 'DNS:localhost,IP:127.0.0.1,IP:::1'): string {
  const key = newKey(kind);
  const keyFile = join(dir, `${kind}.key`);
  writeFileSync(keyFile, key.privateKeyPem);
  return execFileSync('openssl', ['req', '-new', '-key', keyFile, '-subj', '/CN=localhost', '-addext', `subjectAltName=${san}`], { encoding: 'utf8' });
}

describe('POST /v1/register', () => {
  it.each(['rsa', 'ec'] as const)('registers a device with an OpenSSL %s CSR and returns a loopback certificate, the CA chain, CORS and config', async (kind) => {
    const r = await postJson(`${h.url}/v1/register`, registerBody(h.token, opensslCsr(kind, h.dir)));
    expect(r.status).toBe(200);
    expect(r.body.deviceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.body.caChain).toEqual([h.ca.certPem]);
    const cert = new X509Certificate(r.body.certificate);
    const ca = new X509Certificate(h.ca.certPem);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    expect(cert.serialNumber.toLowerCase()).toBe(r.body.serial);
    expect(new Date(cert.validTo).toISOString()).toBe(r.body.notAfter);
    expect(r.body.cors.entries).toEqual([{ origin: 'https://shop.example.com', label: 'shop', pinEntry: 'CONNECTOR_PAGE', consent: 'OFF', pinReuseMinutes: 0 }]);
    expect(r.body.config).toEqual({ version: 0 });
    expect(r.body.nextSyncAfterSeconds).toBe(28_800);
    const device = await h.repo.devices.findDevice(r.body.deviceId);
    expect(device).toMatchObject({ version: '0.1.0', os: 'linux test' });
  });

  it('issues certificates with the configured lifetime (default 90 days)', async () => {
    const d = await register(h);
    const lifetime = Date.parse(d.notAfter) - h.clock.now();
    expect(Math.abs(lifetime - 90 * 86_400_000)).toBeLessThan(2000);
  });

  it('refuses a bad token with 401 INVALID_TOKEN', async () => {
    const r = await postJson(`${h.url}/v1/register`, registerBody('dsit_nope', buildCsr(newKey('ec'))));
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('INVALID_TOKEN');
    expect(typeof r.body.error.message).toBe('string');
    expect(await h.repo.devices.listDevices()).toHaveLength(0);
  });

  it('refuses expired and used-up tokens', async () => {
    const limited = await tokens.createInstallToken(h.ds.services, { org: 'acme', maxUses: 1, expiresInDays: 1 });
    await register(h, newKey('ec'), limited.token);
    const usedUp = await postJson(`${h.url}/v1/register`, registerBody(limited.token, buildCsr(newKey('ec'))));
    expect(usedUp.status).toBe(401);
    expect(usedUp.body.error).toMatchObject({ code: 'INVALID_TOKEN', message: 'install token used up' });

    const expiring = await tokens.createInstallToken(h.ds.services, { org: 'acme', expiresInDays: 1 });
    h.clock.advance(86_401);
    const expired = await postJson(`${h.url}/v1/register`, registerBody(expiring.token, buildCsr(newKey('ec'))));
    expect(expired.body.error).toMatchObject({ code: 'INVALID_TOKEN', message: 'install token expired' });
  });

  it('scopes the device to the token organisation', async () => {
    await organisations.createOrganisation(h.ds.services, 'globex');
    const t = await tokens.createInstallToken(h.ds.services, { org: 'globex' });
    const d = await register(h, newKey('ec'), t.token);
    expect((await h.repo.devices.findDevice(d.id))?.orgId).toBe((await h.repo.applications.findOrganisation('globex'))?.id);
    expect(d.registration.cors.entries).toEqual([]);
  });

  it('is idempotent per key: a retry returns the same device id and uses no token use', async () => {
    const limited = await tokens.createInstallToken(h.ds.services, { org: 'acme', maxUses: 1 });
    const key = newKey('ec');
    const first = await register(h, key, limited.token);
    const retry = await register(h, key, limited.token);
    expect(retry.id).toBe(first.id);
    expect(retry.serial).not.toBe(first.serial);
    expect(await h.repo.devices.listDevices()).toHaveLength(1);

    await organisations.createOrganisation(h.ds.services, 'globex');
    const other = await tokens.createInstallToken(h.ds.services, { org: 'globex' });
    const clash = await postJson(`${h.url}/v1/register`, registerBody(other.token, buildCsr(key)));
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe('KEY_ALREADY_REGISTERED');
  });

  it.each([
    ['a name other than loopback', () => buildCsr(newKey('ec'), { dns: ['localhost', 'evil.example.com'] }), 'CSR_NAMES_NOT_ALLOWED'],
    ['a routable IP address', () => buildCsr(newKey('ec'), { ips: ['10.0.0.1'] }), 'CSR_NAMES_NOT_ALLOWED'],
    ['a URI name', () => buildCsr(newKey('ec'), { uris: ['https://localhost/'] }), 'CSR_NAMES_NOT_ALLOWED'],
    ['a non-loopback CN', () => buildCsr(newKey('ec'), { cn: 'bank.example' }), 'CSR_NAMES_NOT_ALLOWED'],
    ['no subjectAltName', () => buildCsr(newKey('ec'), { noSan: true }), 'CSR_NAMES_NOT_ALLOWED'],
    ['an RSA 1024 key', () => buildCsr(newKey('rsa1024')), 'CSR_KEY_NOT_ALLOWED'],
    ['an EC P-384 key', () => buildCsr(newKey('p384')), 'CSR_KEY_NOT_ALLOWED'],
    ['a broken self-signature', () => buildCsr(newKey('rsa'), { badSignature: true }), 'INVALID_CSR'],
    ['not PEM', () => 'hello', 'INVALID_CSR'],
  ])('refuses a CSR with %s (400)', async (_name, make, code) => {
    const r = await postJson(`${h.url}/v1/register`, registerBody(h.token, make()));
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe(code);
    expect(await h.repo.devices.listDevices()).toHaveLength(0);
  });

  it('refuses an OpenSSL CSR asking for a public name', async () => {
    const r = await postJson(`${h.url}/v1/register`, registerBody(h.token, opensslCsr('ec', h.dir, 'DNS:localhost,DNS:example.com')));
    expect(r.body.error.code).toBe('CSR_NAMES_NOT_ALLOWED');
  });

  it('accepts a CSR asking for a subset of the loopback names but always issues all three', async () => {
    const r = await postJson(`${h.url}/v1/register`, registerBody(h.token, buildCsr(newKey('ec'), { dns: [], ips: ['127.0.0.1'] })));
    expect(r.status).toBe(200);
    expect(new X509Certificate(r.body.certificate).subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
  });

  it('rejects malformed bodies with typed 400s', async () => {
    const missing = await postJson(`${h.url}/v1/register`, { installToken: h.token });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('INVALID_REQUEST');
    const notJson = await postJson(`${h.url}/v1/register`, '{"installToken":');
    expect(notJson.body.error.code).toBe('INVALID_JSON');
    const unknown = await fetch(`${h.url}/v1/nothing`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as any).error.code).toBe('NOT_FOUND');
  });
});
