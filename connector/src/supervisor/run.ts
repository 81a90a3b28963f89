import { createLogger } from '../log/logger.js';
import type { StartOptions } from '../config/options.js';
import { CONNECTOR_VERSION } from '../version.js';
import { pinReleaseKey } from '../update/key-pin.js';
import { Supervisor } from './supervisor.js';

/** Options only the supervisor reads; workers get the rest of the command line. */
const SUPERVISOR_ONLY = new Set(['--supervise']);
const SUPERVISOR_ONLY_WITH_VALUE = new Set(['--update.key', '--update.grace', '--update.idle', '--update.health-timeout']);

export function workerArgs(argv: string[]): string[] {
  const start = argv.indexOf('start');
  const args = start >= 0 ? argv.slice(start + 1) : [];
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const name = a.includes('=') ? a.slice(0, a.indexOf('=')) : a;
    if (SUPERVISOR_ONLY.has(name)) continue;
    if (SUPERVISOR_ONLY_WITH_VALUE.has(name)) {
      if (!a.includes('=')) i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

/** `connector start --supervise`. */
export async function runSupervisor(opts: StartOptions): Promise<void> {
  const log = createLogger(opts.logLevel);
  const publicKey = pinReleaseKey(opts.dataDir, opts.updateKeyFile);
  if (!publicKey) log.warn('no release key pinned (--update.key): updates are off, only the installed version runs');
  const sup = new Supervisor({
    dataDir: opts.dataDir,
    host: opts.host,
    port: opts.port,
    workerArgs: workerArgs(process.argv),
    installed: { version: CONNECTOR_VERSION, entry: process.argv[1]!, execArgv: process.execArgv },
    publicKey,
    graceMs: (opts.updateGraceSeconds ?? 10) * 1000,
    idleMs: (opts.updateIdleSeconds ?? 60) * 1000,
    healthTimeoutMs: (opts.updateHealthTimeoutSeconds ?? 30) * 1000,
    log,
  });
  await sup.start();
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    sup.stop().then(
      () => {
        log.flush();
        process.exit(0);
      },
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // An operator (or a test) can ask for a DS sync now.
  process.on('SIGUSR2', () => sup.syncNow());
  process.stdout.write(`connector ready on ${sup.url}/graphql (supervised, version ${sup.activeVersion})\n`);
}
