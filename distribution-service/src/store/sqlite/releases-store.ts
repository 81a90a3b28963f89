import type Database from 'better-sqlite3';
import type { Release, ReleaseStore, UpdateFailure, UpdateOfferRecord } from '../releases.js';
import type { Row, SqliteDb } from './sqlite-db.js';
import { toRelease, toFailure, toOffer } from '../releases-rows.js';

const COLUMNS = 'id, org_id, version, flag, minimum_version, manifest, signature, sha256, size, published_at, withdrawn_at';

export class SqliteReleaseStore implements ReleaseStore {
  constructor(private readonly s: SqliteDb) {}

  private stmt(sql: string): Database.Statement {
    return this.s.stmt(sql);
  }

  async insertRelease(r: Release, pkg: Buffer): Promise<void> {
    this.stmt(
      `INSERT INTO releases (${COLUMNS}, package) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(r.id, r.orgId, r.version, r.flag, r.minimumVersion, r.manifest, r.signature, r.sha256, r.size, r.publishedAt, r.withdrawnAt, pkg);
  }

  async findRelease(orgId: string, version: string): Promise<Release | undefined> {
    const r = this.stmt(`SELECT ${COLUMNS} FROM releases WHERE org_id = ? AND version = ?`).get(orgId, version) as Row | undefined;
    return r ? toRelease(r) : undefined;
  }

  async getRelease(id: string): Promise<Release | undefined> {
    const r = this.stmt(`SELECT ${COLUMNS} FROM releases WHERE id = ?`).get(id) as Row | undefined;
    return r ? toRelease(r) : undefined;
  }

  async listReleases(orgId?: string): Promise<Release[]> {
    const sql = `SELECT ${COLUMNS} FROM releases ${orgId ? 'WHERE org_id = ?' : ''} ORDER BY published_at DESC, version DESC`;
    return (this.stmt(sql).all(...(orgId ? [orgId] : [])) as Row[]).map(toRelease);
  }

  async withdrawRelease(id: string, at: string): Promise<void> {
    this.stmt('UPDATE releases SET withdrawn_at = ? WHERE id = ? AND withdrawn_at IS NULL').run(at, id);
  }

  async readPackage(id: string): Promise<Buffer | undefined> {
    return this.stmt('SELECT package FROM releases WHERE id = ?').pluck().get(id) as Buffer | undefined;
  }

  async recordFailures(deviceId: string, failures: { version: string; reason: string }[], at: string): Promise<void> {
    const upsert = this.stmt(
      `INSERT INTO device_update_failures (device_id, version, reason, first_reported_at, last_reported_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (device_id, version) DO UPDATE SET reason = excluded.reason, last_reported_at = excluded.last_reported_at`,
    );
    this.s.write(() => {
      for (const f of failures) upsert.run(deviceId, f.version, f.reason, at, at);
    });
  }

  async failures(deviceId: string): Promise<UpdateFailure[]> {
    return (this.stmt('SELECT * FROM device_update_failures WHERE device_id = ? ORDER BY first_reported_at').all(deviceId) as Row[]).map(toFailure);
  }

  async failuresOfOrg(orgId?: string): Promise<UpdateFailure[]> {
    const sql = `SELECT f.* FROM device_update_failures f JOIN devices d ON d.id = f.device_id ${orgId ? 'WHERE d.org_id = ?' : ''}
                 ORDER BY f.device_id, f.first_reported_at`;
    return (this.stmt(sql).all(...(orgId ? [orgId] : [])) as Row[]).map(toFailure);
  }

  async recordOffer(o: UpdateOfferRecord): Promise<void> {
    this.stmt(
      `INSERT INTO device_update_offers (device_id, version, flag, offered_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (device_id) DO UPDATE SET version = excluded.version, flag = excluded.flag, offered_at = excluded.offered_at`,
    ).run(o.deviceId, o.version, o.flag, o.offeredAt);
  }

  async clearOffer(deviceId: string): Promise<void> {
    this.stmt('DELETE FROM device_update_offers WHERE device_id = ?').run(deviceId);
  }

  async offersOfOrg(orgId?: string): Promise<UpdateOfferRecord[]> {
    const sql = `SELECT o.* FROM device_update_offers o JOIN devices d ON d.id = o.device_id ${orgId ? 'WHERE d.org_id = ?' : ''}`;
    return (this.stmt(sql).all(...(orgId ? [orgId] : [])) as Row[]).map(toOffer);
  }
}
