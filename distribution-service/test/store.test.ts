import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Transaction as IncomingTransaction } from '@cardlink/ds-protocol';
import type { DeviceCertificate } from '../src/store/devices.js';
import { openPostgresRepository } from '../src/store/postgres/postgres-repository.js';
import { PG_MIGRATIONS } from '../src/store/postgres/migrations.js';
import type { Repository } from '../src/store/repository.js';
import type { DeviceStatus } from '../src/store/transactions.js';
import { listening, requireService } from '../../test/lib/require-service.js';
import { BACKENDS, openTestStore, testPostgresUrl, type Backend, type TestStore } from './support/backends.js';

/**
 * The store contract, one suite for both backends: what the services rely on and the HTTP
 * tests do not reach directly (exact dedupe whatever the occurredAt, report order, atomic
 * counters and token uses under concurrency). Without a PostgreSQL cluster its suites fail
 * under CI=true and are skipped, saying so, elsewhere (requireService).
 */
const dir = mkdtempSync(join(tmpdir(), 'ds-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SETTINGS = { pinEntry: 'CONNECTOR_PAGE', consent: 'OFF', pinReuseMinutes: 0 } as const;
const T0 = '2026-01-01T00:00:00.000Z';
const status = (at: string): DeviceStatus => ({
  version: '1.0.0', os: 'linux', uptimeSeconds: 5, lastError: null, certSerial: 's', certNotAfter: '2099-01-01T00:00:00.000Z',
  lastSyncAt: at, corsVersionReported: null, corsVersionSent: 1, configVersionSent: 0, nextSyncAfterSeconds: 600, canUpdate: true,
});
const cert = (deviceId: string, serial: string): DeviceCertificate => ({
  serial, deviceId, keyId: `k-${serial}`, publicKeyPem: 'pem', certificatePem: 'pem', issuedAt: T0, notBefore: T0, notAfter: '2099-01-01T00:00:00.000Z',
});
const tx = (id: string, o: Partial<IncomingTransaction> = {}): IncomingTransaction => ({
  id, useCase: 'SIGNATURE', module: 'beid', result: 'OK', occurredAt: '2026-03-10T10:00:00.000Z', label: 'shop', tag: 'a', ...o,
});

async function seed(repo: Repository, orgName = 'acme', devices = 2): Promise<{ orgId: string; deviceIds: string[] }> {
  const orgId = randomUUID();
  await repo.applications.createOrganisation({ id: orgId, name: orgName, createdAt: T0 });
  const tokenId = randomUUID();
  await repo.devices.createInstallToken({ id: tokenId, orgId, tokenHash: randomUUID(), createdAt: T0, expiresAt: null, maxUses: null, uses: 0 });
  const deviceIds: string[] = [];
  for (let i = 0; i < devices; i++) {
    const id = randomUUID();
    const ok = await repo.devices.registerDevice({
      device: { id, orgId, registeredAt: `2026-01-01T00:00:0${i}.000Z`, version: '1.0.0', os: 'linux', corsVersionSent: 1, configVersionSent: 0, nextSyncAfterSeconds: 600 },
      certificate: cert(id, `${orgName}-${i}`),
      tokenId,
    });
    expect(ok).toBe(true);
    deviceIds.push(id);
  }
  return { orgId, deviceIds };
}

const sync = (repo: Repository, deviceId: string, orgId: string, transactions: IncomingTransaction[]) =>
  repo.transactions.recordSync({ deviceId, orgId, receivedAt: T0, status: status(T0), transactions });

const pgUrl = testPostgresUrl();
const pgAvailable = pgUrl !== undefined && (await listening(Number(new URL(pgUrl).port || 5432), new URL(pgUrl).hostname));
const withPostgres = requireService('PostgreSQL (CARDLINK_TEST_PG_URL)', pgAvailable, 'bash scripts/services.sh postgres');
const suiteFor = (backend: Backend) => (backend === 'sqlite' ? describe : withPostgres);

for (const backend of BACKENDS) suiteFor(backend)(`store contract on ${backend}`, () => {
  let s: TestStore;
  beforeEach(async () => {
    s = await openTestStore(backend, mkdtempSync(join(dir, `${backend}-`)));
  });
  afterEach(async () => {
    await s?.close();
  });

  it('stores each (device, id) exactly once: repeats in a batch, replays, the same id at another time or month', async () => {
    const { orgId, deviceIds: [a, b] } = await seed(s.repo);
    expect(await sync(s.repo, a!, orgId, [tx('t1'), tx('t2'), tx('t1', { label: 'other' })])).toBe(2);
    expect(await sync(s.repo, a!, orgId, [tx('t1'), tx('t2')])).toBe(0);
    // Same id, a different occurredAt (another month: another partition on PostgreSQL): still a repeat.
    expect(await sync(s.repo, a!, orgId, [tx('t1', { occurredAt: '2026-07-01T00:00:00.000Z' }), tx('t3', { occurredAt: '1999-01-01T00:00:00.000Z' })])).toBe(1);
    // Another device may use the same id.
    expect(await sync(s.repo, b!, orgId, [tx('t1')])).toBe(1);
    expect(await s.repo.transactions.countTransactions()).toBe(4);
    expect(await s.repo.transactions.countTransactions(a)).toBe(3);
    // The first occurrence in a batch won: no row labelled "other".
    expect(await s.repo.transactions.transactionLabels(orgId)).toEqual(['shop']);
    expect((await s.repo.devices.findDevice(a!))).toMatchObject({ lastSyncAt: T0, uptimeSeconds: 5, nextSyncAfterSeconds: 600, canUpdate: true });
  });

  it('refuses a sync of an unknown device with NOT_FOUND and stores nothing', async () => {
    const { orgId } = await seed(s.repo);
    await expect(sync(s.repo, 'no-such-device', orgId, [tx('x')])).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await s.repo.transactions.countTransactions()).toBe(0);
  });

  it('reports grouped in dimension order (no tag first, byte order), filtered by time, label and result; distinct devices; installs', async () => {
    const { orgId, deviceIds: [a, b] } = await seed(s.repo);
    const other = await seed(s.repo, 'globex', 1);
    await sync(s.repo, a!, orgId, [
      tx('1', { tag: null }), tx('2', { tag: 'b' }), tx('3', { tag: 'B' }), tx('4', { label: 'bank', result: 'CARD_REMOVED' }),
      tx('5', { occurredAt: '2026-04-01T00:00:00.000Z' }), tx('6', { occurredAt: '2026-02-28T23:59:59.999Z', useCase: 'IDENTITY_READ' }),
    ]);
    await sync(s.repo, b!, orgId, [tx('1', { tag: null }), tx('7', { occurredAt: '2026-03-31T23:59:59.999+00:00' })]);
    await sync(s.repo, other.deviceIds[0]!, other.orgId, [tx('1')]);

    const march = { orgId, from: '2026-03-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' };
    expect(await s.repo.transactions.transactionReport({ ...march, by: ['label', 'tag'] })).toEqual([
      { label: 'bank', tag: 'a', count: 1 },
      { label: 'shop', tag: null, count: 2 },
      { label: 'shop', tag: 'B', count: 1 },
      { label: 'shop', tag: 'a', count: 1 },
      { label: 'shop', tag: 'b', count: 1 },
    ]);
    expect(await s.repo.transactions.transactionReport({ orgId, by: ['month', 'useCase'] })).toEqual([
      { month: '2026-02', useCase: 'IDENTITY_READ', count: 1 },
      { month: '2026-03', useCase: 'SIGNATURE', count: 6 },
      { month: '2026-04', useCase: 'SIGNATURE', count: 1 },
    ]);
    expect(await s.repo.transactions.transactionReport({ ...march, by: ['day'], label: 'shop', result: 'OK' })).toEqual([
      { day: '2026-03-10', count: 4 },
      { day: '2026-03-31', count: 1 },
    ]);
    expect(await s.repo.transactions.transactionReport({ ...march, by: [] })).toEqual([{ count: 6 }]);
    expect(await s.repo.transactions.activeDeviceReport({ ...march, by: ['label'] })).toEqual([
      { label: 'bank', devices: 1 },
      { label: 'shop', devices: 2 },
    ]);
    expect(await s.repo.transactions.installReport({ from: march.from, to: march.to })).toEqual(
      [
        { orgId, label: 'bank', month: '2026-03', devices: 1 },
        { orgId, label: 'shop', month: '2026-03', devices: 2 },
        { orgId: other.orgId, label: 'shop', month: '2026-03', devices: 1 },
      ].sort((x, y) => (x.orgId < y.orgId ? -1 : x.orgId > y.orgId ? 1 : 0)),
    );
    expect(await s.repo.transactions.transactionLabels(orgId)).toEqual(['bank', 'shop']);
  });

  it('lets only one of several racing registrations take the last use of a token', async () => {
    const { orgId } = await seed(s.repo, 'acme', 0);
    const tokenId = randomUUID();
    await s.repo.devices.createInstallToken({ id: tokenId, orgId, tokenHash: randomUUID(), createdAt: T0, expiresAt: null, maxUses: 1, uses: 0 });
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => {
        const id = randomUUID();
        return s.repo.devices.registerDevice({
          device: { id, orgId, registeredAt: T0, version: '1', os: 'linux', corsVersionSent: 0, configVersionSent: 0, nextSyncAfterSeconds: 600 },
          certificate: cert(id, `race-${i}`),
          tokenId,
        });
      }),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await s.repo.devices.listDevices(orgId)).toHaveLength(1);
  });

  it('counts login failures atomically and keeps one secret per name', async () => {
    const counts = await Promise.all(Array.from({ length: 20 }, () => s.repo.users.recordLoginFailure('acct:x', T0)));
    expect(counts.sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect((await s.repo.users.getLoginThrottle('acct:x'))?.failures).toBe(20);
    const secrets = await Promise.all(Array.from({ length: 5 }, (_, i) => s.repo.users.getOrCreateSecret('dashboard', () => `v${i}`, T0)));
    expect(new Set(secrets).size).toBe(1);
  });

  it('writes a change and its audit line together, and refuses a duplicate label with CONFLICT', async () => {
    const { orgId } = await seed(s.repo, 'acme', 0);
    const audit = { at: T0, actor: 'cli:test', orgId, action: 'app.create', target: 'shop' };
    await s.repo.applications.createApplication({ id: randomUUID(), orgId, label: 'shop', name: 'Shop', createdAt: T0, ...SETTINGS }, audit);
    await expect(
      s.repo.applications.createApplication({ id: randomUUID(), orgId, label: 'shop', name: 'Again', createdAt: T0, ...SETTINGS }, { ...audit, target: 'again' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await s.repo.audit.listAudit({ orgId, limit: 10 })).map((r) => r.target)).toEqual(['shop']);
    expect((await s.repo.applications.findOrganisation(orgId))?.corsVersion).toBe(1);
  });

  it('keeps the user-step settings of an application, gives them with its origins, and moves the CORS version only when they change', async () => {
    const { orgId } = await seed(s.repo, 'acme', 0);
    const app = await s.repo.applications.createApplication({ id: randomUUID(), orgId, label: 'shop', name: 'Shop', createdAt: T0, ...SETTINGS });
    await s.repo.applications.addOrigin(orgId, app.id, 'https://shop.example', T0);
    const v = (await s.repo.applications.findOrganisation(orgId))!.corsVersion;
    await s.repo.applications.updateApplication(orgId, app.id, { ...SETTINGS });
    expect((await s.repo.applications.findOrganisation(orgId))!.corsVersion).toBe(v);
    const changed = await s.repo.applications.updateApplication(orgId, app.id, { pinEntry: 'HOST_PAGE', consent: 'ONCE_PER_ORIGIN', pinReuseMinutes: 5 });
    expect(changed).toMatchObject({ pinEntry: 'HOST_PAGE', consent: 'ONCE_PER_ORIGIN', pinReuseMinutes: 5 });
    expect((await s.repo.applications.findOrganisation(orgId))!.corsVersion).toBe(v + 1);
    expect(await s.repo.applications.listOrigins(orgId)).toMatchObject([
      { origin: 'https://shop.example', label: 'shop', pinEntry: 'HOST_PAGE', consent: 'ONCE_PER_ORIGIN', pinReuseMinutes: 5 },
    ]);
  });
});

withPostgres('PostgreSQL only', () => {
  const base = pgUrl;

  it('applies each migration once when replicas start together (advisory lock)', async () => {
    const schema = `ds_race_${randomUUID().slice(0, 8)}`;
    const u = new URL(base!);
    u.searchParams.set('schema', schema);
    const repos = await Promise.all(Array.from({ length: 4 }, () => openPostgresRepository(u.toString(), { poolSize: 1, partitionCheckMs: 0 })));
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    try {
      const rows = (await c.query(`SELECT version FROM ${schema}.schema_migrations ORDER BY version`)).rows;
      expect(rows.map((r) => r.version)).toEqual(PG_MIGRATIONS.map((m) => m.version));
      // This month and the next three have their partitions; a transaction of this month lands in its own.
      const now = new Date();
      const month = (i: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + i, 1)).toISOString().slice(0, 7).replace('-', '_');
      const parts = (await c.query(`SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                                    WHERE n.nspname = $1 AND i.inhparent = '${schema}.transactions'::regclass`, [schema])).rows.map((r) => r.relname);
      for (const i of [0, 1, 2, 3]) expect(parts).toContain(`transactions_${month(i)}`);
      const { orgId, deviceIds } = await seed(repos[0]!);
      await sync(repos[1]!, deviceIds[0]!, orgId, [tx('now', { occurredAt: now.toISOString() }), tx('old', { occurredAt: '1999-01-01T00:00:00.000Z' })]);
      const where = (await c.query(`SELECT id, tableoid::regclass::text AS part FROM ${schema}.transactions ORDER BY id`)).rows;
      expect(where).toEqual([
        { id: 'now', part: `${schema}.transactions_${month(0)}` },
        { id: 'old', part: `${schema}.transactions_default` },
      ]);
    } finally {
      await Promise.all(repos.map((r) => r.close()));
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    }
  });
});
