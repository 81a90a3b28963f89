import { fork } from 'node:child_process';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/logger.js';
import { SocketRouter } from '../../src/supervisor/socket-router.js';
import type { FromWorker } from '../../src/supervisor/protocol.js';
import type { Worker } from '../../src/supervisor/worker-lifecycle.js';

const FIXTURE = fileURLToPath(new URL('./fixture-worker.mjs', import.meta.url));
const log = createLogger('error', new Writable({ write: (_c, _e, cb) => cb() }));
const started: Worker[] = [];

/** A real child process speaking the supervisor's IPC, shaped as the lifecycle's Worker. */
async function worker(name: string, take: boolean): Promise<Worker> {
  const child = fork(FIXTURE, [], { env: { ...process.env, NAME: name, TAKE: take ? '1' : '0' }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json' });
  const listeners = new Set<(m: FromWorker) => void>();
  child.on('message', (m: FromWorker) => listeners.forEach((fn) => fn(m)));
  const w: Worker = {
    version: name,
    child,
    exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve((w.exit = { code, signal })))),
    on(t, fn) {
      const f = (m: FromWorker) => m.t === t && (fn as (m: FromWorker) => void)(m);
      listeners.add(f);
      return () => listeners.delete(f);
    },
    send: (m) => void child.send(m),
  };
  await new Promise<void>((resolve) => w.on('ready', () => resolve()));
  started.push(w);
  return w;
}

/** Connect and collect what the server side writes until it closes. */
function client(port: number): { text: Promise<string>; received: () => string } {
  let got = '';
  const s = connect(port, '127.0.0.1');
  s.setEncoding('utf8');
  s.on('data', (c: string) => (got += c));
  return { text: new Promise((resolve) => s.on('close', () => resolve(got))), received: () => got };
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterEach(async () => {
  for (const w of started.splice(0)) {
    if (!w.exit) w.child.kill('SIGKILL');
    await w.exited;
  }
});

describe('socket router', () => {
  it('queues connections while no worker is routed and hands them over, unread, once one is', async () => {
    const router = new SocketRouter('127.0.0.1', log);
    const port = await router.listen(0);
    const early = client(port);
    await settle(200);
    expect(early.received()).toBe(''); // nobody to serve it yet: waiting, not refused
    router.routeTo(await worker('w1', true));
    expect(await early.text).toBe('served by w1\n');
    expect(await client(port).text).toBe('served by w1\n');
    router.close();
  });

  it('routes again a connection whose worker died before taking it, instead of losing it', async () => {
    const router = new SocketRouter('127.0.0.1', log);
    const port = await router.listen(0);
    const dying = await worker('w-dying', false);
    router.routeTo(dying);
    const c = client(port);
    await settle(200);
    expect(c.received()).toBe(''); // handed, never taken: our copy stays open
    dying.child.kill('SIGKILL');
    await dying.exited;
    // What the supervisor does when a worker exits: reclaim its connections, then route to a live one.
    router.reclaim(dying);
    router.routeTo(await worker('w2', true));
    expect(await c.text).toBe('served by w2\n');
    router.close();
  });
});
