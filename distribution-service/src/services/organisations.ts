import { randomUUID } from 'node:crypto';
import { isoAt } from '../clock.js';
import { LOG_LEVELS, type LogLevel } from '@cardlink/ds-protocol';
import { DsError } from '../errors.js';
import type { Organisation } from '../store/repository.js';
import { auditEntry, type Actor } from './audit-entry.js';
import type { ServiceContext } from './context.js';

const ORG_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$/;

export async function createOrganisation(ctx: ServiceContext, name: string, actor?: Actor): Promise<Organisation> {
  if (!ORG_NAME.test(name)) throw new DsError('INVALID_ARGUMENT', 'an organisation name is 1-100 characters of letters, digits, space . _ -');
  const id = randomUUID();
  return ctx.repo.applications.createOrganisation(
    { id, name, createdAt: isoAt(ctx.clock.now()) },
    auditEntry(ctx, actor, { orgId: id, action: 'org.create', target: name }),
  );
}

/** By id or name; NOT_FOUND otherwise. */
export async function requireOrganisation(ctx: ServiceContext, idOrName: string): Promise<Organisation> {
  const org = await ctx.repo.applications.findOrganisation(idOrName);
  if (!org) throw new DsError('NOT_FOUND', `no organisation ${idOrName}`);
  return org;
}

export const listOrganisations = (ctx: ServiceContext): Promise<Organisation[]> => ctx.repo.applications.listOrganisations();

export interface ConfigPatch {
  /** Seconds; null clears the override. */
  dsCycleSeconds?: number | null;
  logLevel?: LogLevel | null;
}

export const MIN_CYCLE_SECONDS = 10;
export const MAX_CYCLE_SECONDS = 30 * 24 * 3600;

/** Organisation-wide overrides that reach every device at its next sync. */
export async function setOrganisationConfig(ctx: ServiceContext, idOrName: string, patch: ConfigPatch, actor?: Actor): Promise<Organisation> {
  const org = await requireOrganisation(ctx, idOrName);
  const cycle = patch.dsCycleSeconds;
  if (cycle !== undefined && cycle !== null && (!Number.isInteger(cycle) || cycle < MIN_CYCLE_SECONDS || cycle > MAX_CYCLE_SECONDS)) {
    throw new DsError('INVALID_ARGUMENT', 'the cycle is an integer between 10 s and 30 days');
  }
  if (patch.logLevel !== undefined && patch.logLevel !== null && !LOG_LEVELS.includes(patch.logLevel)) {
    throw new DsError('INVALID_ARGUMENT', `log level is one of ${LOG_LEVELS.join(', ')}`);
  }
  const details: Record<string, unknown> = {};
  if (patch.dsCycleSeconds !== undefined) details.dsCycleSeconds = { from: org.dsCycleSeconds, to: patch.dsCycleSeconds };
  if (patch.logLevel !== undefined) details.logLevel = { from: org.logLevel, to: patch.logLevel };
  return ctx.repo.applications.setOrganisationConfig(org.id, patch, auditEntry(ctx, actor, { orgId: org.id, action: 'config.set', target: org.name, details }));
}
