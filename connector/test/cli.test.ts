import { describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
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

  it('trust installs the CA into a fresh NSS database with certutil', async () => {
    const home = tmp();
    const dataDir = tmp();
    const { stdout } = await run(process.execPath, [BIN, 'trust', '--data-dir', dataDir], { env: { ...env, HOME: home } });
    expect(stdout).toMatch(/trusted in NSS database .*\.pki\/nssdb/);
    const list = await run('certutil', ['-L', '-d', `sql:${join(home, '.pki', 'nssdb')}`]);
    expect(list.stdout).toMatch(/Cardlink connector CA\s+C,,/);
    // running it again replaces rather than duplicates
    await run(process.execPath, [BIN, 'trust', '--data-dir', dataDir], { env: { ...env, HOME: home } });
    const again = await run('certutil', ['-L', '-d', `sql:${join(home, '.pki', 'nssdb')}`]);
    expect(again.stdout.match(/Cardlink connector CA/g)).toHaveLength(1);
  });
});
