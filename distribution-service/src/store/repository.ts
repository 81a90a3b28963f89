import type { LogLevel, Transaction as IncomingTransaction, UseCase } from '@cardlink/ds-protocol';

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
  createdAt: string;
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
  /** The CORS list version the device said it held at its last sync (null: none or never said). */
  corsVersionReported: number | null;
  /** The CORS list version the DS's last answer (sync or registration) gave it. */
  corsVersionSent: number | null;
  /** The configuration version the DS's last answer gave it. */
  configVersionSent: number | null;
  /** The cycle the device keeps after the DS's last answer: its status is judged against it. */
  nextSyncAfterSeconds: number | null;
  /** Whether its last sync carried `updateStatus` (it can take updates); null: never synced. */
  canUpdate: boolean | null;
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
  corsVersionReported: number | null;
  corsVersionSent: number;
  configVersionSent: number;
  nextSyncAfterSeconds: number;
  canUpdate: boolean;
}

export interface SyncWrite {
  deviceId: string;
  orgId: string;
  receivedAt: string;
  status: DeviceStatus;
  transactions: readonly IncomingTransaction[];
  /**
   * A certificate issued in this sync, stored in the same DB transaction. Every other live
   * certificate of the device except `retainSerial` (the one that signed the renewal) is retired.
   */
  certificate?: DeviceCertificate;
  retainSerial?: string;
  /**
   * The signed request's identity: (deviceId, timestamp) is stored until `expiresAt` (ms) and a
   * second write with the same pair fails the whole transaction with AUTH_REPLAY.
   */
  request?: { timestamp: number; expiresAt: number };
}

export type ReportDimension = 'label' | 'tag' | 'useCase' | 'module' | 'result' | 'month' | 'day';

export interface TransactionReportQuery {
  orgId: string;
  /** Inclusive lower bound on occurredAt. */
  from?: string;
  /** Exclusive upper bound on occurredAt. */
  to?: string;
  by: readonly ReportDimension[];
  /** Only transactions of this label. */
  label?: string;
  /** Only transactions with this result (e.g. OK). */
  result?: string;
}

/** Rows come ordered by the dimensions, in the order given (NULL tags first). */
export type ReportRow = Partial<Record<ReportDimension, string | null>> & { count: number };

/** Distinct devices with at least one matching transaction, per group. */
export type ActiveDeviceRow = Partial<Record<ReportDimension, string | null>> & { devices: number };

export interface InstallReportRow {
  orgId: string;
  label: string;
  month: string;
  devices: number;
}

export interface NewDevice {
  device: {
    id: string;
    orgId: string;
    registeredAt: string;
    version: string;
    os: string;
    corsVersionSent: number;
    configVersionSent: number;
    nextSyncAfterSeconds: number;
  };
  certificate: DeviceCertificate;
  /** The install token whose use this registration consumes. */
  tokenId: string;
}

export type Role = 'admin' | 'business';

export interface User {
  id: string;
  /** Lowercase. */
  email: string;
  role: Role;
  /** null: every organisation; otherwise the only one this user sees. */
  orgId: string | null;
  /** scrypt$N$r$p$salt$hash (see services/passwords.ts). */
  passwordHash: string;
  createdAt: string;
  passwordChangedAt: string;
  disabled: boolean;
}

export interface DashboardSession {
  /** SHA-256 of the cookie value: a database leak yields no usable session. */
  idHash: string;
  userId: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
}

export interface LoginThrottle {
  key: string;
  failures: number;
  lastFailureAt: string;
  lockedUntil: string | null;
}

/** One line of the audit log: who changed what, when. */
export interface AuditEntry {
  at: string;
  /** `user:<email>` for the dashboard, `cli:<os user>` for the admin CLI. */
  actor: string;
  orgId: string | null;
  /** e.g. origin.add, app.rename, config.set */
  action: string;
  /** What was changed, e.g. the application label or the origin. */
  target: string | null;
  details?: Record<string, unknown> | undefined;
}

export interface AuditRow extends AuditEntry {
  seq: number;
}

export interface Repository {
  // organisations
  /** Every mutating method takes an optional audit entry, written in the same DB transaction. */
  createOrganisation(org: { id: string; name: string; createdAt: string }, audit?: AuditEntry): Promise<Organisation>;
  /** By id or by name. */
  findOrganisation(idOrName: string): Promise<Organisation | undefined>;
  listOrganisations(): Promise<Organisation[]>;
  /** Sets (value) or clears (null) overrides; leaves undefined ones; bumps configVersion. */
  setOrganisationConfig(
    orgId: string,
    patch: { dsCycleSeconds?: number | null; logLevel?: LogLevel | null },
    audit?: AuditEntry,
  ): Promise<Organisation>;

  // applications and origins; every change bumps the organisation's corsVersion
  createApplication(app: Application, audit?: AuditEntry): Promise<Application>;
  findApplication(orgId: string, label: string): Promise<Application | undefined>;
  listApplications(orgId: string): Promise<Application[]>;
  /** Rename and/or relabel; a new label bumps corsVersion (the entries carry it). CONFLICT if the label is taken. */
  updateApplication(orgId: string, appId: string, patch: { name?: string; label?: string }, audit?: AuditEntry): Promise<Application>;
  /** False when the origin is already on this organisation (under any application). */
  addOrigin(orgId: string, appId: string, origin: string, at: string, audit?: AuditEntry): Promise<boolean>;
  /** False when it was not there. */
  removeOrigin(orgId: string, appId: string, origin: string, audit?: AuditEntry): Promise<boolean>;
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
  /** Stores a certificate (a repeated registration) and retires the device's others for the same key. */
  addCertificate(cert: DeviceCertificate): Promise<void>;
  /** Certificates of the device with notAfter > at that are not retired, newest first. */
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
  /** Like transactionReport, counting distinct devices instead of transactions. */
  activeDeviceReport(query: TransactionReportQuery): Promise<ActiveDeviceRow[]>;
  /** Labels seen in the organisation's transactions, sorted (for the report filter). */
  transactionLabels(orgId: string): Promise<string[]>;
  countTransactions(deviceId?: string): Promise<number>;

  // dashboard users and sessions
  /** CONFLICT when the email exists. */
  createUser(user: User, audit?: AuditEntry): Promise<User>;
  findUser(id: string): Promise<User | undefined>;
  findUserByEmail(email: string): Promise<User | undefined>;
  listUsers(): Promise<User[]>;
  /** A new password or disabling the user also ends all of the user's sessions. */
  updateUser(
    id: string,
    patch: { passwordHash?: string; passwordChangedAt?: string; role?: Role; orgId?: string | null; disabled?: boolean },
    audit?: AuditEntry,
  ): Promise<User>;
  deleteUser(id: string, audit?: AuditEntry): Promise<boolean>;
  createSession(session: DashboardSession): Promise<void>;
  findSession(idHash: string): Promise<DashboardSession | undefined>;
  touchSession(idHash: string, lastSeenAt: string): Promise<void>;
  deleteSession(idHash: string): Promise<void>;
  /** Drops sessions that expired before `at`; returns how many. */
  pruneSessions(at: string): Promise<number>;

  // login throttling (per account key), shared by every DS instance on this database
  getLoginThrottle(key: string): Promise<LoginThrottle | undefined>;
  /** Atomically counts one more failure; returns the new count. */
  recordLoginFailure(key: string, at: string): Promise<number>;
  setLoginLock(key: string, lockedUntil: string | null): Promise<void>;
  clearLoginFailures(key: string): Promise<void>;

  // audit log
  addAudit(entry: AuditEntry): Promise<void>;
  /** Newest first; `orgId` narrows to one organisation, `beforeSeq` pages back. */
  listAudit(query: { orgId?: string; beforeSeq?: number; limit: number }): Promise<AuditRow[]>;

  /** A named random secret, created once and then shared by every DS instance on this database. */
  getOrCreateSecret(name: string, create: () => string, at: string): Promise<string>;

  close(): Promise<void>;
}

export type { IncomingTransaction, UseCase, LogLevel };
