import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestConnector, APP_ORIGIN, type TestConnector } from '../helpers/test-connector.js';
import { startTestDs, type TestDs } from '../helpers/test-ds.js';
import { call, gql } from '../helpers/https-client.js';

const SHOP = 'https://shop.example.com';
const INFO = gql('{ info { label managed deviceId } }');

let ds: TestDs;
let t: TestConnector;

/** Ask as a browser page on `origin` would, trusting whatever CA the connector now serves. */
const fromOrigin = (origin: string) =>
  call(t.port, t.c.certs.load()!.ca, { body: INFO, headers: { origin, 'content-type': 'application/json' } });

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const record = (n: number, tag = 'sync-test') => {
  for (let i = 0; i < n; i++) t.c.services.transactions.record({ useCase: 'IDENTITY_READ', module: 'beid', result: 'OK', label: 'shop', tag });
};

beforeAll(async () => {
  ds = await startTestDs();
  await ds.addOrigin(SHOP);
  t = await startTestConnector({
    origins: [{ origin: APP_ORIGIN, label: 'local-dev' }],
    dsUrl: ds.url,
    dsToken: ds.token,
    dsCaFile: ds.tlsCaFile,
    dsCycleSeconds: 3600,
    dsInitialDelayMaxSeconds: 0,
  });
});
afterAll(async () => {
  await t?.close();
  await ds?.close();
});

describe('registration and sync with a real DS over HTTPS', () => {
  it('registers at first start, syncs at once, and serves the DS-issued certificate', async () => {
    const deviceId = await until(() => t.c.ds!.client.deviceId);
    expect(deviceId).toMatch(/^[0-9a-f-]{36}$/);
    // the page of the DS-registered origin works right away
    const r = await until(async () => {
      const x = await fromOrigin(SHOP);
      return x.status === 200 ? x : undefined;
    });
    expect(r.json.data.info).toEqual({ label: 'shop', managed: true, deviceId });
    const served = new X509Certificate(t.c.certs.load()!.cert);
    const dsRoot = new X509Certificate(readFileSync(join(ds.dir, 'ca/root.cert.pem')));
    expect(served.checkIssued(dsRoot) && served.verify(dsRoot.publicKey)).toBe(true);
    // the origins file stays merged in
    expect((await fromOrigin(APP_ORIGIN)).json.data.info.label).toBe('local-dev');
    expect((await ds.repo.devices.listDevices()).map((d) => d.id)).toContain(deviceId);
  });

  it('applies an origin added on the DS at the next sync, and refuses a removed one', async () => {
    const NEW = 'https://new.example.com';
    expect((await fromOrigin(NEW)).status).toBe(403);
    await ds.addOrigin(NEW);
    await ds.removeOrigin(SHOP);
    expect((await fromOrigin(SHOP)).status).toBe(200); // nothing changes before the sync
    await t.c.ds!.scheduler.syncNow();
    expect((await fromOrigin(NEW)).status).toBe(200);
    const gone = await fromOrigin(SHOP);
    expect(gone.status).toBe(403);
    expect(gone.headers['access-control-allow-origin']).toBeUndefined();
    await ds.addOrigin(SHOP);
    await t.c.ds!.scheduler.syncNow();
  });

  it('keeps unchanged CORS lists cheap (version echo) and applies the org config override', async () => {
    // unchanged list: the connector echoes its version, the DS answers "unchanged", nothing is rebuilt
    const list = t.c.origins.current();
    await t.c.ds!.scheduler.syncNow();
    expect(t.c.origins.current()).toBe(list);
    const { organisations } = await import('@cardlink/distribution-service');
    await organisations.setOrganisationConfig(ds.ds.services, 'acme', { dsCycleSeconds: 900, logLevel: 'debug' });
    await t.c.ds!.scheduler.syncNow();
    expect(t.c.ds!.scheduler.cycleSeconds()).toBe(900);
    expect(t.c.log.level).toBe('debug');
    expect(t.c.ds!.scheduler.history.at(-1)).toMatchObject({ reason: 'cycle', seconds: 900 });
    await organisations.setOrganisationConfig(ds.ds.services, 'acme', { dsCycleSeconds: null, logLevel: 'info' });
    await t.c.ds!.scheduler.syncNow();
    // no override any more, and --ds.cycle was not given explicitly: the DS's hint (its default) rules
    expect(t.c.ds!.scheduler.cycleSeconds()).toBe(28_800);
  });
});

describe('connector status', () => {
  it('shows the DS URL, device id, last sync result and time, next sync time and certificate expiry', async () => {
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    const bin = new URL('../../bin/connector.mjs', import.meta.url).pathname;
    const { stdout } = await promisify(execFile)(process.execPath, [bin, 'status', '--json', '--data-dir', t.dataDir], {
      env: { ...process.env, CARDLINK_FROM_SOURCE: '1' },
    });
    const status = JSON.parse(stdout);
    expect(status.ds).toMatchObject({ url: ds.url, deviceId: t.c.ds!.client.deviceId, lastResult: 'ok' });
    expect(Date.parse(status.ds.lastSyncAt)).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(status.ds.nextSyncAt)).toBeGreaterThan(Date.now());
    expect(status.certificate.notAfter).toBe(new Date(new X509Certificate(t.c.certs.load()!.cert).validTo).toISOString());
    expect(status.running.managed).toBe(true);
  });
});

describe('transactions reach the DS exactly once', () => {
  const dsCount = async () => ds.repo.transactions.countTransactions(t.c.ds!.client.deviceId!);

  it('uploads the outbox and empties it only on acknowledgement', async () => {
    const before = await dsCount();
    record(7);
    expect(t.c.services.transactions.pendingCount()).toBe(7);
    await t.c.ds!.scheduler.syncNow();
    expect(t.c.services.transactions.pendingCount()).toBe(0);
    expect(await dsCount()).toBe(before + 7);
  });

  it('counts once when the response is lost after the DS committed', async () => {
    const before = await dsCount();
    record(5);
    ds.ds.faults.dropSyncResponsesAfterCommit = 1;
    await t.c.ds!.scheduler.syncNow();
    expect(t.c.services.transactions.pendingCount()).toBe(5); // not acknowledged: still in the outbox
    expect(await dsCount()).toBe(before + 5); // but committed on the DS
    await t.c.ds!.scheduler.syncNow(); // the retry carries the same ids
    expect(t.c.services.transactions.pendingCount()).toBe(0);
    expect(await dsCount()).toBe(before + 5);
  });

  it('counts once when the same batch is replayed', async () => {
    const before = await dsCount();
    record(4);
    await t.c.ds!.scheduler.syncNow();
    t.c.db.prepare('UPDATE transactions SET synced_at = NULL').run(); // replay everything ever sent
    const all = t.c.services.transactions.pendingCount();
    expect(all).toBeGreaterThan(4);
    await t.c.ds!.scheduler.syncNow();
    expect(t.c.services.transactions.pendingCount()).toBe(0);
    expect(await dsCount()).toBe(before + 4);
  });

  it('keeps serving while the DS is down for several cycles, backs off, then catches up', async () => {
    const before = await dsCount();
    await ds.stop();
    const statusBefore = t.c.ds!.scheduler.history.length;
    for (let i = 0; i < 4; i++) {
      record(3);
      await t.c.ds!.scheduler.syncNow();
      // pages keep working with the last good list
      expect((await fromOrigin(SHOP)).status).toBe(200);
    }
    const backoffs = t.c.ds!.scheduler.history.slice(statusBefore).filter((h) => h.reason === 'backoff').map((h) => h.seconds);
    expect(backoffs).toHaveLength(4);
    // exponential with jitter in [half, full] of 30, 60, 120, 240 s
    [30, 60, 120, 240].forEach((ceiling, i) => {
      expect(backoffs[i]).toBeGreaterThanOrEqual(ceiling / 2);
      expect(backoffs[i]).toBeLessThanOrEqual(ceiling);
    });
    expect(t.c.services.transactions.pendingCount()).toBe(12);
    await ds.restart();
    await t.c.ds!.scheduler.syncNow();
    expect(t.c.services.transactions.pendingCount()).toBe(0);
    expect(await dsCount()).toBe(before + 12);
  });

  it('reports an explicit --ds.cycle at each sync, so the DS records the cycle this device keeps', async () => {
    const deviceId = t.c.ds!.client.deviceId!;
    // This connector was started without an explicit cycle: the DS records its own default.
    await t.c.ds!.scheduler.syncNow();
    expect((await ds.repo.devices.findDevice(deviceId))!.nextSyncAfterSeconds).toBe(ds.ds.config.defaultCycleSeconds);
    const fast = await startTestConnector({
      origins: [], dsUrl: ds.url, dsToken: ds.token, dsCaFile: ds.tlsCaFile, dsCycleSeconds: 300, dsCycleExplicit: true, dsInitialDelayMaxSeconds: 0,
    });
    try {
      const id = await until(() => fast.c.ds!.client.deviceId);
      await fast.c.ds!.scheduler.syncNow();
      expect((await ds.repo.devices.findDevice(id))!.nextSyncAfterSeconds).toBe(300);
      expect(fast.c.ds!.scheduler.cycleSeconds()).toBe(300);
      // An older DS that refuses the field: the connector syncs without it from then on.
      ds.refuseSyncField = 'cycleSeconds';
      for (let i = 0; i < 2; i++) fast.c.services.transactions.record({ useCase: 'IDENTITY_READ', module: 'beid', result: 'OK', label: 'shop', tag: null });
      expect(fast.c.services.transactions.pendingCount()).toBe(2);
      await fast.c.ds!.scheduler.syncNow();
      expect(fast.c.services.transactions.pendingCount()).toBe(0);
      expect((await ds.repo.devices.findDevice(id))!.nextSyncAfterSeconds).toBe(ds.ds.config.defaultCycleSeconds);
      expect(fast.logs()).toContain('the DS refused the sync with cycleSeconds');
    } finally {
      ds.refuseSyncField = undefined;
      await fast.close();
    }
  });
});
