import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { DeviceAuthenticator } from '../auth/device-auth.js';
import { DeviceKeyCache } from '../auth/device-keys.js';
import { MemoryReplayGuard } from '../auth/replay-guard.js';
import { createAuthority } from '../ca/authority.js';
import type { RootCa } from '../ca/root-ca.js';
import { systemClock, type Clock } from '../clock.js';
import { resolveConfig, type DsConfig, type DsConfigInput } from '../config.js';
import { dashboardPlugin } from '../dashboard/plugin.js';
import type { ServiceContext } from '../services/context.js';
import type { Repository } from '../store/repository.js';
import { installErrorHandling } from './errors.js';
import { Faults } from './faults.js';
import { installRawJsonParser } from './json-body.js';
import { healthRoutes } from './routes/health.js';
import { registerRoutes } from './routes/register.js';
import { releaseRoutes } from './routes/releases.js';
import { syncRoutes } from './routes/sync.js';
import { testFaultRoutes } from './routes/test-faults.js';
import type { DsRuntime } from './runtime.js';

export interface CreateDsOptions {
  db: Repository;
  ca: RootCa;
  clock?: Clock;
  config?: DsConfigInput;
  /** A pino logger; none by default (tests stay quiet). */
  logger?: FastifyBaseLogger;
}

export interface Ds {
  app: FastifyInstance;
  /** The services the HTTP API uses, for tests and tooling in the same process. */
  services: ServiceContext;
  faults: Faults;
  config: DsConfig;
  /** Listen on 127.0.0.1 (port 0 = any free port); resolves to the base URL. */
  listen(opts?: { port?: number; host?: string }): Promise<string>;
  /** Stop serving (idempotent). The repository stays open: it belongs to the caller. */
  close(): Promise<void>;
}

/** One DS: fastify app, services, certificate authority, device authentication. */
export function createDs(opts: CreateDsOptions): Ds {
  const clock = opts.clock ?? systemClock;
  const config = resolveConfig(opts.config);
  const ctx: ServiceContext = {
    repo: opts.db,
    clock,
    config,
    authority: createAuthority(opts.ca, { lifetimeSeconds: config.certLifetimeSeconds, clock }),
  };
  const keys = new DeviceKeyCache(opts.db.devices, clock);
  const skewMs = config.maxClockSkewSeconds * 1000;
  const rt: DsRuntime = {
    ctx,
    keys,
    auth: new DeviceAuthenticator(keys, new MemoryReplayGuard(skewMs), clock, skewMs),
    faults: new Faults(config.faults),
  };

  const app = Fastify({
    ...(config.tls ? { https: { cert: config.tls.cert, key: config.tls.key } } : {}),
    ...(opts.logger ? { loggerInstance: opts.logger } : { logger: false }),
    ...(config.trustProxy !== false ? { trustProxy: config.trustProxy } : {}),
    // One log line per request would cost more than the sync itself; routes log what matters.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.bodyLimitBytes,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allowUnionTypes: true, allErrors: false } },
  }) as unknown as FastifyInstance;

  installRawJsonParser(app, config.bodyLimitBytes);
  installErrorHandling(app);
  healthRoutes(app);
  registerRoutes(app, rt);
  syncRoutes(app, rt);
  releaseRoutes(app, rt);
  if (config.enableTestEndpoints) testFaultRoutes(app, rt);
  if (config.dashboard.enabled) {
    // Its own context: cookies, forms, CSRF, security headers and HTML errors stay under /dashboard.
    void app.register(dashboardPlugin, { prefix: '/dashboard', ctx });
    // A person who opens the DS's address lands on the dashboard, not on a JSON 404.
    app.get('/', (_request, reply) => reply.redirect('/dashboard/', 302));
  }

  let closing: Promise<void> | undefined;
  return {
    app,
    services: ctx,
    faults: rt.faults,
    config,
    async listen({ port = 0, host = '127.0.0.1' } = {}) {
      await app.listen({ port, host });
      const addr = app.server.address();
      if (!addr || typeof addr === 'string') throw new Error('DS is not listening on TCP');
      const h = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
      return `${config.tls ? 'https' : 'http'}://${h}:${addr.port}`;
    },
    close: () => (closing ??= app.close()),
  };
}
