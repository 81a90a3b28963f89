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
import { num, type PgDb, type Row } from './pg-db.js';

/**
 * Per report dimension, the column grouped and ordered on and what the row shows: a fixed
 * whitelist, so no user text reaches SQL. Days and months are UTC (stored generated columns).
 */
const DIMENSION_SQL: Record<ReportDimension, { group: string; show: string }> = {
  label: { group: 'label', show: 'label' },
  tag: { group: 'tag', show: 'tag' },
  useCase: { group: 'use_case', show: 'use_case' },
  module: { group: 'module', show: 'module' },
  result: { group: 'result', show: 'result' },
  month: { group: 'occurred_month', show: `to_char(occurred_month, 'YYYY-MM')` },
  day: { group: 'occurred_day', show: `to_char(occurred_day, 'YYYY-MM-DD')` },
};

/**
 * The whole sync write as ONE statement (atomic on its own, one round trip), prepared once per
 * connection: the batch comes in as arrays, its ids already distinct (the first occurrence of
 * an id wins, chosen in recordSync); `transaction_keys` decides which ids are
 * new for this device (exact whatever their occurredAt), only those reach `transactions`;
 * the labels seen, the device status and a renewed certificate (retiring the device's others
 * but its signer) are written alongside.
 * The signed request's (device, timestamp) is claimed in `seen_requests` first: a replay (here
 * or at another replica, even one racing this one) claims nothing, leaves `dev` empty and so
 * writes nothing. An unknown device leaves `dev` empty too; `known` tells the two apart.
 */
const RECORD_SYNC = `
WITH claim AS (
  INSERT INTO seen_requests (device_id, timestamp, expires_at)
  SELECT id, $29::bigint, $30::bigint FROM devices WHERE id = $1 AND $29::bigint IS NOT NULL
  ON CONFLICT DO NOTHING RETURNING 1
), dev AS (
  SELECT d.seq, o.seq AS org_seq FROM devices d JOIN organisations o ON o.id = d.org_id
  WHERE d.id = $1 AND ($29::bigint IS NULL OR EXISTS (SELECT 1 FROM claim))
), input AS (
  SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::text[], $8::text[])
    AS t(id, use_case, module, result, occurred_at, label, tag)
), fresh AS (
  INSERT INTO transaction_keys (device_seq, id) SELECT dev.seq, input.id FROM dev, input
  ON CONFLICT DO NOTHING RETURNING id
), stored AS (
  INSERT INTO transactions (org_seq, device_seq, id, use_case, module, result, occurred_at, label, tag, received_at)
  SELECT dev.org_seq, dev.seq, i.id, i.use_case, i.module, i.result, i.occurred_at, i.label, i.tag, $9::timestamptz
  FROM dev, input i JOIN fresh f ON f.id = i.id
  RETURNING 1
), labels AS (
  INSERT INTO transaction_labels (org_seq, label) SELECT DISTINCT dev.org_seq, input.label FROM dev, input
  ON CONFLICT DO NOTHING
), status AS (
  UPDATE devices SET version = $10, os = $11, uptime_seconds = $12, last_error = $13, last_sync_at = $14,
    cert_serial = $15, cert_not_after = $16, cors_version_reported = $17, cors_version_sent = $18,
    config_version_sent = $19, next_sync_after_seconds = $20, can_update = $31
  WHERE seq = (SELECT seq FROM dev)
), cert AS (
  INSERT INTO device_certificates (serial, device_id, key_id, public_key_pem, certificate_pem, issued_at, not_before, not_after)
  SELECT $21, $1, $22, $23, $24, $25, $26, $27 FROM dev WHERE $21::text IS NOT NULL
), retire AS (
  UPDATE device_certificates SET retired_at = $25
  WHERE $21::text IS NOT NULL AND EXISTS (SELECT 1 FROM dev) AND device_id = $1 AND retired_at IS NULL AND serial <> $21 AND serial <> $28
)
SELECT (SELECT count(*) FROM stored) AS inserted, (SELECT count(*) FROM dev) AS written,
       EXISTS (SELECT 1 FROM devices WHERE id = $1) AS known`;

/** A batch's transactions without repeated ids, the first occurrence of each kept (in order). */
function firstOfEachId<T extends { id: string }>(batch: readonly T[]): readonly T[] {
  const seen = new Set<string>();
  const out = batch.filter((x) => !seen.has(x.id) && (seen.add(x.id), true));
  return out.length === batch.length ? batch : out;
}

export type Aggregate = 'transactions' | 'devices';

/**
 * One aggregate over the organisation's transactions in [from, to): partition pruning keeps
 * it to the months asked for, and the (org_seq, occurred_at) index covers every grouped column.
 * Exported for the report benchmark, which EXPLAINs exactly this query.
 */
export function groupedReportSql(q: TransactionReportQuery, aggregate: Aggregate): { sql: string; args: unknown[] } {
  const dims = [...new Set(q.by)];
  const args: unknown[] = [q.orgId];
  const where = ['org_seq = (SELECT seq FROM organisations WHERE id = $1)'];
  if (q.from !== undefined) where.push(`occurred_at >= $${args.push(q.from)}::timestamptz`);
  if (q.to !== undefined) where.push(`occurred_at < $${args.push(q.to)}::timestamptz`);
  if (q.label !== undefined) where.push(`label = $${args.push(q.label)}`);
  if (q.result !== undefined) where.push(`result = $${args.push(q.result)}`);
  const exprs = dims.map((d) => DIMENSION_SQL[d].group);
  const cols = dims.map((d) => `${DIMENSION_SQL[d].show} AS "${d}"`);
  // NULLS FIRST: SQLite's order, the one the reports are written for.
  const group = dims.length ? `GROUP BY ${exprs.join(', ')} ORDER BY ${exprs.map((e) => `${e} NULLS FIRST`).join(', ')}` : '';
  if (aggregate === 'transactions') {
    return { sql: `SELECT ${[...cols, 'count(*) AS count'].join(', ')} FROM transactions WHERE ${where.join(' AND ')} ${group}`, args };
  }
  // Distinct (group, device) pairs first, then counted: both steps can hash, where
  // count(DISTINCT …) always sorts every row of the range.
  const pairs = `SELECT DISTINCT ${[...new Set([...exprs, 'device_seq'])].join(', ')} FROM transactions WHERE ${where.join(' AND ')}`;
  return { sql: `SELECT ${[...cols, 'count(*) AS devices'].join(', ')} FROM (${pairs}) AS active ${group}`, args };
}

export class PgTransactionStore implements TransactionStore {
  /** Expired request ids are deleted at most this often by each replica (ms). */
  private lastPrune = 0;

  constructor(private readonly p: PgDb) {}

  async recordSync(w: SyncWrite): Promise<number> {
    const t = firstOfEachId(w.transactions);
    const s = w.status;
    const c = w.certificate;
    if (w.request) this.pruneSeenRequests(Date.parse(w.receivedAt));
    const r = (await this.p.one<{ inserted: string; written: string; known: boolean }>({ name: 'ds-record-sync', text: RECORD_SYNC }, [
      w.deviceId,
      t.map((x) => x.id),
      t.map((x) => x.useCase),
      t.map((x) => x.module),
      t.map((x) => x.result),
      t.map((x) => x.occurredAt),
      t.map((x) => x.label),
      t.map((x) => x.tag),
      w.receivedAt,
      s.version, s.os, s.uptimeSeconds, s.lastError, s.lastSyncAt, s.certSerial, s.certNotAfter,
      s.corsVersionReported, s.corsVersionSent, s.configVersionSent, s.nextSyncAfterSeconds,
      c?.serial ?? null, c?.keyId ?? null, c?.publicKeyPem ?? null, c?.certificatePem ?? null, c?.issuedAt ?? null, c?.notBefore ?? null, c?.notAfter ?? null,
      w.retainSerial ?? c?.serial ?? null,
      w.request?.timestamp ?? null, w.request?.expiresAt ?? null,
      s.canUpdate,
    ]))!;
    if (!r.known) throw new DsError('NOT_FOUND', `no device ${w.deviceId}`);
    if (num(r.written) === 0) throw new DsError('AUTH_REPLAY', 'this X-Timestamp was already used by this device');
    return num(r.inserted);
  }

  /** Off the sync's path: a failed prune is retried at the next one. */
  private pruneSeenRequests(now: number): void {
    if (now - this.lastPrune <= 10_000) return;
    this.lastPrune = now;
    this.p.pool.query('DELETE FROM seen_requests WHERE expires_at < $1', [now]).catch(() => undefined);
  }

  async transactionReport(q: TransactionReportQuery): Promise<ReportRow[]> {
    return (await this.groupedReport(q, 'transactions')).map((r) => ({ ...r, count: num(r.count) })) as ReportRow[];
  }

  async activeDeviceReport(q: TransactionReportQuery): Promise<ActiveDeviceRow[]> {
    return (await this.groupedReport(q, 'devices')).map((r) => ({ ...r, devices: num(r.devices) })) as ActiveDeviceRow[];
  }

  private async groupedReport(q: TransactionReportQuery, aggregate: Aggregate): Promise<Row[]> {
    const { sql, args } = groupedReportSql(q, aggregate);
    return this.p.rows(sql, args);
  }

  async transactionLabels(orgId: string): Promise<string[]> {
    const rows = await this.p.rows<{ label: string }>(
      'SELECT label FROM transaction_labels WHERE org_seq = (SELECT seq FROM organisations WHERE id = $1) ORDER BY label',
      [orgId],
    );
    return rows.map((r) => r.label);
  }

  async installReport(q: { orgId?: string; from?: string; to?: string }): Promise<InstallReportRow[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.orgId !== undefined) where.push(`o.id = $${args.push(q.orgId)}`);
    if (q.from !== undefined) where.push(`t.occurred_at >= $${args.push(q.from)}::timestamptz`);
    if (q.to !== undefined) where.push(`t.occurred_at < $${args.push(q.to)}::timestamptz`);
    const sql = `SELECT o.id AS "orgId", t.label AS label, to_char(t.occurred_month, 'YYYY-MM') AS month, count(DISTINCT t.device_seq) AS devices
                 FROM transactions t JOIN organisations o ON o.seq = t.org_seq ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
                 GROUP BY o.id, t.label, t.occurred_month ORDER BY o.id, t.occurred_month, t.label`;
    return (await this.p.rows(sql, args)).map((r) => ({ ...r, devices: num(r.devices) })) as InstallReportRow[];
  }

  async countTransactions(deviceId?: string): Promise<number> {
    const r = deviceId
      ? await this.p.one<{ n: string }>('SELECT count(*) AS n FROM transaction_keys WHERE device_seq = (SELECT seq FROM devices WHERE id = $1)', [deviceId])
      : await this.p.one<{ n: string }>('SELECT count(*) AS n FROM transactions');
    return num(r!.n);
  }
}
