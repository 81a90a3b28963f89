import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { compareVersions, isVersion } from '@cardlink/release-format';
import { hasFailed, readUpdateState, writeUpdateState, type UpdateState } from '../update/state.js';
import { updatePaths } from '../update/paths.js';
import type { FromWorker } from './protocol.js';
import type { Worker, WorkerLifecycle } from './worker-lifecycle.js';

export interface UpdateControlOptions {
  dataDir: string;
  installedVersion: string;
  /** The pinned release public key; without it only the installed version runs. */
  publicKey: string | undefined;
  /** How long the previous worker stays alive (not routed) so the supervisor can route back. */
  graceMs: number;
  /** A recommended update waits until no request was in flight for this long. */
  idleMs: number;
  /** Poll interval of the idle check (tests shorten it). */
  idlePollMs?: number;
  log: Logger;
}

/** What update control asks of the supervisor: who is routed, and routing to another worker. */
export interface Routing {
  routed(): Worker | undefined;
  /** Route new connections to `w` (does not activate it). */
  serve(w: Worker): void;
  /** Route nobody: connections queue. */
  unroute(): void;
}

/**
 * Which version runs: the one in service at start (update/state.json), a staged update applied
 * at once (mandatory) or once idle (recommended), the handover and its grace period, the rollback.
 * A version that does not start, fails its health check or crashes within the grace period is
 * recorded as failed (the worker reports it to the DS at its next sync) and never tried again.
 */
export class UpdateControl {
  private pending: string | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private reportTimer: NodeJS.Timeout | undefined;
  private handingOver = false;
  private stopped = false;

  constructor(
    private readonly o: UpdateControlOptions,
    private readonly workers: WorkerLifecycle,
    private readonly routing: Routing,
  ) {}

  /** A handover is under way (a worker exiting meanwhile is the handover's business). */
  get busy(): boolean {
    return this.handingOver;
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.idleTimer);
    clearTimeout(this.reportTimer);
  }

  /** At start: the version in service from update/state.json when staged and sound, else older ones, else the installed one. */
  async boot(): Promise<Worker> {
    const st = readUpdateState(this.o.dataDir);
    const tries = [st.current, st.previous]
      .filter((v): v is string => !!v && this.o.publicKey !== undefined && !hasFailed(st, v) && compareVersions(v, this.o.installedVersion) > 0)
      .filter((v, i, a) => a.indexOf(v) === i);
    for (const v of tries) {
      try {
        const w = await this.workers.launch(v);
        this.saveState({ current: v });
        return w;
      } catch (e) {
        this.fail(v, `did not start: ${(e as Error).message}`);
      }
    }
    const w = await this.workers.launch(this.o.installedVersion);
    this.saveState({ current: undefined });
    return w;
  }

  /** A message of the routed worker: a staged release to apply, or an offer it rejected. */
  fromRouted(m: FromWorker): void {
    if (m.t === 'rejected') this.fail(m.version, m.reason);
    if (m.t === 'staged') {
      const cur = this.routing.routed()?.version;
      if (!cur || compareVersions(m.version, cur) <= 0 || hasFailed(readUpdateState(this.o.dataDir), m.version)) return;
      if (m.flag === 'mandatory') {
        this.pending = undefined;
        void this.apply(m.version);
      } else if (!this.pending || compareVersions(m.version, this.pending) > 0) {
        this.pending = m.version;
        this.waitForIdle();
      }
    }
  }

  /** Recommended updates apply once no request was in flight for `idleMs`. */
  private waitForIdle(): void {
    if (this.idleTimer) return;
    this.idleTimer = setInterval(() => {
      const w = this.routing.routed();
      if (!this.pending || !w) {
        clearInterval(this.idleTimer);
        this.idleTimer = undefined;
        return;
      }
      if (this.handingOver) return;
      const off = w.on('idle', (m) => {
        off();
        if (m.inFlight > 0 || m.idleMs < this.o.idleMs || !this.pending || this.handingOver) return;
        const v = this.pending;
        this.pending = undefined;
        clearInterval(this.idleTimer);
        this.idleTimer = undefined;
        void this.apply(v);
      });
      w.send({ t: 'idle?' });
    }, this.o.idlePollMs ?? 1000);
    this.idleTimer.unref();
  }

  /** The handover. Resolves to whether the new version is in service after its grace period. */
  async apply(version: string): Promise<boolean> {
    const old = this.routing.routed();
    if (this.handingOver || this.stopped || !old) return false;
    if (compareVersions(version, old.version) <= 0 || hasFailed(readUpdateState(this.o.dataDir), version)) return false;
    this.handingOver = true;
    try {
      this.o.log.info({ from: old.version, to: version }, 'update: starting the new version');
      let next: Worker;
      try {
        next = await this.workers.launch(version);
      } catch (e) {
        this.fail(version, `did not start: ${(e as Error).message}`);
        return false;
      }
      // New connections now go to the new worker; the old one finishes what it has.
      this.routing.serve(next);
      const drained = new Promise<void>((resolve) => {
        const off = old.on('drained', () => {
          off();
          resolve();
        });
        void old.exited.then(() => resolve());
        setTimeout(resolve, 30_000).unref();
      });
      old.send({ t: 'drain' });
      await drained; // the old sync timer has stopped: never two syncs at once
      next.send({ t: 'activate' });
      this.saveState({ current: version === this.o.installedVersion ? undefined : version, previous: old.version });
      this.o.log.info({ version }, 'update: routed to the new version; grace period');

      const crashed = await Promise.race([next.exited, new Promise<undefined>((r) => setTimeout(() => r(undefined), this.o.graceMs))]);
      if (crashed) {
        await this.rollBack(version, old, crashed.signal ?? `code ${crashed.code}`);
        return false;
      }
      void this.workers.retire(old, 15_000);
      this.prune([version, old.version]);
      this.o.log.info({ version }, 'update: done');
      return true;
    } finally {
      this.handingOver = false;
    }
  }

  /** The new version crashed within the grace period: route back to the previous one. */
  private async rollBack(version: string, old: Worker, why: string): Promise<void> {
    this.o.log.error({ version, exit: why }, 'update: the new version crashed within the grace period; rolling back');
    if (old.exit) {
      // The previous worker is gone too: start its version afresh (connections queue meanwhile).
      this.routing.unroute();
      const again = await this.workers.launch(old.version);
      this.routing.serve(again);
      again.send({ t: 'activate' });
    } else {
      this.routing.serve(old);
      old.send({ t: 'undrain' });
      old.send({ t: 'activate' });
    }
    this.saveState({ current: old.version === this.o.installedVersion ? undefined : old.version });
    this.fail(version, `crashed within the ${Math.round(this.o.graceMs / 1000)} s grace period (${why})`);
  }

  /** Keep the version in service and the one before it; older staged versions go. */
  private prune(keep: string[]): void {
    const dir = updatePaths(this.o.dataDir).versions;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      // Only finished stagings (named by version); a staging in progress is `.staging-*`.
      if (!isVersion(name) || keep.includes(name) || (this.pending !== undefined && name === this.pending)) continue;
      rmSync(join(dir, name), { recursive: true, force: true });
    }
  }

  private saveState(patch: Partial<UpdateState>): void {
    const st = readUpdateState(this.o.dataDir);
    writeUpdateState(this.o.dataDir, { ...st, ...patch });
  }

  /** Record a failed version (reported at the next sync) and drop its files. */
  fail(version: string, reason: string): void {
    this.o.log.warn({ version, reason }, 'update failed');
    const st = readUpdateState(this.o.dataDir);
    if (!hasFailed(st, version)) st.failed.push({ version, reason, at: new Date().toISOString() });
    if (st.current === version) delete st.current;
    if (st.previous === version) delete st.previous;
    writeUpdateState(this.o.dataDir, st);
    if (this.pending === version) this.pending = undefined;
    // Tell the DS soon rather than at the next cycle (hours away): one sync shortly after.
    clearTimeout(this.reportTimer);
    this.reportTimer = setTimeout(() => this.routing.routed()?.send({ t: 'sync-now' }), 1000);
    this.reportTimer.unref();
    if (isVersion(version) && version !== this.routing.routed()?.version && version !== this.o.installedVersion) {
      rmSync(updatePaths(this.o.dataDir).version(version), { recursive: true, force: true });
    }
  }
}
