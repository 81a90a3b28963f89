import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/main.js';
import { buildCsr, newKey } from './support/csr.js';
import { postJson, signHeaders, tx } from './support/harness.js';

const dir = mkdtempSync(join(tmpdir(), 'ds-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function ds(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli([...args, '--data-dir', dir], { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

describe('ds admin commands', () => {
  it('manages organisations, applications, origins, tokens and configuration', async () => {
    expect((await ds('org', 'create', 'acme')).code).toBe(0);
    expect(await ds('org', 'create', 'acme')).toMatchObject({ code: 1, err: expect.stringContaining('error CONFLICT') });
    expect((await ds('app', 'create', '--org', 'acme', '--label', 'shop', '--name', 'Web shop')).code).toBe(0);
    expect((await ds('app', 'create', '--org', 'acme', '--label', 'shop')).err).toContain('CONFLICT');
    expect((await ds('origin', 'add', '--org', 'acme', '--label', 'shop', 'https://Shop.Example.com:443')).out).toContain('added https://shop.example.com');
    expect((await ds('origin', 'add', '--org', 'acme', '--label', 'shop', 'https://*.cdn.example.com')).code).toBe(0);
    expect((await ds('origin', 'add', '--org', 'acme', '--label', 'shop', 'http://evil.example.com')).err).toContain('error INVALID_ORIGIN');
    expect((await ds('origin', 'add', '--org', 'acme', '--label', 'nope', 'https://a.example.com')).err).toContain('error NOT_FOUND');

    const list = JSON.parse((await ds('origin', 'list', '--org', 'acme', '--json')).out);
    expect(list).toEqual([
      { organisation: 'acme', label: 'shop', origin: 'https://*.cdn.example.com' },
      { organisation: 'acme', label: 'shop', origin: 'https://shop.example.com' },
    ]);
    expect((await ds('origin', 'remove', '--org', 'acme', '--label', 'shop', 'https://*.cdn.example.com')).code).toBe(0);
    expect((await ds('origin', 'list')).out).not.toContain('cdn');

    const token = await ds('token', 'create', '--org', 'acme', '--uses', '2', '--expires-days', '7');
    expect(token.out).toMatch(/^dsit_[A-Za-z0-9_-]{43}\n$/);
    expect(token.err).toContain('uses 2');

    const config = await ds('config', 'set', '--org', 'acme', '--cycle', '600', '--log-level', 'debug');
    expect(JSON.parse(config.out)).toEqual({ version: 1, dsCycleSeconds: 600, logLevel: 'debug' });
    expect(JSON.parse((await ds('config', 'set', '--org', 'acme', '--cycle', 'default')).out)).toEqual({ version: 2, logLevel: 'debug' });
    expect((await ds('config', 'set', '--org', 'acme', '--log-level', 'loud')).code).not.toBe(0);
    expect((await ds('device', 'list')).out).toBe('(none)\n');
  });
});

describe('ds user and audit commands', () => {
  it('creates dashboard users from a password file, lists, changes, disables and removes them, and audits it all', async () => {
    const pw = join(dir, 'pw.txt');
    writeFileSync(pw, 'a long enough password\n', { mode: 0o600 });
    const created = await ds('user', 'create', '--email', 'Alice@Acme.test', '--role', 'admin', '--password-file', pw);
    expect(created).toMatchObject({ code: 0, out: 'created admin user alice@acme.test\n' });
    expect((await ds('user', 'create', '--email', 'alice@acme.test', '--role', 'admin', '--password-file', pw)).err).toContain('error CONFLICT');
    expect((await ds('user', 'create', '--email', 'bob@acme.test', '--role', 'root', '--password-file', pw)).err).toContain('role is one of admin, business');
    writeFileSync(join(dir, 'short.txt'), 'short\n');
    expect((await ds('user', 'create', '--email', 'bob@acme.test', '--role', 'business', '--password-file', join(dir, 'short.txt'))).err).toContain('at least 12 characters');
    expect((await ds('user', 'create', '--email', 'bob@acme.test', '--role', 'business', '--password-file', pw, '--org', 'acme')).code).toBe(0);
    const list = JSON.parse((await ds('user', 'list', '--json')).out);
    expect(list.map((u: { email: string; role: string }) => [u.email, u.role])).toEqual([
      ['alice@acme.test', 'admin'],
      ['bob@acme.test', 'business'],
    ]);
    expect(JSON.stringify(list)).not.toContain('scrypt'); // never prints hashes

    // the password file's trailing newline is not part of the password; the hash is scrypt
    const { openSqliteRepository } = await import('../src/store/sqlite/sqlite-repository.js');
    const { verifyPassword } = await import('../src/services/passwords.js');
    const repo = openSqliteRepository(join(dir, 'ds.sqlite'));
    const alice = (await repo.users.findUserByEmail('alice@acme.test'))!;
    expect(alice.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await verifyPassword('a long enough password', alice.passwordHash)).toBe(true);
    expect(await verifyPassword('a long enough password\n', alice.passwordHash)).toBe(false);

    writeFileSync(pw, 'another long password');
    expect((await ds('user', 'passwd', '--email', 'alice@acme.test', '--password-file', pw)).code).toBe(0);
    expect(await verifyPassword('another long password', (await repo.users.findUserByEmail('alice@acme.test'))!.passwordHash)).toBe(true);
    expect((await ds('user', 'disable', '--email', 'bob@acme.test')).code).toBe(0);
    expect((await repo.users.findUserByEmail('bob@acme.test'))!.disabled).toBe(true);
    expect((await ds('user', 'remove', '--email', 'bob@acme.test')).code).toBe(0);
    expect(await repo.users.findUserByEmail('bob@acme.test')).toBeUndefined();
    await repo.close();

    const audit = JSON.parse((await ds('audit', 'list', '--json')).out) as { actor: string; action: string; target: string }[];
    expect(audit.slice(0, 5).map((r) => [r.action, r.target])).toEqual([
      ['user.remove', 'bob@acme.test'],
      ['user.disable', 'bob@acme.test'],
      ['user.password', 'alice@acme.test'],
      ['user.create', 'bob@acme.test'],
      ['user.create', 'alice@acme.test'],
    ]);
    expect(audit.every((r) => r.actor.startsWith('cli:'))).toBe(true);
    expect(audit.map((r) => r.action)).toEqual(expect.arrayContaining(['org.create', 'app.create', 'origin.add', 'origin.remove', 'config.set']));
    expect((await ds('audit', 'list', '--org', 'acme')).out).toContain('origin.add');
  });
});

describe('ds serve (a real process, as connector tests start it)', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill('SIGTERM');
    child = undefined;
  });

  it('prints its URL, registers and syncs, honours the fault env switch, and reports', async () => {
    const token = (await ds('token', 'create', '--org', 'acme')).out.trim();
    child = spawn(process.execPath, [join(__dirname, '..', 'bin', 'ds.mjs'), 'serve', '--port', '0', '--data-dir', dir, '--cert-lifetime', '120'], {
      env: { ...process.env, DS_FAULT_DROP_SYNC_RESPONSE_AFTER_COMMIT: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const first = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child!.stdout! }).once('line', resolve);
      child!.once('exit', (c) => reject(new Error(`ds serve exited ${c}`)));
    });
    const { event, url } = JSON.parse(first) as { event: string; url: string };
    expect(event).toBe('listening');
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const key = newKey('ec');
    const reg = await postJson(`${url}/v1/register`, { installToken: token, csr: buildCsr(key), version: '1.0.0', os: 'linux' });
    expect(reg.status).toBe(200);
    expect(Date.parse(reg.body.notAfter) - Date.now()).toBeLessThanOrEqual(120_000);
    expect(reg.body.config).toEqual({ version: 2, logLevel: 'debug' });

    const batch = [tx({ label: 'shop', tag: 'a' }), tx({ label: 'shop', tag: 'b', occurredAt: '2025-10-05T10:00:00Z' })];
    const send = async () => {
      const body = JSON.stringify({ version: '1.0.0', os: 'linux', uptimeSeconds: 1, lastError: null, certificate: { serial: reg.body.serial, notAfter: reg.body.notAfter }, transactions: batch });
      return postJson(`${url}/v1/sync`, body, signHeaders(reg.body.deviceId, key, body, Date.now()));
    };
    await expect(send()).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 2));
    const again = await send();
    expect(again.status).toBe(200);
    expect(again.body.ack).toEqual(batch.map((t) => t.id));

    const report = await ds('report', 'transactions', '--org', 'acme', '--by', 'label,tag,month', '--csv');
    expect(report.out).toBe('label,tag,month,count\r\nshop,a,2025-11,1\r\nshop,b,2025-10,1\r\n');
    const installs = await ds('report', 'installs', '--json');
    expect(JSON.parse(installs.out)).toEqual([
      { organisation: 'acme', label: 'shop', month: '2025-10', devices: 1 },
      { organisation: 'acme', label: 'shop', month: '2025-11', devices: 1 },
    ]);
    const devices = JSON.parse((await ds('device', 'list', '--json')).out);
    expect(devices).toHaveLength(1);
    expect(devices[0]).toMatchObject({ id: reg.body.deviceId, version: '1.0.0', certSerial: reg.body.serial });
  });

  it('stops cleanly on SIGTERM and SIGINT: exit code 0 after closing the store', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const proc = spawn(process.execPath, [join(__dirname, '..', 'bin', 'ds.mjs'), 'serve', '--port', '0', '--data-dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
      child = proc;
      await new Promise<string>((resolve, reject) => {
        createInterface({ input: proc.stdout! }).once('line', resolve);
        proc.once('exit', (c) => reject(new Error(`ds serve exited ${c}`)));
      });
      const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
      proc.kill(signal);
      // 13 was the symptom of a close that waited on an unref'd worker: the loop emptied mid-close.
      expect(await exited).toBe(0);
    }
  });
});
