import { sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newKey } from './support/csr.js';
import { freshTimestamp, keyIdOf, postJson, register, signHeaders, signedSync, startDs, syncBody, tx, type Harness, type TestDevice } from './support/harness.js';

let h: Harness;
let device: TestDevice;
let rsaDevice: TestDevice;

beforeAll(async () => {
  h = await startDs();
  device = await register(h, newKey('ec'));
  rsaDevice = await register(h, newKey('rsa'));
});
afterAll(async () => h.close());

const expectCode = (r: { status: number; body: any }, status: number, code: string) => {
  expect(r.status).toBe(status);
  expect(r.body.error.code).toBe(code);
};

describe('sync authentication (proof of possession)', () => {
  it('accepts requests signed with an EC P-256 key (DER and raw r||s) and with an RSA key', async () => {
    expect((await signedSync(h, device, syncBody(device))).status).toBe(200);
    expect((await signedSync(h, rsaDevice, syncBody(rsaDevice))).status).toBe(200);
    const body = JSON.stringify(syncBody(device));
    const ts = freshTimestamp(h.clock);
    const headers = signHeaders(device.id, device.key, body, ts);
    const raw = sign('sha256', Buffer.from(`POST\n/v1/sync\n${ts}\n${(await import('node:crypto')).createHash('sha256').update(body).digest('base64')}`), {
      key: device.key.privateKey,
      dsaEncoding: 'ieee-p1363',
    });
    expect((await postJson(`${h.url}/v1/sync`, body, { ...headers, 'x-signature': raw.toString('base64') })).status).toBe(200);
  });

  it('refuses an unsigned request with 401 AUTH_MISSING, even with a garbage body', async () => {
    expectCode(await postJson(`${h.url}/v1/sync`, syncBody(device)), 401, 'AUTH_MISSING');
    expectCode(await postJson(`${h.url}/v1/sync`, '{garbage', { 'x-device-id': device.id }), 401, 'AUTH_MISSING');
  });

  it('refuses a signature made with another key (401 AUTH_BAD_SIGNATURE) and stores nothing', async () => {
    const before = await h.repo.transactions.countTransactions();
    expectCode(await signedSync(h, device, syncBody(device, { transactions: [tx()] }), { key: newKey('ec') }), 401, 'AUTH_BAD_SIGNATURE');
    // Another registered device's key does not work either.
    expectCode(await signedSync(h, device, syncBody(device), { key: rsaDevice.key }), 401, 'AUTH_BAD_SIGNATURE');
    expect(await h.repo.transactions.countTransactions()).toBe(before);
  });

  it('verifies with the key X-Key-Id names; without it (older clients) with the live keys', async () => {
    expect((await signedSync(h, device, syncBody(device), { keyId: false })).status).toBe(200);
    expectCode(await signedSync(h, device, syncBody(device), { keyId: 'ABC' }), 401, 'AUTH_MISSING');
    expectCode(await signedSync(h, device, syncBody(device), { keyId: 'f'.repeat(64) }), 401, 'AUTH_BAD_SIGNATURE');
    // Another device's key id, even with that device's valid signature: not a key of this device.
    expectCode(await signedSync(h, device, syncBody(device), { key: rsaDevice.key, keyId: keyIdOf(rsaDevice.key) }), 401, 'AUTH_BAD_SIGNATURE');
    // The right key id with a signature by another key.
    expectCode(await signedSync(h, device, syncBody(device), { key: newKey('ec'), keyId: keyIdOf(device.key) }), 401, 'AUTH_BAD_SIGNATURE');
  });

  it('refuses a body altered after signing', async () => {
    const body = JSON.stringify(syncBody(device, { transactions: [tx()] }));
    const headers = signHeaders(device.id, device.key, body, freshTimestamp(h.clock));
    const tampered = body.replace('"SIGNATURE"', '"FILE_PRINT"');
    expectCode(await postJson(`${h.url}/v1/sync`, tampered, headers), 401, 'AUTH_BAD_SIGNATURE');
  });

  it('refuses a signature over another path', async () => {
    const body = JSON.stringify(syncBody(device));
    const headers = signHeaders(device.id, device.key, body, freshTimestamp(h.clock), '/v1/register');
    expectCode(await postJson(`${h.url}/v1/sync`, body, headers), 401, 'AUTH_BAD_SIGNATURE');
  });

  it('refuses timestamps more than 300 s off with 401 AUTH_CLOCK_SKEW', async () => {
    const stale = await signedSync(h, device, syncBody(device), { timestamp: h.clock.now() - 301_000 });
    expectCode(stale, 401, 'AUTH_CLOCK_SKEW');
    expect(stale.body.error.details.serverTime).toBe(new Date(h.clock.now()).toISOString());
    expectCode(await signedSync(h, device, syncBody(device), { timestamp: h.clock.now() + 301_000 }), 401, 'AUTH_CLOCK_SKEW');
    expect((await signedSync(h, device, syncBody(device), { timestamp: h.clock.now() - 299_000 })).status).toBe(200);
  });

  it('refuses a replayed request with 401 AUTH_REPLAY, and a re-signed one with the same timestamp', async () => {
    const first = await signedSync(h, device, syncBody(device, { transactions: [tx()] }));
    expect(first.status).toBe(200);
    expectCode(await postJson(`${h.url}/v1/sync`, first.sent.body, first.sent.headers), 401, 'AUTH_REPLAY');
    const ts = Number(first.sent.headers['x-timestamp']);
    expectCode(await signedSync(h, device, syncBody(device), { timestamp: ts }), 401, 'AUTH_REPLAY');
  });

  it('refuses an unknown device with 401 AUTH_UNKNOWN_DEVICE', async () => {
    const ghost: TestDevice = { ...device, id: '00000000-0000-4000-8000-000000000000' };
    expectCode(await signedSync(h, ghost, syncBody(ghost)), 401, 'AUTH_UNKNOWN_DEVICE');
  });

  it('refuses a device whose every certificate expired with 401 AUTH_UNKNOWN_DEVICE', async () => {
    const h2 = await startDs({ certLifetimeSeconds: 60 });
    try {
      const d = await register(h2);
      expect((await signedSync(h2, d, syncBody(d))).status).toBe(200);
      h2.clock.advance(61);
      expectCode(await signedSync(h2, d, syncBody(d)), 401, 'AUTH_UNKNOWN_DEVICE');
    } finally {
      await h2.close();
    }
  });

  it('answers 415 for a non-JSON content type', async () => {
    const res = await fetch(`${h.url}/v1/sync`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' });
    expect(res.status).toBe(415);
    expect(((await res.json()) as any).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });
});
