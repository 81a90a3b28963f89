import { describe, expect, it, vi } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manifestFor, signManifest, type ReleaseFlag } from '../../src/release/manifest.js';
import { packFiles } from '../../src/release/tar.js';
import { checkStaged, stageOffer, type UpdateOffer } from '../../src/update/stager.js';

const key = () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { priv: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, pub: publicKey.export({ type: 'spki', format: 'pem' }) as string };
};
const k = key();
const pkgOf = (version: string, inside = version) =>
  packFiles([{ name: 'VERSION', data: Buffer.from(`${inside}\n`) }, { name: 'connector.mjs', data: Buffer.from(`export const v = '${inside}'`) }, { name: 'chunks/c.mjs', data: Buffer.from('export {}') }]);
const offer = (pkg: Buffer, version: string, o: { flag?: ReleaseFlag; min?: string; priv?: string } = {}): UpdateOffer => ({
  release: signManifest(manifestFor(pkg, { version, minimumVersion: o.min ?? '1.0.0', flag: o.flag ?? 'mandatory' }), o.priv ?? k.priv),
  url: '/v1/releases/x/package',
  flag: o.flag ?? 'mandatory',
});

function deps(served: Buffer, current = '1.0.0') {
  const dataDir = mkdtempSync(join(tmpdir(), 'cardlink-stage-'));
  const download = vi.fn(async (_url: string, _max: number) => served);
  return { dataDir, publicKey: k.pub, current, dsUrl: 'https://ds.example', download };
}
const staged = (dataDir: string) => (existsSync(join(dataDir, 'versions')) ? readdirSync(join(dataDir, 'versions')) : []);

describe('staging an offered release', () => {
  it('verifies, then extracts beside the current version with its signed manifest and native module links', async () => {
    const pkg = pkgOf('1.1.0');
    const d = deps(pkg);
    const m = await stageOffer(offer(pkg, '1.1.0'), d);
    expect(m.version).toBe('1.1.0');
    expect(d.download).toHaveBeenCalledWith('https://ds.example/v1/releases/x/package', pkg.length);
    const dir = join(d.dataDir, 'versions', '1.1.0');
    expect(readFileSync(join(dir, 'connector.mjs'), 'utf8')).toContain('1.1.0');
    expect(existsSync(join(dir, 'chunks', 'c.mjs'))).toBe(true);
    expect(lstatSync(join(dir, 'node_modules', 'better-sqlite3')).isSymbolicLink()).toBe(true);
    expect(checkStaged(d.dataDir, '1.1.0', k.pub).manifest.version).toBe('1.1.0');
    expect(() => checkStaged(d.dataDir, '1.1.0', key().pub)).toThrow(expect.objectContaining({ code: 'BAD_SIGNATURE' }));
    // Offered again: already staged, no second download.
    await stageOffer(offer(pkg, '1.1.0'), d);
    expect(staged(d.dataDir)).toEqual(['1.1.0']);
  });

  it.each([
    ['a wrong signature (before any download)', () => offer(pkgOf('1.1.0'), '1.1.0', { priv: key().priv }), pkgOf('1.1.0'), '1.0.0', 'BAD_SIGNATURE'],
    ['a downgrade', () => offer(pkgOf('0.9.0'), '0.9.0', { min: '0.1.0' }), pkgOf('0.9.0'), '1.0.0', 'DOWNGRADE'],
    ['the running version again', () => offer(pkgOf('1.0.0'), '1.0.0'), pkgOf('1.0.0'), '1.0.0', 'DOWNGRADE'],
    ['a connector below the minimum version', () => offer(pkgOf('2.0.0'), '2.0.0', { min: '1.5.0' }), pkgOf('2.0.0'), '1.0.0', 'TOO_OLD'],
    ['a tampered package', () => offer(pkgOf('1.1.0'), '1.1.0'), (() => { const p = pkgOf('1.1.0'); p[p.length - 9] = p[p.length - 9]! ^ 0xff; return p; })(), '1.0.0', 'BAD_DIGEST'],
    ['a package of another size', () => offer(pkgOf('1.1.0'), '1.1.0'), Buffer.concat([pkgOf('1.1.0'), Buffer.from('x')]), '1.0.0', 'BAD_SIZE'],
    ['a package that is another version inside', () => offer(pkgOf('1.1.0', '1.0.1'), '1.1.0'), pkgOf('1.1.0', '1.0.1'), '1.0.0', 'BAD_PACKAGE'],
  ])('rejects %s and stages nothing', async (_what, make, served, current, code) => {
    const d = deps(served, current);
    await expect(stageOffer(make(), d)).rejects.toMatchObject({ code });
    expect(staged(d.dataDir)).toEqual([]);
    if (code === 'BAD_SIGNATURE' || code === 'DOWNGRADE' || code === 'TOO_OLD') expect(d.download).not.toHaveBeenCalled();
  });
});
