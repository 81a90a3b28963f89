import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CardError } from '../../card-error.js';
import type { HostCall, HostReady, HostReply } from './host-protocol.js';

/** Bound of a host's own start (Node, the host script), before any library code runs. */
const HOST_START_TIMEOUT_MS = 15_000;

/** How to start the host script: the bundled `pkcs11-host.mjs`, or the TypeScript source through tsx. */
export interface HostScript {
  path: string;
  execArgv: string[];
}

/** Find the host beside the running code: `dist/pkcs11-host.mjs` (bundle, or a chunk under dist/chunks), else the source. */
export function locateHostScript(): HostScript {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const tsx = pathToFileURL(createRequire(here).resolve('tsx')).href;
    return { path: fileURLToPath(new URL('./pkcs11-host.ts', here)), execArgv: ['--import', tsx] };
  }
  for (const rel of ['./pkcs11-host.mjs', '../pkcs11-host.mjs']) {
    const p = fileURLToPath(new URL(rel, here));
    if (existsSync(p)) return { path: p, execArgv: [] };
  }
  throw new CardError('PKCS11_LIBRARY_ERROR', 'The PKCS#11 host script is missing from this installation.');
}

export interface HostClientOptions {
  libraryPath: string;
  script: HostScript;
  /** Bound of one call, in ms; past it the host is killed and the call fails with PKCS11_TIMEOUT. */
  callTimeoutMs: number;
}

interface Pending {
  id: number;
  resolve(v: unknown): void;
  reject(e: unknown): void;
  timer: NodeJS.Timeout;
}

/**
 * The connector's side of one library's host process: calls go one at a time (the host's
 * calls are synchronous anyway), each bounded; a timeout or a crash kills the host, and the
 * next call starts a fresh one.
 */
export class HostClient {
  private child: ChildProcess | undefined;
  private ready: Promise<void> | undefined;
  private pending: Pending | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private closed = false;
  /** Hosts started so far (1 + restarts); for tests and diagnostics. */
  starts = 0;

  constructor(private readonly o: HostClientOptions) {}

  call<T>(c: HostCall, timeoutMs = this.o.callTimeoutMs): Promise<T> {
    const run = this.queue.then(() => this.send<T>(c, timeoutMs));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The host's pid, if one runs (tests stop it to simulate a hung library). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.kill();
  }

  private async send<T>(c: HostCall, timeoutMs: number): Promise<T> {
    if (this.closed) throw new CardError('PKCS11_LIBRARY_ERROR', 'The PKCS#11 module is shut down.');
    const child = this.ensureChild();
    await this.ready;
    if (this.child !== child) throw new CardError('PKCS11_LIBRARY_ERROR', 'The PKCS#11 host process did not start.');
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending = undefined;
        this.kill();
        reject(new CardError('PKCS11_TIMEOUT', `The PKCS#11 library did not answer within ${timeoutMs} ms; it was restarted.`, { timeoutMs }));
      }, timeoutMs);
      this.pending = { id, resolve: resolve as (v: unknown) => void, reject, timer };
      child.send({ ...c, id });
    });
  }

  private ensureChild(): ChildProcess {
    if (this.child) return this.child;
    const child = fork(this.o.script.path, [this.o.libraryPath], {
      execArgv: this.o.script.execArgv,
      // The host needs no stdin; its stderr (library chatter) is not ours to log verbatim.
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      serialization: 'json',
    });
    this.starts++;
    this.ready = new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.kill();
        resolve();
      }, HOST_START_TIMEOUT_MS);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      child.once('exit', done);
      child.once('message', done);
    });
    child.on('message', (m: HostReply | HostReady) => {
      if ('ready' in m) return;
      const p = this.pending;
      if (!p || p.id !== m.id) return;
      clearTimeout(p.timer);
      this.pending = undefined;
      if (m.ok) p.resolve(m.value);
      else p.reject(new CardError(m.error.code, m.error.message, m.error.details));
    });
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      const p = this.pending;
      if (!p) return;
      clearTimeout(p.timer);
      this.pending = undefined;
      p.reject(new CardError('PKCS11_LIBRARY_ERROR', `The PKCS#11 library's host process ended (${signal ?? `exit ${code}`}); it restarts at the next call.`, { signal, exitCode: code }));
    });
    child.on('error', () => {
      // 'exit' follows and reports; a send on a dead channel lands here.
    });
    this.child = child;
    return child;
  }

  private kill(): void {
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null && child.signalCode === null) {
      // SIGKILL: a library stuck in a C call ignores anything gentler (and a stopped one too).
      child.kill('SIGKILL');
    }
  }
}
