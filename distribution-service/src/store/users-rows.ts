import type { DashboardSession, Role, User } from './users.js';
import { flag, textOrNull, type Row } from './rows.js';

/** Row mappers of the users area, shared by the SQLite and PostgreSQL stores. */
export const toUser = (r: Row): User => ({
  id: r.id as string,
  email: r.email as string,
  role: r.role as Role,
  orgId: textOrNull(r.org_id),
  passwordHash: r.password_hash as string,
  createdAt: r.created_at as string,
  passwordChangedAt: r.password_changed_at as string,
  disabled: flag(r.disabled),
});

export const toSession = (r: Row): DashboardSession => ({
  idHash: r.id_hash as string,
  userId: r.user_id as string,
  createdAt: r.created_at as string,
  lastSeenAt: r.last_seen_at as string,
  expiresAt: r.expires_at as string,
});
