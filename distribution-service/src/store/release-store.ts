import type { ReleaseFlag } from '@cardlink/release-format';
import type { Repository } from './repository.js';

export type { ReleaseFlag };

/** A published release of one organisation (the package bytes are read separately). */
export interface Release {
  id: string;
  orgId: string;
  version: string;
  flag: ReleaseFlag;
  minimumVersion: string;
  /** The exact signed manifest string and its base64 Ed25519 signature, as the release CLI wrote them. */
  manifest: string;
  signature: string;
  sha256: string;
  size: number;
  publishedAt: string;
  withdrawnAt: string | null;
}

export interface UpdateFailure {
  deviceId: string;
  version: string;
  reason: string;
  firstReportedAt: string;
  lastReportedAt: string;
}

export interface UpdateOfferRecord {
  deviceId: string;
  version: string;
  flag: ReleaseFlag;
  offeredAt: string;
}

/**
 * Releases and per-device update status. Kept beside the main Repository (not in it) so the
 * release feature owns its tables; the SQLite implementation shares the repository's database.
 */
export interface ReleaseStore {
  insertRelease(r: Release, pkg: Buffer): Promise<void>;
  findRelease(orgId: string, version: string): Promise<Release | undefined>;
  getRelease(id: string): Promise<Release | undefined>;
  /** Newest first by publication; withdrawn ones included. */
  listReleases(orgId?: string): Promise<Release[]>;
  withdrawRelease(id: string, at: string): Promise<void>;
  readPackage(id: string): Promise<Buffer | undefined>;
  /** Upsert on (device, version): the first report time stays, the latest reason wins. */
  recordFailures(deviceId: string, failures: { version: string; reason: string }[], at: string): Promise<void>;
  failures(deviceId: string): Promise<UpdateFailure[]>;
  failuresOfOrg(orgId?: string): Promise<UpdateFailure[]>;
  recordOffer(offer: UpdateOfferRecord): Promise<void>;
  clearOffer(deviceId: string): Promise<void>;
  offersOfOrg(orgId?: string): Promise<UpdateOfferRecord[]>;
}

const stores = new WeakMap<Repository, ReleaseStore>();

/** The release store that goes with a repository (created, and its tables migrated, on first use). */
export async function releaseStoreFor(repo: Repository): Promise<ReleaseStore> {
  let s = stores.get(repo);
  if (!s) {
    const db = (repo as { db?: unknown }).db;
    if (!db) throw new Error('releases need the SQLite repository');
    const { SqliteReleaseStore } = await import('./sqlite/sqlite-release-store.js');
    s = new SqliteReleaseStore(db as never);
    stores.set(repo, s);
  }
  return s;
}
