import type { Device, DeviceCertificate, InstallToken } from './devices.js';
import { flagOrNull, num, numOrNull, textOrNull, type Row } from './rows.js';

/** Row mappers of the devices area, shared by the SQLite and PostgreSQL stores. */
export const toToken = (r: Row): InstallToken => ({
  id: r.id as string,
  orgId: r.org_id as string,
  tokenHash: r.token_hash as string,
  createdAt: r.created_at as string,
  expiresAt: textOrNull(r.expires_at),
  maxUses: numOrNull(r.max_uses),
  uses: num(r.uses),
});

export const toDevice = (r: Row): Device => ({
  id: r.id as string,
  orgId: r.org_id as string,
  registeredAt: r.registered_at as string,
  version: textOrNull(r.version),
  os: textOrNull(r.os),
  uptimeSeconds: numOrNull(r.uptime_seconds),
  lastError: textOrNull(r.last_error),
  lastSyncAt: textOrNull(r.last_sync_at),
  certSerial: textOrNull(r.cert_serial),
  certNotAfter: textOrNull(r.cert_not_after),
  corsVersionReported: numOrNull(r.cors_version_reported),
  corsVersionSent: numOrNull(r.cors_version_sent),
  configVersionSent: numOrNull(r.config_version_sent),
  nextSyncAfterSeconds: numOrNull(r.next_sync_after_seconds),
  canUpdate: flagOrNull(r.can_update),
});

export const toCertificate = (r: Row): DeviceCertificate => ({
  serial: r.serial as string,
  deviceId: r.device_id as string,
  keyId: r.key_id as string,
  publicKeyPem: r.public_key_pem as string,
  certificatePem: r.certificate_pem as string,
  issuedAt: r.issued_at as string,
  notBefore: r.not_before as string,
  notAfter: r.not_after as string,
});
