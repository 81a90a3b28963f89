import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DsError } from '../../errors.js';
import { BackgroundCheckpointer } from './checkpointer.js';
import { MIGRATIONS } from './migrations.js';
import type {
  ActiveDeviceRow,
  Application,
  AuditEntry,
  AuditRow,
  DashboardSession,
  Device,
  DeviceCertificate,
  InstallReportRow,
  InstallToken,
  LoginThrottle,
  LogLevel,
  NewDevice,
  Organisation,
  OriginRow,
  ReportDimension,
  ReportRow,
  Repository,
  Role,
  SyncWrite,
  TransactionReportQuery,
  User,
} from '../repository.js';

type Db = Database.Database;
type Row = Record<string, unknown>;

/** SQL expression per report dimension: a fixed whitelist, so no user text reaches SQL. */
const DIMENSION_SQL: Record<ReportDimension, string> = {
  label: 'label',
  tag: 'tag',
  useCase: 'use_case',
  module: 'module',
  result: 'result',
  month: 'substr(occurred_at, 1, 7)',
  day: 'substr(occurred_at, 1, 10)',
};

export interface SqliteOptions {
  /** `synchronous` pragma; NORMAL (default) with WAL loses no committed transaction on a process crash. */
  synchronous?: 'FULL' | 'NORMAL';
  /** Checkpoint the WAL on a worker thread instead of inside commits (for the server). */
  backgroundCheckpoint?: boolean;
}

export function openSqliteRepository(path: string, options: SqliteOptions = {}): SqliteRepository {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
  // Admin CLI commands write while the server runs: wait for the lock rather than fail.
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  migrate(db);
  let checkpointer: BackgroundCheckpointer | undefined;
  if (options.backgroundCheckpoint && path !== ':memory:') {
    db.pragma('wal_autocheckpoint = 0');
    checkpointer = new BackgroundCheckpointer(path);
  }
  return new SqliteRepository(db, checkpointer);
}

export function migrate(db: Db): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const applied = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
  for (const m of MIGRATIONS) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
    }).immediate();
  }
}

const toOrganisation = (r: Row): Organisation => ({
  id: r.id as string,
  name: r.name as string,
  createdAt: r.created_at as string,
  corsVersion: r.cors_version as number,
  configVersion: r.config_version as number,
  dsCycleSeconds: (r.ds_cycle_seconds as number | null) ?? null,
  logLevel: (r.log_level as LogLevel | null) ?? null,
});

const toApplication = (r: Row): Application => ({
  id: r.id as string,
  orgId: r.org_id as string,
  label: r.label as string,
  name: r.name as string,
  createdAt: r.created_at as string,
});

const toToken = (r: Row): InstallToken => ({
  id: r.id as string,
  orgId: r.org_id as string,
  tokenHash: r.token_hash as string,
  createdAt: r.created_at as string,
  expiresAt: (r.expires_at as string | null) ?? null,
  maxUses: (r.max_uses as number | null) ?? null,
  uses: r.uses as number,
});

const toDevice = (r: Row): Device => ({
  id: r.id as string,
  orgId: r.org_id as string,
  registeredAt: r.registered_at as string,
  version: (r.version as string | null) ?? null,
  os: (r.os as string | null) ?? null,
  uptimeSeconds: (r.uptime_seconds as number | null) ?? null,
  lastError: (r.last_error as string | null) ?? null,
  lastSyncAt: (r.last_sync_at as string | null) ?? null,
  certSerial: (r.cert_serial as string | null) ?? null,
  certNotAfter: (r.cert_not_after as string | null) ?? null,
  corsVersionReported: (r.cors_version_reported as number | null) ?? null,
  corsVersionSent: (r.cors_version_sent as number | null) ?? null,
  configVersionSent: (r.config_version_sent as number | null) ?? null,
  nextSyncAfterSeconds: (r.next_sync_after_seconds as number | null) ?? null,
  canUpdate: r.can_update === null || r.can_update === undefined ? null : r.can_update === 1,
});

const toUser = (r: Row): User => ({
  id: r.id as string,
  email: r.email as string,
  role: r.role as Role,
  orgId: (r.org_id as string | null) ?? null,
  passwordHash: r.password_hash as string,
  createdAt: r.created_at as string,
  passwordChangedAt: r.password_changed_at as string,
  disabled: r.disabled === 1,
});

const toSession = (r: Row): DashboardSession => ({
  idHash: r.id_hash as string,
  userId: r.user_id as string,
  createdAt: r.created_at as string,
  lastSeenAt: r.last_seen_at as string,
  expiresAt: r.expires_at as string,
});

const toAudit = (r: Row): AuditRow => ({
  seq: r.seq as number,
  at: r.at as string,
  actor: r.actor as string,
  orgId: (r.org_id as string | null) ?? null,
  action: r.action as string,
  target: (r.target as string | null) ?? null,
  details: r.details ? (JSON.parse(r.details as string) as Record<string, unknown>) : undefined,
});

const toCertificate = (r: Row): DeviceCertificate => ({
  serial: r.serial as string,
  deviceId: r.device_id as string,
  keyId: r.key_id as string,
  publicKeyPem: r.public_key_pem as string,
  certificatePem: r.certificate_pem as string,
  issuedAt: r.issued_at as string,
  notBefore: r.not_before as string,
  notAfter: r.not_after as string,
});

/** Adds `sql` (one placeholder) to a WHERE list when the filter value is given. */
function addCondition(where: string[], args: string[], sql: string, value: string | undefined): void {
  if (value === undefined) return;
  where.push(sql);
  args.push(value);
}

const isUniqueViolation = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && String((e as { code?: unknown }).code).startsWith('SQLITE_CONSTRAINT');

export class SqliteRepository implements Repository {
  // The statements on the sync path are prepared once: that is most of the throughput.
  private readonly insertTx;
  private readonly updateStatus;
  private readonly insertCert;
  private readonly retireOthers;
  private readonly claimRequest;
  private readonly pruneRequests;
  /** Expired request ids are deleted at most this often (ms of the writer's clock). */
  private lastPrune = 0;
  private readonly recordSyncTx;
  private readonly deviceSeq;
  private readonly statements = new Map<string, Database.Statement>();

  /** Every statement is prepared once: preparing costs more than running a simple query. */
  private stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) this.statements.set(sql, (s = this.db.prepare(sql)));
    return s;
  }

  constructor(
    readonly db: Db,
    private readonly checkpointer?: BackgroundCheckpointer,
  ) {
    this.insertTx = db.prepare(
      `INSERT INTO transactions (device_seq, id, use_case, module, result, occurred_at, label, tag, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (device_seq, id) DO NOTHING`,
    );
    this.updateStatus = db.prepare(
      `UPDATE devices SET version = ?, os = ?, uptime_seconds = ?, last_error = ?, last_sync_at = ?,
         cert_serial = ?, cert_not_after = ?, cors_version_reported = ?, cors_version_sent = ?,
         config_version_sent = ?, next_sync_after_seconds = ?, can_update = ? WHERE seq = ?`,
    );
    this.deviceSeq = db.prepare('SELECT seq FROM devices WHERE id = ?').pluck();
    this.insertCert = db.prepare(
      `INSERT INTO device_certificates (serial, device_id, key_id, public_key_pem, certificate_pem, issued_at, not_before, not_after)
       VALUES (@serial, @deviceId, @keyId, @publicKeyPem, @certificatePem, @issuedAt, @notBefore, @notAfter)`,
    );
    this.retireOthers = db.prepare(
      `UPDATE device_certificates SET retired_at = @at
       WHERE device_id = @deviceId AND retired_at IS NULL AND serial <> @issued AND serial <> @retain`,
    );
    this.claimRequest = db.prepare(
      'INSERT INTO seen_requests (device_id, timestamp, expires_at) VALUES (?, ?, ?) ON CONFLICT (device_id, timestamp) DO NOTHING',
    );
    this.pruneRequests = db.prepare('DELETE FROM seen_requests WHERE expires_at < ?');
    this.recordSyncTx = db.transaction((w: SyncWrite): number => {
      const seq = this.deviceSeq.get(w.deviceId) as number | undefined;
      if (seq === undefined) throw new DsError('NOT_FOUND', `no device ${w.deviceId}`);
      if (w.request) {
        const now = Date.parse(w.receivedAt);
        if (now - this.lastPrune > 10_000) {
          this.pruneRequests.run(now);
          this.lastPrune = now;
        }
        // Same transaction as the effects: a replay changes nothing, even after a restart.
        if (this.claimRequest.run(w.deviceId, w.request.timestamp, w.request.expiresAt).changes === 0) {
          throw new DsError('AUTH_REPLAY', 'this X-Timestamp was already used by this device');
        }
      }
      let inserted = 0;
      for (const t of w.transactions) {
        inserted += this.insertTx.run(seq, t.id, t.useCase, t.module, t.result, t.occurredAt, t.label, t.tag, w.receivedAt).changes;
      }
      const s = w.status;
      this.updateStatus.run(
        s.version, s.os, s.uptimeSeconds, s.lastError, s.lastSyncAt, s.certSerial, s.certNotAfter,
        s.corsVersionReported, s.corsVersionSent, s.configVersionSent, s.nextSyncAfterSeconds, s.canUpdate ? 1 : 0, seq,
      );
      if (w.certificate) {
        this.insertCert.run(w.certificate);
        const c = w.certificate;
        this.retireOthers.run({ at: c.issuedAt, deviceId: c.deviceId, issued: c.serial, retain: w.retainSerial ?? c.serial });
      }
      return inserted;
    });
  }

  async createOrganisation(org: { id: string; name: string; createdAt: string }, audit?: AuditEntry): Promise<Organisation> {
    try {
      this.db.transaction(() => {
        this.stmt('INSERT INTO organisations (id, name, created_at) VALUES (?, ?, ?)').run(org.id, org.name, org.createdAt);
        this.writeAudit(audit);
      }).immediate();
    } catch (e) {
      if (isUniqueViolation(e)) throw new DsError('CONFLICT', `organisation ${org.name} already exists`);
      throw e;
    }
    return (await this.findOrganisation(org.id))!;
  }

  async findOrganisation(idOrName: string): Promise<Organisation | undefined> {
    // An id wins over a name that happens to look like one.
    const r = (this.stmt('SELECT * FROM organisations WHERE id = ?').get(idOrName) ??
      this.stmt('SELECT * FROM organisations WHERE name = ?').get(idOrName)) as Row | undefined;
    return r && toOrganisation(r);
  }

  async listOrganisations(): Promise<Organisation[]> {
    return (this.stmt('SELECT * FROM organisations ORDER BY name').all() as Row[]).map(toOrganisation);
  }

  async setOrganisationConfig(
    orgId: string,
    patch: { dsCycleSeconds?: number | null; logLevel?: LogLevel | null },
    audit?: AuditEntry,
  ): Promise<Organisation> {
    this.db.transaction(() => {
      this.writeAudit(audit);
      if (patch.dsCycleSeconds !== undefined) this.stmt('UPDATE organisations SET ds_cycle_seconds = ? WHERE id = ?').run(patch.dsCycleSeconds, orgId);
      if (patch.logLevel !== undefined) this.stmt('UPDATE organisations SET log_level = ? WHERE id = ?').run(patch.logLevel, orgId);
      this.stmt('UPDATE organisations SET config_version = config_version + 1 WHERE id = ?').run(orgId);
    }).immediate();
    return (await this.findOrganisation(orgId))!;
  }

  async createApplication(app: Application, audit?: AuditEntry): Promise<Application> {
    try {
      this.db.transaction(() => {
        this.stmt('INSERT INTO applications (id, org_id, label, name, created_at) VALUES (?, ?, ?, ?, ?)')
          .run(app.id, app.orgId, app.label, app.name, app.createdAt);
        this.bumpCors(app.orgId);
        this.writeAudit(audit);
      }).immediate();
    } catch (e) {
      if (isUniqueViolation(e)) throw new DsError('CONFLICT', `label ${app.label} already exists in this organisation`);
      throw e;
    }
    return app;
  }

  async findApplication(orgId: string, label: string): Promise<Application | undefined> {
    const r = this.stmt('SELECT * FROM applications WHERE org_id = ? AND label = ?').get(orgId, label) as Row | undefined;
    return r && toApplication(r);
  }

  async listApplications(orgId: string): Promise<Application[]> {
    return (this.stmt('SELECT * FROM applications WHERE org_id = ? ORDER BY label').all(orgId) as Row[]).map(toApplication);
  }

  async updateApplication(orgId: string, appId: string, patch: { name?: string; label?: string }, audit?: AuditEntry): Promise<Application> {
    try {
      this.db.transaction(() => {
        const before = this.stmt('SELECT * FROM applications WHERE id = ? AND org_id = ?').get(appId, orgId) as Row | undefined;
        if (!before) throw new DsError('NOT_FOUND', 'no such application');
        if (patch.name !== undefined) this.stmt('UPDATE applications SET name = ? WHERE id = ?').run(patch.name, appId);
        if (patch.label !== undefined && patch.label !== before.label) {
          this.stmt('UPDATE applications SET label = ? WHERE id = ?').run(patch.label, appId);
          this.bumpCors(orgId);
        }
        this.writeAudit(audit);
      }).immediate();
    } catch (e) {
      if (isUniqueViolation(e)) throw new DsError('CONFLICT', `label ${patch.label} already exists in this organisation`);
      throw e;
    }
    return toApplication(this.stmt('SELECT * FROM applications WHERE id = ?').get(appId) as Row);
  }

  async addOrigin(orgId: string, appId: string, origin: string, at: string, audit?: AuditEntry): Promise<boolean> {
    return this.db.transaction(() => {
      const r = this.stmt('INSERT INTO origins (org_id, app_id, origin, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (org_id, origin) DO NOTHING')
        .run(orgId, appId, origin, at);
      if (r.changes === 0) return false;
      this.bumpCors(orgId);
      this.writeAudit(audit);
      return true;
    }).immediate();
  }

  async removeOrigin(orgId: string, appId: string, origin: string, audit?: AuditEntry): Promise<boolean> {
    return this.db.transaction(() => {
      const r = this.stmt('DELETE FROM origins WHERE org_id = ? AND app_id = ? AND origin = ?').run(orgId, appId, origin);
      if (r.changes === 0) return false;
      this.bumpCors(orgId);
      this.writeAudit(audit);
      return true;
    }).immediate();
  }

  async listOrigins(orgId?: string): Promise<OriginRow[]> {
    const sql = `SELECT o.org_id AS orgId, o.origin AS origin, a.label AS label, o.created_at AS createdAt FROM origins o
                 JOIN applications a ON a.id = o.app_id ${orgId ? 'WHERE o.org_id = ?' : ''} ORDER BY o.org_id, a.label, o.origin`;
    return this.stmt(sql).all(...(orgId ? [orgId] : [])) as OriginRow[];
  }

  private bumpCors(orgId: string): void {
    this.stmt('UPDATE organisations SET cors_version = cors_version + 1 WHERE id = ?').run(orgId);
  }

  async createInstallToken(t: InstallToken): Promise<void> {
    this.stmt('INSERT INTO install_tokens (id, org_id, token_hash, created_at, expires_at, max_uses, uses) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(t.id, t.orgId, t.tokenHash, t.createdAt, t.expiresAt, t.maxUses, t.uses);
  }

  async findInstallTokenByHash(tokenHash: string): Promise<InstallToken | undefined> {
    const r = this.stmt('SELECT * FROM install_tokens WHERE token_hash = ?').get(tokenHash) as Row | undefined;
    return r && toToken(r);
  }

  async registerDevice(input: NewDevice): Promise<boolean> {
    return this.db.transaction(() => {
      // The use is consumed with a guarded UPDATE so two racing registrations cannot both take the last use.
      const used = this.stmt('UPDATE install_tokens SET uses = uses + 1 WHERE id = ? AND (max_uses IS NULL OR uses < max_uses)')
        .run(input.tokenId);
      if (used.changes === 0) return false;
      const d = input.device;
      this.stmt(
        `INSERT INTO devices (id, org_id, registered_at, version, os, cors_version_sent, config_version_sent, next_sync_after_seconds)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(d.id, d.orgId, d.registeredAt, d.version, d.os, d.corsVersionSent, d.configVersionSent, d.nextSyncAfterSeconds);
      this.insertCert.run(input.certificate);
      return true;
    }).immediate();
  }

  async findDevice(id: string): Promise<Device | undefined> {
    const r = this.stmt('SELECT * FROM devices WHERE id = ?').get(id) as Row | undefined;
    return r && toDevice(r);
  }

  async listDevices(orgId?: string): Promise<Device[]> {
    const sql = `SELECT * FROM devices ${orgId ? 'WHERE org_id = ?' : ''} ORDER BY registered_at`;
    return (this.stmt(sql).all(...(orgId ? [orgId] : [])) as Row[]).map(toDevice);
  }

  async findDeviceIdByKey(keyId: string): Promise<string | undefined> {
    return this.stmt('SELECT device_id FROM device_certificates WHERE key_id = ? LIMIT 1').pluck().get(keyId) as string | undefined;
  }

  async addCertificate(cert: DeviceCertificate): Promise<void> {
    this.db.transaction(() => {
      this.insertCert.run(cert);
      this.stmt(
        `UPDATE device_certificates SET retired_at = ? WHERE device_id = ? AND key_id = ? AND serial <> ? AND retired_at IS NULL`,
      ).run(cert.issuedAt, cert.deviceId, cert.keyId, cert.serial);
    }).immediate();
  }

  async liveCertificates(deviceId: string, at: string): Promise<DeviceCertificate[]> {
    const rows = this.stmt('SELECT * FROM device_certificates WHERE device_id = ? AND not_after > ? AND retired_at IS NULL ORDER BY issued_at DESC')
      .all(deviceId, at) as Row[];
    return rows.map(toCertificate);
  }

  async findCertificate(serial: string): Promise<DeviceCertificate | undefined> {
    const r = this.stmt('SELECT * FROM device_certificates WHERE serial = ?').get(serial) as Row | undefined;
    return r && toCertificate(r);
  }

  async recordSync(write: SyncWrite): Promise<number> {
    return this.recordSyncTx.immediate(write);
  }

  async transactionReport(q: TransactionReportQuery): Promise<ReportRow[]> {
    return this.groupedReport(q, 'COUNT(*) AS count') as ReportRow[];
  }

  async activeDeviceReport(q: TransactionReportQuery): Promise<ActiveDeviceRow[]> {
    return this.groupedReport(q, 'COUNT(DISTINCT device_seq) AS devices') as ActiveDeviceRow[];
  }

  /** One aggregate over the organisation's transactions, grouped and ordered by whitelisted dimensions. */
  private groupedReport(q: TransactionReportQuery, aggregate: string): Row[] {
    const dims = [...new Set(q.by)];
    const cols = dims.map((d) => `${DIMENSION_SQL[d]} AS "${d}"`);
    const where = ['device_seq IN (SELECT seq FROM devices WHERE org_id = ?)'];
    const args: string[] = [q.orgId];
    addCondition(where, args, 'occurred_at >= ?', q.from);
    addCondition(where, args, 'occurred_at < ?', q.to);
    addCondition(where, args, 'label = ?', q.label);
    addCondition(where, args, 'result = ?', q.result);
    const group = dims.length ? `GROUP BY ${dims.map((d) => DIMENSION_SQL[d]).join(', ')} ORDER BY ${dims.map((d) => DIMENSION_SQL[d]).join(', ')}` : '';
    const sql = `SELECT ${[...cols, aggregate].join(', ')} FROM transactions WHERE ${where.join(' AND ')} ${group}`;
    return this.stmt(sql).all(...args) as Row[];
  }

  async transactionLabels(orgId: string): Promise<string[]> {
    return this.stmt('SELECT DISTINCT label FROM transactions WHERE device_seq IN (SELECT seq FROM devices WHERE org_id = ?) ORDER BY label')
      .pluck()
      .all(orgId) as string[];
  }

  async installReport(q: { orgId?: string; from?: string; to?: string }): Promise<InstallReportRow[]> {
    const where: string[] = [];
    const args: string[] = [];
    addCondition(where, args, 'd.org_id = ?', q.orgId);
    addCondition(where, args, 't.occurred_at >= ?', q.from);
    addCondition(where, args, 't.occurred_at < ?', q.to);
    const sql = `SELECT d.org_id AS orgId, t.label AS label, substr(t.occurred_at, 1, 7) AS month, COUNT(DISTINCT t.device_seq) AS devices
                 FROM transactions t JOIN devices d ON d.seq = t.device_seq ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
                 GROUP BY d.org_id, t.label, substr(t.occurred_at, 1, 7) ORDER BY d.org_id, month, t.label`;
    return this.stmt(sql).all(...args) as InstallReportRow[];
  }

  async countTransactions(deviceId?: string): Promise<number> {
    const sql = `SELECT COUNT(*) FROM transactions ${deviceId ? 'WHERE device_seq = (SELECT seq FROM devices WHERE id = ?)' : ''}`;
    return this.stmt(sql).pluck().get(...(deviceId ? [deviceId] : [])) as number;
  }

  async createUser(user: User, audit?: AuditEntry): Promise<User> {
    try {
      this.db.transaction(() => {
        this.stmt(
          `INSERT INTO users (id, email, role, org_id, password_hash, created_at, password_changed_at, disabled)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(user.id, user.email, user.role, user.orgId, user.passwordHash, user.createdAt, user.passwordChangedAt, user.disabled ? 1 : 0);
        this.writeAudit(audit);
      }).immediate();
    } catch (e) {
      if (isUniqueViolation(e)) throw new DsError('CONFLICT', `a user ${user.email} already exists`);
      throw e;
    }
    return user;
  }

  async findUser(id: string): Promise<User | undefined> {
    const r = this.stmt('SELECT * FROM users WHERE id = ?').get(id) as Row | undefined;
    return r && toUser(r);
  }

  async findUserByEmail(email: string): Promise<User | undefined> {
    const r = this.stmt('SELECT * FROM users WHERE email = ?').get(email) as Row | undefined;
    return r && toUser(r);
  }

  async listUsers(): Promise<User[]> {
    return (this.stmt('SELECT * FROM users ORDER BY email').all() as Row[]).map(toUser);
  }

  async updateUser(
    id: string,
    patch: { passwordHash?: string; passwordChangedAt?: string; role?: Role; orgId?: string | null; disabled?: boolean },
    audit?: AuditEntry,
  ): Promise<User> {
    this.db.transaction(() => {
      if (!this.stmt('SELECT 1 FROM users WHERE id = ?').get(id)) throw new DsError('NOT_FOUND', 'no such user');
      if (patch.passwordHash !== undefined) {
        this.stmt('UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?').run(patch.passwordHash, patch.passwordChangedAt ?? null, id);
      }
      if (patch.role !== undefined) this.stmt('UPDATE users SET role = ? WHERE id = ?').run(patch.role, id);
      if (patch.orgId !== undefined) this.stmt('UPDATE users SET org_id = ? WHERE id = ?').run(patch.orgId, id);
      if (patch.disabled !== undefined) this.stmt('UPDATE users SET disabled = ? WHERE id = ?').run(patch.disabled ? 1 : 0, id);
      // Whoever held a session under the old password or before the change loses it.
      if (patch.passwordHash !== undefined || patch.disabled || patch.role !== undefined || patch.orgId !== undefined) {
        this.stmt('DELETE FROM dashboard_sessions WHERE user_id = ?').run(id);
      }
      this.writeAudit(audit);
    }).immediate();
    return (await this.findUser(id))!;
  }

  async deleteUser(id: string, audit?: AuditEntry): Promise<boolean> {
    return this.db.transaction(() => {
      this.stmt('DELETE FROM dashboard_sessions WHERE user_id = ?').run(id);
      const r = this.stmt('DELETE FROM users WHERE id = ?').run(id);
      if (r.changes > 0) this.writeAudit(audit);
      return r.changes > 0;
    }).immediate();
  }

  async createSession(s: DashboardSession): Promise<void> {
    this.stmt('INSERT INTO dashboard_sessions (id_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)')
      .run(s.idHash, s.userId, s.createdAt, s.lastSeenAt, s.expiresAt);
  }

  async findSession(idHash: string): Promise<DashboardSession | undefined> {
    const r = this.stmt('SELECT * FROM dashboard_sessions WHERE id_hash = ?').get(idHash) as Row | undefined;
    return r && toSession(r);
  }

  async touchSession(idHash: string, lastSeenAt: string): Promise<void> {
    this.stmt('UPDATE dashboard_sessions SET last_seen_at = ? WHERE id_hash = ?').run(lastSeenAt, idHash);
  }

  async deleteSession(idHash: string): Promise<void> {
    this.stmt('DELETE FROM dashboard_sessions WHERE id_hash = ?').run(idHash);
  }

  async pruneSessions(at: string): Promise<number> {
    return this.stmt('DELETE FROM dashboard_sessions WHERE expires_at <= ?').run(at).changes;
  }

  async getLoginThrottle(key: string): Promise<LoginThrottle | undefined> {
    const r = this.stmt('SELECT * FROM login_throttle WHERE key = ?').get(key) as Row | undefined;
    return (
      r && {
        key: r.key as string,
        failures: r.failures as number,
        lastFailureAt: r.last_failure_at as string,
        lockedUntil: (r.locked_until as string | null) ?? null,
      }
    );
  }

  async recordLoginFailure(key: string, at: string): Promise<number> {
    return this.stmt(
      `INSERT INTO login_throttle (key, failures, last_failure_at) VALUES (?, 1, ?)
       ON CONFLICT (key) DO UPDATE SET failures = failures + 1, last_failure_at = excluded.last_failure_at
       RETURNING failures`,
    )
      .pluck()
      .get(key, at) as number;
  }

  async setLoginLock(key: string, lockedUntil: string | null): Promise<void> {
    this.stmt('UPDATE login_throttle SET locked_until = ? WHERE key = ?').run(lockedUntil, key);
  }

  async clearLoginFailures(key: string): Promise<void> {
    this.stmt('DELETE FROM login_throttle WHERE key = ?').run(key);
  }

  async addAudit(entry: AuditEntry): Promise<void> {
    this.writeAudit(entry);
  }

  async listAudit(q: { orgId?: string; beforeSeq?: number; limit: number }): Promise<AuditRow[]> {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.orgId !== undefined) {
      where.push('org_id = ?');
      args.push(q.orgId);
    }
    if (q.beforeSeq !== undefined) {
      where.push('seq < ?');
      args.push(q.beforeSeq);
    }
    const sql = `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`;
    return (this.stmt(sql).all(...args, q.limit) as Row[]).map(toAudit);
  }

  async getOrCreateSecret(name: string, create: () => string, at: string): Promise<string> {
    // Two instances starting at once: the first insert wins and both read it back.
    this.stmt('INSERT INTO secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING').run(name, create(), at);
    return this.stmt('SELECT value FROM secrets WHERE name = ?').pluck().get(name) as string;
  }

  private writeAudit(entry: AuditEntry | undefined): void {
    if (!entry) return;
    this.stmt('INSERT INTO audit_log (at, actor, org_id, action, target, details) VALUES (?, ?, ?, ?, ?, ?)').run(
      entry.at,
      entry.actor,
      entry.orgId,
      entry.action,
      entry.target,
      entry.details ? JSON.stringify(entry.details) : null,
    );
  }

  private closing: Promise<void> | undefined;

  /** Idempotent: a shutdown that races another close waits for the same one. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.checkpointer?.stop();
      this.db.close();
    })();
    return this.closing;
  }
}
