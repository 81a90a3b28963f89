import type { AuditRow } from './audit.js';
import { num, textOrNull, type Row } from './rows.js';

/** The audit row mapper, shared by the SQLite and PostgreSQL stores. */
export const toAudit = (r: Row): AuditRow => ({
  seq: num(r.seq),
  at: r.at as string,
  actor: r.actor as string,
  orgId: textOrNull(r.org_id),
  action: r.action as string,
  target: textOrNull(r.target),
  details: r.details ? (JSON.parse(r.details as string) as Record<string, unknown>) : undefined,
});
