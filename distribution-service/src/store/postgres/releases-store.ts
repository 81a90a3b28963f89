import type { Release, ReleaseStore, UpdateFailure, UpdateOfferRecord } from '../releases.js';
import type { PgDb } from './pg-db.js';
import { toRelease, toFailure, toOffer } from '../releases-rows.js';

const COLUMNS = 'id, org_id, version, flag, minimum_version, manifest, signature, sha256, size, published_at, withdrawn_at';

export class PgReleaseStore implements ReleaseStore {
  constructor(private readonly p: PgDb) {}

  async insertRelease(r: Release, pkg: Buffer): Promise<void> {
    await this.p.pool.query(`INSERT INTO releases (${COLUMNS}, package) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`, [
      r.id, r.orgId, r.version, r.flag, r.minimumVersion, r.manifest, r.signature, r.sha256, r.size, r.publishedAt, r.withdrawnAt, pkg,
    ]);
  }

  async findRelease(orgId: string, version: string): Promise<Release | undefined> {
    const r = await this.p.one(`SELECT ${COLUMNS} FROM releases WHERE org_id = $1 AND version = $2`, [orgId, version]);
    return r ? toRelease(r) : undefined;
  }

  async getRelease(id: string): Promise<Release | undefined> {
    const r = await this.p.one(`SELECT ${COLUMNS} FROM releases WHERE id = $1`, [id]);
    return r ? toRelease(r) : undefined;
  }

  async listReleases(orgId?: string): Promise<Release[]> {
    const sql = `SELECT ${COLUMNS} FROM releases ${orgId ? 'WHERE org_id = $1' : ''} ORDER BY published_at DESC, version DESC`;
    return (await this.p.rows(sql, orgId ? [orgId] : [])).map(toRelease);
  }

  async withdrawRelease(id: string, at: string): Promise<void> {
    await this.p.pool.query('UPDATE releases SET withdrawn_at = $1 WHERE id = $2 AND withdrawn_at IS NULL', [at, id]);
  }

  async readPackage(id: string): Promise<Buffer | undefined> {
    return (await this.p.one<{ package: Buffer }>('SELECT package FROM releases WHERE id = $1', [id]))?.package;
  }

  async recordFailures(deviceId: string, failures: { version: string; reason: string }[], at: string): Promise<void> {
    if (failures.length === 0) return;
    // One statement for the whole list; a version listed twice keeps its last reason.
    await this.p.pool.query(
      `INSERT INTO device_update_failures (device_id, version, reason, first_reported_at, last_reported_at)
       SELECT DISTINCT ON (version) $1, version, reason, $4, $4 FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS f(version, reason, ord)
       ORDER BY version, ord DESC
       ON CONFLICT (device_id, version) DO UPDATE SET reason = excluded.reason, last_reported_at = excluded.last_reported_at`,
      [deviceId, failures.map((f) => f.version), failures.map((f) => f.reason), at],
    );
  }

  async failures(deviceId: string): Promise<UpdateFailure[]> {
    return (await this.p.rows('SELECT * FROM device_update_failures WHERE device_id = $1 ORDER BY first_reported_at', [deviceId])).map(toFailure);
  }

  async failuresOfOrg(orgId?: string): Promise<UpdateFailure[]> {
    const sql = `SELECT f.* FROM device_update_failures f JOIN devices d ON d.id = f.device_id ${orgId ? 'WHERE d.org_id = $1' : ''}
                 ORDER BY f.device_id, f.first_reported_at`;
    return (await this.p.rows(sql, orgId ? [orgId] : [])).map(toFailure);
  }

  async recordOffer(o: UpdateOfferRecord): Promise<void> {
    await this.p.pool.query(
      `INSERT INTO device_update_offers (device_id, version, flag, offered_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (device_id) DO UPDATE SET version = excluded.version, flag = excluded.flag, offered_at = excluded.offered_at`,
      [o.deviceId, o.version, o.flag, o.offeredAt],
    );
  }

  async clearOffer(deviceId: string): Promise<void> {
    await this.p.pool.query('DELETE FROM device_update_offers WHERE device_id = $1', [deviceId]);
  }

  async offersOfOrg(orgId?: string): Promise<UpdateOfferRecord[]> {
    const sql = `SELECT o.* FROM device_update_offers o JOIN devices d ON d.id = o.device_id ${orgId ? 'WHERE d.org_id = $1' : ''}`;
    return (await this.p.rows(sql, orgId ? [orgId] : [])).map(toOffer);
  }
}
