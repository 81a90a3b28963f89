import { randomUUID } from 'node:crypto';
import { isoAt } from '../clock.js';
import { normaliseOrigin } from '../domain/origin.js';
import { CONSENT_MODES, isLabel, PIN_ENTRIES, TOKEN_RULE } from '@cardlink/ds-protocol';
import { DsError } from '../errors.js';
import type { Application, ApplicationSettings, OriginRow } from '../store/repository.js';
import { auditEntry, type Actor } from './audit-entry.js';
import type { ServiceContext } from './context.js';
import { requireOrganisation } from './organisations.js';

const checkLabel = (label: string): void => {
  if (!isLabel(label)) throw new DsError('INVALID_ARGUMENT', `a label is ${TOKEN_RULE}`);
};

const checkName = (raw: string): string => {
  const name = raw.trim();
  if (name.length === 0 || name.length > 200) throw new DsError('INVALID_ARGUMENT', 'an application name is 1-200 characters');
  return name;
};

/** New applications: the PIN on the connector's page, no consent step, no PIN reuse. */
export const DEFAULT_SETTINGS: ApplicationSettings = { pinEntry: 'CONNECTOR_PAGE', consent: 'OFF', pinReuseMinutes: 0 };

/** Check settings given by an administrator (dashboard, CLI); only the fields given. */
export function checkSettings(raw: { pinEntry?: unknown; consent?: unknown; pinReuseMinutes?: unknown }): Partial<ApplicationSettings> {
  const out: Partial<ApplicationSettings> = {};
  if (raw.pinEntry !== undefined) {
    if (!PIN_ENTRIES.includes(raw.pinEntry as never)) throw new DsError('INVALID_ARGUMENT', `pinEntry is one of ${PIN_ENTRIES.join(', ')}`);
    out.pinEntry = raw.pinEntry as ApplicationSettings['pinEntry'];
  }
  if (raw.consent !== undefined) {
    if (!CONSENT_MODES.includes(raw.consent as never)) throw new DsError('INVALID_ARGUMENT', `consent is one of ${CONSENT_MODES.join(', ')}`);
    out.consent = raw.consent as ApplicationSettings['consent'];
  }
  if (raw.pinReuseMinutes !== undefined) {
    const n = typeof raw.pinReuseMinutes === 'string' ? Number(raw.pinReuseMinutes) : raw.pinReuseMinutes;
    if (!Number.isInteger(n) || (n as number) < 0 || (n as number) > 1440) throw new DsError('INVALID_ARGUMENT', 'pinReuseMinutes is an integer from 0 to 1440');
    out.pinReuseMinutes = n as number;
  }
  return out;
}

export async function createApplication(
  ctx: ServiceContext,
  input: { org: string; label: string; name?: string | undefined; actor?: Actor | undefined } & Partial<ApplicationSettings>,
): Promise<Application> {
  const org = await requireOrganisation(ctx, input.org);
  checkLabel(input.label);
  const name = checkName(input.name ?? input.label);
  const settings = { ...DEFAULT_SETTINGS, ...checkSettings(input) };
  return ctx.repo.applications.createApplication(
    { id: randomUUID(), orgId: org.id, label: input.label, name, createdAt: isoAt(ctx.clock.now()), ...settings },
    auditEntry(ctx, input.actor, { orgId: org.id, action: 'app.create', target: input.label, details: { name } }),
  );
}

export async function listApplications(ctx: ServiceContext, org: string): Promise<Application[]> {
  return ctx.repo.applications.listApplications((await requireOrganisation(ctx, org)).id);
}

export async function requireApplication(ctx: ServiceContext, org: string, label: string): Promise<Application> {
  const o = await requireOrganisation(ctx, org);
  const app = await ctx.repo.applications.findApplication(o.id, label);
  if (!app) throw new DsError('NOT_FOUND', `no application with label ${label} in ${o.name}`);
  return app;
}

/** A new display name; the label (and so billing and CORS) stays. */
export async function renameApplication(
  ctx: ServiceContext,
  input: { org: string; label: string; name: string; actor?: Actor | undefined },
): Promise<Application> {
  const app = await requireApplication(ctx, input.org, input.label);
  const name = checkName(input.name);
  return ctx.repo.applications.updateApplication(
    app.orgId,
    app.id,
    { name },
    auditEntry(ctx, input.actor, { orgId: app.orgId, action: 'app.rename', target: app.label, details: { from: app.name, to: name } }),
  );
}

/**
 * New settings for the connector's own pages (PIN entry, consent, PIN reuse). Connectors get
 * them with the next origin list (the CORS version moves).
 */
export async function setApplicationSettings(
  ctx: ServiceContext,
  input: { org: string; label: string; actor?: Actor | undefined } & { pinEntry?: unknown; consent?: unknown; pinReuseMinutes?: unknown },
): Promise<Application> {
  const app = await requireApplication(ctx, input.org, input.label);
  const patch = checkSettings(input);
  const from = { pinEntry: app.pinEntry, consent: app.consent, pinReuseMinutes: app.pinReuseMinutes };
  return ctx.repo.applications.updateApplication(
    app.orgId,
    app.id,
    patch,
    auditEntry(ctx, input.actor, { orgId: app.orgId, action: 'app.settings', target: app.label, details: { from, to: { ...from, ...patch } } }),
  );
}

/**
 * A new billing label. Connectors learn it with the next CORS list (the version moves) and
 * record new transactions under it; transactions already recorded keep the old label.
 */
export async function relabelApplication(
  ctx: ServiceContext,
  input: { org: string; label: string; newLabel: string; actor?: Actor | undefined },
): Promise<Application> {
  const app = await requireApplication(ctx, input.org, input.label);
  checkLabel(input.newLabel);
  if (input.newLabel === app.label) return app;
  return ctx.repo.applications.updateApplication(
    app.orgId,
    app.id,
    { label: input.newLabel },
    auditEntry(ctx, input.actor, { orgId: app.orgId, action: 'app.relabel', target: app.label, details: { from: app.label, to: input.newLabel } }),
  );
}

/** Adds a CORS origin to an application; returns the normalised origin. CONFLICT if the organisation already has it. */
export async function addOrigin(
  ctx: ServiceContext,
  input: { org: string; label: string; origin: string; actor?: Actor | undefined },
): Promise<string> {
  const origin = normaliseOrigin(input.origin);
  if (!origin.ok) throw origin.error;
  const app = await requireApplication(ctx, input.org, input.label);
  const audit = auditEntry(ctx, input.actor, { orgId: app.orgId, action: 'origin.add', target: origin.value, details: { label: app.label } });
  const added = await ctx.repo.applications.addOrigin(app.orgId, app.id, origin.value, isoAt(ctx.clock.now()), audit);
  if (!added) throw new DsError('CONFLICT', `${origin.value} is already registered in this organisation`);
  return origin.value;
}

export async function removeOrigin(
  ctx: ServiceContext,
  input: { org: string; label: string; origin: string; actor?: Actor | undefined },
): Promise<string> {
  const origin = normaliseOrigin(input.origin);
  if (!origin.ok) throw origin.error;
  const app = await requireApplication(ctx, input.org, input.label);
  const audit = auditEntry(ctx, input.actor, { orgId: app.orgId, action: 'origin.remove', target: origin.value, details: { label: app.label } });
  if (!(await ctx.repo.applications.removeOrigin(app.orgId, app.id, origin.value, audit))) {
    throw new DsError('NOT_FOUND', `${origin.value} is not registered for ${input.label}`);
  }
  return origin.value;
}

export async function listOrigins(ctx: ServiceContext, org?: string): Promise<OriginRow[]> {
  return ctx.repo.applications.listOrigins(org ? (await requireOrganisation(ctx, org)).id : undefined);
}
