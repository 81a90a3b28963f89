import type { UpdateStatus } from '@cardlink/ds-protocol';
import { randomUUID } from 'node:crypto';
import type { AuthenticatedDevice } from '../auth/device-auth.js';
import { isoAt } from '../clock.js';
import { DsError } from '../errors.js';
import type { Release, ReleaseFlag } from '../store/releases.js';
import type { ServiceContext } from './context.js';
import { requireOrganisation } from './organisations.js';
import { checkPackageMatches, compareVersions, isVersion, newer, parseManifest } from './release-versions.js';

/** What the release CLI writes (release.json). */
export interface SignedRelease {
  manifest: string;
  signature: string;
}

/** The `update` member of a sync answer. */
export interface UpdateOffer {
  release: SignedRelease;
  /** Path of the package on this DS (relative to its base URL). */
  url: string;
  flag: ReleaseFlag;
}

/** The `updateStatus` member of a sync request. */
export type UpdateStatusInput = UpdateStatus;

export const packagePath = (id: string) => `/v1/releases/${id}/package`;

/** `ds release publish`: checks the manifest's shape and that the package is the one it describes. */
export async function publishRelease(ctx: ServiceContext, o: { org: string; release: SignedRelease; pkg: Buffer }): Promise<Release> {
  const org = await requireOrganisation(ctx, o.org);
  if (typeof o.release?.manifest !== 'string' || typeof o.release?.signature !== 'string') {
    throw new DsError('INVALID_ARGUMENT', 'release.json must be {"manifest": "...", "signature": "..."}');
  }
  if (Buffer.from(o.release.signature, 'base64').length !== 64) throw new DsError('INVALID_ARGUMENT', 'the signature is not a base64 Ed25519 signature');
  const m = parseManifest(o.release.manifest);
  checkPackageMatches(m, o.pkg);
  const s = ctx.repo.releases;
  if (await s.findRelease(org.id, m.version)) throw new DsError('CONFLICT', `${org.name} already has a release ${m.version}`);
  const r: Release = {
    id: randomUUID(),
    orgId: org.id,
    version: m.version,
    flag: m.flag,
    minimumVersion: m.minimumVersion,
    manifest: o.release.manifest,
    signature: o.release.signature,
    sha256: m.sha256,
    size: m.size,
    publishedAt: isoAt(ctx.clock.now()),
    withdrawnAt: null,
  };
  await s.insertRelease(r, o.pkg);
  return r;
}

export async function listReleases(ctx: ServiceContext, org?: string): Promise<Release[]> {
  return ctx.repo.releases.listReleases(org ? (await requireOrganisation(ctx, org)).id : undefined);
}

/** A withdrawn release is offered to nobody again; devices already on it stay until a newer one is offered. */
export async function withdrawRelease(ctx: ServiceContext, o: { org: string; version: string }): Promise<Release> {
  const org = await requireOrganisation(ctx, o.org);
  const s = ctx.repo.releases;
  const r = await s.findRelease(org.id, o.version);
  if (!r) throw new DsError('NOT_FOUND', `${org.name} has no release ${o.version}`);
  await s.withdrawRelease(r.id, isoAt(ctx.clock.now()));
  return (await s.getRelease(r.id))!;
}

/** The package of a release that is not withdrawn (GET /v1/releases/<id>/package). */
export async function releasePackage(ctx: ServiceContext, id: string): Promise<{ release: Release; pkg: Buffer }> {
  const s = ctx.repo.releases;
  const release = /^[0-9a-f-]{36}$/.test(id) ? await s.getRelease(id) : undefined;
  const pkg = release && !release.withdrawnAt ? await s.readPackage(id) : undefined;
  if (!release || !pkg) throw new DsError('NOT_FOUND', 'no such release package');
  return { release, pkg };
}

/**
 * Which release to offer a device at `current`, given the organisation's releases and the
 * versions this device reported as failed:
 * - never withdrawn, never failed on this device, never a downgrade or the same version,
 *   only when `current` >= the release's minimum version;
 * - the newest `mandatory` candidate wins;
 * - else a device on a (not withdrawn) `allowed` release stays there: no offer;
 * - else the newest `recommended` candidate. `allowed` releases are never offered.
 */
export function chooseOffer(releases: Release[], current: string, failed: ReadonlySet<string>): Release | undefined {
  if (!isVersion(current)) return undefined;
  const live = releases.filter((r) => !r.withdrawnAt);
  const candidates = live
    .filter((r) => !failed.has(r.version) && newer(r.version, current) && isVersion(r.minimumVersion) && compareVersions(current, r.minimumVersion) >= 0)
    .sort((a, b) => compareVersions(b.version, a.version));
  const mandatory = candidates.find((r) => r.flag === 'mandatory');
  if (mandatory) return mandatory;
  if (live.some((r) => r.flag === 'allowed' && compareVersions(r.version, current) === 0)) return undefined;
  return candidates.find((r) => r.flag === 'recommended');
}

/**
 * The update part of one sync: record the failures the device reports (the DS then never
 * offers those versions to it again) and pick the offer. Runs after the sync was recorded.
 */
export async function syncUpdate(
  ctx: ServiceContext,
  device: AuthenticatedDevice,
  o: { version: string; updateStatus?: UpdateStatusInput | undefined },
): Promise<UpdateOffer | undefined> {
  // Only connectors that can apply updates (supervised ones) send updateStatus; others get no offer.
  if (!o.updateStatus) return undefined;
  const s = ctx.repo.releases;
  const now = isoAt(ctx.clock.now());
  const reported = o.updateStatus.failed ?? [];
  const releases = await s.listReleases(device.orgId);
  if (releases.length === 0 && reported.length === 0) return undefined;
  const known = await s.failures(device.deviceId);
  const fresh = reported.filter((f) => !known.some((k) => k.version === f.version && k.reason === f.reason));
  if (fresh.length > 0) await s.recordFailures(device.deviceId, fresh, now);
  if (releases.length === 0) return undefined;
  const failed = new Set([...known.map((k) => k.version), ...reported.map((f) => f.version)]);
  const current = o.updateStatus.current ?? o.version;
  const r = chooseOffer(releases, current, failed);
  if (!r) return undefined;
  await s.recordOffer({ deviceId: device.deviceId, version: r.version, flag: r.flag, offeredAt: now });
  return { release: { manifest: r.manifest, signature: r.signature }, url: packagePath(r.id), flag: r.flag };
}

// The fleet's version report lives in its own module; re-exported so `releases.versionReport` keeps working.
export { lastUpdateError, versionReport, type DeviceUpdateStatus, type VersionCount, type VersionReport } from './version-report.js';
