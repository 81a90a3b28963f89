import type { StateStore } from '../store/state-store.js';
import { STATE, type DsStatus } from './ds-state.js';
import type { CorsPayload } from '@cardlink/ds-protocol';
import type { SyncScheduler } from './sync-scheduler.js';

/** What `connector sync` prints: the outcome of one sync asked for now. */
export interface SyncReport {
  ok: boolean;
  error: string | null;
  finishedAt: string;
  nextSyncAt: string | null;
  acknowledged: number;
  originListVersion: number | null;
}

/**
 * Run a sync that starts now (one in flight is awaited first: it may predate the change the
 * caller wants) and report it from the status the scheduler saved.
 */
export async function syncReport(scheduler: Pick<SyncScheduler, 'syncFresh'>, state: StateStore): Promise<SyncReport> {
  await scheduler.syncFresh();
  const s = state.get<DsStatus>(STATE.status);
  const ok = s?.lastResult === 'ok';
  return {
    ok,
    error: ok ? null : (s?.lastError ?? 'DS_ERROR'),
    finishedAt: s?.lastSyncAt ?? new Date().toISOString(),
    nextSyncAt: s?.nextSyncAt ?? null,
    acknowledged: ok ? (s?.acknowledged ?? 0) : 0,
    originListVersion: state.get<CorsPayload>(STATE.cors)?.version ?? null,
  };
}
