import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startTestConnector, APP_LABEL, type TestConnector } from '../helpers/test-connector.js';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/connector.mjs', import.meta.url));
const env = { ...process.env, CARDLINK_FROM_SOURCE: '1' };
const connector = (args: string[]) => run(process.execPath, [BIN, ...args], { env });

async function fails(args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    await connector(args);
  } catch (e) {
    return e as { code: number; stderr: string };
  }
  throw new Error('expected the command to fail');
}

let t: TestConnector;
let folder: string;
beforeAll(async () => {
  t = await startTestConnector();
  folder = mkdtempSync(join(tmpdir(), 'cardlink-cli-files-'));
});
afterAll(() => t?.close());

describe('connector files map|unmap|list', () => {
  it('maps a type; the running connector sees it at the next request', async () => {
    const { stdout } = await connector(['files', 'map', 'invoices', folder, '--labels', `${APP_LABEL},partner`, '--max-size', '2MB', '--data-dir', t.dataDir]);
    expect(stdout).toContain('mapped invoices');
    const file = join(t.dataDir, 'file-types.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      version: 1,
      types: { invoices: { folder, labels: [APP_LABEL, 'partner'], maxSize: 2 * 1024 * 1024 } },
    });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const r = await t.query('{ fileTypes { name maxSize } }');
    expect(r.json.data.fileTypes).toEqual([{ name: 'invoices', maxSize: 2 * 1024 * 1024 }]);
  });

  it('lists (text and JSON), defaults max-size to 50MB, remaps, unmaps', async () => {
    const other = join(folder, 'other');
    mkdirSync(other);
    await connector(['files', 'map', 'scans', other, '--labels', APP_LABEL, '--data-dir', t.dataDir]);
    const { stdout } = await connector(['files', 'list', '--data-dir', t.dataDir]);
    expect(stdout).toContain(`invoices\t${folder}\tlabels=${APP_LABEL},partner\tmax=2MB`);
    expect(stdout).toContain(`scans\t${other}\tlabels=${APP_LABEL}\tmax=50MB`);
    const json = JSON.parse((await connector(['files', 'list', '--json', '--data-dir', t.dataDir])).stdout);
    expect(json.map((x: { name: string }) => x.name)).toEqual(['invoices', 'scans']);

    await connector(['files', 'map', 'scans', other, '--labels', 'partner', '--data-dir', t.dataDir]);
    expect((await t.query('{ fileTypes { name } }')).json.data.fileTypes).toEqual([{ name: 'invoices' }]);

    await connector(['files', 'unmap', 'invoices', '--data-dir', t.dataDir]);
    expect((await t.query('{ fileTypes { name } }')).json.data.fileTypes).toEqual([]);
    expect((await connector(['files', 'list', '--data-dir', t.dataDir])).stdout).not.toContain('invoices');
  });

  it.each([
    [['files', 'map', 'bad name', '/tmp', '--labels', 'a'], /invalid type name/],
    [['files', 'map', 'x', '/no/such/folder', '--labels', 'a'], /does not exist/],
    [['files', 'map', 'x', '/tmp', '--labels', ' , '], /at least one application label/],
    [['files', 'map', 'x', '/tmp', '--labels', 'a', '--max-size', 'huge'], /--max-size/],
    [['files', 'map', 'x', '/tmp'], /--labels/],
    [['files', 'unmap', 'never-mapped'], /no file type named/],
  ])('refuses %j with a clear message', async (args, message) => {
    const r = await fails([...args, '--data-dir', t.dataDir]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(message);
  });
});
