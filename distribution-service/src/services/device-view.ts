import { isoAt } from '../clock.js';
import type { ConfigPayload, CorsEntry, RenewalWindow } from '@cardlink/ds-protocol';
import type { Organisation } from '../store/repository.js';
import type { ServiceContext } from './context.js';

/** What an organisation tells its devices (protocol shapes), shared by the register and sync answers. */
export type CorsView = { version: number; entries: CorsEntry[] } | { version: number; unchanged: true };
export type ConfigView = ConfigPayload;
export type { RenewalWindow };

/** Full list unless the device already holds this version (the list's ETag). */
export async function corsView(ctx: ServiceContext, org: Organisation, knownVersion?: number): Promise<CorsView> {
  if (knownVersion === org.corsVersion) return { version: org.corsVersion, unchanged: true };
  const rows = await ctx.repo.applications.listOrigins(org.id);
  return {
    version: org.corsVersion,
    entries: rows.map((r) => ({ origin: r.origin, label: r.label, pinEntry: r.pinEntry, consent: r.consent, pinReuseMinutes: r.pinReuseMinutes })),
  };
}

export function configView(org: Organisation): ConfigView {
  return {
    version: org.configVersion,
    ...(org.dsCycleSeconds !== null ? { dsCycleSeconds: org.dsCycleSeconds } : {}),
    ...(org.logLevel !== null ? { logLevel: org.logLevel } : {}),
  };
}

export const nextSyncAfterSeconds = (ctx: ServiceContext, org: Organisation): number =>
  org.dsCycleSeconds ?? ctx.config.defaultCycleSeconds;

/** RFC 9773-style suggestion: from 2/3 to 5/6 of the certificate's lifetime after issue. */
export function renewalWindow(issuedAtMs: number, notAfterMs: number): RenewalWindow {
  const life = notAfterMs - issuedAtMs;
  return { windowStart: isoAt(issuedAtMs + Math.round((life * 2) / 3)), windowEnd: isoAt(issuedAtMs + Math.round((life * 5) / 6)) };
}
