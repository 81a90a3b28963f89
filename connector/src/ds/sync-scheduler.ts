import type { Logger } from 'pino';
import type { StateStore } from '../store/state-store.js';
import { DsRequestError } from './ds-http.js';
import { STATE, type DsClient, type DsStatus } from './ds-client.js';

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SchedulerOptions {
  url: string;
  /** `--ds.cycle`, seconds. */
  cliCycleSeconds: number;
  /** Whether `--ds.cycle` was given on the command line (else it is the built-in default). */
  cliCycleExplicit?: boolean;
  /** Bound of the uniform random delay before the first sync at a later start. */
  initialDelayMaxSeconds: number;
  /** First retry after a failure; doubles up to the cycle. */
  backoffBaseSeconds?: number;
  random?: () => number;
  now?: () => number;
  timers?: Timers;
}

const DEFAULT_BACKOFF_BASE = 30;
const RENEWAL_RETRY_SECONDS = 5;

/**
 * When to sync: right after registering (so pages work at once), after a random delay at
 * every later start (a fleet does not sync at once), then every cycle (the DS's override, else
 * `--ds.cycle`), honouring the DS's "next sync after" hint, earlier when the certificate's
 * renewal window opens, and with exponential backoff plus jitter after failures.
 * One sync at a time, ever.
 */
export class SyncScheduler {
  private timer: unknown;
  private running: Promise<void> | undefined;
  private failures = 0;
  private lastHint: number | undefined;
  private stopped = false;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly timers: Timers;
  /** The delays chosen, newest last (for tests and `connector status`). */
  readonly history: { reason: string; seconds: number }[] = [];

  constructor(
    private readonly client: DsClient,
    private readonly state: StateStore,
    private readonly log: Logger,
    private readonly o: SchedulerOptions,
  ) {
    this.random = o.random ?? Math.random;
    this.now = o.now ?? Date.now;
    this.timers = o.timers ?? { setTimeout: (f, ms) => setTimeout(f, ms).unref(), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };
  }

  /**
   * The cycle in force, strongest first: the organisation's override sent by the DS, an
   * explicit `--ds.cycle`, the DS's "next sync after" hint, the built-in default (28800 s).
   */
  cycleSeconds(): number {
    const override = this.client.config()?.dsCycleSeconds;
    if (override !== undefined) return override;
    if (this.o.cliCycleExplicit || this.lastHint === undefined) return this.o.cliCycleSeconds;
    return this.lastHint;
  }

  start(): void {
    // Startable again after stop(): a supervised worker is activated again after a rollback.
    this.stopped = false;
    this.client.restore();
    if (!this.client.deviceId) {
      this.schedule(0, 'register');
    } else {
      this.schedule(this.random() * this.o.initialDelayMaxSeconds, 'initial delay');
    }
  }

  stop(): Promise<void> {
    this.stopped = true;
    this.timers.clearTimeout(this.timer);
    return this.running ?? Promise.resolve();
  }

  /** Run a sync now unless one is running (then wait for that one). */
  syncNow(): Promise<void> {
    if (!this.running) {
      this.timers.clearTimeout(this.timer);
      this.running = this.cycle().finally(() => (this.running = undefined));
    }
    return this.running;
  }

  /** A sync that starts after this call: one in flight (which may predate a change) is awaited first. */
  async syncFresh(): Promise<void> {
    if (this.running) await this.running;
    await this.syncNow();
  }

  private schedule(seconds: number, reason: string): void {
    if (this.stopped) return;
    const s = Math.max(0, seconds);
    this.history.push({ reason, seconds: s });
    if (this.history.length > 100) this.history.shift();
    this.saveStatus({ nextSyncAt: new Date(this.now() + s * 1000).toISOString() });
    this.timers.clearTimeout(this.timer);
    this.timer = this.timers.setTimeout(() => void this.syncNow(), s * 1000);
  }

  private async cycle(): Promise<void> {
    try {
      if (!this.client.deviceId) {
        await this.client.register();
      }
      const out = await this.client.sync();
      this.failures = 0;
      this.saveStatus({ lastSyncAt: new Date(this.now()).toISOString(), lastResult: 'ok', lastError: null, acknowledged: out.acknowledged });
      if (out.nextSyncAfterSeconds > 0) this.lastHint = out.nextSyncAfterSeconds;
      const hinted = this.cycleSeconds();
      const renewal = this.untilRenewal();
      if (renewal !== undefined && renewal < hinted) this.schedule(renewal, 'renewal window');
      else this.schedule(hinted, 'cycle');
    } catch (e) {
      this.failures++;
      const code = e instanceof DsRequestError ? e.code : 'DS_ERROR';
      this.log.warn({ code, failures: this.failures }, 'DS sync failed; backing off');
      this.saveStatus({ lastSyncAt: new Date(this.now()).toISOString(), lastResult: 'error', lastError: code });
      this.schedule(this.backoffSeconds(), 'backoff');
    }
  }

  /** Exponential backoff capped at the cycle, with jitter in [half, full]. */
  backoffSeconds(): number {
    const base = this.o.backoffBaseSeconds ?? DEFAULT_BACKOFF_BASE;
    const ceiling = Math.min(this.cycleSeconds(), base * 2 ** Math.min(this.failures - 1, 30));
    return ceiling / 2 + (this.random() * ceiling) / 2;
  }

  /** Seconds until a random moment inside the renewal window, when that window is ahead or open. */
  private untilRenewal(): number | undefined {
    const w = this.client.renewalWindow();
    if (!w) return undefined;
    const now = this.now();
    // Inside (or past) the window the last sync already asked; retry soon, not in a loop.
    if (now >= w.start) return RENEWAL_RETRY_SECONDS;
    return (w.start + this.random() * (w.end - w.start) - now) / 1000;
  }

  private saveStatus(patch: Partial<DsStatus>): void {
    const prev = this.state.get<DsStatus>(STATE.status) ?? { url: this.o.url };
    this.state.set(STATE.status, { ...prev, url: this.o.url, ...patch });
  }
}
