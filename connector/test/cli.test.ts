import { describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../bin/connector.mjs', import.meta.url));
const env = { ...process.env, CARDLINK_FROM_SOURCE: '1' };
const tmp = () => mkdtempSync(join(tmpdir(), 'cardlink-cli-'));

async function fails(args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    await run(process.execPath, [BIN, ...args], { env });
  } catch (e) {
    const err = e as { code: number; stderr: string };
    return { code: err.code, stderr: err.stderr };
  }
  throw new Error('expected the command to fail');
}

describe('connector CLI', () => {
  it.each([
    [['start', '--ds.cycle', '10'], /ds\.cycle must be an integer between 60/],
    [['start', '--ds.cycle', 'soon'], /ds\.cycle/],
    [['start', '--port', '70000'], /port must be/],
    [['start', '--host', '0.0.0.0'], /loopback/],
    [['start', '--log-level', 'loud'], /log-level|Allowed choices/],
    [['start', '--ds.url', 'not a url'], /ds\.url must be an absolute URL/],
  ])('rejects %j with a clear message', async (args, message) => {
    const r = await fails([...args, '--data-dir', tmp()]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(message);
  });

  it('shows the defaults in --help (port 51983, ds.cycle 28800)', async () => {
    const { stdout } = await run(process.execPath, [BIN, 'start', '--help'], { env });
    expect(stdout).toMatch(/--port <port>.*default: 51983/);
    expect(stdout).toMatch(/--ds\.cycle <seconds>.*default: 28800/);
  });

  it('starts, serves, reports status, and stops on SIGTERM', async () => {
    const dataDir = tmp();
    const child = spawn(process.execPath, [BIN, 'start', '--port', '0', '--data-dir', dataDir, '--log-level', 'warn'], { env });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c) => {
        out += c;
        const m = /ready on (https:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/graphql$/);
    const { stdout } = await run(process.execPath, [BIN, 'status', '--data-dir', dataDir, '--json'], { env });
    const status = JSON.parse(stdout);
    expect(status.running.version).toBe('0.1.0');
    expect(status.certificate.notAfter).toMatch(/^\d{4}-/);
    const exited = new Promise<number | null>((r) => child.on('exit', r));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const after = JSON.parse((await run(process.execPath, [BIN, 'status', '--data-dir', dataDir, '--json'], { env })).stdout);
    expect(after.running).toBe(false);
  });

  it('trust installs the CA under its own nickname, keeps other CAs, and untrust removes only it', async () => {
    const home = tmp();
    const [a, b] = [tmp(), tmp()];
    const nssdb = join(home, '.pki', 'nssdb');
    const list = async () => (await run('certutil', ['-L', '-d', `sql:${nssdb}`])).stdout;
    const cli = (...args: string[]) => run(process.execPath, [BIN, ...args], { env: { ...env, HOME: home } });
    const first = await cli('trust', '--data-dir', a);
    expect(first.stdout).toMatch(/trusted in NSS database .*\.pki\/nssdb \(Chromium\)/);
    const nickA = /NSS nickname: (Cardlink connector CA [0-9a-f]{16})/.exec(first.stdout)![1]!;
    expect(await list()).toMatch(new RegExp(`${nickA}\\s+C,,`));
    // again: the same entry, not a second one
    expect((await cli('trust', '--data-dir', a)).stdout).toMatch(/already trusted in NSS database/);
    expect((await list()).match(/Cardlink connector CA/g)).toHaveLength(1);
    const nickB = /NSS nickname: (Cardlink connector CA [0-9a-f]{16})/.exec((await cli('trust', '--data-dir', b)).stdout)![1]!;
    expect(nickB).not.toBe(nickA);
    expect((await list()).match(/Cardlink connector CA [0-9a-f]{16}/g)?.sort()).toEqual([nickA, nickB].sort());
    const untrusted = await cli('untrust', '--data-dir', a);
    expect(untrusted.stdout).toMatch(/removed from NSS database .*\.pki\/nssdb \(Chromium\)/);
    expect((await list()).match(/Cardlink connector CA [0-9a-f]{16}/g)).toEqual([nickB]);
    expect((await cli('untrust', '--data-dir', a)).stdout).toMatch(/not present in NSS database/);
  });

  it('trust and untrust also change each Firefox profile and say so', async () => {
    const home = tmp();
    const dataDir = tmp();
    const profile = join(home, '.mozilla', 'firefox', 'abcd1234.default-release');
    mkdirSync(profile, { recursive: true });
    await run('certutil', ['-N', '-d', `sql:${profile}`, '--empty-password']);
    const cli = (...args: string[]) => run(process.execPath, [BIN, ...args], { env: { ...env, HOME: home } });
    const trusted = (await cli('trust', '--data-dir', dataDir)).stdout;
    expect(trusted).toContain(`trusted in NSS database ${join(home, '.pki', 'nssdb')} (Chromium)\n`);
    expect(trusted).toContain(`trusted in NSS database ${profile} (Firefox)\n`);
    expect((await run('certutil', ['-L', '-d', `sql:${profile}`])).stdout).toMatch(/Cardlink connector CA [0-9a-f]{16}\s+C,,/);
    const untrusted = (await cli('untrust', '--data-dir', dataDir)).stdout;
    expect(untrusted).toContain(`removed from NSS database ${profile} (Firefox)\n`);
    expect((await run('certutil', ['-L', '-d', `sql:${profile}`])).stdout).not.toContain('Cardlink');
  });

  it('trust replaces the legacy fixed-nickname entry only when it holds the same CA', async () => {
    const home = tmp();
    const [a, b] = [tmp(), tmp()];
    const nssdb = join(home, '.pki', 'nssdb');
    const cli = (...args: string[]) => run(process.execPath, [BIN, ...args], { env: { ...env, HOME: home } });
    await cli('trust', '--data-dir', a);
    await cli('untrust', '--data-dir', a);
    // What the previous version left: connector A's CA under the fixed nickname.
    await run('certutil', ['-A', '-d', `sql:${nssdb}`, '-n', 'Cardlink connector CA', '-t', 'C,,', '-i', join(a, 'tls', 'ca.crt')]);
    await cli('trust', '--data-dir', b);
    expect((await run('certutil', ['-L', '-d', `sql:${nssdb}`])).stdout).toMatch(/Cardlink connector CA\s+C,,/);
    await cli('trust', '--data-dir', a);
    const names = (await run('certutil', ['-L', '-d', `sql:${nssdb}`])).stdout.match(/Cardlink connector CA[^\n]*?(?=\s{2,})/g);
    expect(names).toHaveLength(2);
    expect(names!.every((n) => /[0-9a-f]{16}$/.test(n))).toBe(true);
  });
});
