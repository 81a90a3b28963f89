import type { Device, DeviceCertificate, DeviceStore, InstallToken, NewDevice } from '../devices.js';
import type { PgDb, Queryable } from './pg-db.js';
import { toToken, toDevice, toCertificate } from '../devices-rows.js';

const DEVICE_COLUMNS = `id, org_id, registered_at, version, os, uptime_seconds, last_error, last_sync_at, cert_serial, cert_not_after,
  cors_version_reported, cors_version_sent, config_version_sent, next_sync_after_seconds, can_update`;

function insertCertificate(q: Queryable, c: DeviceCertificate): Promise<unknown> {
  return q.query(
    `INSERT INTO device_certificates (serial, device_id, key_id, public_key_pem, certificate_pem, issued_at, not_before, not_after)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [c.serial, c.deviceId, c.keyId, c.publicKeyPem, c.certificatePem, c.issuedAt, c.notBefore, c.notAfter],
  );
}

export class PgDeviceStore implements DeviceStore {
  constructor(private readonly p: PgDb) {}

  async createInstallToken(t: InstallToken): Promise<void> {
    await this.p.pool.query('INSERT INTO install_tokens (id, org_id, token_hash, created_at, expires_at, max_uses, uses) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      t.id, t.orgId, t.tokenHash, t.createdAt, t.expiresAt, t.maxUses, t.uses,
    ]);
  }

  async findInstallTokenByHash(tokenHash: string): Promise<InstallToken | undefined> {
    const r = await this.p.one('SELECT * FROM install_tokens WHERE token_hash = $1', [tokenHash]);
    return r && toToken(r);
  }

  async registerDevice(input: NewDevice): Promise<boolean> {
    return this.p.tx(async (c) => {
      // A guarded UPDATE (it waits on the row lock of a racing one) so two registrations cannot both take the last use.
      const used = await c.query('UPDATE install_tokens SET uses = uses + 1 WHERE id = $1 AND (max_uses IS NULL OR uses < max_uses)', [input.tokenId]);
      if (used.rowCount === 0) return false;
      const d = input.device;
      await c.query(
        `INSERT INTO devices (id, org_id, registered_at, version, os, cors_version_sent, config_version_sent, next_sync_after_seconds)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [d.id, d.orgId, d.registeredAt, d.version, d.os, d.corsVersionSent, d.configVersionSent, d.nextSyncAfterSeconds],
      );
      await insertCertificate(c, input.certificate);
      return true;
    });
  }

  async findDevice(id: string): Promise<Device | undefined> {
    const r = await this.p.one(`SELECT ${DEVICE_COLUMNS} FROM devices WHERE id = $1`, [id]);
    return r && toDevice(r);
  }

  async listDevices(orgId?: string): Promise<Device[]> {
    const sql = `SELECT ${DEVICE_COLUMNS} FROM devices ${orgId ? 'WHERE org_id = $1' : ''} ORDER BY registered_at, seq`;
    return (await this.p.rows(sql, orgId ? [orgId] : [])).map(toDevice);
  }

  async findDeviceIdByKey(keyId: string): Promise<string | undefined> {
    return (await this.p.one<{ device_id: string }>('SELECT device_id FROM device_certificates WHERE key_id = $1 LIMIT 1', [keyId]))?.device_id;
  }

  async addCertificate(cert: DeviceCertificate): Promise<void> {
    await this.p.tx(async (c) => {
      await insertCertificate(c, cert);
      await c.query('UPDATE device_certificates SET retired_at = $1 WHERE device_id = $2 AND key_id = $3 AND serial <> $4 AND retired_at IS NULL', [
        cert.issuedAt, cert.deviceId, cert.keyId, cert.serial,
      ]);
    });
  }

  async liveCertificates(deviceId: string, at: string): Promise<DeviceCertificate[]> {
    return (await this.p.rows('SELECT * FROM device_certificates WHERE device_id = $1 AND not_after > $2 AND retired_at IS NULL ORDER BY issued_at DESC', [deviceId, at])).map(toCertificate);
  }

  async findCertificate(serial: string): Promise<DeviceCertificate | undefined> {
    const r = await this.p.one('SELECT * FROM device_certificates WHERE serial = $1', [serial]);
    return r && toCertificate(r);
  }
}
