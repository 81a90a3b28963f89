/**
 * The fleet's connector versions and each device's update status: what `ds report versions`
 * prints and the dashboard's Versions page shows. One function for both, so they agree.
 */
import type { ReleaseFlag } from '../store/releases.js';
import type { ServiceContext } from './context.js';
import { requireOrganisation } from './organisations.js';
import { compareVersions, isVersion, newer } from './release-versions.js';

/** The version row of a device that never synced (it registered but reported nothing since). */
export const NEVER_SYNCED = '(never synced)';

export interface VersionCount {
  version: string;
  devices: number;
  /** The release's flag when this version is a published release of the organisation. */
  release: ReleaseFlag | 'withdrawn' | null;
}

export const UPDATE_STATUSES = ['up-to-date', 'offered', 'failed', 'cannot-update'] as const;
export type UpdateStatus = (typeof UPDATE_STATUSES)[number];

export interface DeviceUpdateStatus {
  deviceId: string;
  version: string | null;
  lastSyncAt: string | null;
  /**
   * cannot-update: its last sync carried no updateStatus (not supervised or no pinned release
   * key), so it takes no offer; offered: a newer release was offered and not (yet) installed;
   * failed: a newer version failed here; else up-to-date.
   */
  status: UpdateStatus;
  offeredVersion: string | null;
  offeredAt: string | null;
  /** Versions this device reported as failed (oldest first); the DS never offers them to it again. */
  failed: { version: string; reason: string; at: string }[];
}

export interface VersionReport {
  versions: VersionCount[];
  devices: DeviceUpdateStatus[];
}

/** `ds report versions`: the fleet's version distribution and each device's update status. */
export async function versionReport(ctx: ServiceContext, org?: string): Promise<VersionReport> {
  const orgId = org ? (await requireOrganisation(ctx, org)).id : undefined;
  const s = ctx.repo.releases;
  const [devices, releases, failures, offers] = await Promise.all([
    ctx.repo.devices.listDevices(orgId),
    s.listReleases(orgId),
    s.failuresOfOrg(orgId),
    s.offersOfOrg(orgId),
  ]);
  const counts = new Map<string, number>();
  for (const d of devices) counts.set(d.version ?? NEVER_SYNCED, (counts.get(d.version ?? NEVER_SYNCED) ?? 0) + 1);
  const orgIds = new Set(devices.map((d) => d.orgId));
  const flagOf = (v: string): VersionCount['release'] => {
    const r = releases.find((x) => x.version === v && orgIds.has(x.orgId));
    return r ? (r.withdrawnAt ? 'withdrawn' : r.flag) : null;
  };
  const versions = [...counts]
    .map(([version, n]) => ({ version, devices: n, release: flagOf(version) }))
    .sort((a, b) => (isVersion(a.version) && isVersion(b.version) ? compareVersions(b.version, a.version) : a.version < b.version ? -1 : 1));
  // Indexed once: a fleet has thousands of devices, and at most one offer per device.
  const offerOf = new Map(offers.map((o) => [o.deviceId, o]));
  const failuresOf = new Map<string, DeviceUpdateStatus['failed']>();
  for (const f of failures) {
    const list = failuresOf.get(f.deviceId) ?? [];
    list.push({ version: f.version, reason: f.reason, at: f.lastReportedAt });
    failuresOf.set(f.deviceId, list);
  }
  const rows: DeviceUpdateStatus[] = devices.map((d) => {
    const offer = offerOf.get(d.id);
    const fails = failuresOf.get(d.id) ?? [];
    const pending = offer && d.version !== null && newer(offer.version, d.version) ? offer : undefined;
    const failedOffer = pending !== undefined && fails.some((f) => f.version === pending.version);
    const failedNewer = fails.some((f) => d.version !== null && newer(f.version, d.version));
    return {
      deviceId: d.id,
      version: d.version,
      lastSyncAt: d.lastSyncAt,
      status: d.canUpdate === false ? 'cannot-update' : pending && !failedOffer ? 'offered' : failedNewer ? 'failed' : 'up-to-date',
      offeredVersion: pending && !failedOffer ? pending.version : null,
      offeredAt: pending && !failedOffer ? pending.offeredAt : null,
      failed: fails,
    };
  });
  return { versions, devices: rows };
}

/** The most recently reported failure of a device (its last update error), if any. */
export function lastUpdateError(d: DeviceUpdateStatus): DeviceUpdateStatus['failed'][number] | undefined {
  let last: DeviceUpdateStatus['failed'][number] | undefined;
  for (const f of d.failed) if (!last || f.at >= last.at) last = f;
  return last;
}
