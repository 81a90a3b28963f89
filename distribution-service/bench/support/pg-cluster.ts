import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/**
 * A PostgreSQL cluster of the benchmark's own (initdb in a temp dir, loopback only, trust
 * authentication): the fleet simulation restarts it, which must not touch anyone else's.
 * As root, the server runs as the `postgres` user (PostgreSQL refuses root).
 */
export interface PgCluster {
  url: string;
  /** The same database over the server's Unix socket (for processes on this machine). */
  socketUrl: string;
  /** The postmaster's process id (its children are the backends). */
  pid(): number;
  /** Asynchronous, so the load keeps running while the server is down. */
  restart(mode?: 'fast' | 'immediate'): Promise<void>;
  stop(): void;
}

const binDir = (): string => {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  if (!versions.length) throw new Error('PostgreSQL server binaries not found (Debian package postgresql)');
  return join(root, versions[0]!, 'bin');
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startPgCluster(dir: string, settings: Record<string, string> = {}): Promise<PgCluster> {
  const bin = binDir();
  const asPg = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
  const run = (cmd: string, args: string[]) => {
    const [exe, ...rest] = [...asPg, join(bin, cmd), ...args];
    execFileSync(exe!, rest, { stdio: ['ignore', 'ignore', 'inherit'] });
  };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (asPg.length) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8']);
  const port = await freePort();
  const opts = Object.entries({ listen_addresses: '127.0.0.1', max_connections: '200', ...settings })
    .map(([k, v]) => `-c ${k}=${v}`)
    .join(' ');
  const ctl = (action: string, extra: string[] = []) => run('pg_ctl', ['-D', data, '-l', join(dir, 'postgres.log'), '-w', '-t', '120', ...extra, action]);
  const startArgs = ['-o', `-p ${port} -k ${dir} ${opts}`];
  ctl('start', startArgs);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    socketUrl: `postgres://postgres@localhost/postgres?host=${encodeURIComponent(dir)}&port=${port}`,
    pid: () => Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]),
    async restart(mode = 'immediate') {
      const pgCtl = (args: string[]) => {
        const [exe, ...rest] = [...asPg, join(bin, 'pg_ctl'), '-D', data, '-l', join(dir, 'postgres.log'), '-w', '-t', '120', ...args];
        return promisify(execFile)(exe!, rest);
      };
      await pgCtl(['-m', mode, 'stop']);
      await pgCtl([...startArgs, 'start']);
    },
    stop() {
      try {
        ctl('stop', ['-m', 'fast']);
      } catch {
        /* already down */
      }
    },
  };
}
