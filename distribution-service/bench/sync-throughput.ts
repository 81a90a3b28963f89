/**
 * Sync throughput of the DS: one process on SQLite (issue 4's benchmark), or N replicas on
 * PostgreSQL (`--backend postgres --replicas N`: a cluster of its own, N `ds serve` processes,
 * HAProxy in front of them when N > 1).
 *
 * Starts `ds serve` as its own process, registers N devices, pre-builds and pre-signs every
 * sync request (each with 100 new, unique transactions) so the load generator only writes
 * bytes, then drives them over keep-alive connections with autocannon. Prints syncs/s,
 * transactions/s, p50/p99 latency and the connectors one process would serve at the default
 * 28800 s cycle, and checks in the database that every transaction was stored exactly once.
 *
 *   pnpm --filter @cardlink/distribution-service bench [-- --syncs 6000 --devices 200 --connections 16
 *     --key ec|rsa --ids v4|v7 --sqlite-synchronous NORMAL|FULL --no-background-checkpoint --profile DIR
 *     --backend sqlite|postgres --replicas N --json]
 */
import { keyIdOf, SIGNATURE_HEADERS, stringToSign } from '@cardlink/ds-protocol';
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { randomUUID, sign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { systemClock } from '../src/clock.js';
import { resolveConfig } from '../src/config.js';
import * as applications from '../src/services/applications.js';
import * as organisations from '../src/services/organisations.js';
import * as tokens from '../src/services/tokens.js';
import { openPostgresRepository, PostgresRepository } from '../src/store/postgres/postgres-repository.js';
import type { Repository } from '../src/store/repository.js';
import { openSqliteRepository } from '../src/store/sqlite/sqlite-repository.js';
import { buildCsr, newKey, type DeviceKey } from '../test/support/csr.js';
import { cpuMeter, type CpuGroups } from './support/cpu.js';
import { startPgCluster, type PgCluster } from './support/pg-cluster.js';
import { Replica, startHaproxy } from './support/replicas.js';

const { values: args } = parseArgs({
  // `pnpm … bench:x -- --flag` passes the `--` through: drop it.
  args: process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--')),
  options: {
    syncs: { type: 'string', default: '6000' },
    warmup: { type: 'string', default: '500' },
    devices: { type: 'string', default: '200' },
    connections: { type: 'string', default: '16' },
    batch: { type: 'string', default: '100' },
    key: { type: 'string', default: 'ec' },
    'sqlite-synchronous': { type: 'string', default: 'NORMAL' },
    /** v4: random ids, as the connector makes them today; v7: time-ordered (UUIDv7 layout). */
    ids: { type: 'string', default: 'v4' },
    'background-checkpoint': { type: 'boolean', default: true },
    'no-background-checkpoint': { type: 'boolean', default: false },
    /** Write a V8 CPU profile of each server process into this directory. */
    profile: { type: 'string' },
    /** PostgreSQL: print the statements that took the most server time (pg_stat_statements) to stderr. */
    'pg-stats': { type: 'boolean', default: false },
    /** PostgreSQL: connections per replica (ds serve --pg-pool). */
    'pg-pool': { type: 'string' },
    /** PostgreSQL: replicas reach the server over TCP on 127.0.0.1 instead of its Unix socket. */
    'pg-tcp': { type: 'boolean', default: false },
    /** PostgreSQL: a server setting for the bench cluster, name=value (repeatable), e.g. wal_compression=lz4. */
    'pg-set': { type: 'string', multiple: true, default: [] },
    backend: { type: 'string', default: 'sqlite' },
    replicas: { type: 'string', default: '1' },
    /** Only the JSON result on stdout (for bench/backends.ts). */
    json: { type: 'boolean', default: false },
  },
});
const POSTGRES = args.backend === 'postgres';
const REPLICAS = Number(args.replicas);
if (!POSTGRES && REPLICAS !== 1) throw new Error('SQLite runs one process: --replicas 1');
let cluster: PgCluster | undefined;
let pgDir: string | undefined;
const SYNCS = Number(args.syncs);
const WARMUP = Number(args.warmup);
const DEVICES = Number(args.devices);
const CONNECTIONS = Number(args.connections);
const BATCH = Number(args.batch);
const DEFAULT_CYCLE = 28_800;

const dir = mkdtempSync(join(tmpdir(), 'ds-bench-'));
const dbFile = join(dir, 'ds.sqlite');

const openRepo = async (): Promise<Repository> => (POSTGRES ? openPostgresRepository(cluster!.url, { poolSize: 2, partitionCheckMs: 0 }) : openSqliteRepository(dbFile));

async function seed(): Promise<string> {
  const repo = await openRepo();
  const ctx = { repo, clock: systemClock, config: resolveConfig() };
  await organisations.createOrganisation(ctx, 'bench');
  await applications.createApplication(ctx, { org: 'bench', label: 'shop' });
  await applications.addOrigin(ctx, { org: 'bench', label: 'shop', origin: 'https://shop.example.com' });
  const { token } = await tokens.createInstallToken(ctx, { org: 'bench' });
  await repo.close();
  return token;
}

interface Server {
  url: string;
  /** The processes whose CPU time is counted, by group. */
  cpu: CpuGroups;
  stop: () => Promise<void>;
}

async function startServer(): Promise<Server> {
  if (POSTGRES) {
    const nodeArgs = args.profile ? ['--cpu-prof', `--cpu-prof-dir=${args.profile}`] : [];
    const extra = args['pg-pool'] ? ['--pg-pool', args['pg-pool']] : [];
    const replicas = Array.from({ length: REPLICAS }, () => new Replica(args['pg-tcp'] ? cluster!.url : cluster!.socketUrl, dir, extra, undefined, nodeArgs));
    const urls = await Promise.all(replicas.map((r) => r.start()));
    const lb = REPLICAS > 1 ? await startHaproxy(dir, replicas.map((r) => r.port)) : undefined;
    return {
      url: lb?.url ?? urls[0]!,
      cpu: {
        'DS replicas': () => replicas.map((r) => r.pid!),
        postgres: () => [cluster!.pid()],
        ...(lb ? { haproxy: () => [lb.pid] } : {}),
      },
      stop: async () => {
        await lb?.stop();
        await Promise.all(replicas.map((r) => r.stop()));
      },
    };
  }
  const child = spawn(
    process.execPath,
    [...(args.profile ? ['--cpu-prof', `--cpu-prof-dir=${args.profile}`] : []), join(import.meta.dirname, '..', 'bin', 'ds.mjs'), 'serve', '--port', '0', '--data-dir', dir, '--log-level', 'warn', '--sqlite-synchronous', args['sqlite-synchronous']!, ...(args['no-background-checkpoint'] ? ['--no-background-checkpoint'] : [])],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`ds serve exited with ${code}`)));
  });
  const { url } = JSON.parse(line) as { url: string };
  return {
    url,
    cpu: { 'DS process': () => [child.pid!] },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

interface Device {
  id: string;
  key: DeviceKey;
  serial: string;
  notAfter: string;
  corsVersion: number;
}

async function registerDevices(url: string, token: string): Promise<Device[]> {
  const out: Device[] = [];
  for (let i = 0; i < DEVICES; i += 10) {
    const chunk = await Promise.all(
      Array.from({ length: Math.min(10, DEVICES - i) }, async () => {
        const key = newKey(args.key === 'rsa' ? 'rsa' : 'ec');
        const res = await fetch(`${url}/v1/register`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ installToken: token, csr: buildCsr(key), version: '1.0.0', os: 'bench' }),
        });
        if (res.status !== 200) throw new Error(`register: ${res.status} ${await res.text()}`);
        const r = (await res.json()) as { deviceId: string; serial: string; notAfter: string; cors: { version: number } };
        return { id: r.deviceId, key, serial: r.serial, notAfter: r.notAfter, corsVersion: r.cors.version };
      }),
    );
    out.push(...chunk);
  }
  return out;
}

/** UUIDv7 layout (RFC 9562): 48-bit millisecond time, then version and random bits. */
let v7Clock = Date.now();
function uuidV7(): string {
  const hex = (v7Clock++).toString(16).padStart(12, '0') + randomUUID().replace(/-/g, '').slice(12);
  const v = `${hex.slice(0, 12)}7${hex.slice(13, 16)}${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 32)}`;
  return `${v.slice(0, 8)}-${v.slice(8, 12)}-${v.slice(12, 16)}-${v.slice(16, 20)}-${v.slice(20)}`;
}
const newId = (): string => (args.ids === 'v7' ? uuidV7() : randomUUID());

const USE_CASES = ['IDENTITY_READ', 'AUTHENTICATION', 'SIGNATURE', 'PIN_VERIFICATION', 'FILE_DOWNLOAD', 'FILE_UPLOAD', 'FILE_PRINT'];

/** Pre-signed requests: unique (device, timestamp) pairs and unique transaction ids. */
function presign(devices: Device[], count: number, startTs: number): { body: string; headers: Record<string, string> }[] {
  const reqs: { body: string; headers: Record<string, string> }[] = [];
  const occurredAt = new Date().toISOString();
  for (let i = 0; i < count; i++) {
    const d = devices[i % devices.length]!;
    const ts = String(startTs + Math.floor(i / devices.length));
    const transactions = Array.from({ length: BATCH }, (_, j) => ({
      id: newId(),
      useCase: USE_CASES[j % USE_CASES.length],
      module: 'beid',
      result: 'OK',
      occurredAt,
      label: 'shop',
      tag: j % 3 === 0 ? null : `tag-${j % 5}`,
    }));
    const body = JSON.stringify({
      version: '1.0.0',
      os: 'bench',
      uptimeSeconds: 1000 + i,
      lastError: null,
      certificate: { serial: d.serial, notAfter: d.notAfter },
      corsVersion: d.corsVersion,
      transactions,
    });
    const signature = sign('sha256', stringToSign('POST', '/v1/sync', ts, body), d.key.privateKey).toString('base64');
    const keyId = keyIdOf(d.key.publicKey.export({ type: 'spki', format: 'der' }));
    const H = SIGNATURE_HEADERS;
    reqs.push({ body, headers: { 'content-type': 'application/json', [H.deviceId]: d.id, [H.keyId]: keyId, [H.timestamp]: ts, [H.signature]: signature } });
  }
  return reqs;
}

/** Time of the last response: autocannon resolves only at its next one-second tick. */
let lastResponseAt = 0;

async function drive(url: string, reqs: { body: string; headers: Record<string, string> }[], amount: number): Promise<autocannon.Result> {
  let next = 0;
  return autocannon({
    url,
    connections: CONNECTIONS,
    amount,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: '/v1/sync',
        setupRequest: (req) => {
          const r = reqs[next++];
          if (!r) throw new Error('ran out of pre-signed requests');
          return { ...req, body: r.body, headers: r.headers };
        },
        onResponse: () => {
          lastResponseAt = performance.now();
        },
      },
    ],
  });
}

/** Where PostgreSQL spent its time during the run (the warm-up included). */
async function printStatementStats(repo: PostgresRepository): Promise<void> {
  const q = (sql: string) => repo.db.pool.query(sql);
  await q('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  const { rows } = await q(`SELECT calls, round(total_exec_time::numeric, 0) AS total_ms, round(mean_exec_time::numeric, 3) AS mean_ms,
    round((100 * total_exec_time / sum(total_exec_time) OVER ())::numeric, 1) AS pct, left(regexp_replace(query, '\\s+', ' ', 'g'), 90) AS query
    FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 8`);
  process.stderr.write('pg_stat_statements (top by total time):\n');
  for (const r of rows) process.stderr.write(`  ${r.calls} calls, ${r.total_ms} ms total, ${r.mean_ms} ms mean, ${r.pct}%: ${r.query}\n`);
}

async function main(): Promise<void> {
  if (POSTGRES) {
    // Durable commits (fsync, synchronous_commit on), as in production; a bigger WAL so
    // checkpoints do not land in the middle of the measurement.
    pgDir = mkdtempSync(join(tmpdir(), 'ds-bench-pg-'));
    cluster = await startPgCluster(pgDir, {
      shared_buffers: '256MB',
      max_wal_size: '4GB',
      checkpoint_timeout: '30min',
      ...(args['pg-stats'] ? { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track': 'all' } : {}),
      ...Object.fromEntries(args['pg-set']!.map((kv) => kv.split('=', 2) as [string, string])),
    });
  }
  const token = await seed();
  const server = await startServer();
  try {
    process.stderr.write(`registering ${DEVICES} devices (${args.key}) ...\n`);
    const devices = await registerDevices(server.url, token);
    // Spare requests: autocannon builds (and discards) one request per connection up front.
    const spare = CONNECTIONS * 2;
    let ts = Date.now();
    const warm = presign(devices, WARMUP + spare, ts);
    ts += Math.ceil((WARMUP + spare) / DEVICES) + 1;
    process.stderr.write(`pre-signing ${SYNCS} syncs x ${BATCH} transactions ...\n`);
    const reqs = presign(devices, SYNCS + spare, ts);

    const w = await drive(server.url, warm, WARMUP);
    if (w.non2xx || w.errors) throw new Error(`warm-up failed: ${w.non2xx} non-2xx, ${w.errors} errors`);
    process.stderr.write(`measuring ${SYNCS} syncs over ${CONNECTIONS} keep-alive connections ...\n`);
    // Own wall clock, first request to last response: autocannon's `duration` runs to its next whole-second tick.
    const meter = cpuMeter(server.cpu);
    const load0 = loadavg()[0]!;
    const t0 = performance.now();
    const r = await drive(server.url, reqs, SYNCS);
    const seconds = (lastResponseAt - t0) / 1000;
    const cpu = meter.stop();
    const load1 = loadavg()[0]!;
    await server.stop();

    const repo = await openRepo();
    if (args['pg-stats'] && repo instanceof PostgresRepository) await printStatementStats(repo);
    const stored = await repo.transactions.countTransactions();
    await repo.close();
    const expected = (WARMUP + SYNCS) * BATCH;

    const syncsPerSecond = r.requests.total / seconds;
    const result = {
      syncs: r.requests.total,
      non2xx: r.non2xx,
      errors: r.errors,
      durationSeconds: Number(seconds.toFixed(2)),
      syncsPerSecond: Math.round(syncsPerSecond),
      transactionsPerSecond: Math.round(syncsPerSecond * BATCH),
      latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
      connectorsAtDefaultCycle: Math.round(syncsPerSecond * DEFAULT_CYCLE),
      // Cores used on average by each part during the measurement (2-core machine): what limited it.
      cpuCores: cpu.cores,
      machineBusyPercent: cpu.machineBusyPercent,
      // 1-minute load average before and after the measurement (other helpers' work included).
      loadAverage: [Number(load0.toFixed(2)), Number(load1.toFixed(2))],
      storedTransactions: stored,
      expectedTransactions: expected,
      settings: {
        backend: args.backend,
        replicas: REPLICAS,
        devices: DEVICES,
        connections: CONNECTIONS,
        batch: BATCH,
        key: args.key,
        ids: args.ids,
        ...(POSTGRES ? {} : { sqliteSynchronous: args['sqlite-synchronous'], backgroundCheckpoint: !args['no-background-checkpoint'] }),
      },
    };
    console.log(JSON.stringify(result, null, 2));
    if (args.json) {
      if (stored !== expected || r.non2xx || r.errors) process.exitCode = 1;
      return;
    }
    console.log(
      `\n${result.syncsPerSecond} syncs/s, ${result.transactionsPerSecond} transactions/s, p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms` +
        `\ncores used: ${Object.entries(cpu.cores).map(([k, v]) => `${k} ${v}`).join(', ')}; machine ${cpu.machineBusyPercent}% busy, load ${load0.toFixed(2)} -> ${load1.toFixed(2)}` +
        `\n=> ${POSTGRES ? `${REPLICAS} replica(s) on PostgreSQL serve` : 'one DS process serves'} ~${result.connectorsAtDefaultCycle.toLocaleString('en')} connectors at the default ${DEFAULT_CYCLE} s cycle` +
        `\n${stored === expected && !r.non2xx && !r.errors ? 'OK' : 'FAILED'}: ${stored} of ${expected} transactions stored, ${r.non2xx} non-2xx, ${r.errors} errors`,
    );
    if (stored !== expected || r.non2xx || r.errors) process.exitCode = 1;
  } finally {
    await server.stop().catch(() => undefined);
    cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
    if (pgDir) rmSync(pgDir, { recursive: true, force: true });
  }
}

await main();
