import type { AuditEntry, AuditRow, AuditStore } from '../audit.js';
import type { Row, SqliteDb } from './sqlite-db.js';
import { toAudit } from '../audit-rows.js';

export class SqliteAuditStore implements AuditStore {
  constructor(private readonly s: SqliteDb) {}

  async addAudit(entry: AuditEntry): Promise<void> {
    this.s.writeAudit(entry);
  }

  async listAudit(q: { orgId?: string; beforeSeq?: number; limit: number }): Promise<AuditRow[]> {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.orgId !== undefined) {
      where.push('org_id = ?');
      args.push(q.orgId);
    }
    if (q.beforeSeq !== undefined) {
      where.push('seq < ?');
      args.push(q.beforeSeq);
    }
    const sql = `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`;
    return (this.s.stmt(sql).all(...args, q.limit) as Row[]).map(toAudit);
  }
}
