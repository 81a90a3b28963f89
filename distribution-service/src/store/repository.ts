import type { IncomingTransaction, LogLevel, UseCase } from '../domain/transaction.js';

/**
 * The storage the DS needs, and nothing more. SQLite implements it today; PostgreSQL comes
 * later, so every method is async and the SQL behind it stays portable. Times are ISO 8601
 * UTC strings, ids are opaque strings. Methods that must be atomic say so.
 */

export interface Organisation {
  id: string;
  name: string;
  createdAt: string;
  corsVersion: number;
  configVersion: number;
  dsCycleSeconds: number | null;
  logLevel: LogLevel | null;
}

export interface Application {
  id: string;
  orgId: string;
  label: string;
  name: string;
  createdAt: string;
}

export interface OriginRow {
  orgId: string;
  origin: string;
  label: string;
}

export interface InstallToken {
  id: string;
  orgId: string;
  tokenHash: string;
  createdAt: string;
  expiresAt: string | null;
  maxUses: number | null;
  uses: number;
}

export interface Device {
  id: string;
  orgId: string;
  registeredAt: string;
  version: string | null;
  os: string | null;
  uptimeSeconds: number | null;
  lastError: string | null;
  lastSyncAt: string | null;
  certSerial: string | null;
  certNotAfter: string | null;
}

export interface DeviceCertificate {
  serial: string;
  deviceId: string;
  /** Hex SHA-256 of the SubjectPublicKeyInfo DER: finds a device by key. */
  keyId: string;
  /** SubjectPublicKeyInfo PEM: verifies the device's request signatures. */
  publicKeyPem: string;
  certificatePem: string;
  issuedAt: string;
  notBefore: string;
  notAfter: string;
}

export interface DeviceStatus {
  version: string;
  os: string;
  uptimeSeconds: number;
  lastError: string | null;
  certSerial: string;
  certNotAfter: string;
  lastSyncAt: string;
}

export interface SyncWrite {
  deviceId: string;
  orgId: string;
  receivedAt: string;
  status: DeviceStatus;
  transactions: readonly IncomingTransaction[];
  /** A certificate issued in this sync, stored in the same DB transaction. */
  certificate?: DeviceCertificate;
}

export type ReportDimension = 'label' | 'tag' | 'useCase' | 'module' | 'result' | 'month' | 'day';

export interface TransactionReportQuery {
  orgId: string;
  /** Inclusive lower bound on occurredAt. */
  from?: string;
  /** Exclusive upper bound on occurredAt. */
  to?: string;
  by: readonly ReportDimension[];
}

export type ReportRow = Partial<Record<ReportDimension, string | null>> & { count: number };

export interface InstallReportRow {
  orgId: string;
  label: string;
  month: string;
  devices: number;
}

export interface NewDevice {
  device: { id: string; orgId: string; registeredAt: string; version: string; os: string };
  certificate: DeviceCertificate;
  /** The install token whose use this registration consumes. */
  tokenId: string;
}

export interface Repository {
  // organisations
  createOrganisation(org: { id: string; name: string; createdAt: string }): Promise<Organisation>;
  /** By id or by name. */
  findOrganisation(idOrName: string): Promise<Organisation | undefined>;
  listOrganisations(): Promise<Organisation[]>;
  /** Sets (value) or clears (null) overrides; leaves undefined ones; bumps configVersion. */
  setOrganisationConfig(
    orgId: string,
    patch: { dsCycleSeconds?: number | null; logLevel?: LogLevel | null },
  ): Promise<Organisation>;

  // applications and origins; every change bumps the organisation's corsVersion
  createApplication(app: Application): Promise<Application>;
  findApplication(orgId: string, label: string): Promise<Application | undefined>;
  listApplications(orgId: string): Promise<Application[]>;
  /** False when the origin is already on this organisation (under any application). */
  addOrigin(orgId: string, appId: string, origin: string, at: string): Promise<boolean>;
  /** False when it was not there. */
  removeOrigin(orgId: string, appId: string, origin: string): Promise<boolean>;
  listOrigins(orgId?: string): Promise<OriginRow[]>;

  // install tokens
  createInstallToken(token: InstallToken): Promise<void>;
  findInstallTokenByHash(tokenHash: string): Promise<InstallToken | undefined>;

  // devices and their certificates
  /**
   * Atomically: consume one use of the token (only if uses remain), create the device and
   * store its first certificate. False when the token had no use left (a racing registration).
   */
  registerDevice(input: NewDevice): Promise<boolean>;
  findDevice(id: string): Promise<Device | undefined>;
  listDevices(orgId?: string): Promise<Device[]>;
  findDeviceIdByKey(keyId: string): Promise<string | undefined>;
  addCertificate(cert: DeviceCertificate): Promise<void>;
  /** Certificates of the device with notAfter > at, newest first. */
  liveCertificates(deviceId: string, at: string): Promise<DeviceCertificate[]>;
  findCertificate(serial: string): Promise<DeviceCertificate | undefined>;

  // sync
  /**
   * One DB transaction: insert the transactions (ON CONFLICT DO NOTHING on (device, id)),
   * record the status, store an issued certificate. Returns how many rows were new.
   */
  recordSync(write: SyncWrite): Promise<number>;

  // reports
  transactionReport(query: TransactionReportQuery): Promise<ReportRow[]>;
  installReport(query: { orgId?: string; from?: string; to?: string }): Promise<InstallReportRow[]>;
  countTransactions(deviceId?: string): Promise<number>;

  close(): Promise<void>;
}

export type { IncomingTransaction, UseCase, LogLevel };
