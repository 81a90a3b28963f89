/**
 * Billing report time over 10 M transactions on PostgreSQL (issue 16). A cluster of its own;
 * the DS's schema (migrations), one organisation holding every row, spread at random over the
 * 12 monthly partitions before this month (generate_series, in chunks), 5000 devices, 4 labels,
 * 4 tags (one of them none), 7 use cases. Then the DS's own report queries, timed (median of 3)
 * and EXPLAINed: a month's transaction-model billing table (month x label x tag x use case),
 * the same for the install model (distinct devices), and the whole year.
 *
 *   pnpm --filter @cardlink/distribution-service bench:report [-- --rows 10000000]
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openPostgresRepository } from '../src/store/postgres/postgres-repository.js';
import { groupedReportSql, type Aggregate } from '../src/store/postgres/transactions-store.js';
import type { TransactionReportQuery } from '../src/store/transactions.js';
import { startPgCluster } from './support/pg-cluster.js';

const { values: args } = parseArgs({ options: { rows: { type: 'string', default: '10000000' } } });
const ROWS = Number(args.rows);
const CHUNK = 1_000_000;
const log = (m: string) => process.stderr.write(`[report-10m ${new Date().toISOString().slice(11, 19)}] ${m}\n`);

const pgDir = mkdtempSync(join(tmpdir(), 'ds-report-pg-'));
const cluster = await startPgCluster(pgDir, { shared_buffers: '512MB', max_wal_size: '4GB', checkpoint_timeout: '30min', work_mem: '64MB' });
try {
  const repo = await openPostgresRepository(cluster.url, { poolSize: 2, partitionCheckMs: 0 });
  const orgId = randomUUID();
  await repo.applications.createOrganisation({ id: orgId, name: 'big', createdAt: new Date().toISOString() });
  const c = new pg.Client({ connectionString: cluster.url });
  await c.connect();
  const orgSeq = (await c.query('SELECT seq FROM organisations WHERE id = $1', [orgId])).rows[0].seq as number;
  const now = new Date();
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 12, 1));
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const t0 = performance.now();
  for (let from = 0; from < ROWS; from += CHUNK) {
    await c.query(
      `INSERT INTO transactions (org_seq, device_seq, id, use_case, module, result, occurred_at, label, tag, received_at)
       SELECT $1, 1 + (random() * 4999)::int, md5(g::text),
              (ARRAY['IDENTITY_READ','AUTHENTICATION','SIGNATURE','PIN_VERIFICATION','FILE_DOWNLOAD','FILE_UPLOAD','FILE_PRINT'])[1 + (random() * 6)::int],
              'beid', CASE WHEN random() < 0.1 THEN 'CARD_REMOVED' ELSE 'OK' END,
              $2::timestamptz + random() * ($3::timestamptz - $2::timestamptz),
              (ARRAY['shop','bank','gov','tax'])[1 + (random() * 3)::int],
              (ARRAY[NULL,'checkout','login','sign'])[1 + (random() * 3)::int], now()
       FROM generate_series($4::bigint, $5::bigint) g`,
      [orgSeq, start.toISOString(), end.toISOString(), from + 1, Math.min(ROWS, from + CHUNK)],
    );
    log(`${Math.min(ROWS, from + CHUNK).toLocaleString('en')} rows`);
  }
  const generateSeconds = (performance.now() - t0) / 1000;
  // As autovacuum would after a bulk load: statistics, and the visibility map index-only scans need.
  await c.query('VACUUM (ANALYZE) transactions');
  const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const monthQ = { orgId, from: month.toISOString(), to: end.toISOString() };
  const queries: { name: string; q: TransactionReportQuery; aggregate: Aggregate }[] = [
    { name: `month ${month.toISOString().slice(0, 7)}, transactions by label, tag, use case`, q: { ...monthQ, by: ['month', 'label', 'tag', 'useCase'] }, aggregate: 'transactions' },
    { name: `month ${month.toISOString().slice(0, 7)}, active devices by label, tag`, q: { ...monthQ, by: ['month', 'label', 'tag'] }, aggregate: 'devices' },
    { name: 'whole year (all 10 M rows), transactions by month, label, tag, use case', q: { orgId, from: start.toISOString(), to: end.toISOString(), by: ['month', 'label', 'tag', 'useCase'] }, aggregate: 'transactions' },
  ];
  const results = [];
  for (const { name, q, aggregate } of queries) {
    const times: number[] = [];
    let rows = 0;
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      rows = (aggregate === 'transactions' ? await repo.transactions.transactionReport(q) : await repo.transactions.activeDeviceReport(q)).length;
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const { sql, args: params } = groupedReportSql(q, aggregate);
    const plan = (await c.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params)).rows.map((r) => r['QUERY PLAN'] as string);
    results.push({ name, medianMs: Math.round(times[1]!), rows, plan });
  }
  const partitionRows = (await c.query(`SELECT tableoid::regclass::text AS part, count(*) AS n FROM transactions GROUP BY 1 ORDER BY 1`)).rows;
  const size = (await c.query(`SELECT pg_size_pretty(sum(pg_total_relation_size(inhrelid))) AS s FROM pg_inherits WHERE inhparent = 'transactions'::regclass`)).rows[0].s;
  await c.end();
  await repo.close();
  console.log(JSON.stringify({ rows: ROWS, generateSeconds: Math.round(generateSeconds), tableAndIndexSize: size, partitionRows, reports: results.map(({ plan: _p, ...r }) => r) }, null, 2));
  for (const r of results) console.log(`\n### ${r.name}: median ${r.medianMs} ms (${r.rows} rows)\n${r.plan.join('\n')}`);
} finally {
  cluster.stop();
  rmSync(pgDir, { recursive: true, force: true });
}
