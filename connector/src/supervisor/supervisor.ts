import type { Logger } from 'pino';
import { removeRuntime, writeRuntime } from '../runtime-file.js';
import type { FromWorker } from './protocol.js';
import { SocketRouter } from './socket-router.js';
import { UpdateControl } from './update-control.js';
import { WorkerLifecycle, type Worker, type WorkerExit } from './worker-lifecycle.js';

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

/**
 * The small process that owns the listening socket and runs the connector as a worker child.
 * It wires three parts: the socket router (connections to the routed worker), the worker
 * lifecycle (spawn, health check, restart, stop) and update control (which version runs,
 * handover, rollback). A crash of the routed worker outside a handover restarts its version.
 */
export class Supervisor {
  private readonly router: SocketRouter;
  private readonly workers: WorkerLifecycle;
  private readonly updates: UpdateControl;
  private stopping = false;
  readonly log: Logger;

  constructor(private readonly o: SupervisorOptions) {
    this.log = o.log;
    this.router = new SocketRouter(o.host, o.log);
    this.workers = new WorkerLifecycle(o, {
      message: (w, m) => this.onMessage(w, m),
      exit: (w, x) => this.onExit(w, x),
    });
    this.updates = new UpdateControl(
      { dataDir: o.dataDir, installedVersion: o.installed.version, publicKey: o.publicKey, graceMs: o.graceMs, idleMs: o.idleMs, log: o.log, ...(o.idlePollMs !== undefined ? { idlePollMs: o.idlePollMs } : {}) },
      this.workers,
      { routed: () => this.router.routed, serve: (w) => this.serve(w), unroute: () => this.router.unroute() },
    );
  }

  get url(): string {
    return this.router.url;
  }

  get activeVersion(): string | undefined {
    return this.router.routed?.version;
  }

  async start(): Promise<void> {
    const port = await this.router.listen(this.o.port);
    this.workers.setPort(port);
    const w = await this.updates.boot();
    this.serve(w);
    w.send({ t: 'activate' });
    this.log.info({ port, version: w.version }, 'supervisor serving');
  }

  /** Sync now (SIGUSR2): the routed worker runs one DS cycle. */
  syncNow(): void {
    this.router.routed?.send({ t: 'sync-now' });
  }

  /** Hand over to a staged version now. Resolves to whether it is in service after its grace period. */
  apply(version: string): Promise<boolean> {
    return this.updates.apply(version);
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.updates.stop();
    this.router.close();
    await this.workers.stopAll();
    removeRuntime(this.o.dataDir);
  }

  private serve(w: Worker): void {
    this.router.routeTo(w);
    writeRuntime(this.o.dataDir, { pid: process.pid, host: this.o.host, port: this.router.port, version: w.version, startedAt: new Date().toISOString() });
  }

  private onMessage(w: Worker, m: FromWorker): void {
    if (w === this.router.routed) this.updates.fromRouted(m);
  }

  private onExit(w: Worker, x: WorkerExit): void {
    this.router.reclaim(w);
    if (this.stopping || w !== this.router.routed || this.updates.busy) return;
    // The routed worker died outside a handover: restart the same version (connections queue meanwhile).
    this.log.error({ version: w.version, code: x.code, signal: x.signal }, 'worker exited; restarting it');
    this.router.unroute();
    void this.workers
      .restart(w.version, (version, e) => {
        this.updates.fail(version, `did not restart: ${e.message}`);
        return this.updates.boot();
      })
      .then((next) => {
        if (!next) return;
        this.serve(next);
        next.send({ t: 'activate' });
      });
  }
}
