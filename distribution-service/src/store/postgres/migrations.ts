import type { PoolClient } from 'pg';

/**
 * Numbered PostgreSQL migrations, recorded in `schema_migrations`; append only, like the
 * SQLite list (same tables and meaning, PostgreSQL types). They run once per database: every
 * replica takes the same advisory lock before looking at what is applied, so replicas starting
 * together apply each migration exactly once and the others wait, then find it done.
 *
 * Differences from SQLite, on purpose:
 * - `transactions` is partitioned by month of `occurred_at` (timestamptz), so a month's report
 *   reads one partition; the organisation is a column (`org_seq`) so reports use an index
 *   (org, time) that covers every column they group by.
 * - A unique key on a partitioned table must contain the partition key, and (device, id) must be
 *   unique whatever occurredAt a client sends: `transaction_keys (device_seq, id)` holds that
 *   key alone, and the sync inserts a transaction only when its key was new (one statement).
 * - `transaction_labels` keeps the labels each organisation's transactions carry, so the
 *   report page's label filter never scans the transactions.
 * - Sorted text columns use the "C" collation: byte order, as SQLite sorts them.
 */
export const PG_MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
      CREATE TABLE organisations (
        seq integer GENERATED ALWAYS AS IDENTITY UNIQUE,
        id text COLLATE "C" PRIMARY KEY,
        name text COLLATE "C" NOT NULL UNIQUE,
        created_at text NOT NULL,
        cors_version integer NOT NULL DEFAULT 0,
        config_version integer NOT NULL DEFAULT 0,
        ds_cycle_seconds integer,
        log_level text
      );
      CREATE TABLE applications (
        id text PRIMARY KEY,
        org_id text NOT NULL REFERENCES organisations(id),
        label text COLLATE "C" NOT NULL,
        name text NOT NULL,
        created_at text NOT NULL,
        UNIQUE (org_id, label)
      );
      CREATE TABLE origins (
        org_id text NOT NULL REFERENCES organisations(id),
        app_id text NOT NULL REFERENCES applications(id),
        origin text COLLATE "C" NOT NULL,
        created_at text NOT NULL,
        PRIMARY KEY (org_id, origin)
      );
      CREATE TABLE install_tokens (
        id text PRIMARY KEY,
        org_id text NOT NULL REFERENCES organisations(id),
        token_hash text NOT NULL UNIQUE,
        created_at text NOT NULL,
        expires_at text,
        max_uses integer,
        uses integer NOT NULL DEFAULT 0
      );
      CREATE TABLE devices (
        seq integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id text NOT NULL UNIQUE,
        org_id text NOT NULL REFERENCES organisations(id),
        registered_at text COLLATE "C" NOT NULL,
        version text,
        os text,
        uptime_seconds bigint,
        last_error text,
        last_sync_at text,
        cert_serial text,
        cert_not_after text,
        cors_version_reported integer,
        cors_version_sent integer,
        config_version_sent integer,
        next_sync_after_seconds integer,
        -- Whether the last sync carried updateStatus (SQLite migration 5); null: never synced.
        can_update boolean
      );
      CREATE INDEX devices_org ON devices (org_id, registered_at);
      CREATE TABLE device_certificates (
        serial text PRIMARY KEY,
        device_id text NOT NULL REFERENCES devices(id),
        key_id text NOT NULL,
        public_key_pem text NOT NULL,
        certificate_pem text NOT NULL,
        issued_at text COLLATE "C" NOT NULL,
        not_before text NOT NULL,
        not_after text COLLATE "C" NOT NULL,
        -- A renewal retires the device's others but the signer (SQLite migration 3).
        retired_at text
      );
      CREATE INDEX device_certificates_device ON device_certificates (device_id, not_after);
      CREATE INDEX device_certificates_key ON device_certificates (key_id);
      CREATE TABLE transaction_keys (
        device_seq integer NOT NULL,
        id text NOT NULL,
        PRIMARY KEY (device_seq, id)
      );
      CREATE TABLE transactions (
        org_seq integer NOT NULL,
        device_seq integer NOT NULL,
        id text NOT NULL,
        use_case text COLLATE "C" NOT NULL,
        module text COLLATE "C" NOT NULL,
        result text COLLATE "C" NOT NULL,
        occurred_at timestamptz NOT NULL,
        label text COLLATE "C" NOT NULL,
        tag text COLLATE "C",
        received_at timestamptz NOT NULL,
        -- The UTC day and month, stored: reports group on them, and the planner has statistics
        -- for columns (grouped on an expression it guessed one group per row and sorted them all).
        occurred_day date GENERATED ALWAYS AS ((occurred_at AT TIME ZONE 'UTC')::date) STORED,
        occurred_month date GENERATED ALWAYS AS (date_trunc('month', occurred_at AT TIME ZONE 'UTC')::date) STORED
      ) PARTITION BY RANGE (occurred_at);
      -- Times outside the created months (a device clock far off) land here, still counted.
      CREATE TABLE transactions_default PARTITION OF transactions DEFAULT;
      CREATE INDEX transactions_org_time ON transactions (org_seq, occurred_at) INCLUDE (label, tag, use_case, module, result, device_seq, occurred_day, occurred_month);
      -- Signed requests already used, kept while their timestamp is inside the clock-skew window:
      -- a replay is refused by every replica, across restarts (SQLite migration 4).
      CREATE TABLE seen_requests (
        device_id text NOT NULL,
        timestamp bigint NOT NULL,
        expires_at bigint NOT NULL,
        PRIMARY KEY (device_id, timestamp)
      );
      CREATE INDEX seen_requests_expiry ON seen_requests (expires_at);
      CREATE TABLE transaction_labels (
        org_seq integer NOT NULL,
        label text COLLATE "C" NOT NULL,
        PRIMARY KEY (org_seq, label)
      );
      CREATE TABLE users (
        id text PRIMARY KEY,
        email text COLLATE "C" NOT NULL UNIQUE,
        role text NOT NULL,
        org_id text REFERENCES organisations(id),
        password_hash text NOT NULL,
        created_at text NOT NULL,
        password_changed_at text NOT NULL,
        disabled boolean NOT NULL DEFAULT false
      );
      CREATE TABLE dashboard_sessions (
        id_hash text PRIMARY KEY,
        user_id text NOT NULL REFERENCES users(id),
        created_at text NOT NULL,
        last_seen_at text NOT NULL,
        expires_at text COLLATE "C" NOT NULL
      );
      CREATE INDEX dashboard_sessions_user ON dashboard_sessions (user_id);
      CREATE TABLE login_throttle (
        key text PRIMARY KEY,
        failures integer NOT NULL,
        last_failure_at text NOT NULL,
        locked_until text
      );
      CREATE TABLE audit_log (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at text NOT NULL,
        actor text NOT NULL,
        org_id text,
        action text NOT NULL,
        target text,
        details text
      );
      CREATE INDEX audit_log_org ON audit_log (org_id, seq);
      CREATE TABLE secrets (
        name text PRIMARY KEY,
        value text NOT NULL,
        created_at text NOT NULL
      );
      -- The package bytes live in the database: every replica serves them, a backup holds them.
      CREATE TABLE releases (
        id text PRIMARY KEY,
        org_id text NOT NULL REFERENCES organisations(id),
        version text COLLATE "C" NOT NULL,
        flag text NOT NULL,
        minimum_version text NOT NULL,
        manifest text NOT NULL,
        signature text NOT NULL,
        sha256 text NOT NULL,
        size integer NOT NULL,
        package bytea NOT NULL,
        published_at text COLLATE "C" NOT NULL,
        withdrawn_at text,
        UNIQUE (org_id, version)
      );
      CREATE TABLE device_update_failures (
        device_id text COLLATE "C" NOT NULL REFERENCES devices(id),
        version text NOT NULL,
        reason text NOT NULL,
        first_reported_at text COLLATE "C" NOT NULL,
        last_reported_at text NOT NULL,
        PRIMARY KEY (device_id, version)
      );
      CREATE TABLE device_update_offers (
        device_id text PRIMARY KEY REFERENCES devices(id),
        version text NOT NULL,
        flag text NOT NULL,
        offered_at text NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'application-user-steps',
    sql: `
      -- Issue 14: who types the PIN (the connector's own page by default), when the user must
      -- consent to identity reads, and how long a PIN verified in a tab may be reused.
      ALTER TABLE applications ADD COLUMN pin_entry text NOT NULL DEFAULT 'CONNECTOR_PAGE' CHECK (pin_entry IN ('CONNECTOR_PAGE','HOST_PAGE'));
      ALTER TABLE applications ADD COLUMN consent text NOT NULL DEFAULT 'OFF' CHECK (consent IN ('OFF','ONCE_PER_ORIGIN','EVERY_SESSION'));
      ALTER TABLE applications ADD COLUMN pin_reuse_minutes integer NOT NULL DEFAULT 0 CHECK (pin_reuse_minutes BETWEEN 0 AND 1440);
    `,
  },
  {
    version: 3,
    name: 'sync-keys-byte-order',
    sql: `
      -- The keys every sync inserts 100 of compare as bytes: under a database's default
      -- collation (a libc locale) each B-tree comparison was a strcoll() call. Rebuilds the two
      -- indexes (PostgreSQL rewrites an index whose column collation changes).
      ALTER TABLE transaction_keys ALTER COLUMN id TYPE text COLLATE "C";
      ALTER TABLE seen_requests ALTER COLUMN device_id TYPE text COLLATE "C";
    `,
  },
];

/** Any constant works; it only has to be the same for every replica of one DS. */
const MIGRATION_LOCK = 0x43_4c_44_53; // "CLDS"

/**
 * Applies what is missing, under the advisory lock, one transaction per migration. `schema`
 * (a checked identifier, already on the connection's search_path) is created first, under the
 * lock too: CREATE SCHEMA IF NOT EXISTS itself races.
 */
export async function migratePostgres(client: PoolClient, schema?: string): Promise<number[]> {
  const applied: number[] = [];
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)');
    const done = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    for (const m of PG_MIGRATIONS) {
      if (done.has(m.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, new Date().toISOString()]);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK');
        throw e;
      }
      applied.push(m.version);
    }
    await ensureMonthPartitions(client, new Date(), 12, 3);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  }
  return applied;
}

const monthStart = (year: number, month: number): Date => new Date(Date.UTC(year, month, 1));

/**
 * Creates the monthly partitions from `back` months before `at` to `ahead` months after it,
 * where missing. A month whose rows already sit in the default partition (a far-off device
 * clock) cannot get its own partition without moving them; it is left in the default one,
 * which reports still read, only without pruning.
 */
export async function ensureMonthPartitions(client: PoolClient, at: Date, back: number, ahead: number): Promise<string[]> {
  const created: string[] = [];
  for (let i = -back; i <= ahead; i++) {
    const from = monthStart(at.getUTCFullYear(), at.getUTCMonth() + i);
    const to = monthStart(from.getUTCFullYear(), from.getUTCMonth() + 1);
    const name = `transactions_${from.toISOString().slice(0, 7).replace('-', '_')}`;
    const exists = await client.query('SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = $1 AND n.nspname = current_schema()', [name]);
    if (exists.rowCount) continue;
    try {
      // Names and bounds come from dates computed here, never from input.
      await client.query(`CREATE TABLE ${name} PARTITION OF transactions FOR VALUES FROM ('${from.toISOString()}') TO ('${to.toISOString()}')`);
      created.push(name);
    } catch (e) {
      // 23514: rows of that month already in the default partition.
      if ((e as { code?: string }).code !== '23514') throw e;
    }
  }
  return created;
}

/** The replicas' periodic job: months ahead exist before the first transaction needs them. */
export async function maintainPartitions(client: PoolClient, at: Date): Promise<string[]> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    return await ensureMonthPartitions(client, at, 0, 3);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  }
}
