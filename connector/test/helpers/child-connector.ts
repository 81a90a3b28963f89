import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/connector.mjs', import.meta.url));

export interface ChildConnector {
  child: ChildProcess;
  port: number;
  /** Resolves with the exit code or signal name. */
  exited: Promise<number | string | null>;
}

/** `connector start` as its own process (from source), resolved once it listens. */
export function startChildConnector(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ChildConnector> {
  const child = spawn(process.execPath, [BIN, 'start', '--port', '0', ...args], {
    env: { ...process.env, CARDLINK_FROM_SOURCE: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | string | null>((r) => child.on('exit', (code, signal) => r(signal ?? code)));
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    child.stdout.on('data', (c) => {
      out += c;
      const m = /ready on https:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]), exited });
    });
    child.on('exit', (code) => reject(new Error(`connector exited ${code}: ${err.slice(-2000)}`)));
  });
}
