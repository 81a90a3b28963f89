import type { ReleaseFlag } from '@cardlink/release-format';

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

/** Releases (with their package bytes, so every DS instance can serve them) and per-device update status. */
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
