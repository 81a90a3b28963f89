import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startTestDs, type TestDs } from '../helpers/test-ds.js';
import { startChildConnector, type ChildConnector } from '../helpers/child-connector.js';
import { call, gql } from '../helpers/https-client.js';

const ORIGIN = 'https://shop.example.com';

async function until(cond: () => Promise<boolean> | boolean, ms = 30_000) {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

let ds: TestDs;
beforeAll(async () => {
  ds = await startTestDs();
  await ds.addOrigin(ORIGIN);
});
afterAll(() => ds.close());

describe('a connector killed with SIGKILL in the middle of a sync', () => {
  it('loses nothing and counts nothing twice', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cardlink-crash-'));
    const dataDir = join(dir, 'data');
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, ds.token);
    const args = [
      '--data-dir', dataDir, '--ds.url', ds.url, '--ds.token-file', tokenFile, '--ds.ca', ds.tlsCaFile,
      '--ds.cycle', '3600', '--ds.initial-delay-max', '0', '--virtual-card', '1.7', '--log-level', 'warn',
    ];
    const started: import('node:child_process').ChildProcess[] = [];
    const launch = async (): Promise<ChildConnector> => {
      const child = await startChildConnector(args);
      started.push(child.child);
      return child;
    };
    const pending = () => {
      const db = new Database(join(dataDir, 'connector.db'), { readonly: true });
      try {
        return (db.prepare('SELECT COUNT(*) AS n FROM transactions WHERE synced_at IS NULL').get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    try {
      // 1. first start: registers, syncs; then three identity reads land in the outbox
      let c = await launch();
      await until(async () => (await ds.repo.devices.listDevices()).length === 1);
      const deviceId = (await ds.repo.devices.listDevices())[0]!.id;
      const ca = () => readFileSync(join(dataDir, 'tls/ca.crt'), 'utf8');
      // until the DS certificate is served and the DS origin list is in force
      await until(() =>
        call(c.port, ca(), { body: gql('{ info { label } }'), headers: { origin: ORIGIN, 'content-type': 'application/json' } }).then(
          (x) => x.status === 200,
          () => false,
        ),
      );
      const readerId = (await call(c.port, ca(), { body: gql('{ readers { id } }'), headers: { origin: ORIGIN, 'content-type': 'application/json' } })).json.data.readers[0].id;
      for (let i = 0; i < 3; i++) {
        const read = await call(c.port, ca(), {
          body: gql('query($r: ID!) { beid(readerId: $r) { identity { surname } } }', { r: readerId }),
          headers: { origin: ORIGIN, 'content-type': 'application/json', 't1c-tag': `crash-${i}` },
        });
        expect(read.json.data.beid.identity.surname).toBe('Specimen');
      }
      expect(pending()).toBe(3);
      const before = await ds.repo.transactions.countTransactions(deviceId);
      c.child.kill('SIGTERM');
      await c.exited;

      // 2. restart with the DS's answers held back: the sync is committed on the DS, the
      //    connector never hears back, and dies with SIGKILL while waiting
      ds.holdSyncResponses = true;
      c = await launch();
      await until(async () => (await ds.repo.transactions.countTransactions(deviceId)) === before + 3);
      c.child.kill('SIGKILL');
      expect(await c.exited).toBe('SIGKILL');
      expect(pending()).toBe(3); // never acknowledged, still in the outbox

      // 3. start again: the outbox is sent again, acknowledged, and counted once
      ds.holdSyncResponses = false;
      c = await launch();
      await until(() => pending() === 0);
      expect(await ds.repo.transactions.countTransactions(deviceId)).toBe(before + 3);
      c.child.kill('SIGTERM');
      await c.exited;
    } finally {
      ds.holdSyncResponses = false;
      for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
