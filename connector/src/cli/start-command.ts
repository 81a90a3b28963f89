import { Command, Option } from 'commander';
import { DEFAULT_CARD_TIMING } from '../card/deadline.js';
import { resolve } from 'node:path';
import { DEFAULT_DS_CYCLE_SECONDS, DEFAULT_HOST, DEFAULT_PORT, defaultDataDir } from '../config/defaults.js';
import {
  LOG_LEVELS, parseDsCycle, parseDsUrl, parseHost, parseLogLevel, parsePort, parsePositiveInt, type StartOptions,
} from '../config/options.js';

/** `connector start`: options are parsed and validated by commander, then handed over whole. */
export function startCommand(run: (opts: StartOptions) => Promise<void>): Command {
  return new Command('start')
    .description('Serve the GraphQL API over HTTPS on loopback')
    .addOption(new Option('--port <port>', 'TCP port').default(DEFAULT_PORT).argParser(parsePort))
    .addOption(new Option('--host <host>', 'loopback address to bind').default(DEFAULT_HOST).argParser(parseHost))
    .addOption(new Option('--data-dir <dir>', 'where certificates, the database and state live').default(defaultDataDir()))
    .addOption(new Option('--origins <file>', 'static allow-list (JSON [{origin,label}]) for development and offline use'))
    .addOption(new Option('--ds.url <url>', 'Distribution Service URL').argParser(parseDsUrl))
    .addOption(new Option('--ds.token <token>', 'install token for the first registration (or --ds.token-file)'))
    .addOption(new Option('--ds.token-file <file>', 'file holding the install token'))
    .addOption(new Option('--ds.ca <file>', "PEM CA to trust for the DS's HTTPS certificate"))
    .addOption(new Option('--ds.cycle <seconds>', 'seconds between DS syncs').default(DEFAULT_DS_CYCLE_SECONDS).argParser(parseDsCycle))
    .addOption(
      new Option('--ds.initial-delay-max <seconds>', 'upper bound of the random delay before the first sync at a later start')
        .default(600)
        .argParser(parsePositiveInt('ds.initial-delay-max', 0, 86_400)),
    )
    .addOption(new Option('--log-level <level>', 'pino log level').default('info').choices(LOG_LEVELS).argParser(parseLogLevel))
    .addOption(
      new Option('--rate-limit <perSecond>', 'requests per second per origin').default(50).argParser(parsePositiveInt('rate-limit', 1, 1_000_000)),
    )
    .addOption(
      new Option('--max-body <bytes>', 'largest request body').default(256 * 1024).argParser(parsePositiveInt('max-body', 1024, 64 * 1024 * 1024)),
    )
    .addOption(new Option('--virtual-card <profile>', 'use an in-process virtual eID card instead of PC/SC').choices(['1.7', '1.8']))
    .addOption(
      new Option('--pkcs11.timeout <ms>', 'bound of one PKCS#11 library call (a PIN-pad entry included); past it the library is restarted')
        .default(30_000)
        .argParser(parsePositiveInt('pkcs11.timeout', 100, 600_000)),
    )
    .addOption(
      new Option('--card.apdu-timeout <ms>', 'a card command (APDU) that takes longer fails with CARD_TIMEOUT and the reader is reset')
        .default(DEFAULT_CARD_TIMING.apduMs)
        .argParser(parsePositiveInt('card.apdu-timeout', 100, 120_000)),
    )
    .addOption(
      new Option('--card.operation-timeout <ms>', 'a card operation (e.g. reading one file) that takes longer fails with CARD_TIMEOUT')
        .default(DEFAULT_CARD_TIMING.operationMs)
        .argParser(parsePositiveInt('card.operation-timeout', 1000, 600_000)),
    )
    .addOption(
      new Option('--card.idle-reset <seconds>', "reset a card's verified PIN after this long without a PIN operation (0: never)")
        .default(120)
        .argParser(parsePositiveInt('card.idle-reset', 0, 86_400)),
    )
    .addOption(new Option('--supervise', 'run under the update supervisor (owns the socket; zero-downtime updates and rollback)'))
    .addOption(new Option('--worker', 'internal: run as the supervisor\'s worker').hideHelp())
    .addOption(new Option('--update.key <file>', 'Ed25519 release public key (PEM), pinned into the data dir at the first start'))
    .addOption(
      new Option('--update.grace <seconds>', 'after a handover, how long the previous version stays ready for a rollback')
        .default(10)
        .argParser(parsePositiveInt('update.grace', 0, 3600)),
    )
    .addOption(
      new Option('--update.idle <seconds>', 'recommended updates apply after this long without a request')
        .default(60)
        .argParser(parsePositiveInt('update.idle', 0, 86_400)),
    )
    .addOption(
      new Option('--update.health-timeout <seconds>', 'a new version must start and pass its health check within this')
        .default(30)
        .argParser(parsePositiveInt('update.health-timeout', 1, 600)),
    )
    .action(async (o: Record<string, unknown>, cmd: Command) => {
      const tokenFile = o['ds.tokenFile'] ?? o['ds.token-file'];
      let dsToken = o['ds.token'] as string | undefined;
      if (!dsToken && typeof tokenFile === 'string') {
        const { readFileSync } = await import('node:fs');
        dsToken = readFileSync(tokenFile, 'utf8').trim();
      }
      await run({
        port: o.port as number,
        host: o.host as string,
        dataDir: resolve(o.dataDir as string),
        originsFile: o.origins ? resolve(o.origins as string) : undefined,
        dsUrl: o['ds.url'] as string | undefined,
        dsToken,
        dsCaFile: o['ds.ca'] ? resolve(o['ds.ca'] as string) : undefined,
        dsCycleSeconds: o['ds.cycle'] as number,
        dsCycleExplicit: cmd.getOptionValueSource('ds.cycle') === 'cli',
        dsInitialDelayMaxSeconds: (o['ds.initialDelayMax'] ?? o['ds.initial-delay-max']) as number,
        logLevel: o.logLevel as StartOptions['logLevel'],
        rateLimit: o.rateLimit as number,
        maxBodyBytes: o.maxBody as number,
        virtualCard: o.virtualCard as StartOptions['virtualCard'],
        pkcs11TimeoutMs: o['pkcs11.timeout'] as number,
        cardApduTimeoutMs: (o['card.apduTimeout'] ?? o['card.apdu-timeout']) as number,
        cardOperationTimeoutMs: (o['card.operationTimeout'] ?? o['card.operation-timeout']) as number,
        cardIdleResetSeconds: (o['card.idleReset'] ?? o['card.idle-reset']) as number,
        supervise: o.supervise === true,
        worker: o.worker === true,
        updateKeyFile: o['update.key'] ? resolve(o['update.key'] as string) : undefined,
        updateGraceSeconds: o['update.grace'] as number,
        updateIdleSeconds: o['update.idle'] as number,
        updateHealthTimeoutSeconds: (o['update.healthTimeout'] ?? o['update.health-timeout']) as number,
      });
    });
}
