import { X509Certificate } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as applications from '../src/services/applications.js';
import * as organisations from '../src/services/organisations.js';
import { buildCsr, newKey } from './support/csr.js';
import { register, signedSync, startDs, syncBody, tx, type Harness, type TestDevice } from './support/harness.js';

let h: Harness;
let device: TestDevice;

beforeEach(async () => {
  h = await startDs();
  device = await register(h);
});
afterEach(async () => h.close());

describe('sync: transactions', () => {
  it('stores a batch, acknowledges every id and records the device status', async () => {
    const batch = [tx(), tx({ useCase: 'IDENTITY_READ', tag: null }), tx({ useCase: 'FILE_PRINT', module: 'print' })];
    const r = await signedSync(h, device, syncBody(device, { transactions: batch, lastError: 'PCSC_UNAVAILABLE' }));
    expect(r.status).toBe(200);
    expect(r.body.ack).toEqual(batch.map((t) => t.id));
    expect(await h.repo.transactions.countTransactions(device.id)).toBe(3);
    const d = await h.repo.devices.findDevice(device.id);
    expect(d).toMatchObject({ version: '0.1.0', os: 'linux test', uptimeSeconds: 42, lastError: 'PCSC_UNAVAILABLE', certSerial: device.serial });
    expect(d?.certNotAfter).toBe(device.notAfter);
    expect(d?.lastSyncAt).toBe(new Date(h.clock.now()).toISOString());
  });

  it('de-duplicates on (device, id): a replayed batch is acknowledged again and counted once', async () => {
    const batch = [tx(), tx(), tx()];
    const first = await signedSync(h, device, syncBody(device, { transactions: batch }));
    const again = await signedSync(h, device, syncBody(device, { transactions: [...batch, batch[0]] }));
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body.ack).toEqual(batch.map((t) => t.id));
    expect(await h.repo.transactions.countTransactions()).toBe(3);
  });

  it('keeps the same transaction id of two devices apart', async () => {
    const other = await register(h);
    const shared = tx();
    await signedSync(h, device, syncBody(device, { transactions: [shared] }));
    await signedSync(h, other, syncBody(other, { transactions: [shared] }));
    expect(await h.repo.transactions.countTransactions()).toBe(2);
  });

  it('refuses more than 1000 transactions with 413 BATCH_TOO_LARGE and stores none', async () => {
    const batch = Array.from({ length: 1001 }, () => tx());
    const r = await signedSync(h, device, syncBody(device, { transactions: batch }));
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('BATCH_TOO_LARGE');
    expect(r.body.error.details.max).toBe(1000);
    expect(await h.repo.transactions.countTransactions()).toBe(0);
    const ok = await signedSync(h, device, syncBody(device, { transactions: batch.slice(0, 1000) }));
    expect(ok.status).toBe(200);
    expect(await h.repo.transactions.countTransactions()).toBe(1000);
  });

  it.each([
    ['an unknown use case', { transactions: [tx({ useCase: 'MINING' })] }, 'useCase'],
    ['a missing tag key', { transactions: [(({ tag: _t, ...rest }) => rest)(tx())] }, 'tag'],
    ['a bad label', { transactions: [tx({ label: 'has space' })] }, 'label'],
    ['a non-date occurredAt', { transactions: [tx({ occurredAt: 'yesterday' })] }, 'occurredAt'],
    ['a numeric string uptime', { uptimeSeconds: '42' }, 'uptimeSeconds'],
    ['an unknown property', { extra: true }, 'additional'],
    ['a transaction with an unknown property', { transactions: [tx({ pin: '1234' })] }, 'additional'],
    ['transactions not an array', { transactions: { a: 1 } }, 'transactions'],
  ])('rejects %s with 400 INVALID_REQUEST and stores nothing', async (_name, patch, mentions) => {
    const good = tx();
    const body = syncBody(device, patch as Record<string, unknown>);
    if (Array.isArray(body.transactions)) body.transactions = [good, ...(body.transactions as unknown[])];
    const r = await signedSync(h, device, body);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('INVALID_REQUEST');
    expect(r.body.error.message).toContain(mentions);
    expect(await h.repo.transactions.countTransactions()).toBe(0);
  });

  it('rejects a signed body that is not JSON with 400 INVALID_JSON', async () => {
    const r = await signedSync(h, device, '{"version": ');
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('INVALID_JSON');
  });

  it('normalises occurredAt to UTC', async () => {
    const t = tx({ occurredAt: '2025-11-28T23:30:00+02:00' });
    await signedSync(h, device, syncBody(device, { transactions: [t] }));
    const rows = await h.repo.transactions.transactionReport({ orgId: (await h.repo.applications.findOrganisation('acme'))!.id, by: ['day'] });
    expect(rows).toEqual([{ day: '2025-11-28', count: 1 }]);
  });
});

/** What a new application asks of the user: the PIN on the connector page, no consent step, no reuse. */
const DEFAULTS = { pinEntry: 'CONNECTOR_PAGE', consent: 'OFF', pinReuseMinutes: 0 };

describe('sync: CORS and configuration', () => {
  it('sends the full list when versions differ and { unchanged } when the device is current', async () => {
    const first = await signedSync(h, device, syncBody(device));
    expect(first.body.cors.entries).toEqual([{ origin: 'https://shop.example.com', label: 'shop', ...DEFAULTS }]);
    const v = first.body.cors.version;
    expect(device.registration.cors.version).toBe(v);

    const same = await signedSync(h, device, syncBody(device, { corsVersion: v }));
    expect(same.body.cors).toEqual({ version: v, unchanged: true });

    await applications.addOrigin(h.ds.services, { org: 'acme', label: 'shop', origin: 'https://*.Shop.Example.com' });
    const changed = await signedSync(h, device, syncBody(device, { corsVersion: v }));
    expect(changed.body.cors.version).toBeGreaterThan(v);
    expect(changed.body.cors.entries).toEqual([
      { origin: 'https://*.shop.example.com', label: 'shop', ...DEFAULTS },
      { origin: 'https://shop.example.com', label: 'shop', ...DEFAULTS },
    ]);

    await applications.removeOrigin(h.ds.services, { org: 'acme', label: 'shop', origin: 'https://shop.example.com' });
    const removed = await signedSync(h, device, syncBody(device, { corsVersion: changed.body.cors.version }));
    expect(removed.body.cors.version).toBeGreaterThan(changed.body.cors.version);
    expect(removed.body.cors.entries).toEqual([{ origin: 'https://*.shop.example.com', label: 'shop', ...DEFAULTS }]);
  });

  it("sends each origin with its application's PIN-entry and consent settings; a change moves the version", async () => {
    const v = (await signedSync(h, device, syncBody(device))).body.cors.version;
    await applications.setApplicationSettings(h.ds.services, { org: 'acme', label: 'shop', pinEntry: 'HOST_PAGE', consent: 'ONCE_PER_ORIGIN', pinReuseMinutes: 5 });
    const changed = await signedSync(h, device, syncBody(device, { corsVersion: v }));
    expect(changed.body.cors.version).toBeGreaterThan(v);
    expect(changed.body.cors.entries).toEqual([{ origin: 'https://shop.example.com', label: 'shop', pinEntry: 'HOST_PAGE', consent: 'ONCE_PER_ORIGIN', pinReuseMinutes: 5 }]);
    // The same settings again change nothing.
    await applications.setApplicationSettings(h.ds.services, { org: 'acme', label: 'shop', pinEntry: 'HOST_PAGE' });
    expect((await signedSync(h, device, syncBody(device, { corsVersion: changed.body.cors.version }))).body.cors).toEqual({ version: changed.body.cors.version, unchanged: true });
    for (const bad of [{ pinEntry: 'PAGE' }, { consent: 'ALWAYS' }, { pinReuseMinutes: -1 }, { pinReuseMinutes: 1441 }, { pinReuseMinutes: 1.5 }]) {
      await expect(applications.setApplicationSettings(h.ds.services, { org: 'acme', label: 'shop', ...bad })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
  });

  it('delivers organisation overrides (cycle, log level) and uses the cycle as the next-sync hint', async () => {
    const before = await signedSync(h, device, syncBody(device));
    expect(before.body.config).toEqual({ version: 0 });
    expect(before.body.nextSyncAfterSeconds).toBe(28_800);

    await organisations.setOrganisationConfig(h.ds.services, 'acme', { dsCycleSeconds: 3600, logLevel: 'debug' });
    const after = await signedSync(h, device, syncBody(device));
    expect(after.body.config).toEqual({ version: 1, dsCycleSeconds: 3600, logLevel: 'debug' });
    expect(after.body.nextSyncAfterSeconds).toBe(3600);

    await organisations.setOrganisationConfig(h.ds.services, 'acme', { dsCycleSeconds: null });
    const cleared = await signedSync(h, device, syncBody(device));
    expect(cleared.body.config).toEqual({ version: 2, logLevel: 'debug' });
    expect(cleared.body.nextSyncAfterSeconds).toBe(28_800);
  });
});

describe('sync: certificate renewal', () => {
  it('renews only inside the renewal window: a CSR before it is refused with RENEWAL_NOT_DUE, the sync still counts', async () => {
    const early = await signedSync(h, device, syncBody(device, { csr: buildCsr(newKey('ec')), transactions: [tx()] }));
    expect(early.status).toBe(200);
    expect(early.body.certificate).toBeUndefined();
    expect(early.body.certificateError.code).toBe('RENEWAL_NOT_DUE');
    expect(early.body.ack).toHaveLength(1);
    expect(await h.repo.transactions.countTransactions()).toBe(1);
    // 90-day certificate: the window opens at day 60 (a device clock ahead may be 300 s early).
    h.clock.advance(60 * 24 * 3600 - 301);
    expect((await signedSync(h, device, syncBody(device, { csr: buildCsr(newKey('ec')) }))).body.certificateError.code).toBe('RENEWAL_NOT_DUE');
    h.clock.advance(2);
    expect((await signedSync(h, device, syncBody(device, { csr: buildCsr(newKey('ec')) }))).body.certificate.serial).toMatch(/^[0-9a-f]+$/);
  });

  it('signs a CSR for a new key in the window; keeps the new and the signing certificate live, retires the rest', async () => {
    h.clock.advance(60 * 24 * 3600);
    const fresh = newKey('rsa');
    const r = await signedSync(h, device, syncBody(device, { csr: buildCsr(fresh), transactions: [tx()] }));
    expect(r.status).toBe(200);
    expect(r.body.ack).toHaveLength(1);
    const cert = new X509Certificate(r.body.certificate.pem);
    expect(cert.publicKey.export({ type: 'spki', format: 'der' })).toEqual(fresh.publicKey.export({ type: 'spki', format: 'der' }));
    expect(cert.verify(new X509Certificate(h.ca.certPem).publicKey)).toBe(true);
    expect(cert.serialNumber.toLowerCase()).toBe(r.body.certificate.serial);
    expect(r.body.certificate.caChain).toEqual([h.ca.certPem]);
    expect(r.body.certificate.serial).not.toBe(device.serial);
    expect(Date.parse(r.body.renewal.windowStart)).toBeGreaterThan(h.clock.now());

    const renewed: TestDevice = { ...device, key: fresh, serial: r.body.certificate.serial, notAfter: r.body.certificate.notAfter };
    expect((await signedSync(h, renewed, syncBody(renewed))).status).toBe(200);
    // The old key still works: a lost rotation answer must not lock the device out ...
    expect((await signedSync(h, device, syncBody(device))).status).toBe(200);
    // ... and may renew again (the answer above was "lost"): that retires `renewed`, not `device`.
    const other = newKey('ec');
    const again = await signedSync(h, device, syncBody(device, { csr: buildCsr(other) }));
    const third: TestDevice = { ...device, key: other, serial: again.body.certificate.serial, notAfter: again.body.certificate.notAfter };
    expect((await h.repo.devices.liveCertificates(device.id, new Date(h.clock.now()).toISOString())).map((c) => c.serial).sort()).toEqual(
      [device.serial, third.serial].sort(),
    );
    const retired = await signedSync(h, renewed, syncBody(renewed));
    expect(retired.status).toBe(401);
    expect(retired.body.error.code).toBe('AUTH_BAD_SIGNATURE');
    expect((await signedSync(h, renewed, syncBody(renewed), { keyId: false })).body.error.code).toBe('AUTH_BAD_SIGNATURE');
    expect((await signedSync(h, device, syncBody(device))).status).toBe(200);
    expect((await signedSync(h, third, syncBody(third))).status).toBe(200);

    // The original certificate expires at day 90: from then on only the newest works.
    h.clock.advance(30 * 24 * 3600);
    const old = await signedSync(h, device, syncBody(device));
    expect(old.status).toBe(401);
    expect(old.body.error.code).toBe('AUTH_BAD_SIGNATURE');
    expect((await signedSync(h, third, syncBody(third))).status).toBe(200);
    expect((await signedSync(h, third, syncBody(third), { keyId: false })).status).toBe(200);
  });

  it('refuses a CSR that reuses the signing key, without failing the sync', async () => {
    const r = await signedSync(h, device, syncBody(device, { csr: buildCsr(device.key), transactions: [tx()] }));
    expect(r.status).toBe(200);
    expect(r.body.certificate).toBeUndefined();
    expect(r.body.certificateError.code).toBe('CSR_KEY_REUSED');
    expect(r.body.ack).toHaveLength(1);
    expect(await h.repo.transactions.countTransactions()).toBe(1);
  });

  it.each([
    ['other names', () => buildCsr(newKey('ec'), { dns: ['localhost', 'example.com'] }), 'CSR_NAMES_NOT_ALLOWED'],
    ['a weak key', () => buildCsr(newKey('rsa1024')), 'CSR_KEY_NOT_ALLOWED'],
    ['a broken signature', () => buildCsr(newKey('ec'), { badSignature: true }), 'INVALID_CSR'],
    ['garbage', () => 'not a csr', 'INVALID_CSR'],
  ])('answers a CSR with %s by certificateError', async (_name, make, code) => {
    const r = await signedSync(h, device, syncBody(device, { csr: make() }));
    expect(r.status).toBe(200);
    expect(r.body.certificateError.code).toBe(code);
    expect(r.body.certificate).toBeUndefined();
  });
});

describe('sync: times', () => {
  it('refuses a leap-second occurredAt (valid RFC 3339, not representable) with 400, not 500', async () => {
    const r = await signedSync(h, device, syncBody(device, { transactions: [tx({ occurredAt: '2016-12-31T23:59:60Z' })] }));
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('INVALID_REQUEST');
  });

  it('accepts a content type with a charset parameter', async () => {
    const body = JSON.stringify(syncBody(device));
    const { signHeaders, freshTimestamp } = await import('./support/harness.js');
    const res = await fetch(`${h.url}/v1/sync`, {
      method: 'POST',
      headers: { ...signHeaders(device.id, device.key, body, freshTimestamp(h.clock)), 'content-type': 'application/json; charset=utf-8' },
      body,
    });
    expect(res.status).toBe(200);
  });
});
