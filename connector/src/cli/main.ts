import { Command, CommanderError } from 'commander';
import { startCommand } from './start-command.js';
import { trustCommand, untrustCommand } from './trust-command.js';
import { statusCommand } from './status-command.js';
import { syncCommand } from './sync-command.js';
import { releaseCommand } from '../release/release-cli.js';
import { filesCommand } from './files-command.js';
import { OptionError } from '../config/options.js';
import { CONNECTOR_VERSION } from '../version.js';

const program = new Command('connector')
  .description('Cardlink local smart-card connector')
  .version(CONNECTOR_VERSION)
  // `connector release pack --version X`: options after a subcommand belong to it.
  .enablePositionalOptions()
  .exitOverride()
  .addCommand(
    startCommand(async (opts) => {
      if (opts.supervise) {
        const { runSupervisor } = await import('../supervisor/run.js');
        await runSupervisor(opts);
        return;
      }
      const { startConnector } = await import('../app.js');
      const running = await startConnector(opts);
      if (opts.worker) (await import('../supervisor/worker.js')).runAsWorker(running, opts);
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        running.log.info({ signal }, 'stopping');
        running.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.on('SIGINT', () => stop('SIGINT'));
      process.on('SIGTERM', () => stop('SIGTERM'));
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
  .addCommand(filesCommand());

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode);
  if (e instanceof OptionError || (e as { code?: string }).code === 'INVALID_ORIGIN_ENTRY') {
    process.stderr.write(`connector: ${(e as Error).message}\n`);
    process.exit(2);
  }
  throw e;
}
