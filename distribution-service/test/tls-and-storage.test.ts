import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDs } from '../src/http/server.js';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../src/store/sqlite/migrations.js';
import { openSqliteRepository } from '../src/store/sqlite/sqlite-repository.js';
import { testCa } from './support/harness.js';

const dir = mkdtempSync(join(tmpdir(), 'ds-tls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('HTTPS', () => {
  it('serves the API over TLS when given a certificate and key', async () => {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const repo = openSqliteRepository(join(dir, 'ds.sqlite'));
    const ds = createDs({ db: repo, ca: testCa(), config: { tls: { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') } } });
    try {
      const url = await ds.listen();
      expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const body = await new Promise<string>((resolve, reject) => {
        request(`${url}/v1/health`, { ca: readFileSync(cert) }, (res) => {
          let data = '';
          res.on('data', (c) => (data += c));
          res.on('end', () => resolve(data));
        })
          .on('error', reject)
          .end();
      });
      expect(JSON.parse(body)).toEqual({ status: 'ok' });
    } finally {
      await ds.close();
      await repo.close();
    }
  });
});

describe('SQLite storage', () => {
  it('migration 3 leaves the two newest certificates of a device that renewed without limit live', async () => {
    const file = join(dir, 'retire.sqlite');
    // A database as version 2 left it: five live certificates for one device.
    const db = new Database(file);
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    for (const m of MIGRATIONS.filter((m) => m.version <= 2)) {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(m.version, m.name, '2025-01-01T00:00:00.000Z');
    }
    db.exec(`INSERT INTO organisations (id, name, created_at) VALUES ('o1', 'acme', '2025-01-01T00:00:00.000Z');
             INSERT INTO devices (id, org_id, registered_at, version, os) VALUES ('d1', 'o1', '2025-01-01T00:00:00.000Z', '1', 'linux')`);
    for (let i = 1; i <= 5; i++) {
      db.prepare(`INSERT INTO device_certificates VALUES (?, 'd1', ?, 'pem', 'pem', ?, ?, '2099-01-01T00:00:00.000Z')`).run(`s${i}`, `k${i}`, `2025-01-0${i}T00:00:00.000Z`, `2025-01-0${i}T00:00:00.000Z`);
    }
    db.close();
    const repo = openSqliteRepository(file);
    expect((await repo.devices.liveCertificates('d1', '2025-06-01T00:00:00.000Z')).map((c) => c.serial)).toEqual(['s5', 's4']);
    await repo.close();
  });

  it('applies numbered migrations once and records them', async () => {
    const file = join(dir, 'migrate.sqlite');
    const first = openSqliteRepository(file);
    await first.applications.createOrganisation({ id: 'o1', name: 'acme', createdAt: '2025-01-01T00:00:00.000Z' });
    await first.close();
    const again = openSqliteRepository(file, { backgroundCheckpoint: true });
    const raw = new Database(file, { readonly: true });
    expect(raw.prepare('SELECT version, name FROM schema_migrations').all()).toEqual([
      { version: 1, name: 'initial' },
      { version: 2, name: 'dashboard' },
      { version: 3, name: 'certificate-retirement' },
      { version: 4, name: 'seen-requests' },
      { version: 5, name: 'device-can-update' },
      { version: 6, name: 'application-user-steps' },
    ]);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
    expect((await again.applications.findOrganisation('acme'))?.id).toBe('o1');
    await again.close();
  });

  it('upgrades a version-1 database in place: devices keep their data and gain the sync-answer columns', async () => {
    const file = join(dir, 'upgrade.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    db.exec(MIGRATIONS[0]!.sql);
    db.prepare('INSERT INTO schema_migrations VALUES (1, ?, ?)').run('initial', new Date().toISOString());
    db.prepare("INSERT INTO organisations (id, name, created_at) VALUES ('o1', 'acme', '2025-01-01T00:00:00.000Z')").run();
    db.prepare("INSERT INTO devices (id, org_id, registered_at, version, os, last_sync_at) VALUES ('d1', 'o1', '2025-01-01T00:00:00.000Z', '0.1.0', 'linux', '2025-01-02T00:00:00.000Z')").run();
    db.close();
    const repo = openSqliteRepository(file);
    expect(await repo.devices.findDevice('d1')).toMatchObject({
      version: '0.1.0',
      lastSyncAt: '2025-01-02T00:00:00.000Z',
      corsVersionReported: null,
      corsVersionSent: null,
      configVersionSent: null,
      nextSyncAfterSeconds: null,
      canUpdate: null, // unknown until its next sync says
    });
    expect(await repo.users.listUsers()).toEqual([]);
    await repo.close();
  });
});
