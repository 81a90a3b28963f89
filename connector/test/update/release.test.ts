import { describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkInstallable, checkPackage, manifestFor, signManifest, verifyRelease } from '../../src/release/manifest.js';
import { packDist, readPackage } from '../../src/release/package.js';
import { packFiles, unpackFiles } from '../../src/release/tar.js';
import { compareVersions } from '@cardlink/release-format';
import { pinReleaseKey } from '../../src/update/key-pin.js';

const pair = () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { priv: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, pub: publicKey.export({ type: 'spki', format: 'pem' }) as string };
};
const k = pair();
const pkg = packFiles([{ name: 'VERSION', data: Buffer.from('1.2.0\n') }, { name: 'connector.mjs', data: Buffer.from('export {}') }]);

describe('release manifests', () => {
  it('signs the exact manifest string; verification needs the pinned key and the untouched bytes', () => {
    const r = signManifest(manifestFor(pkg, { version: '1.2.0', minimumVersion: '1.0.0', flag: 'recommended' }), k.priv);
    const m = verifyRelease(r, k.pub);
    expect(m).toMatchObject({ version: '1.2.0', size: pkg.length, minimumVersion: '1.0.0', flag: 'recommended' });
    expect(() => verifyRelease(r, pair().pub)).toThrow(expect.objectContaining({ code: 'BAD_SIGNATURE' }));
    expect(() => verifyRelease({ ...r, manifest: r.manifest.replace('recommended', 'mandatory') }, k.pub)).toThrow(
      expect.objectContaining({ code: 'BAD_SIGNATURE' }),
    );
    expect(() => verifyRelease({ ...r, manifest: ` ${r.manifest}` }, k.pub)).toThrow(expect.objectContaining({ code: 'BAD_SIGNATURE' }));
    checkPackage(m, pkg);
    const tampered = Buffer.from(pkg);
    tampered[5] = tampered[5]! ^ 1;
    expect(() => checkPackage(m, tampered)).toThrow(expect.objectContaining({ code: 'BAD_DIGEST' }));
    expect(() => checkPackage(m, Buffer.concat([pkg, Buffer.from([0])]))).toThrow(expect.objectContaining({ code: 'BAD_SIZE' }));
  });

  it('refuses downgrades, reinstalls and connectors below the minimum version', () => {
    const m = verifyRelease(signManifest(manifestFor(pkg, { version: '1.2.0', minimumVersion: '1.1.0', flag: 'mandatory' }), k.priv), k.pub);
    expect(() => checkInstallable(m, '1.1.5')).not.toThrow();
    expect(() => checkInstallable(m, '1.2.0')).toThrow(expect.objectContaining({ code: 'DOWNGRADE' }));
    expect(() => checkInstallable(m, '2.0.0')).toThrow(expect.objectContaining({ code: 'DOWNGRADE' }));
    expect(() => checkInstallable(m, '1.0.9')).toThrow(expect.objectContaining({ code: 'TOO_OLD' }));
    expect(() => manifestFor(pkg, { version: '1.0.0', minimumVersion: '1.1.0', flag: 'recommended' })).toThrow(/minimum version is newer/);
    expect(() => signManifest(manifestFor(pkg, { version: '1.0.0', minimumVersion: '1.0.0', flag: 'recommended' }), generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string)).toThrow(/Ed25519/);
  });

  it('orders semantic versions', () => {
    expect(['1.10.0', '1.2.0', '1.2.0-rc.1', '0.9.9'].sort(compareVersions)).toEqual(['0.9.9', '1.2.0-rc.1', '1.2.0', '1.10.0']);
  });
});

describe('release packages', () => {
  it('round-trips a ustar archive and refuses unexpected names', () => {
    const files = [
      { name: 'connector.mjs', data: Buffer.from('a') },
      { name: `chunks/${'x'.repeat(95)}.mjs`, data: Buffer.alloc(1000, 7) },
    ];
    const back = unpackFiles(packFiles(files)); // sorted by name
    expect(back.map((f) => [f.name, f.data.length])).toEqual([...files].reverse().map((f) => [f.name, f.data.length]));
    expect(back[0]!.data.equals(files[1]!.data)).toBe(true);
    for (const bad of ['../evil.mjs', '/etc/passwd', 'chunks/../../x', 'a/b/c.mjs', '.hidden']) {
      expect(() => packFiles([{ name: bad, data: Buffer.from('') }])).toThrow(/refusing/);
    }
  });

  it('packs a built bundle only as the version baked into it', () => {
    const dist = mkdtempSync(join(tmpdir(), 'cardlink-dist-'));
    mkdirSync(join(dist, 'chunks'));
    writeFileSync(join(dist, 'connector.mjs'), 'import "./chunks/a.mjs"');
    writeFileSync(join(dist, 'connector.mjs.map'), '{}');
    writeFileSync(join(dist, 'chunks', 'a.mjs'), 'export {}');
    writeFileSync(join(dist, 'VERSION'), '2.0.0\n');
    expect(() => packDist(dist, '2.0.1')).toThrow(/built as version 2\.0\.0/);
    const files = readPackage(packDist(dist, '2.0.0'), '2.0.0');
    expect(files.map((f) => f.name).sort()).toEqual(['VERSION', 'chunks/a.mjs', 'connector.mjs']);
    expect(() => readPackage(packDist(dist, '2.0.0'), '2.0.1')).toThrow(expect.objectContaining({ code: 'BAD_PACKAGE' }));
  });
});

describe('release key pinning', () => {
  it('pins the first key, accepts the same key again and refuses a different one', () => {
    const data = mkdtempSync(join(tmpdir(), 'cardlink-pin-'));
    const a = join(data, 'a.pem');
    const b = join(data, 'b.pem');
    writeFileSync(a, k.pub);
    writeFileSync(b, pair().pub);
    expect(pinReleaseKey(join(data, 'd'))).toBeUndefined();
    expect(pinReleaseKey(join(data, 'd'), a)).toBe(k.pub);
    expect(readFileSync(join(data, 'd', 'release-key.pem'), 'utf8')).toBe(k.pub);
    expect(statSync(join(data, 'd', 'release-key.pem')).mode & 0o777).toBe(0o644);
    expect(pinReleaseKey(join(data, 'd'), a)).toBe(k.pub);
    expect(pinReleaseKey(join(data, 'd'))).toBe(k.pub);
    expect(() => pinReleaseKey(join(data, 'd'), b)).toThrow(/differs from the release key pinned at install/);
    writeFileSync(join(data, 'priv.pem'), k.priv);
    expect(() => pinReleaseKey(join(data, 'e'), join(data, 'priv.pem'))).toThrow(/holds a private key/);
  });
});
