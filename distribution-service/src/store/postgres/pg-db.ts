import pg from 'pg';
import type { AuditEntry } from '../audit.js';

export type { Row } from '../rows.js';
import type { Row } from '../rows.js';

/**
 * SQL text, or a named statement: PostgreSQL parses and plans a named one once per connection
 * (the hot paths: the sync write, the organisation lookup), where an unnamed one is parsed and
 * planned at every execution. Their result columns are named, never `*`: a migration that adds
 * a column must not change a prepared statement's result type.
 */
export type Sql = string | { name: string; text: string };

/** Anything that runs a query: the pool (autocommit) or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

/**
 * The connection pool shared by the area stores, the transaction helper and the audit write
 * every mutating method does inside its own DB transaction.
 */
export class PgDb {
  constructor(readonly pool: pg.Pool) {}

  async rows<T = Row>(sql: Sql, args: unknown[] = [], q: Queryable = this.pool): Promise<T[]> {
    return (await q.query(typeof sql === 'string' ? sql : { ...sql, values: args }, typeof sql === 'string' ? args : undefined)).rows as T[];
  }

  async one<T = Row>(sql: Sql, args: unknown[] = [], q: Queryable = this.pool): Promise<T | undefined> {
    return (await this.rows<T>(sql, args, q))[0];
  }

  /** Runs `fn` in one DB transaction on one pooled client; rolls back on any error. */
  async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const out = await fn(c);
      await c.query('COMMIT');
      return out;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      c.release();
    }
  }

  async writeAudit(c: Queryable, entry: AuditEntry | undefined): Promise<void> {
    if (!entry) return;
    await c.query('INSERT INTO audit_log (at, actor, org_id, action, target, details) VALUES ($1, $2, $3, $4, $5, $6)', [
      entry.at,
      entry.actor,
      entry.orgId,
      entry.action,
      entry.target,
      entry.details ? JSON.stringify(entry.details) : null,
    ]);
  }
}

/** 23505: unique_violation. */
export const isUniqueViolation = (e: unknown): boolean => typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505';

export { num, numOrNull } from '../rows.js';
