import { Command, CommanderError } from 'commander';
import { startCommand } from './start-command.js';
import { trustCommand } from './trust-command.js';
import { statusCommand } from './status-command.js';
import { releaseCommand } from '../release/release-cli.js';
import { filesCommand } from './files-command.js';
import { pkcs11Command } from './pkcs11-command.js';
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
      if (!opts.worker) process.stdout.write(`connector ready on ${running.url}/graphql\n`);
    }),
  )
  .addCommand(trustCommand())
  .addCommand(releaseCommand())
  .addCommand(statusCommand())
  .addCommand(filesCommand())
  .addCommand(pkcs11Command());

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
