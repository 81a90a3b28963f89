/**
 * Fleet simulation (issue 16): simulated connectors, each with its own EC key, register and
 * sync random transactions against 2 DS replicas behind HAProxy on PostgreSQL, while one
 * replica is SIGKILLed and restarted and PostgreSQL itself is restarted (immediate stop: a
 * crash, then recovery). Afterwards it checks in the database that every transaction the
 * simulator holds as acknowledged is stored exactly once and nothing else is, that every
 * connector can still sync, and that the billing report equals the simulator's own count per
 * label and tag. Bounded in time (--max-seconds), traffic only to 127.0.0.1, its own cluster.
 *
 *   pnpm --filter @cardlink/distribution-service exec tsx bench/fleet-sim.ts [--connectors 20000
 *     --rounds 3 --tx 5 --concurrency 48 --max-seconds 1200]
 */
import { createHash, randomUUID, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { systemClock } from '../src/clock.js';
import { resolveConfig } from '../src/config.js';
import * as applications from '../src/services/applications.js';
import * as organisations from '../src/services/organisations.js';
import * as reports from '../src/services/reports.js';
import * as tokens from '../src/services/tokens.js';
import { openPostgresRepository } from '../src/store/postgres/postgres-repository.js';
import { buildCsr, newKey, type DeviceKey } from '../test/support/csr.js';
import { startPgCluster } from './support/pg-cluster.js';
import { Replica, startHaproxy } from './support/replicas.js';

const { values: args } = parseArgs({
  // `pnpm … bench:x -- --flag` passes the `--` through: drop it.
  args: process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--')),
  options: {
    connectors: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '3' },
    tx: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '48' },
    'max-seconds': { type: 'string', default: '1200' },
  },
});
const CONNECTORS = Number(args.connectors);
const ROUNDS = Number(args.rounds);
const TX = Number(args.tx);
const CONCURRENCY = Number(args.concurrency);
const DEADLINE = Date.now() + Number(args['max-seconds']) * 1000;

const LABELS = ['shop', 'bank', 'gov'];
const TAGS = [null, 'checkout', 'login', 'sign:v2'];
const USE_CASES = ['IDENTITY_READ', 'AUTHENTICATION', 'SIGNATURE', 'PIN_VERIFICATION', 'FILE_DOWNLOAD', 'FILE_UPLOAD', 'FILE_PRINT'] as const;
const pick = <T>(a: readonly T[]): T => a[Math.floor(Math.random() * a.length)]!;

interface Tx { id: string; useCase: string; module: string; result: string; occurredAt: string; label: string; tag: string | null }
interface Connector {
  key: DeviceKey;
  id: string;
  serial: string;
  notAfter: string;
  corsVersion: number;
  lastTs: number;
  pending: Map<string, Tx>;
}

const acknowledged: { device: string; id: string }[] = [];
const ackCounts = new Map<string, number>();
const outcomes = new Map<string, number>();
const count = (k: string) => outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
const elapsed = (t0: number) => ((performance.now() - t0) / 1000).toFixed(1);
const log = (m: string) => process.stderr.write(`[fleet-sim ${new Date().toISOString().slice(11, 19)}] ${m}\n`);

function checkDeadline(): void {
  if (Date.now() > DEADLINE) throw new Error(`over --max-seconds ${args['max-seconds']}`);
}

async function register(url: string, token: string): Promise<Connector> {
  const key = newKey('ec');
  const csr = buildCsr(key);
  for (let attempt = 0; ; attempt++) {
    checkDeadline();
    try {
      const res = await fetch(`${url}/v1/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ installToken: token, csr, version: '1.0.0', os: 'fleet-sim' }),
      });
      if (res.status === 200) {
        const r = (await res.json()) as { deviceId: string; serial: string; notAfter: string; cors: { version: number } };
        return { key, id: r.deviceId, serial: r.serial, notAfter: r.notAfter, corsVersion: r.cors.version, lastTs: 0, pending: new Map() };
      }
      count(`register ${res.status}`);
      await res.arrayBuffer();
    } catch {
      count('register network error');
    }
    // Registration is idempotent per key: retrying with the same CSR returns the same device.
    await new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** attempt)));
  }
}

function newTransactions(c: Connector): void {
  const n = Math.floor(Math.random() * (2 * TX + 1));
  for (let i = 0; i < n; i++) {
    const id = randomUUID();
    // Up to 40 days back: this month's partition and the previous one.
    const occurredAt = new Date(Date.now() - Math.floor(Math.random() * 40 * 86_400_000)).toISOString();
    c.pending.set(id, { id, useCase: pick(USE_CASES), module: 'beid', result: Math.random() < 0.9 ? 'OK' : 'CARD_REMOVED', occurredAt, label: pick(LABELS), tag: pick(TAGS) });
  }
}

/** One signed sync of everything pending; true when the DS answered 200 (its acks are recorded). */
async function syncOnce(url: string, c: Connector): Promise<boolean> {
  const sent = [...c.pending.values()];
  const body = JSON.stringify({
    version: '1.0.0', os: 'fleet-sim', uptimeSeconds: 100, lastError: null,
    certificate: { serial: c.serial, notAfter: c.notAfter }, corsVersion: c.corsVersion, transactions: sent,
  });
  c.lastTs = Math.max(c.lastTs + 1, Date.now());
  const ts = String(c.lastTs);
  const hash = createHash('sha256').update(body).digest('base64');
  const signature = sign('sha256', Buffer.from(`POST\n/v1/sync\n${ts}\n${hash}`), c.key.privateKey).toString('base64');
  try {
    const res = await fetch(`${url}/v1/sync`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-device-id': c.id, 'x-timestamp': ts, 'x-signature': signature },
      body,
    });
    if (res.status !== 200) {
      count(`sync ${res.status}`);
      await res.arrayBuffer();
      return false;
    }
    const r = (await res.json()) as { ack: string[]; cors: { version: number } };
    if (typeof r.cors?.version === 'number') c.corsVersion = r.cors.version;
    for (const id of r.ack) {
      const t = c.pending.get(id);
      if (!t) continue;
      c.pending.delete(id);
      acknowledged.push({ device: c.id, id });
      const k = `${t.label}\t${t.tag ?? ''}`;
      ackCounts.set(k, (ackCounts.get(k) ?? 0) + 1);
    }
    count('sync 200');
    return true;
  } catch {
    count('sync network error');
    return false;
  }
}

/** Runs `fn` over every item with at most CONCURRENCY in flight. */
async function pool<T>(items: readonly T[], fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
      }
    }),
  );
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ds-fleet-'));
  // Its own temp dir: the postgres user must be able to reach it.
  const pgDir = mkdtempSync(join(tmpdir(), 'ds-fleet-pg-'));
  const cluster = await startPgCluster(pgDir, { shared_buffers: '256MB', max_wal_size: '2GB' });
  const db = cluster.url;
  const replicas = [1, 2].map((n) => new Replica(db, join(dir, 'data'), [], join(dir, `replica-${n}.log`)));
  let lb: Awaited<ReturnType<typeof startHaproxy>> | undefined;
  const t0 = performance.now();
  try {
    // The organisation, its application and one install token for the whole fleet.
    const seedRepo = await openPostgresRepository(db, { poolSize: 2, partitionCheckMs: 0 });
    const ctx = { repo: seedRepo, clock: systemClock, config: resolveConfig() };
    const org = await organisations.createOrganisation(ctx, 'fleet');
    for (const label of LABELS) await applications.createApplication(ctx, { org: 'fleet', label });
    await applications.addOrigin(ctx, { org: 'fleet', label: 'shop', origin: 'https://shop.example.com' });
    // One install token per 100 connectors, as a roll-out hands them out per batch: every use
    // of one token updates its counter row, so a single token serialises registrations on it.
    const installTokens: string[] = [];
    for (let i = 0; i < Math.ceil(CONNECTORS / 100); i++) installTokens.push((await tokens.createInstallToken(ctx, { org: 'fleet' })).token);
    await seedRepo.close();

    await Promise.all(replicas.map((r) => r.start()));
    lb = await startHaproxy(dir, replicas.map((r) => r.port));
    log(`2 replicas (ports ${replicas.map((r) => r.port).join(', ')}) behind ${lb.url}, PostgreSQL ${cluster.url}`);
    const errorsLogged = () => replicas.map((_, n) => readFileSync(join(dir, `replica-${n + 1}.log`), 'utf8').split('\n').filter((l) => l.includes('"level":50')).length);

    let t = performance.now();
    const fleet: Connector[] = new Array(CONNECTORS);
    await pool(Array.from({ length: CONNECTORS }, (_, i) => i), async (i) => {
      fleet[i] = await register(lb!.url, installTokens[Math.floor(i / 100)]!);
      if ((i + 1) % 5000 === 0) log(`registered ${i + 1}`);
    });
    const registerSeconds = (performance.now() - t) / 1000;
    log(`registered ${CONNECTORS} connectors in ${registerSeconds.toFixed(1)} s (${Math.round(CONNECTORS / registerSeconds)}/s)`);

    // Sync rounds with the chaos in the middle: a replica killed at 25 %, PostgreSQL restarted at 55 %.
    const total = CONNECTORS * ROUNDS;
    let done = 0;
    let chaos: Promise<void> = Promise.resolve();
    let chaosError: unknown;
    // One after the other (a small fleet would otherwise overlap them), errors kept for the end.
    const then = (step: () => Promise<void>) => {
      chaos = chaos.then(step).catch((e) => void (chaosError ??= e));
    };
    const events: string[] = [];
    const at = (fraction: number) => Math.floor(total * fraction);
    t = performance.now();
    let syncAttempts = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (const c of fleet) newTransactions(c);
      await pool(fleet, async (c) => {
        checkDeadline();
        syncAttempts++;
        await syncOnce(lb!.url, c);
        done++;
        if (done === at(0.25)) {
          then(async () => {
            events.push(`${elapsed(t0)} s: SIGKILL replica 1`);
            await replicas[0]!.kill();
            await new Promise((r) => setTimeout(r, 3000));
            await replicas[0]!.start();
            events.push(`${elapsed(t0)} s: replica 1 back`);
          });
        }
        if (done === at(0.55)) {
          then(async () => {
            events.push(`${elapsed(t0)} s: PostgreSQL stop -m immediate, start`);
            await cluster.restart('immediate');
            events.push(`${elapsed(t0)} s: PostgreSQL back`);
          });
        }
      });
      log(`round ${round + 1}/${ROUNDS} done (${[...outcomes].map(([k, v]) => `${k}: ${v}`).join(', ')})`);
    }
    await chaos;
    if (chaosError) throw chaosError;
    const syncSeconds = (performance.now() - t) / 1000;

    // Every connector syncs once more and must get through; those with something pending retry.
    let unable = 0;
    await pool(fleet, async (c) => {
      for (let attempt = 0; ; attempt++) {
        checkDeadline();
        if ((await syncOnce(lb!.url, c)) && c.pending.size === 0) return;
        if (attempt >= 10) {
          unable++;
          return;
        }
        await new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** attempt)));
      }
    });

    // The check, straight from the database.
    const client = new pg.Client({ connectionString: db });
    await client.connect();
    const stored = Number((await client.query('SELECT count(*) AS n FROM transactions')).rows[0].n);
    const keys = Number((await client.query('SELECT count(*) AS n FROM transaction_keys')).rows[0].n);
    await client.query('CREATE TEMP TABLE acked (device_id text, id text)');
    for (let i = 0; i < acknowledged.length; i += 50_000) {
      const chunk = acknowledged.slice(i, i + 50_000);
      await client.query('INSERT INTO acked SELECT * FROM unnest($1::text[], $2::text[])', [chunk.map((a) => a.device), chunk.map((a) => a.id)]);
    }
    const matched = Number((await client.query(
      `SELECT count(*) AS n FROM acked a JOIN devices d ON d.id = a.device_id JOIN transactions t ON t.device_seq = d.seq AND t.id = a.id`,
    )).rows[0].n);
    const duplicates = Number((await client.query('SELECT count(*) AS n FROM (SELECT 1 FROM transactions GROUP BY device_seq, id HAVING count(*) > 1) x')).rows[0].n);
    await client.end();

    const repo = await openPostgresRepository(db, { poolSize: 2, partitionCheckMs: 0 });
    const report = await reports.transactionReport({ repo, clock: systemClock, config: resolveConfig() }, { org: org.name, by: ['label', 'tag'] });
    await repo.close();
    const reported = new Map(report.map((r) => [`${r.label}\t${r.tag ?? ''}`, r.count]));
    const reportMatches = reported.size === ackCounts.size && [...ackCounts].every(([k, v]) => reported.get(k) === v);

    const syncs = outcomes.get('sync 200') ?? 0;
    const result = {
      connectors: CONNECTORS,
      rounds: ROUNDS,
      registerSeconds: Number(registerSeconds.toFixed(1)),
      syncPhaseSeconds: Number(syncSeconds.toFixed(1)),
      syncAttemptsInRounds: syncAttempts,
      syncsPerSecondInRounds: Math.round(syncAttempts / syncSeconds),
      outcomes: Object.fromEntries(outcomes),
      events,
      acknowledged: acknowledged.length,
      stored,
      transactionKeys: keys,
      acknowledgedFoundInStore: matched,
      duplicateKeys: duplicates,
      connectorsUnableToSync: unable,
      replicaErrorLines: errorsLogged(),
      billingReportEqualsSimulator: reportMatches,
      billingRows: report.length,
      totalSeconds: Number(elapsed(t0)),
    };
    console.log(JSON.stringify(result, null, 2));
    const ok = stored === acknowledged.length && matched === acknowledged.length && keys === stored && duplicates === 0 && unable === 0 && reportMatches;
    console.log(`${ok ? 'OK' : 'FAILED'}: ${acknowledged.length} acknowledged, ${stored} stored, ${matched} matched, ${duplicates} duplicates, ${unable} connectors unable to sync, billing report ${reportMatches ? '=' : '≠'} simulator (${syncs} successful syncs)`);
    if (!ok) process.exitCode = 1;
  } finally {
    await lb?.stop().catch(() => undefined);
    await Promise.all(replicas.map((r) => r.stop().catch(() => undefined)));
    cluster.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(pgDir, { recursive: true, force: true });
  }
}

await main();
