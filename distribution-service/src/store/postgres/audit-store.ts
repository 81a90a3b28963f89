import type { AuditEntry, AuditRow, AuditStore } from '../audit.js';
import type { PgDb } from './pg-db.js';
import { toAudit } from '../audit-rows.js';

export class PgAuditStore implements AuditStore {
  constructor(private readonly p: PgDb) {}

  async addAudit(entry: AuditEntry): Promise<void> {
    await this.p.writeAudit(this.p.pool, entry);
  }

  async listAudit(q: { orgId?: string; beforeSeq?: number; limit: number }): Promise<AuditRow[]> {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.orgId !== undefined) where.push(`org_id = $${args.push(q.orgId)}`);
    if (q.beforeSeq !== undefined) where.push(`seq < $${args.push(q.beforeSeq)}`);
    const sql = `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT $${args.push(q.limit)}`;
    return (await this.p.rows(sql, args)).map(toAudit);
  }
}
