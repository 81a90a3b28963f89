import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * `connector start` (the built bundle, as shipped) signalled at random moments after spawn:
 * every run exits 0 and leaves its store closed.
 *
 * Before Node runs the first line of bin/connector.mjs no JavaScript can see a signal (the
 * kernel's default applies to any Node program), so a moment that falls before the handlers
 * exist waits for them: bin/connector.mjs installs them, then renames the process
 * `connector start` (/proc/<pid>/comm). The test prints how many moments that moved.
 */
const BIN = fileURLToPath(new URL('../bin/connector.mjs', import.meta.url));
const BUNDLE = fileURLToPath(new URL('../dist/connector.mjs', import.meta.url));
const RUNS = 50;
const PARALLEL = 3;
const root = mkdtempSync(join(tmpdir(), 'connector-signals-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const env = { ...process.env };
delete env.CARDLINK_FROM_SOURCE;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const handlersInstalled = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('connector');
  } catch {
    return false;
  }
};

type Anchor = 'spawn' | 'handlers' | 'store' | 'ready';
type Phase = 'loading' | 'opened' | 'ready';
/** Moments drawn from spawn alone would rarely land in the short phases; each run picks an anchor. */
const ANCHORS: Anchor[] = ['spawn', 'handlers', 'store', 'ready'];
const JITTER_MS: Record<Exclude<Anchor, 'spawn'>, number> = { handlers: 40, store: 80, ready: 40 };

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  phase: Phase;
  moved: boolean;
  atMs: number;
  stderr: string;
}

function args(dir: string, i: number): string[] {
  // Every tenth run starts with an in-process virtual card: a long start (its keys are made),
  // so signals also land while the store is open and the server not yet listening.
  return ['start', '--port', '0', '--data-dir', dir, '--log-level', 'warn', ...(i % 10 === 0 ? ['--virtual-card', '1.7'] : [])];
}

async function runOnce(i: number, spanMs: number): Promise<Run> {
  const dir = join(root, `run-${i}`);
  const signal: NodeJS.Signals = i % 2 ? 'SIGINT' : 'SIGTERM';
  const anchor = ANCHORS[i % ANCHORS.length]!;
  const t0 = performance.now();
  const child = spawn(process.execPath, [BIN, ...args(dir, i)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => void (stdout += d));
  child.stderr.on('data', (d) => void (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, sig) => r({ code, signal: sig })));
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const ready = () => stdout.includes('ready on');
  const opened = () => existsSync(join(dir, 'connector.db'));
  if (anchor === 'spawn') await sleep(Math.random() * spanMs);
  else {
    const reached = anchor === 'handlers' ? () => handlersInstalled(child.pid!) : anchor === 'store' ? opened : ready;
    while (!reached() && !gone()) await sleep(1);
    await sleep(Math.random() * JITTER_MS[anchor]);
  }
  let moved = false;
  while (!handlersInstalled(child.pid!) && !gone()) {
    moved = true;
    await sleep(1);
  }
  const phase: Phase = ready() ? 'ready' : opened() ? 'opened' : 'loading';
  const atMs = performance.now() - t0;
  child.kill(signal);
  const { code, signal: sig } = await exited;
  return { code, signal: sig, phase, moved, atMs, stderr };
}

function closedCleanly(db: string): void {
  // The last connection's close checkpoints and deletes -wal and -shm; a killed process leaves them.
  expect(existsSync(`${db}-wal`)).toBe(false);
  expect(existsSync(`${db}-shm`)).toBe(false);
  const other = new Database(db, { timeout: 0 });
  try {
    expect(other.pragma('integrity_check', { simple: true })).toBe('ok');
    other.exec('BEGIN IMMEDIATE; COMMIT');
  } finally {
    other.close();
  }
}

describe('connector start stops cleanly whenever the signal comes', () => {
  it(`exits 0 with its store closed, ${RUNS} real processes signalled at random moments`, async () => {
    expect(existsSync(BUNDLE), 'build the connector first (pnpm --filter @cardlink/connector run build)').toBe(true);
    // How long a start takes here and now: the moments from spawn span it and a bit more.
    const t0 = performance.now();
    const probe = spawn(process.execPath, [BIN, ...args(join(root, 'probe'), 1)], { env, stdio: ['ignore', 'pipe', 'ignore'] });
    await new Promise<void>((resolve, reject) => {
      probe.stdout.on('data', (d: Buffer) => d.toString().includes('ready on') && resolve());
      probe.once('exit', (c) => reject(new Error(`probe exited ${c}`)));
    });
    const startMs = performance.now() - t0;
    const probeExit = new Promise<number | null>((r) => probe.once('exit', r));
    probe.kill('SIGTERM');
    expect(await probeExit).toBe(0);

    const runs: Run[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        while (next < RUNS) {
          const i = next++;
          runs[i] = await runOnce(i, startMs * 1.3);
        }
      }),
    );
    const by = (p: Phase) => runs.filter((r) => r.phase === p).length;
    console.log(
      `connector start signals: start alone ${startMs.toFixed(0)} ms; ${RUNS} runs signalled ` +
        `${Math.min(...runs.map((r) => r.atMs)).toFixed(0)}-${Math.max(...runs.map((r) => r.atMs)).toFixed(0)} ms after spawn ` +
        `(loading ${by('loading')}, store open ${by('opened')}, ready ${by('ready')}; ${runs.filter((r) => r.moved).length} moved to the handlers' installation)`,
    );
    for (const [i, r] of runs.entries()) {
      expect({ run: i, code: r.code, signal: r.signal, stderr: r.stderr }).toEqual({ run: i, code: 0, signal: null, stderr: '' });
      const db = join(root, `run-${i}`, 'connector.db');
      if (existsSync(db)) closedCleanly(db);
      expect(existsSync(join(root, `run-${i}`, 'runtime.json'))).toBe(false);
    }
  }, 180_000);
});
