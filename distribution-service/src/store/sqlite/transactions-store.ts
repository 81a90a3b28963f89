import type Database from 'better-sqlite3';
import { DsError } from '../../errors.js';
import type {
  ActiveDeviceRow,
  InstallReportRow,
  ReportDimension,
  ReportRow,
  SyncWrite,
  TransactionReportQuery,
  TransactionStore,
} from '../transactions.js';
import { insertCertificate } from './devices-store.js';
import { addCondition, type Row, type SqliteDb } from './sqlite-db.js';

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

export class SqliteTransactionStore implements TransactionStore {
  // The statements on the sync path are prepared once: that is most of the throughput.
  private readonly recordSyncTx: Database.Transaction<(w: SyncWrite) => number>;
  /** Expired request ids are deleted at most this often (ms of the writer's clock). */
  private lastPrune = 0;

  constructor(private readonly s: SqliteDb) {
    const insertTx = s.db.prepare(
      `INSERT INTO transactions (device_seq, id, use_case, module, result, occurred_at, label, tag, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (device_seq, id) DO NOTHING`,
    );
    const updateStatus = s.db.prepare(
      `UPDATE devices SET version = ?, os = ?, uptime_seconds = ?, last_error = ?, last_sync_at = ?,
         cert_serial = ?, cert_not_after = ?, cors_version_reported = ?, cors_version_sent = ?,
         config_version_sent = ?, next_sync_after_seconds = ?, can_update = ? WHERE seq = ?`,
    );
    const deviceSeq = s.db.prepare('SELECT seq FROM devices WHERE id = ?').pluck();
    const retireOthers = s.db.prepare(
      `UPDATE device_certificates SET retired_at = @at
       WHERE device_id = @deviceId AND retired_at IS NULL AND serial <> @issued AND serial <> @retain`,
    );
    const claimRequest = s.db.prepare(
      'INSERT INTO seen_requests (device_id, timestamp, expires_at) VALUES (?, ?, ?) ON CONFLICT (device_id, timestamp) DO NOTHING',
    );
    const pruneRequests = s.db.prepare('DELETE FROM seen_requests WHERE expires_at < ?');
    this.recordSyncTx = s.db.transaction((w: SyncWrite): number => {
      const seq = deviceSeq.get(w.deviceId) as number | undefined;
      if (seq === undefined) throw new DsError('NOT_FOUND', `no device ${w.deviceId}`);
      if (w.request) {
        const now = Date.parse(w.receivedAt);
        if (now - this.lastPrune > 10_000) {
          pruneRequests.run(now);
          this.lastPrune = now;
        }
        // Same transaction as the effects: a replay changes nothing, even after a restart.
        if (claimRequest.run(w.deviceId, w.request.timestamp, w.request.expiresAt).changes === 0) {
          throw new DsError('AUTH_REPLAY', 'this X-Timestamp was already used by this device');
        }
      }
      let inserted = 0;
      for (const t of w.transactions) {
        inserted += insertTx.run(seq, t.id, t.useCase, t.module, t.result, t.occurredAt, t.label, t.tag, w.receivedAt).changes;
      }
      const st = w.status;
      updateStatus.run(
        st.version, st.os, st.uptimeSeconds, st.lastError, st.lastSyncAt, st.certSerial, st.certNotAfter,
        st.corsVersionReported, st.corsVersionSent, st.configVersionSent, st.nextSyncAfterSeconds, st.canUpdate ? 1 : 0, seq,
      );
      if (w.certificate) {
        const c = w.certificate;
        insertCertificate(s, c);
        retireOthers.run({ at: c.issuedAt, deviceId: c.deviceId, issued: c.serial, retain: w.retainSerial ?? c.serial });
      }
      return inserted;
    });
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
    return this.s.stmt(sql).all(...args) as Row[];
  }

  async transactionLabels(orgId: string): Promise<string[]> {
    return this.s.stmt('SELECT DISTINCT label FROM transactions WHERE device_seq IN (SELECT seq FROM devices WHERE org_id = ?) ORDER BY label')
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
    return this.s.stmt(sql).all(...args) as InstallReportRow[];
  }

  async countTransactions(deviceId?: string): Promise<number> {
    const sql = `SELECT COUNT(*) FROM transactions ${deviceId ? 'WHERE device_seq = (SELECT seq FROM devices WHERE id = ?)' : ''}`;
    return this.s.stmt(sql).pluck().get(...(deviceId ? [deviceId] : [])) as number;
  }
}
