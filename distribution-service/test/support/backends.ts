import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { Repository } from '../../src/store/repository.js';
import { openPostgresRepository } from '../../src/store/postgres/postgres-repository.js';
import { openSqliteRepository } from '../../src/store/sqlite/sqlite-repository.js';

export type Backend = 'sqlite' | 'postgres';
export const BACKENDS: readonly Backend[] = ['sqlite', 'postgres'];

/** The backend the DS test files run on: DS_TEST_BACKEND (the distribution-service-postgres project sets it). */
export const testBackend = (): Backend => (process.env.DS_TEST_BACKEND === 'postgres' ? 'postgres' : 'sqlite');

/**
 * The test cluster's URL: CARDLINK_TEST_PG_URL, else what `scripts/services.sh postgres` wrote.
 * Suites that need it go through requireService (fail under CI=true, skip elsewhere).
 */
export function testPostgresUrl(): string | undefined {
  const fromEnv = process.env.CARDLINK_TEST_PG_URL;
  if (fromEnv) return fromEnv;
  const file = join(process.env.CARDLINK_PG_DIR ?? '/tmp/cardlink-pg', 'url');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

export interface TestStore {
  repo: Repository;
  /** What `ds --db` takes to reach the same data: a file or a postgres URL with its schema. */
  dbArg: string;
  close(): Promise<void>;
}

/** A fresh, empty store: a SQLite file in `dir`, or a PostgreSQL schema of its own (dropped at close). */
export async function openTestStore(backend: Backend, dir: string): Promise<TestStore> {
  if (backend === 'sqlite') {
    const file = join(dir, 'ds.sqlite');
    const repo = openSqliteRepository(file);
    return { repo, dbArg: file, close: () => repo.close() };
  }
  const base = testPostgresUrl();
  if (!base) throw new Error('no PostgreSQL for the tests: run `bash scripts/services.sh postgres` (or set CARDLINK_TEST_PG_URL)');
  const schema = `ds_test_${randomBytes(6).toString('hex')}`;
  const u = new URL(base);
  u.searchParams.set('schema', schema);
  const repo = await openPostgresRepository(u.toString(), { poolSize: 4, partitionCheckMs: 0 });
  return {
    repo,
    dbArg: u.toString(),
    async close() {
      await repo.close();
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      try {
        await c.query(`DROP SCHEMA ${schema} CASCADE`);
      } finally {
        await c.end();
      }
    },
  };
}

/** A URL to a schema of its own on the test cluster (created by the DS on first open), and how to drop it. */
export async function postgresSchemaUrl(): Promise<{ url: string; drop(): Promise<void> }> {
  const base = testPostgresUrl();
  if (!base) throw new Error('no PostgreSQL for the tests: run `bash scripts/services.sh postgres` (or set CARDLINK_TEST_PG_URL)');
  const schema = `ds_test_${randomBytes(6).toString('hex')}`;
  const u = new URL(base);
  u.searchParams.set('schema', schema);
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      try {
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await c.end();
      }
    },
  };
}
