import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { SyncScheduler } from '../../src/ds/sync-scheduler.js';
import { DsRequestError } from '../../src/ds/ds-http.js';
import type { DsClient } from '../../src/ds/ds-client.js';
import { openDatabase } from '../../src/store/database.js';
import { StateStore } from '../../src/store/state-store.js';
import { DEFAULT_DS_CYCLE_SECONDS } from '../../src/config/defaults.js';

// A stand-in for the DS client: the scheduler's decisions are what is under test here; the
// real client is tested against a real DS in ds-sync.test.ts.
function fakeClient(o: { registered?: boolean; hint?: number; override?: number; fail?: () => boolean } = {}) {
  let registered = o.registered ?? true;
  const calls: string[] = [];
  const client = {
    get deviceId() {
      return registered ? 'device-1' : undefined;
    },
    restore: () => calls.push('restore'),
    config: () => (o.override !== undefined ? { version: 1, dsCycleSeconds: o.override } : { version: 1 }),
    renewalWindow: () => undefined,
    async register() {
      calls.push('register');
      registered = true;
    },
    async sync() {
      calls.push('sync');
      if (o.fail?.()) throw new DsRequestError('DS_UNREACHABLE', 'down');
      return { nextSyncAfterSeconds: o.hint ?? 0, acknowledged: 0 };
    },
  };
  return { client: client as unknown as DsClient, calls };
}

const state = () => new StateStore(openDatabase(join(mkdtempSync(join(tmpdir(), 'cardlink-sched-')), 'c.db')));
const log = pino({ level: 'silent' });

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('sync timer', () => {
  it('defaults to 28800 s', () => {
    expect(DEFAULT_DS_CYCLE_SECONDS).toBe(28_800);
  });

  it('registers and syncs at once at first start, then waits the default cycle', async () => {
    const { client, calls } = fakeClient({ registered: false });
    const s = new SyncScheduler(client, state(), log, { url: 'x', cliCycleSeconds: DEFAULT_DS_CYCLE_SECONDS, initialDelayMaxSeconds: 600 });
    s.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual(['restore', 'register', 'sync']);
    await vi.advanceTimersByTimeAsync(28_799_000);
    expect(calls.filter((c) => c === 'sync')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls.filter((c) => c === 'sync')).toHaveLength(2);
  });

  it('follows an explicit --ds.cycle override', async () => {
    const { client, calls } = fakeClient({ hint: 28_800 });
    const s = new SyncScheduler(client, state(), log, { url: 'x', cliCycleSeconds: 120, cliCycleExplicit: true, initialDelayMaxSeconds: 0 });
    s.start();
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 0; i < 5; i++) await vi.advanceTimersByTimeAsync(120_000);
    expect(calls.filter((c) => c === 'sync')).toHaveLength(6);
    expect(s.history.slice(1).every((h) => h.seconds === 120)).toBe(true);
  });

  it('lets the DS organisation override win over the CLI', async () => {
    const { client, calls } = fakeClient({ override: 300, hint: 300 });
    const s = new SyncScheduler(client, state(), log, { url: 'x', cliCycleSeconds: 120, cliCycleExplicit: true, initialDelayMaxSeconds: 0 });
    s.start();
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(299_000);
    expect(calls.filter((c) => c === 'sync')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls.filter((c) => c === 'sync')).toHaveLength(2);
  });

  it('honours the DS hint when --ds.cycle was not given', async () => {
    const { client } = fakeClient({ hint: 7200 });
    const s = new SyncScheduler(client, state(), log, { url: 'x', cliCycleSeconds: DEFAULT_DS_CYCLE_SECONDS, initialDelayMaxSeconds: 0 });
    s.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(s.history.at(-1)).toEqual({ reason: 'cycle', seconds: 7200 });
  });

  it('backs off exponentially with jitter on failures, capped at the cycle, and never runs two syncs at once', async () => {
    let down = true;
    const { client, calls } = fakeClient({ fail: () => down });
    const s = new SyncScheduler(client, state(), log, { url: 'x', cliCycleSeconds: 3600, cliCycleExplicit: true, initialDelayMaxSeconds: 0, random: () => 1 });
    s.start();
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 0; i < 8; i++) await vi.advanceTimersByTimeAsync(s.history.at(-1)!.seconds * 1000);
    expect(s.history.filter((h) => h.reason === 'backoff').map((h) => h.seconds)).toEqual([30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
    down = false;
    const a = s.syncNow();
    const b = s.syncNow();
    expect(a).toBe(b);
    await a;
    expect(s.history.at(-1)).toEqual({ reason: 'cycle', seconds: 3600 });
    expect(calls.filter((c) => c === 'sync').length).toBe(10); // 9 failed, then the one that worked
  });

  it('spreads the first sync of later starts uniformly over the initial-delay bound (1000 simulated starts)', async () => {
    const delays: number[] = [];
    const store = state();
    for (let i = 0; i < 1000; i++) {
      const { client } = fakeClient();
      const s = new SyncScheduler(client, store, log, { url: 'x', cliCycleSeconds: 28_800, initialDelayMaxSeconds: 600 });
      s.start();
      delays.push(s.history[0]!.seconds);
      await s.stop();
    }
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...delays)).toBeLessThanOrEqual(600);
    const mean = delays.reduce((a, b) => a + b, 0) / delays.length;
    expect(mean).toBeGreaterThan(270); // uniform on [0, 600]: mean 300, sd of the mean ~5.5
    expect(mean).toBeLessThan(330);
    // ten equal bins each hold about 100 starts (chi-square, 9 d.o.f., p=0.001 -> 27.9)
    const bins = new Array(10).fill(0);
    for (const d of delays) bins[Math.min(9, Math.floor(d / 60))]++;
    const chi = bins.reduce((acc, n) => acc + (n - 100) ** 2 / 100, 0);
    console.log(`initial delay over 1000 starts: mean ${mean.toFixed(1)} s, bins ${bins.join(' ')}, chi-square ${chi.toFixed(1)}`);
    expect(chi).toBeLessThan(27.9);
  });
});
