import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from './pg-cluster.js';

const DS_BIN = join(import.meta.dirname, '..', '..', 'bin', 'ds.mjs');
const HAPROXY_CFG = join(import.meta.dirname, '..', '..', 'deploy', 'haproxy.cfg');

/** One `ds serve` process; `kill` is SIGKILL (no cleanup), `start` brings it back on the same port. */
export class Replica {
  private child: ChildProcess | undefined;
  port = 0;

  constructor(
    private readonly db: string,
    private readonly dataDir: string,
    private readonly extra: string[] = [],
    /** Where its log lines go (appended across restarts); none: discarded. */
    private readonly logFile?: string,
    /** Node options before the script (e.g. --cpu-prof). */
    private readonly nodeArgs: string[] = [],
  ) {}

  async start(): Promise<string> {
    const child = spawn(process.execPath, [...this.nodeArgs, DS_BIN, 'serve', '--port', String(this.port), '--db', this.db, '--data-dir', this.dataDir, '--log-level', 'error', '--trust-proxy', '127.0.0.1', ...this.extra], {
      stdio: ['ignore', 'pipe', this.logFile ? openSync(this.logFile, 'a') : 'ignore'],
    });
    this.child = child;
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`ds serve exited with ${code}`)));
    });
    const { url } = JSON.parse(line) as { url: string };
    this.port = Number(new URL(url).port);
    return url;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  kill(): Promise<void> {
    return this.signal('SIGKILL');
  }

  stop(): Promise<void> {
    return this.signal('SIGTERM');
  }

  private signal(sig: NodeJS.Signals): Promise<void> {
    const c = this.child;
    return new Promise((resolve) => {
      if (!c || c.exitCode !== null || c.signalCode !== null) return resolve();
      c.once('exit', () => resolve());
      c.kill(sig);
    });
  }
}

/** HAProxy with the repository's config in front of the replicas' ports. */
export async function startHaproxy(dir: string, ports: number[]): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const cfg = join(dir, 'replicas.cfg');
  writeFileSync(cfg, `backend ds_replicas from replica\n${ports.map((p, i) => `    server ds${i + 1} 127.0.0.1:${p}\n`).join('')}`);
  const port = await freePort();
  const stats = await freePort();
  const child = spawn('haproxy', ['-W', '-db', '-f', HAPROXY_CFG, '-f', cfg], {
    stdio: ['ignore', 'ignore', openSync(join(dir, 'haproxy.log'), 'a')],
    env: { ...process.env, DS_LB_BIND: `127.0.0.1:${port}`, DS_LB_STATS_BIND: `127.0.0.1:${stats}` },
  });
  const url = `http://127.0.0.1:${port}`;
  // Ready when a health check passes through it.
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`haproxy exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/v1/health`).then((r) => r.ok, () => false);
    if (ok) break;
    if (i > 100) throw new Error('haproxy did not come up');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
