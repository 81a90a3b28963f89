import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { localTokenPath } from '../local-token.js';
import { checkStaged } from '../update/stager.js';
import { checkHealth } from './health.js';
import { isMessage, type FromWorker, type ToWorker } from './protocol.js';

export interface WorkerExit {
  code: number | null;
  signal: string | null;
}

/** A connector worker child (`start --worker`) of one version. */
export interface Worker {
  readonly version: string;
  readonly child: ChildProcess;
  readonly exited: Promise<WorkerExit>;
  /** Set once the child has exited. */
  exit?: WorkerExit;
  on<T extends FromWorker['t']>(t: T, fn: (m: Extract<FromWorker, { t: T }>) => void): () => void;
  send(m: ToWorker): void;
}

export interface LifecycleOptions {
  dataDir: string;
  /** `connector start` arguments for workers, without supervisor-only options. */
  workerArgs: string[];
  /** The installed bundle: what the supervisor itself runs. */
  installed: { version: string; entry: string; execArgv: string[] };
  /** The pinned release public key (staged bundles are checked against it before they run). */
  publicKey: string | undefined;
  /** Start + health check of a new worker must finish within this. */
  healthTimeoutMs: number;
  log: Logger;
}

export interface LifecycleHooks {
  /** Every message of every worker. */
  message(w: Worker, m: FromWorker): void;
  /** A worker exited (already forgotten by the lifecycle). */
  exit(w: Worker, x: WorkerExit): void;
}

const FIRST_RESTART_DELAY_MS = 500;
const MAX_RESTART_DELAY_MS = 30_000;

/**
 * Worker processes: spawn one of a version (the installed bundle or a staged one), wait for
 * it to be ready and to pass the health check, restart with backoff, stop them all.
 */
export class WorkerLifecycle {
  private readonly all = new Set<Worker>();
  private port = 0;
  private restartDelayMs = FIRST_RESTART_DELAY_MS;
  private stopping = false;

  constructor(
    private readonly o: LifecycleOptions,
    private readonly hooks: LifecycleHooks,
  ) {}

  /** The listening port workers are told (their health check and logs use it). */
  setPort(port: number): void {
    this.port = port;
  }

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
      exited: new Promise((resolve) =>
        child.once('exit', (code, signal) => {
          w.exit = { code, signal };
          resolve(w.exit);
        }),
      ),
      on(t, fn) {
        let set = listeners.get(t);
        if (!set) listeners.set(t, (set = new Set()));
        const f = fn as (m: FromWorker) => void;
        set.add(f);
        return () => set.delete(f);
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
    child.on('error', (e) => this.o.log.warn({ err: e, version }, 'worker process error'));
    child.on('message', (m: unknown) => {
      if (!isMessage(m)) return;
      const msg = m as FromWorker;
      for (const fn of listeners.get(msg.t) ?? []) fn(msg);
      this.hooks.message(w, msg);
    });
    this.all.add(w);
    void w.exited.then((x) => {
      this.all.delete(w);
      this.hooks.exit(w, x);
    });
    return w;
  }

  /** Start a worker and wait until it is ready and answers the health check with its version. */
  async launch(version: string): Promise<Worker> {
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

  /**
   * Start `version` again after a crash, with a growing delay. When a staged version does not
   * start, `fallback` picks another (it records the failure); when the installed one does not,
   * it is tried again. Undefined when stopped meanwhile.
   */
  async restart(version: string, fallback: (version: string, e: Error) => Promise<Worker>): Promise<Worker | undefined> {
    await new Promise((r) => setTimeout(r, this.restartDelayMs));
    this.restartDelayMs = Math.min(this.restartDelayMs * 2, MAX_RESTART_DELAY_MS);
    if (this.stopping) return undefined;
    let w: Worker;
    try {
      w = await this.launch(version);
    } catch (e) {
      if (version === this.o.installed.version) {
        this.o.log.error({ err: e }, 'the installed version does not start; retrying');
        return this.restart(version, fallback);
      }
      try {
        w = await fallback(version, e as Error);
      } catch (e2) {
        this.o.log.error({ err: e2 }, 'no version starts; retrying');
        return this.restart(this.o.installed.version, fallback);
      }
    }
    this.restartDelayMs = FIRST_RESTART_DELAY_MS;
    return w;
  }

  /** Ask a worker to finish what is in flight and exit; killed when it takes longer than `killAfterMs`. */
  retire(w: Worker, killAfterMs: number): Promise<WorkerExit> {
    w.send({ t: 'exit' });
    const killer = setTimeout(() => w.child.kill('SIGKILL'), killAfterMs);
    return w.exited.finally(() => clearTimeout(killer));
  }

  /** Stop every worker (no restarts from here on). */
  async stopAll(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.all].map((w) => this.retire(w, 10_000)));
  }
}
