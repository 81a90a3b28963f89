// The start script's children: each one's output prefixed with its name, "ready" when a line
// matches, and an unexpected exit reported, then a bounded number of restarts (or left down
// with a clear line) without stopping the others.
import { spawn } from 'node:child_process';

const MAX_RESTARTS = 3;
/** Restarts are counted over this window: a child that ran longer gets its budget back. */
const RESTART_WINDOW_MS = 10 * 60_000;

export class Children {
  #all = new Set();
  stopping = false;

  constructor(out = (line) => process.stdout.write(`${line}\n`)) {
    this.out = out;
  }

  /**
   * Start a child: `ready` resolves with its ready line and rejects (with the child's last
   * error line) when it exits before it is ready. `spec.restart`: restart it after an
   * unexpected exit.
   */
  start(spec) {
    const child = { spec, proc: undefined, restarts: [], intentional: false, running: false };
    this.#all.add(child);
    return { child, ready: this.#spawn(child) };
  }

  /** Stop one child on purpose (no restart, no "unexpected" report). */
  stopOne(child) {
    child.intentional = true;
    if (child.running) child.proc.kill('SIGTERM');
    return child.exited ?? Promise.resolve();
  }

  forget(child) {
    this.#all.delete(child);
  }

  #spawn(child) {
    const { name, cmd, args, ready, quiet, cwd, env } = child.spec;
    const proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd, env: env ?? process.env });
    child.proc = proc;
    child.running = true;
    child.intentional = false;
    let isReady = false;
    let lastError = '';
    const readyLine = new Promise((resolve, reject) => {
      for (const stream of [proc.stdout, proc.stderr]) {
        let buf = '';
        stream.on('data', (c) => {
          buf += c;
          let i;
          while ((i = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, i);
            buf = buf.slice(i + 1);
            const m = /^(?:\w*Error|Error)(?: \[\w+\])?: (.*)$/.exec(line.trim());
            if (m) lastError = m[1];
            if (!isReady && ready?.test(line)) {
              isReady = true;
              resolve(line);
              if (quiet) continue;
            }
            // Before it is ready, a child that may fail over (the card) keeps its stack traces to itself.
            if (!isReady && child.spec.silentUntilReady) continue;
            this.out(`[${name}] ${line}`);
          }
        });
      }
      child.exited = new Promise((resolveExit) => {
        proc.on('exit', (code, signal) => {
          child.running = false;
          resolveExit();
          const how = signal ?? `code ${code}`;
          if (!isReady) {
            reject(new Error(lastError || `exited (${how}) before it was ready`));
            return;
          }
          if (this.stopping || child.intentional) {
            this.out(`[${name}] stopped`);
            return;
          }
          this.#unexpected(child, how);
        });
      });
    });
    return readyLine;
  }

  #unexpected(child, how) {
    const { name, restart } = child.spec;
    const now = Date.now();
    child.restarts = child.restarts.filter((t) => now - t < RESTART_WINDOW_MS);
    if (!restart || child.restarts.length >= MAX_RESTARTS) {
      this.out(
        `[${name}] exited unexpectedly (${how}); left down${restart ? ` after ${MAX_RESTARTS} restarts` : ''}. The rest keeps running; Ctrl-C stops everything.`,
      );
      return;
    }
    child.restarts.push(now);
    const n = child.restarts.length;
    this.out(`[${name}] exited unexpectedly (${how}); restarting (${n} of ${MAX_RESTARTS})`);
    setTimeout(() => {
      if (this.stopping) return;
      this.#spawn(child).then(
        () => this.out(`[${name}] running again`),
        (e) => this.#unexpected(child, `restart failed: ${e.message}`),
      );
    }, 1000 * n).unref();
  }

  /** SIGTERM to every child (newest first); resolves when all have exited (SIGKILL after 5 s). */
  async stopAll() {
    this.stopping = true;
    const live = [...this.#all].filter((c) => c.running).reverse();
    for (const c of live) c.proc.kill('SIGTERM');
    const force = setTimeout(() => live.forEach((c) => c.running && c.proc.kill('SIGKILL')), 5000);
    await Promise.all(live.map((c) => c.exited));
    clearTimeout(force);
  }
}
