import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { isValidNationalNumber } from '../src/material/citizen.js';
import { readPinState, writePinState } from '../src/material/store.js';

const bin = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'virtual-card.mjs');
const base = mkdtempSync(join(tmpdir(), 'vcard-cli-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

function cli(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    execFile(process.execPath, [bin, ...args], { timeout: 60_000, env }, (err, stdout, stderr) => {
      res({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

describe('virtual-card CLI', () => {
  it('info generates the material once and prints the public test data', async () => {
    const first = await cli(['info', '--profile', '1.8', '--data-dir', base, '--json']);
    expect(first.code, first.stderr).toBe(0);
    const info = JSON.parse(first.stdout);
    expect(info.profile).toBe('1.8');
    expect(info.materialDir).toBe(join(base, '1.8'));
    expect(info.citizen.surname).toBe('Specimen');
    expect(isValidNationalNumber(info.citizen.nationalNumber)).toBe(true);
    expect(info.pin).toBe('1234');
    expect(info.rrnSignature).toBe('ecdsa-sha384-der');
    const second = await cli(['info', '--profile', '1.8', '--data-dir', base, '--json']);
    expect(JSON.parse(second.stdout).card.chipSerialHex).toBe(info.card.chipSerialHex);
  });

  it('uses $XDG_DATA_HOME by default', async () => {
    const xdg = join(base, 'xdg');
    const r = await cli(['info', '--profile', '1.8'], { ...process.env, XDG_DATA_HOME: xdg });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(join(xdg, 'cardlink', 'virtual-card', '1.8'));
    expect(r.stdout).toContain('Alice Test');
  });

  it('reset-pin restores a blocked PIN', async () => {
    const dir = join(base, '1.8');
    writePinState(dir, { pin: '9999', triesLeft: 0 });
    const r = await cli(['reset-pin', '--profile', '1.8', '--data-dir', base]);
    expect(r.code, r.stderr).toBe(0);
    expect(readPinState(dir)).toEqual({ pin: '1234', triesLeft: 3 });
  });

  it('rejects bad options', async () => {
    expect((await cli(['insert', '--tamper', 'identity,foo', '--data-dir', base])).code).not.toBe(0);
    expect((await cli(['info', '--profile', '2.0', '--data-dir', base])).code).not.toBe(0);
  });
});
