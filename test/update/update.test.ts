import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'node:https';
import { releases } from '@cardlink/distribution-service';
import { startTestDs, type TestDs } from '../../connector/test/helpers/test-ds.js';
import { readUpdateState } from '../../connector/src/update/state.js';
import { readRuntime } from '../../connector/src/runtime-file.js';
import {
  buildRoot, buildVersion, infoRequest, packBuilt, packRaw, releaseKeys, signed, startSupervised, until, type Outcome, type Supervised,
} from './helpers.js';

const ORIGIN = 'https://shop.example.com';
const GRACE_SECONDS = 4;
const IDLE_SECONDS = 2;
let supArgs: string[];

/** Worker processes of the supervisor (Linux /proc). */
function workerPids(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return Number(readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]) === sup.child.pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

let dir: string;
let ds: TestDs;
let sup: Supervised;
let dataDir: string;
let ca: string;
let keys: ReturnType<typeof releaseKeys>;
const builds: Record<string, string> = {};

const deviceId = async () => (await ds.repo.devices.listDevices())[0]!.id;
const dsFailures = async () => ds.repo.releases.failures(await deviceId());
const publish = (version: string, pkg: Buffer, release = signed(pkg, version, keys.privatePem)) =>
  releases.publishRelease(ds.ds.services, { org: 'acme', release, pkg });
const info = () => infoRequest(sup.port, ca, ORIGIN, false);

/** Ask for a DS sync (SIGUSR2 to the supervisor) until `cond` holds. */
async function syncUntil(cond: () => Promise<boolean> | boolean, ms = 90_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out; supervisor output:\n${sup.out().slice(-4000)}`);
    sup.child.kill('SIGUSR2');
    await new Promise((r) => setTimeout(r, 1000));
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cardlink-update-'));
  const root = buildRoot(join(dir, 'builds'));
  // Built one after the other: two cores, and other suites run meanwhile.
  for (const v of ['1.0.0', '1.0.8', '1.1.0', '1.2.0']) builds[v] = await buildVersion(root, v);
  keys = releaseKeys(join(dir, 'keys'));
  ds = await startTestDs();
  await ds.addOrigin(ORIGIN);
  ca = readFileSync(join(ds.dir, 'ca/root.cert.pem'), 'utf8');
  dataDir = join(dir, 'data');
  const tokenFile = join(dir, 'token');
  writeFileSync(tokenFile, ds.token);
  sup = await startSupervised(builds['1.0.0']!, supArgs = [
    '--data-dir', dataDir, '--ds.url', ds.url, '--ds.token-file', tokenFile, '--ds.ca', ds.tlsCaFile,
    '--ds.cycle', '3600', '--ds.initial-delay-max', '0', '--virtual-card', '1.7', '--log-level', 'warn',
    '--rate-limit', '1000000', '--update.key', keys.publicFile, '--update.grace', String(GRACE_SECONDS), '--update.health-timeout', '90',
    '--update.idle', String(IDLE_SECONDS),
  ]);
  // Registered, DS certificate and origins in force.
  await until(async () => (await info()).ok, 90_000);
});

afterAll(async () => {
  await sup?.stop();
  await ds?.close();
});

describe('supervised connector with signed updates', () => {
  it('serves the installed version through the supervisor', async () => {
    expect((await info()).version).toBe('1.0.0');
    expect(readRuntime(dataDir)).toMatchObject({ pid: sup.child.pid, port: sup.port, version: '1.0.0' });
    expect(readFileSync(join(dataDir, 'release-key.pem'), 'utf8')).toBe(keys.publicPem);
  });

  it('rejects a wrong signature and a tampered package: nothing staged, old version serves, the DS records both', async () => {
    const other = releaseKeys(join(dir, 'keys'));
    const forged = packRaw('1.0.6', { 'connector.mjs': 'process.exit(0)' });
    await publish('1.0.6', forged, signed(forged, '1.0.6', other.privatePem)); // signed with another key
    const pkg = packRaw('1.0.5', { 'connector.mjs': 'console.log("1.0.5")' });
    await publish('1.0.5', pkg);
    // Tampered in storage or on the way: same size, one byte changed.
    const tampered = Buffer.from(pkg);
    tampered[tampered.length - 20] = tampered[tampered.length - 20]! ^ 0xff;
    const db = new Database(join(ds.dir, 'ds.sqlite'));
    try {
      db.prepare("UPDATE releases SET package = ? WHERE version = '1.0.5'").run(tampered);
    } finally {
      db.close();
    }

    await syncUntil(async () => (await dsFailures()).length >= 2);
    const failures = await dsFailures();
    expect(failures.find((f) => f.version === '1.0.6')?.reason).toMatch(/^BAD_SIGNATURE/);
    expect(failures.find((f) => f.version === '1.0.5')?.reason).toMatch(/^BAD_(DIGEST|SIZE)/);
    expect(existsSync(join(dataDir, 'versions', '1.0.6'))).toBe(false);
    expect(existsSync(join(dataDir, 'versions', '1.0.5'))).toBe(false);
    expect((await info()).version).toBe('1.0.0');
    expect(readUpdateState(dataDir).current).toBeUndefined();
  });

  it('rolls back a release that crashes at start; keeps serving; the DS records it and stops offering it', async () => {
    await publish('1.0.7', packRaw('1.0.7', { 'connector.mjs': 'process.exit(3);' }));
    const outcomes: Outcome[] = [];
    let done = false;
    const load = (async () => {
      while (!done) outcomes.push(await info());
    })();
    await syncUntil(async () => (await dsFailures()).some((f) => f.version === '1.0.7'));
    done = true;
    await load;
    expect((await dsFailures()).find((f) => f.version === '1.0.7')?.reason).toMatch(/did not start: exited during start \(code 3\)/);
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    expect(outcomes.every((o) => o.version === '1.0.0')).toBe(true);
    const report = await releases.versionReport(ds.ds.services, 'acme');
    expect(report.devices[0]).toMatchObject({ version: '1.0.0', status: 'failed', offeredVersion: null });
    // Not offered again: another sync brings no new attempt.
    const before = readUpdateState(dataDir).failed.length;
    sup.child.kill('SIGUSR2');
    await new Promise((r) => setTimeout(r, 2000));
    expect(readUpdateState(dataDir).failed.length).toBe(before);
  });

  it('rolls back a release that crashes within the grace period after the handover', async () => {
    // A real 1.0.8 bundle that passes its health check, then exits once it is routed and activated.
    const dist = builds['1.0.8']!;
    const real = readFileSync(join(dist, 'connector.mjs'), 'utf8');
    writeFileSync(join(dist, 'main.mjs'), real);
    writeFileSync(
      join(dist, 'connector.mjs'),
      "process.on('message', (m) => { if (m && m.t === 'activate') setTimeout(() => process.exit(7), 300); });\nawait import('./main.mjs');\n",
    );
    await publish('1.0.8', packBuilt(dist, '1.0.8'));
    const outcomes: Outcome[] = [];
    let done = false;
    const load = (async () => {
      while (!done) outcomes.push(await info());
    })();
    await syncUntil(async () => (await dsFailures()).some((f) => f.version === '1.0.8'), 120_000);
    done = true;
    await load;
    expect((await dsFailures()).find((f) => f.version === '1.0.8')?.reason).toMatch(/crashed within the \d+ s grace period \(code 7\)/);
    // A crash can take the request it was answering with it (one loop, one request at a time);
    // connections it had not taken yet are routed back to the previous worker.
    const failed = outcomes.filter((o) => !o.ok);
    console.log(`crash within grace: ${outcomes.length} requests, ${failed.length} failed ${JSON.stringify(failed)}`);
    expect(failed.length).toBeLessThanOrEqual(1);
    expect(outcomes.some((o) => o.version === '1.0.8')).toBe(true); // it did serve before crashing
    expect(outcomes.at(-1)?.ok).toBe(true);
    expect((await info()).version).toBe('1.0.0');
    expect(readRuntime(dataDir)?.version).toBe('1.0.0');
  });

  it('applies a mandatory update under a steady stream of requests with zero failures', async () => {
    await publish('1.1.0', packBuilt(builds['1.1.0']!, '1.1.0'));
    const keepAlive = new Agent({ keepAlive: true, maxSockets: 2, ca });
    const outcomes: { kind: 'new' | 'kept'; at: number; o: Outcome }[] = [];
    let done = false;
    const loops = [
      (async () => {
        while (!done) outcomes.push({ kind: 'new', at: Date.now(), o: await info() });
      })(),
      (async () => {
        while (!done) outcomes.push({ kind: 'kept', at: Date.now(), o: await infoRequest(sup.port, ca, ORIGIN, keepAlive) });
      })(),
    ];
    await new Promise((r) => setTimeout(r, 1000));
    await syncUntil(() => outcomes.some((x) => x.kind === 'new' && x.o.version === '1.1.0'), 120_000);
    // Through the grace period, until the old worker has gone and the kept-alive loop is on the new one.
    await new Promise((r) => setTimeout(r, (GRACE_SECONDS + 2) * 1000));
    await until(() => outcomes.at(-1)?.o.version === '1.1.0' && outcomes.filter((x) => x.kind === 'kept').at(-1)?.o.version === '1.1.0', 30_000);
    done = true;
    await Promise.all(loops);
    keepAlive.destroy();

    const failed = outcomes.filter((x) => !x.o.ok);
    const versions = [...new Set(outcomes.map((x) => x.o.version))];
    const kept = outcomes.filter((x) => x.kind === 'kept');
    console.log(
      `update under load: ${outcomes.length} requests (${kept.length} kept-alive, ${kept.filter((x) => x.o.reused).length} on reused sockets), ` +
        `${failed.length} failed, versions ${versions.join(' -> ')}`,
    );
    expect(failed).toEqual([]);
    expect(versions).toEqual(['1.0.0', '1.1.0']);
    expect(kept.filter((x) => x.o.version === '1.0.0').length).toBeGreaterThan(0);
    expect(kept.filter((x) => x.o.version === '1.1.0').length).toBeGreaterThan(0);
    expect((await info()).version).toBe('1.1.0');
    expect(readRuntime(dataDir)?.version).toBe('1.1.0');
    expect(readUpdateState(dataDir)).toMatchObject({ current: '1.1.0', previous: '1.0.0' });
    // The DS sees the new version at the next sync.
    await syncUntil(async () => (await ds.repo.devices.listDevices())[0]!.version === '1.1.0');
    const report = await releases.versionReport(ds.ds.services, 'acme');
    expect(report.versions).toEqual([{ version: '1.1.0', devices: 1, release: 'mandatory' }]);
    expect(report.devices[0]).toMatchObject({ version: '1.1.0', status: 'up-to-date' });
  });
  it('applies a recommended update only once no request came for --update.idle seconds', async () => {
    await publish('1.2.0', packBuilt(builds['1.2.0']!, '1.2.0'), signed(packBuilt(builds['1.2.0']!, '1.2.0'), '1.2.0', keys.privatePem, 'recommended'));
    const outcomes: Outcome[] = [];
    let done = false;
    const load = (async () => {
      while (!done) outcomes.push(await info());
    })();
    await syncUntil(() => existsSync(join(dataDir, 'versions', '1.2.0', 'release.json')));
    // Staged, but the connector is busy: it stays on 1.1.0.
    await new Promise((r) => setTimeout(r, (IDLE_SECONDS + 3) * 1000));
    done = true;
    await load;
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    expect(new Set(outcomes.map((o) => o.version))).toEqual(new Set(['1.1.0']));
    // Quiet now: it applies by itself.
    await until(() => readRuntime(dataDir)?.version === '1.2.0', 60_000, 500);
    expect((await info()).version).toBe('1.2.0');
  });

  it('restarts the current version when its worker crashes outside a handover; connections wait meanwhile', async () => {
    await until(() => workerPids().length === 1, 30_000); // the previous worker's grace period is over
    const [pid] = workerPids();
    process.kill(pid!, 'SIGKILL');
    const outcome = await info(); // queued by the supervisor until the restarted worker takes it
    expect(outcome).toMatchObject({ ok: true, version: '1.2.0' });
    expect(workerPids()).not.toContain(pid);
  });

  it('starts the version in service (not the installed one) when the supervisor restarts', async () => {
    await sup.stop();
    expect(workerPids()).toEqual([]);
    sup = await startSupervised(builds['1.0.0']!, supArgs);
    expect((await info()).version).toBe('1.2.0');
    expect(readRuntime(dataDir)).toMatchObject({ pid: sup.child.pid, version: '1.2.0' });
    expect(readUpdateState(dataDir)).toMatchObject({ current: '1.2.0', previous: '1.1.0' });
    expect(readdirSync(join(dataDir, 'versions')).sort()).toEqual(['1.1.0', '1.2.0']); // in service + previous
  });
});
