import type { Release, ReleaseFlag, UpdateFailure, UpdateOfferRecord } from './releases.js';
import { num, textOrNull, type Row } from './rows.js';

/** Row mappers of the releases area, shared by the SQLite and PostgreSQL stores. */
export const toRelease = (r: Row): Release => ({
  id: r.id as string,
  orgId: r.org_id as string,
  version: r.version as string,
  flag: r.flag as ReleaseFlag,
  minimumVersion: r.minimum_version as string,
  manifest: r.manifest as string,
  signature: r.signature as string,
  sha256: r.sha256 as string,
  size: num(r.size),
  publishedAt: r.published_at as string,
  withdrawnAt: textOrNull(r.withdrawn_at),
});

export const toFailure = (r: Row): UpdateFailure => ({
  deviceId: r.device_id as string,
  version: r.version as string,
  reason: r.reason as string,
  firstReportedAt: r.first_reported_at as string,
  lastReportedAt: r.last_reported_at as string,
});

export const toOffer = (r: Row): UpdateOfferRecord => ({
  deviceId: r.device_id as string,
  version: r.version as string,
  flag: r.flag as ReleaseFlag,
  offeredAt: r.offered_at as string,
});
