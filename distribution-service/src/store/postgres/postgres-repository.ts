import pg from 'pg';
import type { Repository } from '../repository.js';
import { isStoreUnavailable } from '../unavailable.js';
import { PgApplicationStore } from './applications-store.js';
import { PgAuditStore } from './audit-store.js';
import { PgDeviceStore } from './devices-store.js';
import { maintainPartitions, migratePostgres } from './migrations.js';
import { PgDb } from './pg-db.js';
import { PgReleaseStore } from './releases-store.js';
import { PgTransactionStore } from './transactions-store.js';
import { PgUserStore } from './users-store.js';

export interface PostgresOptions {
  /** Connections per DS process (default 10). */
  poolSize?: number;
  /** How often a replica checks that the coming months' partitions exist (default 6 h; 0 = never). */
  partitionCheckMs?: number;
  /** How long to keep trying while the database is unreachable at start (default 60 s). */
  connectTimeoutMs?: number;
}

const SCHEMA_RE = /^[a-z_][a-z0-9_]{0,62}$/;

export const isPostgresUrl = (s: string): boolean => /^postgres(ql)?:\/\//.test(s);

/**
 * Opens a pool on `url` and migrates the database (once, under an advisory lock). A `schema`
 * query parameter (e.g. `?schema=ds_a`) puts every table in that schema, created if missing:
 * tests give each DS its own schema in one database.
 */
export async function openPostgresRepository(url: string, options: PostgresOptions = {}): Promise<PostgresRepository> {
  const u = new URL(url);
  const schema = u.searchParams.get('schema');
  u.searchParams.delete('schema');
  if (schema !== null && !SCHEMA_RE.test(schema)) throw new Error(`schema must match ${SCHEMA_RE}`);
  const pool = new pg.Pool({
    connectionString: u.toString(),
    max: options.poolSize ?? 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle connection dropped by the server (restart, failover) must not take the process down;
  // the pool replaces it and the next query reconnects.
  pool.on('error', () => undefined);
  // A replica may start while PostgreSQL restarts or fails over: wait for it, within bounds.
  const giveUpAt = Date.now() + (options.connectTimeoutMs ?? 60_000);
  for (let attempt = 0; ; attempt++) {
    try {
      const c = await pool.connect();
      try {
        await migratePostgres(c, schema ?? undefined);
      } finally {
        c.release();
      }
      break;
    } catch (e) {
      if (isStoreUnavailable(e) && Date.now() < giveUpAt) {
        await new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** attempt)));
        continue;
      }
      await pool.end();
      throw e;
    }
  }
  return new PostgresRepository(new PgDb(pool), options.partitionCheckMs ?? 6 * 3600_000);
}

/** The area stores over one connection pool: any number of replicas may share the database. */
export class PostgresRepository implements Repository {
  readonly applications: PgApplicationStore;
  readonly devices: PgDeviceStore;
  readonly transactions: PgTransactionStore;
  readonly users: PgUserStore;
  readonly releases: PgReleaseStore;
  readonly audit: PgAuditStore;
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(
    readonly db: PgDb,
    partitionCheckMs: number,
  ) {
    this.applications = new PgApplicationStore(db);
    this.devices = new PgDeviceStore(db);
    this.transactions = new PgTransactionStore(db);
    this.users = new PgUserStore(db);
    this.releases = new PgReleaseStore(db);
    this.audit = new PgAuditStore(db);
    if (partitionCheckMs > 0) {
      this.timer = setInterval(() => void this.maintain().catch(() => undefined), partitionCheckMs);
      this.timer.unref();
    }
  }

  /** Creates the next months' transaction partitions where missing. */
  async maintain(at = new Date()): Promise<string[]> {
    const c = await this.db.pool.connect();
    try {
      return await maintainPartitions(c, at);
    } finally {
      c.release();
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.db.pool.end();
  }
}
