import type { Device, Organisation } from '../store/repository.js';
import type { ServiceContext } from './context.js';
import { nextSyncAfterSeconds } from './device-view.js';
import { requireOrganisation } from './organisations.js';

export const FLEET_STATUSES = ['online', 'late', 'offline'] as const;
export type FleetStatus = (typeof FLEET_STATUSES)[number];

export interface FleetDevice extends Device {
  status: FleetStatus;
  /** The cycle the device was asked to keep at its last contact (else the one in force now). */
  cycleSeconds: number;
  /** Last sync, or registration when it never synced. */
  lastContactAt: string;
  /** Whether the last answer gave it the organisation's current CORS list / configuration. */
  corsCurrent: boolean;
  configCurrent: boolean;
  /** Seconds until the certificate it serves expires (negative: expired); null when unknown. */
  certExpiresInSeconds: number | null;
}

/**
 * online: it synced within its cycle plus the grace period; late: it missed a sync but not
 * `offlineAfterCycles` of them; offline: longer. Judged against the cycle the DS gave the device
 * at its last contact, since a changed override only reaches it at the next sync. A connector
 * started with an explicit `--ds.cycle` longer than the DS default (and no organisation
 * override) syncs less often than the DS knows, and shows as late.
 */
export function fleetDevice(ctx: ServiceContext, org: Organisation, d: Device, now = ctx.clock.now()): FleetDevice {
  const cycleSeconds = d.nextSyncAfterSeconds ?? nextSyncAfterSeconds(ctx, org);
  const lastContactAt = d.lastSyncAt ?? d.registeredAt;
  const ageSeconds = (now - Date.parse(lastContactAt)) / 1000;
  const { fleetGraceSeconds: grace, offlineAfterCycles } = ctx.config.dashboard;
  const status: FleetStatus =
    ageSeconds <= cycleSeconds + grace ? 'online' : ageSeconds <= offlineAfterCycles * cycleSeconds + grace ? 'late' : 'offline';
  return {
    ...d,
    status,
    cycleSeconds,
    lastContactAt,
    corsCurrent: d.corsVersionSent === org.corsVersion,
    configCurrent: d.configVersionSent === org.configVersion,
    certExpiresInSeconds: d.certNotAfter ? Math.floor((Date.parse(d.certNotAfter) - now) / 1000) : null,
  };
}

export interface FleetQuery {
  org: string;
  status?: FleetStatus | undefined;
  version?: string | undefined;
  /** Case-insensitive substring of id, version, OS or last error. */
  q?: string | undefined;
  cors?: 'current' | 'outdated' | undefined;
  page?: number | undefined;
  pageSize?: number | undefined;
}

export interface FleetView {
  org: Organisation;
  devices: FleetDevice[];
  /** Matching devices before paging. */
  total: number;
  page: number;
  pages: number;
  /** Over the whole organisation, unfiltered. */
  counts: Record<FleetStatus, number> & { all: number; corsCurrent: number; configCurrent: number };
  versions: string[];
}

export async function fleet(ctx: ServiceContext, query: FleetQuery): Promise<FleetView> {
  const org = await requireOrganisation(ctx, query.org);
  const now = ctx.clock.now();
  const all = (await ctx.repo.devices.listDevices(org.id)).map((d) => fleetDevice(ctx, org, d, now));
  const counts = { online: 0, late: 0, offline: 0, all: all.length, corsCurrent: 0, configCurrent: 0 };
  for (const d of all) {
    counts[d.status]++;
    if (d.corsCurrent) counts.corsCurrent++;
    if (d.configCurrent) counts.configCurrent++;
  }
  const needle = query.q?.trim().toLowerCase();
  const matching = all.filter(
    (d) =>
      (!query.status || d.status === query.status) &&
      (!query.version || d.version === query.version) &&
      (!query.cors || d.corsCurrent === (query.cors === 'current')) &&
      (!needle || [d.id, d.version, d.os, d.lastError].some((v) => v?.toLowerCase().includes(needle))),
  );
  // Most recently seen first: the interesting ones (and the silent ones at the end).
  matching.sort((a, b) => (a.lastContactAt < b.lastContactAt ? 1 : a.lastContactAt > b.lastContactAt ? -1 : a.id < b.id ? -1 : 1));
  const pageSize = Math.min(Math.max(query.pageSize ?? 100, 1), 1000);
  const pages = Math.max(1, Math.ceil(matching.length / pageSize));
  const page = Math.min(Math.max(query.page ?? 1, 1), pages);
  const versions = [...new Set(all.map((d) => d.version).filter((v): v is string => v !== null))].sort();
  return { org, devices: matching.slice((page - 1) * pageSize, page * pageSize), total: matching.length, page, pages, counts, versions };
}
