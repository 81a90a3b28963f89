import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * `ds serve` as a real process, signalled at random moments after spawn: every run must exit 0
 * and leave its SQLite file closed (no WAL/SHM left, integrity ok, writable by someone else).
 *
 * Before Node has run the first line of bin/ds.mjs no JavaScript can handle a signal (the
 * kernel's default action applies to any Node program), so a moment that falls before the
 * handlers exist is moved to the instant they are in place: bin/ds.mjs installs them, then
 * renames the process to `ds …` (seen in /proc/<pid>/comm). That is the tightest timing a
 * handler can see. The test prints how many moments that moved.
 */
const BIN = join(__dirname, '..', 'bin', 'ds.mjs');
const RUNS = 50;
const PARALLEL = 3;
const root = mkdtempSync(join(tmpdir(), 'ds-signals-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function handlersInstalled(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('ds ');
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Phase = 'loading' | 'opened' | 'listening';
interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  phase: Phase;
  deferred: boolean;
  atMs: number;
  stderr: string;
}

/**
 * Where a run's random moment is measured from: spawn (the whole start-up, mostly module
 * loading), the handlers' installation, the database file's creation (store open, CA being
 * loaded or generated, server binding) or the `listening` line. Uniform random from spawn alone
 * would almost never hit the short opening phase, which is where the old code lost signals.
 */
type Anchor = 'spawn' | 'handlers' | 'store' | 'listening';
const ANCHORS: Anchor[] = ['spawn', 'handlers', 'store', 'listening'];
const JITTER_MS: Record<Exclude<Anchor, 'spawn'>, number> = { handlers: 30, store: 60, listening: 60 };

async function until(cond: () => boolean, exited: () => boolean): Promise<void> {
  while (!cond() && !exited()) await sleep(1);
}

async function runOnce(i: number, spanMs: number): Promise<Run> {
  const dir = join(root, `run-${i}`);
  const sig: NodeJS.Signals = i % 2 ? 'SIGINT' : 'SIGTERM';
  const anchor = ANCHORS[i % ANCHORS.length]!;
  const started = performance.now();
  const proc = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', dir, '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stdout!.on('data', (d) => void (stdout += d));
  proc.stderr!.on('data', (d) => void (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  const gone = () => proc.exitCode !== null || proc.signalCode !== null;
  const listening = () => stdout.includes('"listening"');
  const storeCreated = () => existsSync(join(dir, 'ds.sqlite'));
  if (anchor === 'spawn') await sleep(Math.random() * spanMs);
  else {
    await until(anchor === 'handlers' ? () => handlersInstalled(proc.pid!) : anchor === 'store' ? storeCreated : listening, gone);
    await sleep(Math.random() * JITTER_MS[anchor]);
  }
  let deferred = false;
  while (!handlersInstalled(proc.pid!) && !gone()) {
    deferred = true;
    await sleep(1);
  }
  const phase: Phase = listening() ? 'listening' : storeCreated() ? 'opened' : 'loading';
  const atMs = performance.now() - started;
  proc.kill(sig);
  const { code, signal } = await exited;
  return { code, signal, phase, deferred, atMs, stderr };
}

function assertClosedCleanly(db: string): void {
  // WAL mode deletes -wal and -shm when the last connection closes; a killed process leaves them.
  expect(existsSync(`${db}-wal`)).toBe(false);
  expect(existsSync(`${db}-shm`)).toBe(false);
  const other = new Database(db, { timeout: 0 });
  try {
    expect(other.pragma('integrity_check', { simple: true })).toBe('ok');
    other.exec('BEGIN IMMEDIATE; COMMIT'); // throws SQLITE_BUSY if a lock were still held
  } finally {
    other.close();
  }
}

describe('ds serve stops cleanly whenever the signal comes', () => {
  it(`exits 0 and leaves the store closed, ${RUNS} real processes signalled at random moments`, async () => {
    // How long a start takes on this machine right now: the random moments span it and a bit more.
    const t0 = performance.now();
    const probe = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', join(root, 'probe')], { stdio: ['ignore', 'pipe', 'ignore'] });
    await new Promise<void>((resolve, reject) => {
      probe.stdout!.on('data', (d: Buffer) => d.toString().includes('"listening"') && resolve());
      probe.once('exit', (c) => reject(new Error(`probe exited ${c}`)));
    });
    const startMs = performance.now() - t0;
    const probeExit = new Promise<number | null>((resolve) => probe.once('exit', (c) => resolve(c)));
    probe.kill('SIGTERM');
    expect(await probeExit).toBe(0);
    assertClosedCleanly(join(root, 'probe', 'ds.sqlite'));

    const span = startMs * 1.3;
    const runs: Run[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        while (next < RUNS) {
          const i = next++;
          runs[i] = await runOnce(i, span);
        }
      }),
    );

    const by = (p: Phase) => runs.filter((r) => r.phase === p).length;
    console.log(
      `ds serve signals: start alone ${startMs.toFixed(0)} ms; ${RUNS} runs signalled ${Math.min(...runs.map((r) => r.atMs)).toFixed(0)}-${Math.max(...runs.map((r) => r.atMs)).toFixed(0)} ms after spawn ` +
        `(loading ${by('loading')}, store open ${by('opened')}, listening ${by('listening')}; ` +
        `${runs.filter((r) => r.deferred).length} moved to the handler's installation); ` +
        `exit codes ${JSON.stringify([...new Set(runs.map((r) => r.code))])}`,
    );
    for (const [i, r] of runs.entries()) {
      expect({ run: i, code: r.code, signal: r.signal, stderr: r.stderr, phase: r.phase, at: r.atMs, deferred: r.deferred }).toEqual({ run: i, code: 0, signal: null, stderr: "", phase: r.phase, at: r.atMs, deferred: r.deferred });
      const db = join(root, `run-${i}`, 'ds.sqlite');
      if (existsSync(db)) assertClosedCleanly(db);
    }
  }, 240_000);
});
