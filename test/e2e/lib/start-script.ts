// `scripts/start.sh` / `scripts/start-all.mjs` run as a user runs them, in the background, on
// free ports and a fresh CARDLINK_HOME; its output is collected and parsed.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './demo.js';

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

export interface StartedSystem {
  proc: ChildProcess;
  home: string;
  ports: { ds: number; connector: number; demo: number };
  /** Everything it printed so far. */
  output(): string;
  /** Wait until the output matches (after `from` characters); returns the match. */
  waitFor(re: RegExp, timeoutMs?: number, from?: number): Promise<RegExpExecArray>;
  /** The summary's values. */
  summary(): { dashboardUrl: string; email: string; password: string; startedInSeconds: number };
  stop(): Promise<number | null>;
}

/** `script`: 'scripts/start.sh' (the whole path a user takes) or 'scripts/start-all.mjs' (no setup/build). */
export async function startSystem(
  script: 'scripts/start.sh' | 'scripts/start-all.mjs',
  env: Record<string, string> = {},
  prepare?: (home: string) => void,
): Promise<StartedSystem> {
  const home = mkdtempSync(join(tmpdir(), 'cardlink-start-'));
  prepare?.(home);
  const ports = { ds: await freePort(), connector: await freePort(), demo: await freePort() };
  const [cmd, args] = script.endsWith('.sh') ? ['bash', [script]] : [process.execPath, [script]];
  const proc = spawn(cmd, args, {
    cwd: ROOT,
    // Its own process group: stop() ends the script and everything it started, and nothing else.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      CARDLINK_HOME: home,
      CARDLINK_DS_PORT: String(ports.ds),
      CARDLINK_CONNECTOR_PORT: String(ports.connector),
      CARDLINK_DEMO_PORT: String(ports.demo),
      ...env,
    },
  });
  let out = '';
  proc.stdout!.on('data', (c) => (out += c));
  proc.stderr!.on('data', (c) => (out += c));
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  const waitFor = async (re: RegExp, timeoutMs = 240_000, from = 0) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = re.exec(out.slice(from));
      if (m) return m;
      if (proc.exitCode !== null) throw new Error(`the start script exited (${proc.exitCode}) before ${re}:\n${out}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${re}:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return {
    proc,
    home,
    ports,
    output: () => out,
    waitFor,
    summary() {
      const get = (re: RegExp) => {
        const m = re.exec(out);
        if (!m) throw new Error(`not in the output: ${re}`);
        return m[1]!;
      };
      return {
        dashboardUrl: get(/^ {2}Dashboard: +(\S+)$/m),
        email: get(/^ {4}log in as +(\S+)$/m),
        password: get(/^ {4}password +(\S+)$/m),
        startedInSeconds: Number(get(/^Started in ([\d.]+) s/m)),
      };
    },
    async stop() {
      if (proc.exitCode === null) process.kill(-proc.pid!, 'SIGTERM');
      const code = await Promise.race([exited, new Promise<null>((r) => setTimeout(() => r(null), 15_000))]);
      if (proc.exitCode === null) process.kill(-proc.pid!, 'SIGKILL');
      rmSync(home, { recursive: true, force: true });
      return code;
    },
  };
}
