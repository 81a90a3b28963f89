import type { FastifyReply, FastifyRequest } from 'fastify';
import { DsError } from '../errors.js';
import type { ServiceContext } from '../services/context.js';
import { requireOrganisation } from '../services/organisations.js';
import type { DashboardSession, Organisation, User } from '../store/repository.js';

// What the dashboard's route modules share with plugin.ts, apart from it: plugin.ts imports
// every route module, so a route importing plugin.ts would be an import cycle.

export interface DashboardAuth {
  user: User;
  session: DashboardSession;
  /** The cookie value (only its hash is stored). */
  token: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    dashboard: DashboardAuth | null;
  }
  interface FastifyContextConfig {
    /** Reachable without a session (login page, stylesheet). */
    public?: boolean;
  }
}

export const SESSION_COOKIE = 'ds_session';
export const CSRF_COOKIE = 'ds_csrf';

/** What every dashboard route module gets. */
export interface DashboardDeps {
  ctx: ServiceContext;
  /** A CSRF token for the forms of the page being rendered (sets the secret cookie on first use). */
  csrf(request: FastifyRequest, reply: FastifyReply): string;
  /** Cookie attributes: HttpOnly, SameSite=Strict, Path=/dashboard, Secure over HTTPS. */
  cookieOptions(request: FastifyRequest, maxAgeSeconds?: number): Record<string, unknown>;
}

export const isHttps = (request: FastifyRequest): boolean => request.protocol === 'https';

/** The logged-in user of a route that requires one (the onRequest hook has checked). */
export function authOf(request: FastifyRequest): DashboardAuth {
  if (!request.dashboard) throw new DsError('UNAUTHENTICATED', 'log in first');
  return request.dashboard;
}

/** Admins change things; business users only read. */
export function requireAdmin(request: FastifyRequest): DashboardAuth {
  const auth = authOf(request);
  if (auth.user.role !== 'admin') throw new DsError('FORBIDDEN', 'your role is read-only: only an admin can change this');
  return auth;
}

/** An organisation the user may see; others do not exist for them. */
export async function orgFor(deps: DashboardDeps, request: FastifyRequest, name: string): Promise<Organisation> {
  const { user } = authOf(request);
  const org = await requireOrganisation(deps.ctx, name);
  if (user.orgId !== null && user.orgId !== org.id) throw new DsError('NOT_FOUND', `no organisation ${name}`);
  return org;
}

/** A single text field of a form or query; repeated fields are refused. */
export function field(source: unknown, name: string): string | undefined {
  const v = (source as Record<string, unknown> | null | undefined)?.[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new DsError('INVALID_ARGUMENT', `${name} is given more than once`);
  return v;
}
