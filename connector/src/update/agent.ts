import type { Logger } from 'pino';
import { ReleaseError } from '../release/manifest.js';
import { hasFailed, readUpdateState, MAX_FAILED } from './state.js';
import { stageOffer, type UpdateOffer } from './stager.js';
import { downloadPackage } from './download.js';
import type { FromWorker } from '../supervisor/protocol.js';

/** What the DS client asks of the update side at each sync (see DsClient#updates). */
export interface UpdateHooks {
  /** `updateStatus` for the sync request. */
  status(): { current: string; failed?: { version: string; reason: string }[] };
  /** An offer arrived in a sync answer. Must not throw; works in the background. */
  offer(update: UpdateOffer): void;
}

export interface UpdateAgentDeps {
  dataDir: string;
  dsUrl: string;
  dsCa?: string;
  version: string;
  publicKey: string | undefined;
  log: Logger;
  /** To the supervisor. */
  send(m: FromWorker): void;
}

/**
 * The worker's side of updates: report failures (kept by the supervisor in update/state.json)
 * at every sync, and verify + stage offers, then tell the supervisor, which applies them.
 */
export class UpdateAgent implements UpdateHooks {
  private staging: Promise<void> | undefined;
  private warnedNoKey = false;

  constructor(private readonly d: UpdateAgentDeps) {}

  status() {
    const failed = readUpdateState(this.d.dataDir).failed.slice(-MAX_FAILED).map((f) => ({ version: f.version, reason: f.reason.slice(0, 500) }));
    return { current: this.d.version, ...(failed.length ? { failed } : {}) };
  }

  offer(update: UpdateOffer): void {
    if (this.staging) return;
    if (!this.d.publicKey) {
      if (!this.warnedNoKey) this.d.log.warn('the DS offers an update but no release key is pinned (--update.key); ignored');
      this.warnedNoKey = true;
      return;
    }
    const claimed = claimedVersion(update);
    if (claimed && hasFailed(readUpdateState(this.d.dataDir), claimed)) return; // never again
    this.staging = this.stage(update, claimed).finally(() => (this.staging = undefined));
  }

  /** For tests: the staging in progress, if any. */
  get pending(): Promise<void> | undefined {
    return this.staging;
  }

  private async stage(update: UpdateOffer, claimed: string | undefined): Promise<void> {
    try {
      const m = await stageOffer(update, {
        dataDir: this.d.dataDir,
        publicKey: this.d.publicKey!,
        current: this.d.version,
        dsUrl: this.d.dsUrl,
        download: (url, maxBytes) => downloadPackage(url, { maxBytes, ...(this.d.dsCa ? { ca: this.d.dsCa } : {}) }),
      });
      if (m.flag === 'allowed') return; // allowed releases are stayed on, never pushed
      this.d.log.info({ version: m.version, flag: m.flag }, 'update verified and staged');
      this.d.send({ t: 'staged', version: m.version, flag: m.flag });
    } catch (e) {
      const reason = e instanceof ReleaseError ? `${e.code}: ${e.message}` : `STAGING_FAILED: ${(e as Error).message}`;
      this.d.log.warn({ version: claimed, reason }, 'update rejected');
      this.d.send({ t: 'rejected', version: claimed ?? 'unknown', reason });
    }
  }
}

/** The version an offer claims (unauthenticated until its signature verifies): what a failure is reported under. */
function claimedVersion(update: UpdateOffer): string | undefined {
  try {
    const v = (JSON.parse(update.release.manifest) as { version?: unknown }).version;
    return typeof v === 'string' && v.length <= 64 ? v : undefined;
  } catch {
    return undefined;
  }
}
