/** Settings of one DS process; every field has a default so tests pass only what they change. */
export interface DsConfig {
  /** Lifetime of issued device certificates; seconds so tests can make it short. */
  certLifetimeSeconds: number;
  /** The cycle suggested to devices whose organisation has no override. */
  defaultCycleSeconds: number;
  /** Most transactions one sync may carry (more: 413 BATCH_TOO_LARGE). */
  maxBatch: number;
  bodyLimitBytes: number;
  /** Largest accepted difference between X-Timestamp and the DS clock. */
  maxClockSkewSeconds: number;
  /** Exposes /v1/test/* (fault injection). Never in production. */
  enableTestEndpoints: boolean;
  faults: { dropSyncResponsesAfterCommit: number };
  /** PEM certificate and key: serve HTTPS instead of HTTP. */
  tls?: { cert: string; key: string } | undefined;
}

export const DEFAULT_CONFIG: DsConfig = {
  certLifetimeSeconds: 90 * 24 * 3600,
  defaultCycleSeconds: 28_800,
  maxBatch: 1000,
  bodyLimitBytes: 4 * 1024 * 1024,
  maxClockSkewSeconds: 300,
  enableTestEndpoints: false,
  faults: { dropSyncResponsesAfterCommit: 0 },
};

export function resolveConfig(partial: Partial<DsConfig> = {}): DsConfig {
  return { ...DEFAULT_CONFIG, ...partial, faults: { ...DEFAULT_CONFIG.faults, ...partial.faults } };
}
