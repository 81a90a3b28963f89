import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { DEBIAN_DEFAULTS, effectiveLibraries, librariesPath } from '../../src/card/modules/pkcs11/libraries.js';
import { SOFTHSM_LIB } from '../helpers/softhsm-token.js';

// `connector pkcs11 add|remove|list` from source, on a temp data dir: the real library is
// loaded in a host process to check it, a file that is no PKCS#11 library is refused.
const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/connector.mjs', import.meta.url));
const env = { ...process.env, CARDLINK_FROM_SOURCE: '1' };
const cli = (args: string[]) => run(process.execPath, [BIN, 'pkcs11', ...args], { env });
const fails = async (args: string[]) => {
  try {
    await cli(args);
  } catch (e) {
    return e as { code: number; stderr: string };
  }
  throw new Error('expected the command to fail');
};

describe('connector pkcs11', () => {
  it('adds a library after loading it, lists configured then default ones, removes both kinds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cardlink-p11-cli-'));
    const added = await cli(['add', 'hsm', SOFTHSM_LIB, '--data-dir', dir]);
    expect(added.stdout).toMatch(/^added hsm -> \/usr\/lib\/softhsm\/libsofthsm2\.so \(SoftHSM Implementation of PKCS11 2\.\d+\)/);
    const list = JSON.parse((await cli(['list', '--json', '--data-dir', dir])).stdout) as Array<{ name: string; source: string }>;
    // softhsm2's default has the same path as hsm: listed once, under the configured name.
    expect(list).toEqual([
      { name: 'hsm', path: SOFTHSM_LIB, source: 'CONFIGURED' },
      ...DEBIAN_DEFAULTS.filter((d) => d.path !== SOFTHSM_LIB && existsSync(d.path)).map((d) => ({ ...d, source: 'DEFAULT' })),
    ]);
    await cli(['remove', 'opensc', '--data-dir', dir]);
    await cli(['remove', 'hsm', '--data-dir', dir]);
    const after = JSON.parse((await cli(['list', '--json', '--data-dir', dir])).stdout) as Array<{ name: string }>;
    expect(after.map((l) => l.name)).toEqual(existsSync(SOFTHSM_LIB) ? ['softhsm2'] : []);
    expect(JSON.parse(readFileSync(librariesPath(dir), 'utf8'))).toEqual({ version: 1, libraries: {}, disabledDefaults: ['opensc'] });
  });

  it('refuses a missing file, a file that is no PKCS#11 library, a bad name and an unknown name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cardlink-p11-cli-'));
    const text = join(dir, 'text.so');
    writeFileSync(text, 'not a library');
    for (const [args, message] of [
      [['add', 'x', join(dir, 'nope.so')], /does not exist or is not a file/],
      [['add', 'x', text], /cannot be loaded as a PKCS#11 library/],
      [['add', '../x', SOFTHSM_LIB], /invalid library name/],
      [['remove', 'never-added'], /no library named "never-added"/],
    ] as const) {
      const r = await fails([...args, '--data-dir', dir]);
      expect([args, r.code]).toEqual([args, 2]);
      expect(r.stderr).toMatch(message);
    }
    expect(existsSync(librariesPath(dir))).toBe(false);
  });

  it('effectiveLibraries: a default is skipped when its file is missing, its name or path is configured, or it was removed', () => {
    const exists = (p: string) => p !== '/usr/lib/softhsm/libsofthsm2.so';
    expect(effectiveLibraries({ configured: [], disabledDefaults: [] }, exists).map((l) => l.name)).toEqual(['opensc']);
    expect(effectiveLibraries({ configured: [], disabledDefaults: ['opensc'] }, () => true).map((l) => l.name)).toEqual(['softhsm2']);
    const mine = { name: 'opensc', path: '/opt/opensc.so', source: 'CONFIGURED' as const };
    expect(effectiveLibraries({ configured: [mine], disabledDefaults: [] }, () => true)).toEqual([mine, { ...DEBIAN_DEFAULTS[1], source: 'DEFAULT' }]);
  });
});
