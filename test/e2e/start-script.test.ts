// The demo stack's start script in vpcd mode (the shared reader 0, locked): the card is removed
// and inserted with `scripts/card.sh` as its summary says, a child killed behind its back is
// reported and restarted while the rest keeps serving, and the dashboard credentials it
// printed are stored 0600.
import { execFile } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireReaderLock, type ReaderLock } from '@cardlink/virtual-card';
import { call, gql } from '../../connector/test/helpers/https-client.js';
import { ROOT } from './lib/demo.js';
import { startSystem, type StartedSystem } from './lib/start-script.js';

const run = promisify(execFile);
let lock: ReaderLock;
let sys: StartedSystem;

/** What the connector sees in a reader (vpcd reader 0 unless told), asked as a local client with its token. */
async function readerCard(name = 'Virtual PCD 00 00'): Promise<{ module: string; atr: string } | null | undefined> {
  const dataDir = join(sys.home, 'connector');
  const token = readFileSync(join(dataDir, 'local-client.token'), 'utf8').trim();
  const ca = readFileSync(join(dataDir, 'tls', 'ca.crt'), 'utf8');
  const r = await call(sys.ports.connector, ca, {
    body: gql('{ readers { name card { atr module } } }'),
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  });
  return r.json.data.readers.find((x: { name: string }) => x.name === name)?.card;
}

async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, what: string, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => undefined as T);
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const card = (...args: string[]) => run('bash', ['scripts/card.sh', ...args], { cwd: ROOT, env: { ...process.env, CARDLINK_HOME: sys.home } });

beforeAll(async () => {
  lock = await acquireReaderLock(0);
  sys = await startSystem('scripts/start-all.mjs');
  await sys.waitFor(/^Press Ctrl-C to stop everything\.$/m);
});

afterAll(async () => {
  await sys?.stop();
  lock?.release();
});

describe('scripts/start-all.mjs with the card in vpcd', () => {
  it('prints the dashboard credentials (stored 0600), the card commands and the start time', async () => {
    const s = sys.summary();
    expect(s.dashboardUrl).toBe(`http://127.0.0.1:${sys.ports.ds}/dashboard/`);
    expect(s.password).toMatch(/^[A-Za-z0-9_-]{20}$/);
    const file = join(sys.home, 'dashboard-credentials.txt');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe(`url=${s.dashboardUrl}\nemail=${s.email}\npassword=${s.password}\n`);
    expect(sys.output()).toMatch(/Virtual eID card: +applet 1\.7 in vpcd reader "Virtual PCD 00 00"/);
    expect(sys.output()).toContain('  bash scripts/card.sh remove\n  bash scripts/card.sh insert [1.7|1.8]\n');
    expect(s.startedInSeconds).toBeGreaterThan(0);
  });

  it('scripts/card.sh removes the card and inserts an applet 1.8 one; the connector sees both', async () => {
    expect((await until(readerCard, (c) => !!c, 'the card'))?.module).toBe('BEID');
    const removed = await card('remove');
    expect(removed.stdout).toBe('card: card removed from vpcd reader "Virtual PCD 00 00"\n');
    await until(readerCard, (c) => c === null, 'the card to go');
    expect((await card('remove')).stdout).toBe('card: no card inserted (already removed)\n');
    expect((await card('insert', '1.8')).stdout).toBe('card: applet 1.8 card inserted in vpcd reader "Virtual PCD 00 00"\n');
    const inserted = await until(readerCard, (c) => !!c, 'the card to come back');
    expect(inserted!.module).toBe('BEID');
    await expect(card('insert', '2.0')).rejects.toMatchObject({ stderr: 'card: unknown applet profile 2.0 (1.7 or 1.8)\n' });
    // nothing was reported as a crash
    expect(sys.output()).not.toMatch(/\[card\] exited unexpectedly/);
  });

  it('a child killed behind its back is reported and restarted; the others keep serving', async () => {
    const demoPid = Number((await run('pgrep', ['-P', String(sys.proc.pid), '-f', 'vite.js preview'])).stdout.trim());
    expect(demoPid).toBeGreaterThan(0);
    const from = sys.output().length;
    process.kill(demoPid, 'SIGKILL');
    await sys.waitFor(/^\[demo\] exited unexpectedly \(SIGKILL\); restarting \(1 of 3\)$/m, 10_000, from);
    // the DS answered all along
    expect((await fetch(`http://127.0.0.1:${sys.ports.ds}/`, { redirect: 'manual' })).status).toBe(302);
    await sys.waitFor(/^\[demo\] running again$/m, 30_000, from);
    expect((await fetch(`http://localhost:${sys.ports.demo}/`)).status).toBe(200);
    expect(await readerCard()).toBeTruthy();
  });
});

describe('scripts/start-all.mjs when the card cannot go into vpcd', () => {
  it('says so in one line, without a stack trace, and uses the in-process card', async () => {
    await sys.stop(); // the reader is ours (lock); one stack at a time on it
    // The card's material folder cannot be made (a file is in the way): the card process fails before it is inserted.
    sys = await startSystem('scripts/start-all.mjs', {}, (home) => writeFileSync(join(home, 'virtual-card'), 'not a folder'));
    await sys.waitFor(/^Press Ctrl-C to stop everything\.$/m);
    const out = sys.output();
    const cardLines = out.split('\n').filter((l) => l.startsWith('[card]'));
    expect(cardLines).toHaveLength(1);
    expect(cardLines[0]).toMatch(/^\[card\] vpcd did not take the card \(.+\); using the connector's in-process card instead$/);
    expect(out).not.toMatch(/^\s+at /m); // no stack trace
    expect(out).toMatch(/Virtual eID card: +in-process \(vpcd did not take the card: .+\), applet 1\.7, PIN 1234/);
    expect(out).not.toContain('bash scripts/card.sh remove');
    expect((await until(() => readerCard('Cardlink Virtual Reader (in-process)'), (c) => !!c, 'the in-process card'))?.module).toBe('BEID');
    await expect(card('remove')).rejects.toMatchObject({ stderr: expect.stringMatching(/^card: the card is inside the connector \(in-process: vpcd did not take the card: /) });
  });
});
