// "Sync now": `connector sync` asks a running connector, plain or supervised, for a DS sync
// through its local token; an origin added in the DS works right after. SIGUSR2 syncs and
// never ends the process. Pages cannot trigger a sync; an unmanaged connector says so.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChildConnector, type ChildConnector } from '../helpers/child-connector.js';
import { call, gql } from '../helpers/https-client.js';
import { startTestConnector } from '../helpers/test-connector.js';
import { startTestDs, type TestDs } from '../helpers/test-ds.js';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/connector.mjs', import.meta.url));
const env = { ...process.env, CARDLINK_FROM_SOURCE: '1' };
const SHOP = 'https://shop.example.com';
const INFO = gql('{ info { label } }');

let ds: TestDs;
const started: ChildConnector[] = [];

beforeAll(async () => {
  ds = await startTestDs();
  await ds.addOrigin(SHOP);
});
afterAll(async () => {
  for (const c of started) {
    c.child.kill('SIGTERM');
    await c.exited;
  }
  await ds?.close();
});

const sync = (dataDir: string, ...more: string[]) => run(process.execPath, [BIN, 'sync', '--data-dir', dataDir, ...more], { env });
const ca = (dataDir: string) => readFileSync(join(dataDir, 'tls', 'ca.crt'), 'utf8');
const fromOrigin = (c: ChildConnector, dataDir: string, origin: string) =>
  call(c.port, ca(dataDir), { body: INFO, headers: { origin, 'content-type': 'application/json' } });
const lastSyncAt = async (dataDir: string) => {
  const status = JSON.parse((await run(process.execPath, [BIN, 'status', '--json', '--data-dir', dataDir], { env })).stdout);
  return status.ds?.lastResult === 'ok' ? (status.ds.lastSyncAt as string) : undefined;
};

async function until<T>(probe: () => Promise<T | undefined>, what: string, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A connector of the DS as its own process; registered and synced once. */
async function managed(supervise: boolean): Promise<{ c: ChildConnector; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cardlink-syncnow-'));
  const c = await startChildConnector([
    '--data-dir', dataDir, '--ds.url', ds.url, '--ds.token', ds.token, '--ds.ca', ds.tlsCaFile,
    '--ds.cycle', '3600', '--ds.initial-delay-max', '0', '--log-level', 'warn', ...(supervise ? ['--supervise'] : []),
  ], env);
  started.push(c);
  await until(() => lastSyncAt(dataDir), 'the first sync');
  return { c, dataDir };
}

describe.each([false, true])('connector sync (supervised: %s)', (supervise) => {
  it('syncs now: an origin added in the DS works right after; SIGUSR2 syncs too and never kills', async () => {
    const { c, dataDir } = await managed(supervise);
    const origin = `https://new-${supervise ? 'sup' : 'plain'}.example.com`;
    await ds.addOrigin(origin);
    expect((await fromOrigin(c, dataDir, origin)).status).toBe(403);

    const out = await sync(dataDir);
    expect(out.stdout).toMatch(/^synced with the DS at \d{4}-\d\d-\d\dT[\d:.]+Z: origin list v\d+, 0 usage records acknowledged; next sync \d{4}-/);
    const r = await fromOrigin(c, dataDir, origin);
    expect(r.status).toBe(200);
    expect(r.json.data.info.label).toBe('shop');
    const report = JSON.parse((await sync(dataDir, '--json')).stdout);
    expect(report).toMatchObject({ ok: true, error: null, acknowledged: 0 });
    expect(Date.parse(report.nextSyncAt) - Date.parse(report.finishedAt)).toBeGreaterThan(3000_000); // the 1 h cycle

    const before = await lastSyncAt(dataDir);
    c.child.kill('SIGUSR2');
    await until(async () => ((await lastSyncAt(dataDir)) !== before ? true : undefined), 'the SIGUSR2 sync');
    expect(c.child.exitCode).toBeNull();
    expect((await fromOrigin(c, dataDir, SHOP)).status).toBe(200);
  });
});

describe('who may sync', () => {
  it('a page gets LOCAL_CLIENT_ONLY; an unmanaged connector says NOT_MANAGED and survives SIGUSR2', async () => {
    const { c, dataDir } = await managed(false);
    const page = await call(c.port, ca(dataDir), { body: gql('mutation { syncNow { ok } }'), headers: { origin: SHOP, 'content-type': 'application/json' } });
    expect(page.json.errors[0].extensions.code).toBe('LOCAL_CLIENT_ONLY');

    const local = await startTestConnector();
    try {
      const token = readFileSync(join(local.dataDir, 'local-client.token'), 'utf8').trim();
      const r = await local.call({ body: gql('mutation { syncNow { ok } }'), headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
      expect(r.json.errors[0].extensions.code).toBe('NOT_MANAGED');
      expect((await local.query('mutation { syncNow { ok } }')).json.errors[0].extensions.code).toBe('LOCAL_CLIENT_ONLY');
    } finally {
      await local.close();
    }

    const plainDir = mkdtempSync(join(tmpdir(), 'cardlink-syncnow-plain-'));
    const plain = await startChildConnector(['--data-dir', plainDir, '--log-level', 'info'], env);
    started.push(plain);
    plain.child.kill('SIGUSR2');
    await new Promise((r) => setTimeout(r, 500));
    expect(plain.child.exitCode).toBeNull();
    const failed = await sync(plainDir).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed?.code).toBe(3);
    expect(failed?.stderr).toBe('connector sync: NOT_MANAGED: This connector is not registered with a Distribution Service.\n');
  });

  it('says when no connector runs on the data dir', async () => {
    const e = await sync(mkdtempSync(join(tmpdir(), 'cardlink-syncnow-none-'))).catch((x: { code: number; stderr: string }) => x);
    expect((e as { code: number }).code).toBe(3);
    expect((e as { stderr: string }).stderr).toMatch(/^connector sync: no connector is running on .* \(no runtime\.json\)\n$/);
  });
});
