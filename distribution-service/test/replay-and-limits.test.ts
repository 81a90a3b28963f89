import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/main.js';
import { MAX_JSON_DEPTH } from '../src/http/json-body.js';
import { nestsDeeperThan } from '../src/http/json-depth.js';
import { buildCsr, newKey } from './support/csr.js';
import { freshTimestamp, postJson, register, signHeaders, startDs, tx } from './support/harness.js';
import { postgresSchemaUrl, testBackend } from './support/backends.js';

/**
 * Issue 12 item 7, against a real `ds serve` process: a captured sync replayed after a restart
 * is refused and changes nothing; a 3 MB deeply nested body is refused before it is parsed.
 */
const BIN = join(__dirname, '..', 'bin', 'ds.mjs');
const dir = mkdtempSync(join(tmpdir(), 'ds-replay-'));
// On the PostgreSQL project, the CLI and `ds serve` use a schema of their own on the test cluster.
const store = testBackend() === 'postgres' ? await postgresSchemaUrl() : undefined;
const dbArgs = store ? ['--db', store.url] : [];
let server: ChildProcess | undefined;
afterAll(async () => {
  server?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
  await store?.drop();
});

async function ds(...args: string[]): Promise<string> {
  let out = '';
  let err = '';
  const code = await runCli([...args, '--data-dir', dir, ...dbArgs], { out: (t) => void (out += t), err: (t) => void (err += t) });
  if (code !== 0) throw new Error(`ds ${args.join(' ')}: ${err}`);
  return out;
}

async function start(): Promise<string> {
  const proc = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', dir, ...dbArgs, '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'inherit'] });
  server = proc;
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: proc.stdout! }).once('line', resolve);
    proc.once('exit', (c) => reject(new Error(`ds serve exited ${c}`)));
  });
  return (JSON.parse(line) as { url: string }).url;
}

async function stop(): Promise<void> {
  const proc = server!;
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (c) => resolve(c)));
  proc.kill('SIGTERM');
  expect(await exited).toBe(0);
  server = undefined;
}

const nested = (bytes: number): string => '['.repeat(bytes / 2) + ']'.repeat(bytes / 2);

describe('replay after a restart, and bodies refused before parsing (real ds serve)', () => {
  it('refuses a captured sync replayed after a DS restart with AUTH_REPLAY; the device state stays', { timeout: 120_000 }, async () => {
    await ds('org', 'create', 'acme');
    await ds('app', 'create', '--org', 'acme', '--label', 'shop');
    const token = (await ds('token', 'create', '--org', 'acme')).trim();
    let url = await start();

    const key = newKey('ec');
    const reg = await postJson(`${url}/v1/register`, { installToken: token, csr: buildCsr(key), version: '1.0.0', os: 'linux' });
    expect(reg.status).toBe(200);
    const deviceId = reg.body.deviceId as string;
    const certificate = { serial: reg.body.serial, notAfter: reg.body.notAfter };
    const body = (version: string, lastError: string | null, transactions: unknown[]) =>
      JSON.stringify({ version, os: 'linux', uptimeSeconds: 1, lastError, certificate, transactions });

    // The captured request: an older state of the device.
    const captured = body('1.0.0', 'old error', [tx({ label: 'shop' })]);
    const capturedHeaders = signHeaders(deviceId, key, captured, Date.now());
    expect((await postJson(`${url}/v1/sync`, captured, capturedHeaders)).status).toBe(200);
    // Same process: refused by the in-memory guard already.
    expect((await postJson(`${url}/v1/sync`, captured, capturedHeaders)).body.error.code).toBe('AUTH_REPLAY');
    await new Promise((r) => setTimeout(r, 2));
    const later = body('1.1.0', null, [tx({ label: 'shop' })]);
    expect((await postJson(`${url}/v1/sync`, later, signHeaders(deviceId, key, later, Date.now()))).status).toBe(200);
    const before = JSON.parse(await ds('device', 'list', '--json'));
    expect(before[0]).toMatchObject({ id: deviceId, version: '1.1.0', lastError: null });

    await stop();
    url = await start();
    const replay = await postJson(`${url}/v1/sync`, captured, capturedHeaders);
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('AUTH_REPLAY');
    const after = JSON.parse(await ds('device', 'list', '--json'));
    expect(after).toEqual(before);
    expect(JSON.parse(await ds('report', 'transactions', '--org', 'acme', '--json'))).toEqual([{ label: 'shop', useCase: 'SIGNATURE', count: 2 }]);

    // The fresh request goes through after the restart, of course.
    await new Promise((r) => setTimeout(r, 2));
    const fresh = body('1.2.0', null, []);
    expect((await postJson(`${url}/v1/sync`, fresh, signHeaders(deviceId, key, fresh, Date.now()))).status).toBe(200);

    // A 3 MB deeply nested body: what parsing it would cost, measured here in the same run ...
    const hostile = nested(3 * 1024 * 1024);
    let t0 = performance.now();
    JSON.parse(hostile);
    const parseMs = performance.now() - t0;
    // ... against the DS's answers: registration (unauthenticated) is limited to 64 KiB ...
    t0 = performance.now();
    const reg3 = await postJson(`${url}/v1/register`, hostile);
    const registerMs = performance.now() - t0;
    expect(reg3.status).toBe(413);
    expect(reg3.body.error.code).toBe('BODY_TOO_LARGE');
    // ... and a correctly signed sync (a device gone rogue) is scanned, not parsed. The fastest
    // of three round trips is what the DS itself costs: a single one also carries whatever
    // else the machine was doing while it ran.
    const syncTimes: number[] = [];
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 2)); // a fresh timestamp: not a replay
      const headers = signHeaders(deviceId, key, hostile, Date.now());
      t0 = performance.now();
      const sync3 = await postJson(`${url}/v1/sync`, hostile, headers);
      syncTimes.push(performance.now() - t0);
      expect(sync3.status).toBe(400);
      expect(sync3.body.error.code).toBe('JSON_TOO_DEEP');
    }
    const syncMs = Math.min(...syncTimes);
    console.log(
      `3 MB nested JSON: JSON.parse here ${parseMs.toFixed(0)} ms; DS answered /v1/register 413 in ${registerMs.toFixed(1)} ms, ` +
        `signed /v1/sync 400 JSON_TOO_DEEP in ${syncMs.toFixed(1)} ms (fastest of 3 round trips incl. upload and signature check), ratio ${(syncMs / parseMs).toFixed(3)}`,
    );
    expect(syncMs).toBeLessThan(parseMs / 5);
    await stop();
  });

  it('spends a few ms of the DS thread on a 3 MB nested body (in process, no network), against seconds to parse it', async () => {
    const h = await startDs();
    try {
      const device = await register(h);
      const hostile = nested(3 * 1024 * 1024);
      let t0 = performance.now();
      JSON.parse(hostile);
      const parseMs = performance.now() - t0;
      const times = { register: [] as number[], sync: [] as number[] };
      for (let i = 0; i < 5; i++) {
        t0 = performance.now();
        const r = await h.ds.app.inject({ method: 'POST', url: '/v1/register', headers: { 'content-type': 'application/json' }, payload: hostile });
        times.register.push(performance.now() - t0);
        expect(r.json().error.code).toBe('BODY_TOO_LARGE');
        const headers = signHeaders(device.id, device.key, hostile, freshTimestamp(h.clock));
        t0 = performance.now();
        const s = await h.ds.app.inject({ method: 'POST', url: '/v1/sync', headers: { 'content-type': 'application/json', ...headers }, payload: hostile });
        times.sync.push(performance.now() - t0);
        expect(s.statusCode).toBe(400);
        expect(s.json().error.code).toBe('JSON_TOO_DEEP');
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[2]!;
      console.log(
        `3 MB nested JSON in process: JSON.parse ${parseMs.toFixed(0)} ms; DS refusal (median of 5) /v1/register 413 ${median(times.register).toFixed(1)} ms, ` +
          `signed /v1/sync 400 JSON_TOO_DEEP ${median(times.sync).toFixed(1)} ms (SHA-256 of the body, signature check, depth scan), ratio ${(median(times.sync) / parseMs).toFixed(4)}`,
      );
      expect(median(times.sync)).toBeLessThan(parseMs / 20);
    } finally {
      await h.close();
    }
  });
});

describe('nesting scan', () => {
  it('counts brackets outside strings only and stops past the limit', () => {
    const enc = (s: string) => Buffer.from(s);
    expect(nestsDeeperThan(enc('{"a":[{"b":[1]}]}'), 4)).toBe(false);
    expect(nestsDeeperThan(enc('{"a":[{"b":[[1]]}]}'), 4)).toBe(true);
    expect(nestsDeeperThan(enc(`{"a":"${'['.repeat(100)}"}`), 1)).toBe(false);
    expect(nestsDeeperThan(enc(`{"a":"\\"${'['.repeat(100)}"}`), 1)).toBe(false);
    expect(nestsDeeperThan(enc(`{"a":"\\\\"${'['.repeat(3)}`), 2)).toBe(true);
    expect(nestsDeeperThan(enc('[]'.repeat(1000)), 1)).toBe(false);
    expect(MAX_JSON_DEPTH).toBeGreaterThanOrEqual(4);
  });
});
