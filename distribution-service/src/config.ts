/** Settings of the dashboard (web UI for business users) and its login protection. */
export interface DashboardConfig {
  /** Serve /dashboard at all. */
  enabled: boolean;
  /** A session ends after this long without a request. */
  sessionIdleSeconds: number;
  /** ... and at the latest this long after login. */
  sessionMaxSeconds: number;
  /** Login attempts (POST /dashboard/login) per client IP per window; more get 429. */
  loginPerIpMax: number;
  loginPerIpWindowSeconds: number;
  /** Consecutive failed logins for one account before it is locked. */
  loginFreeFailures: number;
  /** First lock length; it doubles with every further failure, up to the maximum. */
  loginLockBaseSeconds: number;
  loginLockMaxSeconds: number;
  /** Slack on top of a device's sync cycle before it counts as late. */
  fleetGraceSeconds: number;
  /** Missed cycles (plus the grace) after which a device counts as offline rather than late. */
  offlineAfterCycles: number;
  /**
   * Key material for signing the CSRF cookie and binding tokens to sessions. Default: a random
   * secret kept in the database, so several DS instances on one database share it.
   */
  secret?: string | undefined;
}

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
  /**
   * Behind a TLS-terminating reverse proxy: trust its X-Forwarded-* headers (fastify's
   * `trustProxy`: true, or the proxy addresses as a comma-separated string). Decides the client IP for login rate
   * limits and whether dashboard cookies are marked Secure.
   */
  trustProxy: boolean | string;
  dashboard: DashboardConfig;
}

export const DEFAULT_DASHBOARD_CONFIG: DashboardConfig = {
  enabled: true,
  sessionIdleSeconds: 30 * 60,
  sessionMaxSeconds: 12 * 3600,
  loginPerIpMax: 20,
  loginPerIpWindowSeconds: 300,
  loginFreeFailures: 5,
  loginLockBaseSeconds: 30,
  loginLockMaxSeconds: 3600,
  fleetGraceSeconds: 600,
  offlineAfterCycles: 3,
};

export const DEFAULT_CONFIG: DsConfig = {
  certLifetimeSeconds: 90 * 24 * 3600,
  defaultCycleSeconds: 28_800,
  maxBatch: 1000,
  bodyLimitBytes: 4 * 1024 * 1024,
  maxClockSkewSeconds: 300,
  enableTestEndpoints: false,
  faults: { dropSyncResponsesAfterCommit: 0 },
  trustProxy: false,
  dashboard: DEFAULT_DASHBOARD_CONFIG,
};

export type DsConfigInput = Partial<Omit<DsConfig, 'dashboard'>> & { dashboard?: Partial<DashboardConfig> };

export function resolveConfig(partial: DsConfigInput = {}): DsConfig {
  return {
    ...DEFAULT_CONFIG,
    ...partial,
    faults: { ...DEFAULT_CONFIG.faults, ...partial.faults },
    dashboard: { ...DEFAULT_DASHBOARD_CONFIG, ...partial.dashboard },
  };
}
