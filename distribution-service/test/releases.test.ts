import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/main.js';
import * as releases from '../src/services/releases.js';
import { compareVersions } from '../src/services/release-versions.js';
import { register, signedSync, startDs, syncBody, type Harness, type TestDevice } from './support/harness.js';
import { makeRelease } from './support/release.js';

let h: Harness;
let device: TestDevice;
const publish = (version: string, o: Parameters<typeof makeRelease>[1] = {}) =>
  releases.publishRelease(h.ds.services, { org: 'acme', ...makeRelease(version, o) });
/** A sync of a connector that can update (it sends updateStatus, at least its current version). */
const sync = async (version: string, updateStatus: unknown = { current: version }, d = device) =>
  (await signedSync(h, d, syncBody(d, { version, updateStatus }))).body;
const offered = async (version: string, updateStatus?: unknown) => {
  const u = (await sync(version, updateStatus)).update;
  return u ? (JSON.parse(u.release.manifest).version as string) : undefined;
};

beforeEach(async () => {
  h = await startDs();
  device = await register(h);
});
afterEach(async () => h.close());

describe('publishing', () => {
  it('stores a release whose package matches its manifest; refuses a mismatch and a duplicate version', async () => {
    const good = makeRelease('1.1.0');
    const r = await releases.publishRelease(h.ds.services, { org: 'acme', ...good });
    expect(r).toMatchObject({ version: '1.1.0', flag: 'recommended', size: 2048, withdrawnAt: null });
    const tampered = Buffer.from(good.pkg);
    tampered[10] = tampered[10]! ^ 1;
    await expect(releases.publishRelease(h.ds.services, { org: 'acme', release: makeRelease('1.2.0').release, pkg: tampered })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(releases.publishRelease(h.ds.services, { org: 'acme', ...makeRelease('1.1.0') })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(
      releases.publishRelease(h.ds.services, { org: 'acme', pkg: good.pkg, release: { manifest: '{"version":"x"}', signature: good.release.signature } }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('serves the package without authentication, and 404 once withdrawn', async () => {
    const { pkg, release } = makeRelease('1.1.0');
    await releases.publishRelease(h.ds.services, { org: 'acme', pkg, release });
    const u = (await sync('1.0.0')).update;
    expect(u).toMatchObject({ flag: 'recommended', release });
    const res = await fetch(`${h.url}${u.url}`);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(pkg)).toBe(true);
    await releases.withdrawRelease(h.ds.services, { org: 'acme', version: '1.1.0' });
    expect((await fetch(`${h.url}${u.url}`)).status).toBe(404);
    expect((await fetch(`${h.url}/v1/releases/nope/package`)).status).toBe(404);
  });
});

describe('the offer in a sync answer', () => {
  it('offers the newest recommended release; never the same version, a downgrade or below the minimum', async () => {
    expect(await offered('1.0.0')).toBeUndefined();
    await publish('1.1.0');
    await publish('1.2.0', { min: '1.1.0' });
    await publish('0.9.0');
    expect(await offered('1.0.0')).toBe('1.1.0'); // 1.2.0 needs 1.1.0
    expect(await offered('1.1.0')).toBe('1.2.0');
    expect(await offered('1.2.0')).toBeUndefined();
    expect(await offered('2.0.0')).toBeUndefined(); // never a downgrade
  });

  it('a mandatory candidate wins; allowed versions stay until withdrawn and are never offered', async () => {
    await publish('1.1.0', { flag: 'allowed' });
    await publish('1.2.0');
    expect(await offered('1.0.0')).toBe('1.2.0');
    expect(await offered('1.1.0')).toBeUndefined(); // on an allowed release: stays
    await publish('1.1.5', { flag: 'mandatory' });
    expect(await offered('1.1.0')).toBe('1.1.5'); // mandatory beats "allowed stays"
    expect(await offered('1.0.0')).toBe('1.1.5'); // and beats a newer recommended one
    await releases.withdrawRelease(h.ds.services, { org: 'acme', version: '1.1.5' });
    await releases.withdrawRelease(h.ds.services, { org: 'acme', version: '1.1.0' });
    expect(await offered('1.1.0')).toBe('1.2.0'); // allowed withdrawn: move on
  });

  it('records failures a device reports and never offers that version to that device again', async () => {
    await publish('1.1.0');
    const failed = { current: '1.0.0', failed: [{ version: '1.1.0', reason: 'worker exited with code 3 during start' }] };
    expect(await offered('1.0.0', failed)).toBeUndefined();
    expect(await offered('1.0.0', failed)).toBeUndefined(); // reported again: idempotent
    expect(await offered('1.0.0')).toBeUndefined(); // even once no longer reported
    const store = h.ds.services.repo.releases;
    expect(await store.failures(device.id)).toEqual([
      expect.objectContaining({ deviceId: device.id, version: '1.1.0', reason: 'worker exited with code 3 during start' }),
    ]);
    const other = await register(h);
    expect((await sync('1.0.0', undefined, other)).update).toBeDefined(); // other devices still get it
    await publish('1.1.1');
    expect(await offered('1.0.0')).toBe('1.1.1'); // a fix is offered
  });

  it('offers nothing to a connector that cannot update (no updateStatus)', async () => {
    await publish('1.1.0', { flag: 'mandatory' });
    expect((await signedSync(h, device, syncBody(device, { version: '1.0.0' }))).body.update).toBeUndefined();
    expect(await offered('1.0.0')).toBe('1.1.0');
  });

  it('refuses a malformed updateStatus with 400', async () => {
    const r = await signedSync(h, device, syncBody(device, { updateStatus: { failed: [{ version: '1.0.0' }] } }));
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('INVALID_REQUEST');
  });
});

describe('ds report versions', () => {
  it('shows the version distribution and each device\'s update status', async () => {
    const second = await register(h);
    const third = await register(h);
    await publish('1.1.0');
    await publish('1.2.0', { flag: 'mandatory', min: '1.1.0' });
    await sync('1.0.0', { current: '1.0.0', failed: [{ version: '1.1.0', reason: 'signature does not verify' }] });
    await sync('1.1.0', undefined, second); // offered 1.2.0
    await sync('1.2.0', undefined, third);
    const r = await releases.versionReport(h.ds.services, 'acme');
    expect(r.versions).toEqual([
      { version: '1.2.0', devices: 1, release: 'mandatory' },
      { version: '1.1.0', devices: 1, release: 'recommended' },
      { version: '1.0.0', devices: 1, release: null },
    ]);
    const byId = Object.fromEntries(r.devices.map((d) => [d.deviceId, d]));
    expect(byId[device.id]).toMatchObject({ version: '1.0.0', status: 'failed', offeredVersion: null, failed: [{ version: '1.1.0', reason: 'signature does not verify' }] });
    expect(byId[second.id]).toMatchObject({ version: '1.1.0', status: 'offered', offeredVersion: '1.2.0', failed: [] });
    expect(byId[third.id]).toMatchObject({ version: '1.2.0', status: 'up-to-date', offeredVersion: null });
  });
});

describe('ds release and report versions commands', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ds-release-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const ds = async (...args: string[]) => {
    let out = '';
    let err = '';
    const code = await runCli([...args, '--data-dir', dir], { out: (t) => void (out += t), err: (t) => void (err += t) });
    return { code, out, err };
  };

  it('publishes, lists, withdraws and reports', async () => {
    expect((await ds('org', 'create', 'acme')).code).toBe(0);
    const { pkg, release } = makeRelease('2.0.0', { flag: 'mandatory' });
    writeFileSync(join(dir, 'pkg.tgz'), pkg);
    writeFileSync(join(dir, 'release.json'), JSON.stringify(release));
    writeFileSync(join(dir, 'other.tgz'), randomBytes(10));
    const bad = await ds('release', 'publish', '--org', 'acme', '--release', join(dir, 'release.json'), '--package', join(dir, 'other.tgz'));
    expect(bad).toMatchObject({ code: 1, err: expect.stringContaining('INVALID_ARGUMENT') });
    const ok = await ds('release', 'publish', '--org', 'acme', '--release', join(dir, 'release.json'), '--package', join(dir, 'pkg.tgz'));
    expect(ok).toMatchObject({ code: 0, out: expect.stringContaining('published 2.0.0 (mandatory') });
    expect((await ds('release', 'list', '--org', 'acme')).out).toMatch(/2\.0\.0\s+mandatory/);
    expect((await ds('release', 'withdraw', '--org', 'acme', '--version', '2.0.0')).code).toBe(0);
    const list = JSON.parse((await ds('release', 'list', '--json')).out);
    expect(list[0].withdrawnAt).toEqual(expect.any(String));
    const report = await ds('report', 'versions', '--org', 'acme');
    expect(report.code).toBe(0);
    expect(report.out).toBe('(none)\n\n(none)\n'); // no devices in this database
  });
});

describe('version order', () => {
  it('orders semantic versions', () => {
    const sorted = ['1.0.0', '1.0.0-rc.1', '1.0.0-alpha', '0.9.10', '1.10.0', '1.2.0', '1.0.0-alpha.1'].sort(compareVersions);
    expect(sorted).toEqual(['0.9.10', '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-rc.1', '1.0.0', '1.2.0', '1.10.0']);
  });
});
