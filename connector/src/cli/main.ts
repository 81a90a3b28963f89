import { Command, CommanderError } from 'commander';
import { startCommand } from './start-command.js';
import { trustCommand, untrustCommand } from './trust-command.js';
import { statusCommand } from './status-command.js';
import { syncCommand } from './sync-command.js';
import { releaseCommand } from '../release/release-cli.js';
import { filesCommand } from './files-command.js';
import { pkcs11Command } from './pkcs11-command.js';
import { OptionError } from '../config/options.js';
import { CONNECTOR_VERSION } from '../version.js';
import { claimStopSignals, installStopSignals, isStopping, releaseStopSignals } from './stop-signals.mjs';
import type { RunningConnector } from '../app.js';

// A staged release bundle runs without bin/connector.mjs: install the stop handlers here too.
if (process.argv[2] === 'start') installStopSignals();

const program = new Command('connector')
  .description('Cardlink local smart-card connector')
  .version(CONNECTOR_VERSION)
  // `connector release pack --version X`: options after a subcommand belong to it.
  .enablePositionalOptions()
  .exitOverride()
  .addCommand(
    startCommand(async (opts) => {
      if (opts.supervise) {
        // The supervisor installs its own handlers (it stops its workers first).
        releaseStopSignals();
        const { runSupervisor } = await import('../supervisor/run.js');
        await runSupervisor(opts);
        return;
      }
      // Claim the stop signals before anything is opened: a signal during start-up waits for
      // the start to finish (or fail), then closes what it opened, once, and exits 0.
      const start: { promise?: Promise<RunningConnector> } = {};
      claimStopSignals(async () => {
        const running = await start.promise?.catch(() => undefined);
        running?.log.info('stopping');
        await running?.close();
      });
      const { startConnector } = await import('../app.js');
      start.promise = startConnector(opts);
      const running = await start.promise.catch((e: unknown) => {
        // Stopped while starting: the claimed close exits 0 once the start has settled.
        if (isStopping()) return new Promise<never>(() => undefined);
        throw e;
      });
      if (opts.worker) (await import('../supervisor/worker.js')).runAsWorker(running, opts);
      // Sync now, as under --supervise; never the default action (which ends the process).
      process.on('SIGUSR2', () => {
        if (opts.worker) return; // a worker syncs when its supervisor tells it to
        if (running.ds) void running.ds.scheduler.syncNow();
        else running.log.info('SIGUSR2: not managed by a DS, nothing to sync');
      });
      if (!opts.worker) process.stdout.write(`connector ready on ${running.url}/graphql\n`);
    }),
  )
  .addCommand(trustCommand())
  .addCommand(untrustCommand())
  .addCommand(releaseCommand())
  .addCommand(statusCommand())
  .addCommand(syncCommand())
  .addCommand(filesCommand())
  .addCommand(pkcs11Command());

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode);
  const code = (e as { code?: string }).code;
  if (e instanceof OptionError || code === 'INVALID_ORIGIN_ENTRY' || code === 'DATA_DIR_UNSAFE') {
    process.stderr.write(`connector: ${(e as Error).message}\n`);
    process.exit(2);
  }
  throw e;
}
