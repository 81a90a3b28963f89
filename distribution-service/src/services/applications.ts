import { randomUUID } from 'node:crypto';
import { isoAt } from '../clock.js';
import { normaliseOrigin } from '../domain/origin.js';
import { LABEL_RE } from '../domain/transaction.js';
import { DsError } from '../errors.js';
import type { Application, OriginRow } from '../store/repository.js';
import type { ServiceContext } from './context.js';
import { requireOrganisation } from './organisations.js';

export async function createApplication(
  ctx: ServiceContext,
  input: { org: string; label: string; name?: string | undefined },
): Promise<Application> {
  const org = await requireOrganisation(ctx, input.org);
  if (!LABEL_RE.test(input.label)) throw new DsError('INVALID_ARGUMENT', 'a label is 1-64 characters of A-Z a-z 0-9 . _ : -');
  const name = (input.name ?? input.label).trim();
  if (name.length === 0 || name.length > 200) throw new DsError('INVALID_ARGUMENT', 'an application name is 1-200 characters');
  return ctx.repo.createApplication({ id: randomUUID(), orgId: org.id, label: input.label, name, createdAt: isoAt(ctx.clock.now()) });
}

export async function listApplications(ctx: ServiceContext, org: string): Promise<Application[]> {
  return ctx.repo.listApplications((await requireOrganisation(ctx, org)).id);
}

async function requireApplication(ctx: ServiceContext, org: string, label: string): Promise<Application> {
  const o = await requireOrganisation(ctx, org);
  const app = await ctx.repo.findApplication(o.id, label);
  if (!app) throw new DsError('NOT_FOUND', `no application with label ${label} in ${o.name}`);
  return app;
}

/** Adds a CORS origin to an application; returns the normalised origin. CONFLICT if the organisation already has it. */
export async function addOrigin(ctx: ServiceContext, input: { org: string; label: string; origin: string }): Promise<string> {
  const origin = normaliseOrigin(input.origin);
  if (!origin.ok) throw origin.error;
  const app = await requireApplication(ctx, input.org, input.label);
  const added = await ctx.repo.addOrigin(app.orgId, app.id, origin.value, isoAt(ctx.clock.now()));
  if (!added) throw new DsError('CONFLICT', `${origin.value} is already registered in this organisation`);
  return origin.value;
}

export async function removeOrigin(ctx: ServiceContext, input: { org: string; label: string; origin: string }): Promise<string> {
  const origin = normaliseOrigin(input.origin);
  if (!origin.ok) throw origin.error;
  const app = await requireApplication(ctx, input.org, input.label);
  if (!(await ctx.repo.removeOrigin(app.orgId, app.id, origin.value))) {
    throw new DsError('NOT_FOUND', `${origin.value} is not registered for ${input.label}`);
  }
  return origin.value;
}

export async function listOrigins(ctx: ServiceContext, org?: string): Promise<OriginRow[]> {
  return ctx.repo.listOrigins(org ? (await requireOrganisation(ctx, org)).id : undefined);
}
