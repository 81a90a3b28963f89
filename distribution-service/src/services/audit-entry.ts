import { userInfo } from 'node:os';
import { isoAt } from '../clock.js';
import type { AuditEntry } from '../store/repository.js';
import type { ServiceContext } from './context.js';

/**
 * Who makes a change: `user:<email>` from the dashboard, `cli:<os user>` from the admin CLI.
 * Services take it as an optional `actor`; when given, the change and its audit line are
 * written in one database transaction.
 */
export type Actor = string;

export const userActor = (email: string): Actor => `user:${email}`;

export function cliActor(): Actor {
  let name = 'unknown';
  try {
    name = userInfo().username;
  } catch {
    // no passwd entry (containers): keep "unknown"
  }
  return `cli:${name}`;
}

export function auditEntry(
  ctx: ServiceContext,
  actor: Actor | undefined,
  e: { orgId: string | null; action: string; target: string | null; details?: Record<string, unknown> },
): AuditEntry | undefined {
  if (actor === undefined) return undefined;
  return { at: isoAt(ctx.clock.now()), actor, orgId: e.orgId, action: e.action, target: e.target, ...(e.details ? { details: e.details } : {}) };
}
