import type Database from 'better-sqlite3';

/**
 * Numbered migrations, applied in order and recorded in `schema_migrations`. Append only: a
 * shipped migration is never edited. The SQL avoids SQLite-only features (no WITHOUT ROWID,
 * no AUTOINCREMENT, ISO text times) so the PostgreSQL migrations can mirror it line by line
 * (`seq INTEGER PRIMARY KEY` becomes an identity column there).
 *
 * Transactions reference their device by the small integer `seq`, not the UUID, and carry no
 * organisation column (it follows from the device): the (device, id) key is the one index
 * every sync writes at random positions, so keeping its entries small keeps the number of
 * pages a sync dirties, and with it the WAL traffic, down (see bench/README in the package README).
 */
export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
      CREATE TABLE organisations (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        cors_version INTEGER NOT NULL DEFAULT 0,
        config_version INTEGER NOT NULL DEFAULT 0,
        ds_cycle_seconds INTEGER,
        log_level TEXT
      );
      CREATE TABLE applications (
        id TEXT PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES organisations(id),
        label TEXT NOT NULL,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (org_id, label)
      );
      CREATE TABLE origins (
        org_id TEXT NOT NULL REFERENCES organisations(id),
        app_id TEXT NOT NULL REFERENCES applications(id),
        origin TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (org_id, origin)
      );
      CREATE TABLE install_tokens (
        id TEXT PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES organisations(id),
        token_hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        expires_at TEXT,
        max_uses INTEGER,
        uses INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE devices (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        org_id TEXT NOT NULL REFERENCES organisations(id),
        registered_at TEXT NOT NULL,
        version TEXT,
        os TEXT,
        uptime_seconds BIGINT,
        last_error TEXT,
        last_sync_at TEXT,
        cert_serial TEXT,
        cert_not_after TEXT
      );
      CREATE INDEX devices_org ON devices (org_id);
      CREATE TABLE device_certificates (
        serial TEXT PRIMARY KEY,
        device_id TEXT NOT NULL REFERENCES devices(id),
        key_id TEXT NOT NULL,
        public_key_pem TEXT NOT NULL,
        certificate_pem TEXT NOT NULL,
        issued_at TEXT NOT NULL,
        not_before TEXT NOT NULL,
        not_after TEXT NOT NULL
      );
      CREATE INDEX device_certificates_device ON device_certificates (device_id, not_after);
      CREATE INDEX device_certificates_key ON device_certificates (key_id);
      CREATE TABLE transactions (
        device_seq INTEGER NOT NULL,
        id TEXT NOT NULL,
        use_case TEXT NOT NULL,
        module TEXT NOT NULL,
        result TEXT NOT NULL,
        occurred_at TEXT NOT NULL,
        label TEXT NOT NULL,
        tag TEXT,
        received_at TEXT NOT NULL,
        PRIMARY KEY (device_seq, id)
      );
      CREATE INDEX transactions_time ON transactions (occurred_at);
    `,
  },
  {
    version: 2,
    name: 'dashboard',
    sql: `
      -- What each device was told at its last contact: which CORS list and configuration
      -- version, and when to come back (the cycle its online/late/offline status is judged by).
      ALTER TABLE devices ADD COLUMN cors_version_reported INTEGER;
      ALTER TABLE devices ADD COLUMN cors_version_sent INTEGER;
      ALTER TABLE devices ADD COLUMN config_version_sent INTEGER;
      ALTER TABLE devices ADD COLUMN next_sync_after_seconds INTEGER;
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL,
        org_id TEXT REFERENCES organisations(id),
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        password_changed_at TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE dashboard_sessions (
        id_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id),
        created_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
      CREATE INDEX dashboard_sessions_user ON dashboard_sessions (user_id);
      CREATE TABLE login_throttle (
        key TEXT PRIMARY KEY,
        failures INTEGER NOT NULL,
        last_failure_at TEXT NOT NULL,
        locked_until TEXT
      );
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        org_id TEXT,
        action TEXT NOT NULL,
        target TEXT,
        details TEXT
      );
      CREATE INDEX audit_log_org ON audit_log (org_id, seq);
      CREATE TABLE secrets (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'certificate-retirement',
    sql: `
      -- A renewal retires every other certificate of the device but the one that signed the
      -- renewing sync: at most two stay live (issue 12). Retired ones stay for the record.
      ALTER TABLE device_certificates ADD COLUMN retired_at TEXT;
      -- Devices that renewed without limit before this: keep their two newest.
      UPDATE device_certificates SET retired_at = (
        SELECT MAX(d2.issued_at) FROM device_certificates d2 WHERE d2.device_id = device_certificates.device_id
      ) WHERE serial IN (
        SELECT serial FROM (
          SELECT serial, ROW_NUMBER() OVER (PARTITION BY device_id ORDER BY issued_at DESC, serial) AS n FROM device_certificates
        ) ranked WHERE n > 2
      );
    `,
  },
  {
    version: 4,
    name: 'seen-requests',
    sql: `
      -- Signed requests already used, kept while their timestamp is still inside the clock-skew
      -- window, so a captured sync replayed after a restart (or at another instance) is refused.
      CREATE TABLE seen_requests (
        device_id TEXT NOT NULL,
        timestamp BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        PRIMARY KEY (device_id, timestamp)
      );
      CREATE INDEX seen_requests_expiry ON seen_requests (expires_at);
    `,
  },
  {
    version: 5,
    name: 'device-can-update',
    sql: `
      -- Whether the device's last sync carried updateStatus (a supervised connector with a
      -- pinned release key): the others cannot take an update, whatever the DS offers.
      ALTER TABLE devices ADD COLUMN can_update INTEGER;
    `,
  },
  {
    version: 6,
    name: 'application-user-steps',
    sql: `
      -- Issue 14: who types the PIN (the connector's own page by default), when the user must
      -- consent to identity reads, and how long a PIN verified in a tab may be reused.
      ALTER TABLE applications ADD COLUMN pin_entry TEXT NOT NULL DEFAULT 'CONNECTOR_PAGE' CHECK (pin_entry IN ('CONNECTOR_PAGE','HOST_PAGE'));
      ALTER TABLE applications ADD COLUMN consent TEXT NOT NULL DEFAULT 'OFF' CHECK (consent IN ('OFF','ONCE_PER_ORIGIN','EVERY_SESSION'));
      ALTER TABLE applications ADD COLUMN pin_reuse_minutes INTEGER NOT NULL DEFAULT 0 CHECK (pin_reuse_minutes BETWEEN 0 AND 1440);
    `,
  },
];

/**
 * The release feature's own numbered migrations, recorded in `release_schema_migrations` so
 * they never collide with the main list in migrations.ts. Append only, like the main list.
 */
export const RELEASE_MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'releases',
    sql: `
      -- The package bytes live in the database: every DS instance behind a load balancer can
      -- serve them, and a backup of the database is a backup of the releases.
      CREATE TABLE releases (
        id TEXT PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES organisations(id),
        version TEXT NOT NULL,
        flag TEXT NOT NULL,
        minimum_version TEXT NOT NULL,
        manifest TEXT NOT NULL,
        signature TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        package BLOB NOT NULL,
        published_at TEXT NOT NULL,
        withdrawn_at TEXT,
        UNIQUE (org_id, version)
      );
      CREATE TABLE device_update_failures (
        device_id TEXT NOT NULL REFERENCES devices(id),
        version TEXT NOT NULL,
        reason TEXT NOT NULL,
        first_reported_at TEXT NOT NULL,
        last_reported_at TEXT NOT NULL,
        PRIMARY KEY (device_id, version)
      );
      CREATE TABLE device_update_offers (
        device_id TEXT PRIMARY KEY REFERENCES devices(id),
        version TEXT NOT NULL,
        flag TEXT NOT NULL,
        offered_at TEXT NOT NULL
      );
    `,
  },
];

export function migrateReleases(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS release_schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  for (const m of RELEASE_MIGRATIONS) {
    db.transaction(() => {
      // Checked inside the write transaction: two processes opening one database apply it once.
      if (db.prepare('SELECT 1 FROM release_schema_migrations WHERE version = ?').get(m.version)) return;
      db.exec(m.sql);
      db.prepare('INSERT INTO release_schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
    }).immediate();
  }
}

export function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const applied = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
  for (const m of MIGRATIONS) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
    }).immediate();
  }
  migrateReleases(db);
}
