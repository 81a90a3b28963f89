import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Repository } from '../repository.js';
import { SqliteApplicationStore } from './applications-store.js';
import { SqliteAuditStore } from './audit-store.js';
import { BackgroundCheckpointer } from './checkpointer.js';
import { SqliteDeviceStore } from './devices-store.js';
import { migrate } from './migrations.js';
import { SqliteReleaseStore } from './releases-store.js';
import { SqliteDb } from './sqlite-db.js';
import { SqliteTransactionStore } from './transactions-store.js';
import { SqliteUserStore } from './users-store.js';

export interface SqliteOptions {
  /** `synchronous` pragma; NORMAL (default) with WAL loses no committed transaction on a process crash. */
  synchronous?: 'FULL' | 'NORMAL';
  /** Checkpoint the WAL on a worker thread instead of inside commits (for the server). */
  backgroundCheckpoint?: boolean;
}

export function openSqliteRepository(path: string, options: SqliteOptions = {}): SqliteRepository {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
  // Admin CLI commands write while the server runs: wait for the lock rather than fail.
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  migrate(db);
  let checkpointer: BackgroundCheckpointer | undefined;
  if (options.backgroundCheckpoint && path !== ':memory:') {
    db.pragma('wal_autocheckpoint = 0');
    checkpointer = new BackgroundCheckpointer(path);
  }
  return new SqliteRepository(new SqliteDb(db), checkpointer);
}

/** The area stores over one SQLite connection (better-sqlite3 is synchronous: one writer, no pool). */
export class SqliteRepository implements Repository {
  readonly applications: SqliteApplicationStore;
  readonly devices: SqliteDeviceStore;
  readonly transactions: SqliteTransactionStore;
  readonly users: SqliteUserStore;
  readonly releases: SqliteReleaseStore;
  readonly audit: SqliteAuditStore;

  constructor(
    private readonly s: SqliteDb,
    private readonly checkpointer?: BackgroundCheckpointer,
  ) {
    this.applications = new SqliteApplicationStore(s);
    this.devices = new SqliteDeviceStore(s);
    this.transactions = new SqliteTransactionStore(s);
    this.users = new SqliteUserStore(s);
    this.releases = new SqliteReleaseStore(s);
    this.audit = new SqliteAuditStore(s);
  }

  private closing: Promise<void> | undefined;

  /** Idempotent: a shutdown that races another close waits for the same one. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.checkpointer?.stop();
      this.s.db.close();
    })();
    return this.closing;
  }
}
