import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

export type Db = Database.Database;

/**
 * Numbered migrations; `PRAGMA user_version` records how many ran. Append only: a shipped
 * migration is never edited, a new one is added.
 */
const MIGRATIONS: string[] = [
  `CREATE TABLE transactions (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     use_case TEXT NOT NULL CHECK (use_case IN ('IDENTITY_READ','AUTHENTICATION','SIGNATURE',
       'PIN_VERIFICATION','FILE_DOWNLOAD','FILE_UPLOAD','FILE_PRINT')),
     module TEXT NOT NULL,
     result TEXT NOT NULL,
     occurred_at TEXT NOT NULL,
     label TEXT NOT NULL,
     tag TEXT,
     synced_at TEXT
   );
   CREATE INDEX transactions_outbox ON transactions(seq) WHERE synced_at IS NULL;
   CREATE INDEX transactions_label_time ON transactions(label, occurred_at);
   CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
  // PIN_CHANGE and CONSENT join the use cases (SQLite cannot alter a CHECK: copy the table);
  // per origin: the user's consent and when the application last used the card.
  `CREATE TABLE transactions_v2 (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     use_case TEXT NOT NULL CHECK (use_case IN ('IDENTITY_READ','AUTHENTICATION','SIGNATURE',
       'PIN_VERIFICATION','PIN_CHANGE','CONSENT','FILE_DOWNLOAD','FILE_UPLOAD','FILE_PRINT')),
     module TEXT NOT NULL,
     result TEXT NOT NULL,
     occurred_at TEXT NOT NULL,
     label TEXT NOT NULL,
     tag TEXT,
     synced_at TEXT
   );
   INSERT INTO transactions_v2 SELECT * FROM transactions;
   DROP TABLE transactions;
   ALTER TABLE transactions_v2 RENAME TO transactions;
   CREATE INDEX transactions_outbox ON transactions(seq) WHERE synced_at IS NULL;
   CREATE INDEX transactions_label_time ON transactions(label, occurred_at);
   CREATE TABLE origin_activity (
     origin TEXT PRIMARY KEY,
     label TEXT NOT NULL,
     consent_at TEXT,
     last_used_at TEXT
   );`,
];

/**
 * Open (or create) the store, readable by its user only: the file is created 0600 before
 * SQLite opens it (SQLite gives -wal and -shm the mode of the database), and an existing
 * store and its side files are tightened to 0600.
 */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    closeSync(openSync(path, 'a', 0o600));
    chmodPrivate(path);
  }
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  if (path !== ':memory:') chmodPrivate(path);
  // NORMAL with WAL: a committed transaction survives a process crash; fsync at checkpoints.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

function chmodPrivate(path: string): void {
  for (const p of [path, `${path}-wal`, `${path}-shm`]) {
    if (existsSync(p)) chmodSync(p, 0o600);
  }
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
