import { Command, CommanderError } from 'commander';
import { isDsError } from '../errors.js';
import { appCommands, originCommands } from './commands/app.js';
import { configCommands } from './commands/config.js';
import { deviceCommands } from './commands/device.js';
import { orgCommands } from './commands/org.js';
import { releaseCommands } from './commands/release.js';
import { reportCommands } from './commands/report.js';
import { serveCommand } from './commands/serve.js';
import { tokenCommands } from './commands/token.js';
import { auditCommands, userCommands } from './commands/user.js';
import { processIo, type CliIo } from './io.js';
import { cliEnv } from './runner.js';

export function buildProgram(io: CliIo): Command {
  const env = cliEnv(io);
  const program = new Command('ds')
    .description('Cardlink Distribution Service: admin commands and the server')
    .option('--data-dir <dir>', 'holds the CA and, by default, the database (default $DS_DATA_DIR or ./.data/ds)')
    .option('--db <file-or-url>', 'SQLite database file or postgres:// URL (default $CARDLINK_DS_DB, else <data-dir>/ds.sqlite)')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  orgCommands(program, env);
  appCommands(program, env);
  originCommands(program, env);
  tokenCommands(program, env);
  deviceCommands(program, env);
  configCommands(program, env);
  reportCommands(program, env);
  releaseCommands(program, env);
  userCommands(program, env);
  auditCommands(program, env);
  serveCommand(program, env);
  for (const c of program.commands) c.exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
  return program;
}

/** Runs one command line (without `node script`); resolves to the exit code. */
export async function runCli(args: string[], io: CliIo = processIo): Promise<number> {
  try {
    await buildProgram(io).parseAsync(args, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (isDsError(e)) {
      io.err(`error ${e.code}: ${e.message}\n`);
      return 1;
    }
    io.err(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

const isEntry = process.argv[1] !== undefined && /(?:^|[/\\])(ds\.mjs|main\.ts)$/.test(process.argv[1]);
if (isEntry) process.exitCode = await runCli(process.argv.slice(2));
