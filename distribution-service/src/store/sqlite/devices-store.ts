import type { Device, DeviceCertificate, DeviceStore, InstallToken, NewDevice } from '../devices.js';
import type { Row, SqliteDb } from './sqlite-db.js';
import { toToken, toDevice, toCertificate } from '../devices-rows.js';

/** Shared with the sync write, which stores a renewed certificate in its own DB transaction. */
export function insertCertificate(s: SqliteDb, cert: DeviceCertificate): void {
  s.stmt(
    `INSERT INTO device_certificates (serial, device_id, key_id, public_key_pem, certificate_pem, issued_at, not_before, not_after)
     VALUES (@serial, @deviceId, @keyId, @publicKeyPem, @certificatePem, @issuedAt, @notBefore, @notAfter)`,
  ).run(cert);
}

export class SqliteDeviceStore implements DeviceStore {
  constructor(private readonly s: SqliteDb) {}

  async createInstallToken(t: InstallToken): Promise<void> {
    this.s.stmt('INSERT INTO install_tokens (id, org_id, token_hash, created_at, expires_at, max_uses, uses) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(t.id, t.orgId, t.tokenHash, t.createdAt, t.expiresAt, t.maxUses, t.uses);
  }

  async findInstallTokenByHash(tokenHash: string): Promise<InstallToken | undefined> {
    const r = this.s.stmt('SELECT * FROM install_tokens WHERE token_hash = ?').get(tokenHash) as Row | undefined;
    return r && toToken(r);
  }

  async registerDevice(input: NewDevice): Promise<boolean> {
    return this.s.write(() => {
      // The use is consumed with a guarded UPDATE so two racing registrations cannot both take the last use.
      const used = this.s.stmt('UPDATE install_tokens SET uses = uses + 1 WHERE id = ? AND (max_uses IS NULL OR uses < max_uses)')
        .run(input.tokenId);
      if (used.changes === 0) return false;
      const d = input.device;
      this.s.stmt(
        `INSERT INTO devices (id, org_id, registered_at, version, os, cors_version_sent, config_version_sent, next_sync_after_seconds)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(d.id, d.orgId, d.registeredAt, d.version, d.os, d.corsVersionSent, d.configVersionSent, d.nextSyncAfterSeconds);
      insertCertificate(this.s, input.certificate);
      return true;
    });
  }

  async findDevice(id: string): Promise<Device | undefined> {
    const r = this.s.stmt('SELECT * FROM devices WHERE id = ?').get(id) as Row | undefined;
    return r && toDevice(r);
  }

  async listDevices(orgId?: string): Promise<Device[]> {
    const sql = `SELECT * FROM devices ${orgId ? 'WHERE org_id = ?' : ''} ORDER BY registered_at`;
    return (this.s.stmt(sql).all(...(orgId ? [orgId] : [])) as Row[]).map(toDevice);
  }

  async findDeviceIdByKey(keyId: string): Promise<string | undefined> {
    return this.s.stmt('SELECT device_id FROM device_certificates WHERE key_id = ? LIMIT 1').pluck().get(keyId) as string | undefined;
  }

  async addCertificate(cert: DeviceCertificate): Promise<void> {
    this.s.write(() => {
      insertCertificate(this.s, cert);
      this.s.stmt('UPDATE device_certificates SET retired_at = ? WHERE device_id = ? AND key_id = ? AND serial <> ? AND retired_at IS NULL')
        .run(cert.issuedAt, cert.deviceId, cert.keyId, cert.serial);
    });
  }

  async liveCertificates(deviceId: string, at: string): Promise<DeviceCertificate[]> {
    const rows = this.s.stmt('SELECT * FROM device_certificates WHERE device_id = ? AND not_after > ? AND retired_at IS NULL ORDER BY issued_at DESC')
      .all(deviceId, at) as Row[];
    return rows.map(toCertificate);
  }

  async findCertificate(serial: string): Promise<DeviceCertificate | undefined> {
    const r = this.s.stmt('SELECT * FROM device_certificates WHERE serial = ?').get(serial) as Row | undefined;
    return r && toCertificate(r);
  }
}
