import { join, resolve } from 'node:path';
import { systemClock } from '../clock.js';
import { resolveConfig } from '../config.js';
import type { ServiceContext } from '../services/context.js';
import { isPostgresUrl, openPostgresRepository, type PostgresOptions } from '../store/postgres/postgres-repository.js';
import type { Repository } from '../store/repository.js';
import { openSqliteRepository, type SqliteOptions } from '../store/sqlite/sqlite-repository.js';

export interface StorageOptions {
  db?: string;
  dataDir?: string;
}

/**
 * --data-dir (default $DS_DATA_DIR or ./.data/ds) holds the CA; --db (default $CARDLINK_DS_DB,
 * else <data-dir>/ds.sqlite) is a SQLite file or a postgres:// URL.
 */
export function storagePaths(opts: StorageOptions): { dataDir: string; db: string } {
  const dataDir = resolve(opts.dataDir ?? process.env.DS_DATA_DIR ?? '.data/ds');
  const db = opts.db ?? process.env.CARDLINK_DS_DB;
  return { dataDir, db: db ? (isPostgresUrl(db) ? db : resolve(db)) : join(dataDir, 'ds.sqlite') };
}

/** Opens the store `db` names: PostgreSQL for a postgres:// URL, SQLite otherwise. */
export async function openRepository(db: string, o: { sqlite?: SqliteOptions; postgres?: PostgresOptions } = {}): Promise<Repository> {
  return isPostgresUrl(db) ? openPostgresRepository(db, o.postgres) : openSqliteRepository(db, o.sqlite);
}

/** A URL with its password hidden, for logs and the listening line. */
export const describeDb = (db: string): string => {
  if (!isPostgresUrl(db)) return db;
  const u = new URL(db);
  if (u.password) u.password = '***';
  return u.toString();
};

/** A service context for one admin command; the caller closes `repo`. */
export async function adminContext(opts: StorageOptions): Promise<ServiceContext> {
  const { db } = storagePaths(opts);
  return { repo: await openRepository(db, { postgres: { poolSize: 2, partitionCheckMs: 0 } }), clock: systemClock, config: resolveConfig() };
}
