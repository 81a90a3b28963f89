import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { loadOrCreateCa } from '../../ca/root-ca.js';
import { DEFAULT_CONFIG, type DsConfig } from '../../config.js';
import { createDs, type Ds } from '../../http/server.js';
import { createLogger } from '../../log/logger.js';
import type { Repository } from '../../store/repository.js';
import { describeDb, openRepository, storagePaths, type StorageOptions } from '../context.js';
import type { CliEnv } from '../runner.js';
import { claimStopSignals, isStopping } from '../stop-signals.js';

const int = (name: string) => (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} is a non-negative integer: ${v}`);
  return n;
};

/** Fault injection from the environment, for connector tests that start `ds serve` (PROTOCOL.md). */
function faultsFromEnv(): DsConfig['faults'] {
  const raw = process.env.DS_FAULT_DROP_SYNC_RESPONSE_AFTER_COMMIT;
  return { dropSyncResponsesAfterCommit: raw ? int('DS_FAULT_DROP_SYNC_RESPONSE_AFTER_COMMIT')(raw) : 0 };
}

export function serveCommand(program: Command, env: CliEnv): void {
  program
    .command('serve')
    .description('run the DS HTTP(S) API')
    .option('--port <port>', 'TCP port (0 = any free port)', int('port'), 8780)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--tls-cert <file>', 'PEM certificate: serve HTTPS')
    .option('--tls-key <file>', 'PEM private key for --tls-cert')
    .option('--cert-lifetime <seconds>', 'lifetime of issued device certificates', int('cert lifetime'), DEFAULT_CONFIG.certLifetimeSeconds)
    .option('--default-cycle <seconds>', 'sync cycle suggested when an organisation has no override', int('cycle'), DEFAULT_CONFIG.defaultCycleSeconds)
    .option('--max-batch <n>', 'most transactions per sync', int('max batch'), DEFAULT_CONFIG.maxBatch)
    .option('--enable-test-endpoints', 'expose /v1/test/faults (never in production)')
    .option('--no-dashboard', 'do not serve the web dashboard under /dashboard')
    .option('--trust-proxy [addresses]', 'behind a TLS-terminating proxy: trust X-Forwarded-* (from these comma-separated addresses, or any)')
    .option('--log-level <level>', 'fatal|error|warn|info|debug|trace', 'info')
    .option('--no-background-checkpoint', 'checkpoint the SQLite WAL inside commits (SQLite default) instead of on a worker thread')
    .option('--pg-pool <n>', 'PostgreSQL connections of this process', int('pool size'), 10)
    .option('--sqlite-synchronous <mode>', 'NORMAL (default; WAL keeps every commit across a process crash) or FULL (also across power loss)', 'NORMAL')
    .action(async (_opts: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals() as StorageOptions & Record<string, unknown>;
      if (Boolean(opts.tlsCert) !== Boolean(opts.tlsKey)) throw new Error('--tls-cert and --tls-key go together');
      const { dataDir, db } = storagePaths(opts);
      const synchronous = String(opts.sqliteSynchronous).toUpperCase();
      if (synchronous !== 'NORMAL' && synchronous !== 'FULL') throw new Error('--sqlite-synchronous is NORMAL or FULL');
      // Claimed before anything opens: a signal at any moment from here closes exactly what
      // is open by then (an open in flight is awaited first), once, and exits 0.
      const open: { repo?: Promise<Repository>; ds?: Ds; listening?: Promise<unknown> } = {};
      claimStopSignals(async () => {
        await open.listening?.catch(() => undefined);
        await open.ds?.close();
        await (await open.repo?.catch(() => undefined))?.close();
      });
      const repo = await (open.repo = openRepository(db, {
        sqlite: { synchronous, backgroundCheckpoint: opts.backgroundCheckpoint !== false },
        postgres: { poolSize: opts.pgPool as number },
      }));
      const ca = loadOrCreateCa(dataDir);
      const logger = createLogger(String(opts.logLevel));
      const ds = (open.ds = createDs({
        db: repo,
        ca,
        logger,
        config: {
          certLifetimeSeconds: opts.certLifetime as number,
          defaultCycleSeconds: opts.defaultCycle as number,
          maxBatch: opts.maxBatch as number,
          enableTestEndpoints: Boolean(opts.enableTestEndpoints) || process.env.DS_ENABLE_TEST_ENDPOINTS === '1',
          faults: faultsFromEnv(),
          trustProxy: opts.trustProxy === undefined ? false : opts.trustProxy === true ? true : String(opts.trustProxy),
          dashboard: { enabled: opts.dashboard !== false },
          tls: opts.tlsCert ? { cert: readFileSync(String(opts.tlsCert), 'utf8'), key: readFileSync(String(opts.tlsKey), 'utf8') } : undefined,
        },
      }));
      const listening = ds.listen({ port: opts.port as number, host: String(opts.host) });
      open.listening = listening;
      let url: string;
      try {
        url = await listening;
      } catch (e) {
        await ds.close();
        await repo.close();
        throw e;
      }
      // Stopping already (a signal came while binding): the claimed close ends the process.
      if (isStopping()) return new Promise<never>(() => undefined);
      // One machine-readable line on stdout: test harnesses wait for it to learn the port.
      env.io.out(`${JSON.stringify({ event: 'listening', url, dataDir, db: describeDb(db) })}\n`);
      logger.info({ url, db: describeDb(db), dataDir, testEndpoints: ds.config.enableTestEndpoints, dashboard: ds.config.dashboard.enabled ? `${url}/dashboard/` : null }, 'DS listening');
      // Serves until a stop signal: the claimed close above shuts down and exits.
      return new Promise<never>(() => undefined);
    });
}
