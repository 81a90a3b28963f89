import { fork, type ChildProcess } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { compareVersions, isVersion } from '@cardlink/release-format';
import { localTokenPath } from '../local-token.js';
import { removeRuntime, writeRuntime } from '../runtime-file.js';
import { checkStaged } from '../update/stager.js';
import { hasFailed, readUpdateState, writeUpdateState, type UpdateState } from '../update/state.js';
import { updatePaths } from '../update/paths.js';
import { checkHealth } from './health.js';
import { isMessage, type ConnectionMessage, type FromWorker, type ToWorker } from './protocol.js';

export interface SupervisorOptions {
  dataDir: string;
  host: string;
  port: number;
  /** `connector start` arguments for workers, without supervisor-only options. */
  workerArgs: string[];
  /** The installed bundle: what the supervisor itself runs. */
  installed: { version: string; entry: string; execArgv: string[] };
  /** The pinned release public key; without it only the installed version runs. */
  publicKey: string | undefined;
  /** How long the previous worker stays alive (not routed) so the supervisor can route back. */
  graceMs: number;
  /** A recommended update waits until no request was in flight for this long. */
  idleMs: number;
  /** Start + health check of a new worker must finish within this. */
  healthTimeoutMs: number;
  log: Logger;
  /** Poll interval of the idle check (tests shorten it). */
  idlePollMs?: number;
}

interface Worker {
  version: string;
  child: ChildProcess;
  /** Connections handed over and not yet taken (our copy stays open until `took`). */
  unacked: Map<number, Socket>;
  exited: Promise<{ code: number | null; signal: string | null }>;
  exit?: { code: number | null; signal: string | null };
  on(t: FromWorker['t'], fn: (m: FromWorker) => void): () => void;
  send(m: ToWorker): void;
}

const MAX_QUEUED = 1024;

/**
 * The small process that owns the listening socket. It runs the connector as a worker
 * child, hands it every accepted connection, and swaps workers for updates: start the new
 * version, wait for its health check, route new connections to it, let the old one drain
 * and keep it (unrouted) for a grace period so a crash of the new one rolls straight back.
 * A version that does not start, fails its health check or crashes within the grace period
 * is recorded as failed (reported to the DS by the worker's next sync) and never tried again.
 */
export class Supervisor {
  private server!: Server;
  private port = 0;
  private active: Worker | undefined;
  private queue: Socket[] = [];
  private busy = false;
  private stopping = false;
  private pending: string | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private restartDelayMs = 500;
  private seq = 0;
  private reportTimer: NodeJS.Timeout | undefined;
  private readonly workers = new Set<Worker>();
  readonly log: Logger;

  constructor(private readonly o: SupervisorOptions) {
    this.log = o.log;
  }

  get url(): string {
    return `https://${this.o.host === '::1' ? '[::1]' : this.o.host}:${this.port}`;
  }

  get activeVersion(): string | undefined {
    return this.active?.version;
  }

  async start(): Promise<void> {
    this.server = createServer({ pauseOnConnect: true }, (s) => this.route(s));
    this.port = await new Promise<number>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.o.port, this.o.host, () => {
        this.server.off('error', reject);
        const a = this.server.address();
        resolve(typeof a === 'object' && a ? a.port : this.o.port);
      });
    });
    this.server.on('error', (e) => this.log.error({ err: e }, 'listening socket error'));
    const w = await this.boot();
    this.setActive(w);
    w.send({ t: 'activate' });
    this.log.info({ port: this.port, version: w.version }, 'supervisor serving');
  }

  /** Sync now (SIGUSR2): the routed worker runs one DS cycle. */
  syncNow(): void {
    this.active?.send({ t: 'sync-now' });
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearInterval(this.idleTimer);
    clearTimeout(this.reportTimer);
    this.server.close();
    for (const s of this.queue.splice(0)) s.destroy();
    await Promise.all(
      [...this.workers].map(async (w) => {
        w.send({ t: 'exit' });
        const killer = setTimeout(() => w.child.kill('SIGKILL'), 10_000);
        await w.exited;
        clearTimeout(killer);
      }),
    );
    removeRuntime(this.o.dataDir);
  }

  // ---- routing

  private route(socket: Socket): void {
    const w = this.active;
    if (!w || !w.child.connected) {
      if (this.queue.length >= MAX_QUEUED) socket.destroy();
      else this.queue.push(socket);
      return;
    }
    this.hand(w, socket);
  }

  private hand(w: Worker, socket: Socket): void {
    const id = ++this.seq;
    w.unacked.set(id, socket);
    const retry = () => {
      if (!w.unacked.delete(id)) return;
      // The worker is going away: route the untouched connection again.
      if (w.child.connected) socket.destroy();
      else this.route(socket);
    };
    try {
      w.child.send({ t: 'connection', id } satisfies ConnectionMessage, socket, { keepOpen: true }, (err) => {
        if (err) retry();
      });
    } catch {
      retry();
    }
  }

  private setActive(w: Worker): void {
    this.active = w;
    for (const s of this.queue.splice(0)) this.hand(w, s);
    writeRuntime(this.o.dataDir, { pid: process.pid, host: this.o.host, port: this.port, version: w.version, startedAt: new Date().toISOString() });
  }

  // ---- workers

  private spawn(version: string): Worker {
    let entry = this.o.installed.entry;
    let execArgv = this.o.installed.execArgv;
    const env: NodeJS.ProcessEnv = { ...process.env };
    if (version !== this.o.installed.version) {
      entry = checkStaged(this.o.dataDir, version, this.o.publicKey ?? '').entry;
      execArgv = [];
      // A staged bundle is its own version, loaded as built.
      delete env.CARDLINK_FROM_SOURCE;
      delete env.CARDLINK_VERSION_OVERRIDE;
    }
    const child = fork(entry, ['start', ...this.o.workerArgs, '--port', String(this.port), '--worker'], {
      execArgv,
      env,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'json',
    });
    const listeners = new Map<string, Set<(m: FromWorker) => void>>();
    const w: Worker = {
      version,
      child,
      unacked: new Map(),
      exited: new Promise((resolve) =>
        child.once('exit', (code, signal) => {
          w.exit = { code, signal };
          resolve(w.exit);
        }),
      ),
      on(t, fn) {
        let set = listeners.get(t);
        if (!set) listeners.set(t, (set = new Set()));
        set.add(fn);
        return () => set!.delete(fn);
      },
      send(m) {
        if (!child.connected) return;
        try {
          child.send(m);
        } catch {
          /* exiting */
        }
      },
    };
    child.on('error', (e) => this.log.warn({ err: e, version }, 'worker process error'));
    child.on('message', (m: unknown) => {
      if (!isMessage(m)) return;
      if (m.t === 'took') {
        const id = (m as unknown as { id: number }).id;
        w.unacked.get(id)?.destroy(); // our copy only: the worker holds the connection now
        w.unacked.delete(id);
        return;
      }
      for (const fn of listeners.get(m.t) ?? []) fn(m as FromWorker);
      if (w === this.active) this.fromActive(m as FromWorker);
    });
    this.workers.add(w);
    void w.exited.then((x) => {
      this.workers.delete(w);
      // Connections it never took are still intact (paused, unread): give them to whoever serves now.
      const orphans = [...w.unacked.values()];
      w.unacked.clear();
      for (const s of orphans) this.route(s);
      this.onExit(w, x);
    });
    return w;
  }

  /** Start a worker and wait until it is ready and answers the health check with its version. */
  private async launch(version: string): Promise<Worker> {
    let w: Worker | undefined;
    try {
      w = this.spawn(version);
      const started = w;
      const t = this.o.healthTimeoutMs;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`not ready within ${t} ms`)), t);
        const off = started.on('ready', () => {
          clearTimeout(timer);
          off();
          resolve();
        });
        void started.exited.then((x) => {
          clearTimeout(timer);
          reject(new Error(`exited during start (${x.signal ?? `code ${x.code}`})`));
        });
      });
      const token = readFileSync(localTokenPath(this.o.dataDir), 'utf8').trim();
      const reported = await Promise.race([
        checkHealth(started.child, { port: this.port, token, timeoutMs: t }),
        started.exited.then((x) => Promise.reject(new Error(`exited during the health check (${x.signal ?? `code ${x.code}`})`))),
      ]);
      if (reported !== version) throw new Error(`health check: the worker reports version ${reported}, expected ${version}`);
      return started;
    } catch (e) {
      if (w && !w.exit) {
        w.child.kill('SIGKILL');
        await w.exited;
      }
      throw e;
    }
  }

  /** At start: the version in service from update/state.json when staged and sound, else older ones, else the installed one. */
  private async boot(): Promise<Worker> {
    const st = readUpdateState(this.o.dataDir);
    const tries = [st.current, st.previous]
      .filter((v): v is string => !!v && this.o.publicKey !== undefined && !hasFailed(st, v) && compareVersions(v, this.o.installed.version) > 0)
      .filter((v, i, a) => a.indexOf(v) === i);
    for (const v of tries) {
      try {
        const w = await this.launch(v);
        this.saveState({ current: v });
        return w;
      } catch (e) {
        this.fail(v, `did not start: ${(e as Error).message}`);
      }
    }
    const w = await this.launch(this.o.installed.version);
    this.saveState({ current: undefined });
    return w;
  }

  private onExit(w: Worker, x: { code: number | null; signal: string | null }): void {
    if (this.stopping || w !== this.active || this.busy) return;
    // The routed worker died outside a handover: restart the same version (connections queue meanwhile).
    this.log.error({ version: w.version, code: x.code, signal: x.signal }, 'worker exited; restarting it');
    this.active = undefined;
    void this.restart(w.version);
  }

  private async restart(version: string): Promise<void> {
    await new Promise((r) => setTimeout(r, this.restartDelayMs));
    this.restartDelayMs = Math.min(this.restartDelayMs * 2, 30_000);
    if (this.stopping) return;
    let w: Worker;
    try {
      w = await this.launch(version);
    } catch (e) {
      if (version !== this.o.installed.version) {
        this.fail(version, `did not restart: ${(e as Error).message}`);
        try {
          w = await this.boot();
        } catch (e2) {
          this.log.error({ err: e2 }, 'no version starts; retrying');
          return this.restart(this.o.installed.version);
        }
      } else {
        this.log.error({ err: e }, 'the installed version does not start; retrying');
        return this.restart(version);
      }
    }
    this.restartDelayMs = 500;
    this.setActive(w);
    w.send({ t: 'activate' });
  }

  // ---- updates

  private fromActive(m: FromWorker): void {
    if (m.t === 'rejected') this.fail(m.version, m.reason);
    if (m.t === 'staged') {
      const cur = this.active?.version;
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
      const w = this.active;
      if (!this.pending || !w) {
        clearInterval(this.idleTimer);
        this.idleTimer = undefined;
        return;
      }
      if (this.busy) return;
      const off = w.on('idle', (m) => {
        off();
        if (m.t !== 'idle' || m.inFlight > 0 || m.idleMs < this.o.idleMs || !this.pending || this.busy) return;
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
    const old = this.active;
    if (this.busy || this.stopping || !old) return false;
    if (compareVersions(version, old.version) <= 0 || hasFailed(readUpdateState(this.o.dataDir), version)) return false;
    this.busy = true;
    try {
      this.log.info({ from: old.version, to: version }, 'update: starting the new version');
      let next: Worker;
      try {
        next = await this.launch(version);
      } catch (e) {
        this.fail(version, `did not start: ${(e as Error).message}`);
        return false;
      }
      // New connections now go to the new worker; the old one finishes what it has.
      this.setActive(next);
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
      this.saveState({ current: version === this.o.installed.version ? undefined : version, previous: old.version });
      this.log.info({ version }, 'update: routed to the new version; grace period');

      const crashed = await Promise.race([next.exited, new Promise<undefined>((r) => setTimeout(() => r(undefined), this.o.graceMs))]);
      if (crashed) {
        const why = crashed.signal ?? `code ${crashed.code}`;
        this.log.error({ version, exit: why }, 'update: the new version crashed within the grace period; rolling back');
        if (old.exit) {
          // The previous worker is gone too: start its version afresh (connections queue meanwhile).
          this.active = undefined;
          const again = await this.launch(old.version);
          this.setActive(again);
          again.send({ t: 'activate' });
        } else {
          this.setActive(old);
          old.send({ t: 'undrain' });
          old.send({ t: 'activate' });
        }
        this.saveState({ current: old.version === this.o.installed.version ? undefined : old.version });
        this.fail(version, `crashed within the ${Math.round(this.o.graceMs / 1000)} s grace period (${why})`);
        return false;
      }
      old.send({ t: 'exit' });
      const killer = setTimeout(() => old.child.kill('SIGKILL'), 15_000);
      void old.exited.then(() => clearTimeout(killer));
      this.prune([version, old.version]);
      this.log.info({ version }, 'update: done');
      return true;
    } finally {
      this.busy = false;
    }
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
  private fail(version: string, reason: string): void {
    this.log.warn({ version, reason }, 'update failed');
    const st = readUpdateState(this.o.dataDir);
    if (!hasFailed(st, version)) st.failed.push({ version, reason, at: new Date().toISOString() });
    if (st.current === version) delete st.current;
    if (st.previous === version) delete st.previous;
    writeUpdateState(this.o.dataDir, st);
    if (this.pending === version) this.pending = undefined;
    // Tell the DS soon rather than at the next cycle (hours away): one sync shortly after.
    clearTimeout(this.reportTimer);
    this.reportTimer = setTimeout(() => this.active?.send({ t: 'sync-now' }), 1000);
    this.reportTimer.unref();
    if (isVersion(version) && version !== this.active?.version && version !== this.o.installed.version) {
      rmSync(updatePaths(this.o.dataDir).version(version), { recursive: true, force: true });
    }
  }
}
