import type Database from 'better-sqlite3';
import type { AuditEntry } from '../audit.js';

export type { Row } from '../rows.js';

/**
 * One SQLite connection shared by the area stores: a statement cache (preparing costs more
 * than running a simple query) and the audit write every mutating method does in its own
 * DB transaction.
 */
export class SqliteDb {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(readonly db: Database.Database) {}

  stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) this.statements.set(sql, (s = this.db.prepare(sql)));
    return s;
  }

  /** Runs `fn` in a write transaction taken up front (BEGIN IMMEDIATE): no upgrade deadlock. */
  write<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  writeAudit(entry: AuditEntry | undefined): void {
    if (!entry) return;
    this.stmt('INSERT INTO audit_log (at, actor, org_id, action, target, details) VALUES (?, ?, ?, ?, ?, ?)').run(
      entry.at,
      entry.actor,
      entry.orgId,
      entry.action,
      entry.target,
      entry.details ? JSON.stringify(entry.details) : null,
    );
  }
}

export const isUniqueViolation = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && String((e as { code?: unknown }).code).startsWith('SQLITE_CONSTRAINT');

/** Adds `sql` (one placeholder) to a WHERE list when the filter value is given. */
export function addCondition(where: string[], args: string[], sql: string, value: string | undefined): void {
  if (value === undefined) return;
  where.push(sql);
  args.push(value);
}
