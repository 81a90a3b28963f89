import { join } from 'node:path';
import type { Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StartOptions } from './config/options.js';
import { createLogger, type Logger } from './log/logger.js';
import { openDatabase, type Db } from './store/database.js';
import { StateStore } from './store/state-store.js';
import { ensurePrivateDir } from './store/data-dir.js';
import { TransactionStore } from './transactions/transaction-store.js';
import { CertStore, type ServerCredentials } from './tls/cert-store.js';
import { OriginPolicy } from './origins/origin-policy.js';
import { readOriginsFile } from './origins/origins-file.js';
import { ensureLocalToken } from './local-token.js';
import { createEngine } from './graphql/engine.js';
import type { Services } from './graphql/context.js';
import { createGraphQLServer } from './http/graphql-server.js';
import { createHttpsServer, listen, tlsOptions } from './http/server.js';
import { PcscReaders } from './card/pcsc/pcsc-readers.js';
import { DEFAULT_CARD_TIMING, type CardTiming } from './card/deadline.js';
import { beidModule } from './card/modules/beid/beid-module.js';
import { createPkcs11Module } from './card/modules/pkcs11/pkcs11-module.js';
import { libraryRegistry } from './card/modules/pkcs11/libraries.js';
import { virtualCardReaders } from './card/virtual/virtual-card.js';
import { CONNECTOR_VERSION } from './version.js';
import { FileTypeRegistry } from './files/file-types.js';
import { FileService } from './files/file-service.js';
import { FileTransfers, TRANSFER_PREFIX } from './files/file-transfers.js';
import { PrintService } from './printing/print-service.js';
import { removeRuntime, writeRuntime } from './runtime-file.js';
import { syncReport } from './ds/sync-report.js';
import { readFileSync } from 'node:fs';
import { PendingOperations } from './pages/pending-operations.js';
import { ConsentStore } from './pages/consent-store.js';
import { pageRoutes } from './pages/routes.js';
import type { DsClient } from './ds/ds-client.js';
import type { SyncScheduler } from './ds/sync-scheduler.js';

export interface RunningConnector {
  readonly port: number;
  readonly host: string;
  readonly url: string;
  readonly server: Server;
  readonly services: Services;
  readonly origins: OriginPolicy;
  readonly certs: CertStore;
  readonly state: StateStore;
  readonly db: Db;
  readonly log: Logger;
  /** Swap the TLS credentials in place: new handshakes use them, open connections go on. */
  useCredentials(creds: ServerCredentials): void;
  /** The DS client and its timer, when a DS manages this connector. */
  readonly ds: { client: DsClient; scheduler: SyncScheduler } | undefined;
  close(): Promise<void>;
}

/** Wire every part together and listen. The order follows the request path. */
export async function startConnector(opts: StartOptions, log: Logger = createLogger(opts.logLevel)): Promise<RunningConnector> {
  ensurePrivateDir(opts.dataDir);
  const db = openDatabase(join(opts.dataDir, 'connector.db'));
  const state = new StateStore(db);
  const transactions = new TransactionStore(db);
  const certs = new CertStore(opts.dataDir);
  const creds = await certs.ensure();
  const origins = new OriginPolicy(opts.originsFile ? readOriginsFile(opts.originsFile) : []);
  const localToken = ensureLocalToken(opts.dataDir);
  const readers = opts.virtualCard ? await virtualCardReaders(opts.virtualCard, opts.dataDir, log) : new PcscReaders(log, cardTiming(opts)).start();

  const services: Services = {
    version: CONNECTOR_VERSION,
    startedAt: Date.now(),
    readers,
    transactions,
    beid: beidModule.open(readers, { idleResetMs: (opts.cardIdleResetSeconds ?? 120) * 1000, state, log }),
    pkcs11: createPkcs11Module({
      libraries: libraryRegistry(opts.dataDir, (e) => log.error({ err: e }, 'pkcs11-libraries.json is invalid; keeping the last good list')),
      callTimeoutMs: opts.pkcs11TimeoutMs,
      // No idle reset needed: a PKCS#11 login never outlives the call that made it.
    }).open(readers, { idleResetMs: 0, log }),
    deviceId: () => state.get<string>('ds.deviceId') ?? null,
    managed: () => opts.dsUrl !== undefined,
    files: {
      service: new FileService(new FileTypeRegistry(opts.dataDir, (e) => log.error({ err: e }, 'file-types.json is invalid; keeping the last good mapping'))),
      transfers: new FileTransfers(),
    },
    printing: new PrintService({ spoolDir: join(opts.dataDir, 'print-spool') }),
    appSettings: (label) => origins.current().settingsFor(label),
    operations: new PendingOperations(),
    consents: new ConsentStore(db),
    log,
  };
  // Consent given "for this session" ends when a card leaves.
  readers.subscribe((e) => {
    if (e.type === 'CARD_REMOVED' || e.type === 'READER_REMOVED') services.consents.endSession();
  });
  const engine = createEngine({ onUnexpectedError: (e) => log.error({ err: e }, 'resolver failed') });

  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.destroy();
  const server = createHttpsServer(creds, (req, res) => handle(req, res));
  // A supervised worker never listens: the supervisor owns the socket and hands it connections.
  const port = opts.worker ? opts.port : await listen(server, opts.port, opts.host);
  const yoga = createGraphQLServer({
    port,
    engine,
    services,
    origins,
    localToken,
    rateLimit: opts.rateLimit,
    maxBodyBytes: opts.maxBodyBytes,
    routes: { [TRANSFER_PREFIX]: services.files.transfers.route },
    log,
    pages: pageRoutes({
      operations: services.operations,
      consents: services.consents,
      origins,
      readers,
      triesLeft: (readerId) => services.beid?.pinTriesLeft(readerId) ?? Promise.resolve(null),
    }),
  });
  handle = (req, res) => void yoga(req, res);
  const useCredentials = (c: ServerCredentials) => server.setSecureContext(tlsOptions(c));
  const ds = opts.dsUrl ? await startDsSync(opts, { state, certs, transactions, origins, log, useCredentials, startedAt: services.startedAt }) : undefined;
  if (ds) services.ds = { syncNow: () => syncReport(ds.scheduler, state) };
  if (!opts.worker) writeRuntime(opts.dataDir, { pid: process.pid, host: opts.host, port, version: CONNECTOR_VERSION, startedAt: new Date().toISOString() });
  const hostForUrl = opts.host === '::1' ? '[::1]' : opts.host;
  log.info({ port, host: opts.host, origins: origins.entries.length }, 'connector listening');

  return {
    port,
    host: opts.host,
    url: `https://${hostForUrl}:${port}`,
    server,
    services,
    origins,
    certs,
    state,
    db,
    log,
    useCredentials,
    ds,
    close: once(async () => {
      await ds?.scheduler.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2000).unref();
      });
      await services.pkcs11?.close();
      await readers.close();
      if (!opts.worker) removeRuntime(opts.dataDir);
      db.close();
      log.flush();
    }),
  };
}

/** Closing twice (a signal and the supervisor's disconnect) closes once; both wait for it. */
function once(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => (closing ??= close());
}

interface DsDeps {
  state: StateStore;
  certs: CertStore;
  transactions: TransactionStore;
  origins: OriginPolicy;
  log: Logger;
  useCredentials(c: ServerCredentials): void;
  startedAt: number;
}

/** Register (first start) and sync with the DS on its timer. */
async function startDsSync(opts: StartOptions, d: DsDeps): Promise<{ client: DsClient; scheduler: SyncScheduler }> {
  // Loaded only for a managed connector: the HTTP client and forge stay out of unmanaged ones.
  const [{ createDsHttp }, { DsClient }, { SyncScheduler }] = await Promise.all([
    import('./ds/ds-http.js'),
    import('./ds/ds-client.js'),
    import('./ds/sync-scheduler.js'),
  ]);
  const url = opts.dsUrl!;
  const http = createDsHttp({ baseUrl: url, ...(opts.dsCaFile ? { ca: readFileSync(opts.dsCaFile, 'utf8') } : {}) });
  const client = new DsClient({
    url,
    http,
    ...d,
    version: CONNECTOR_VERSION,
    ...(opts.dsToken ? { installToken: opts.dsToken } : {}),
    ...(opts.dsCycleExplicit ? { cycleSeconds: opts.dsCycleSeconds } : {}),
  });
  const scheduler = new SyncScheduler(client, d.state, d.log, {
    url,
    cliCycleSeconds: opts.dsCycleSeconds,
    cliCycleExplicit: opts.dsCycleExplicit,
    initialDelayMaxSeconds: opts.dsInitialDelayMaxSeconds,
  });
  // A supervised worker syncs only while it is the routed one (the supervisor activates it).
  if (opts.worker) client.restore();
  else scheduler.start();
  return { client, scheduler };
}

function cardTiming(opts: StartOptions): CardTiming {
  return {
    apduMs: opts.cardApduTimeoutMs ?? DEFAULT_CARD_TIMING.apduMs,
    operationMs: opts.cardOperationTimeoutMs ?? DEFAULT_CARD_TIMING.operationMs,
  };
}
