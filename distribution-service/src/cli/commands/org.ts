import type { Command } from 'commander';
import { cliActor } from '../../services/audit.js';
import * as organisations from '../../services/organisations.js';
import { table } from '../format.js';
import { json, type CliEnv } from '../runner.js';

export function orgCommands(program: Command, env: CliEnv): void {
  const org = program.command('org').description('organisations');
  org
    .command('create <name>')
    .description('create an organisation')
    .action(
      env.withContext(async (ctx, _opts, name: string) => {
        const o = await organisations.createOrganisation(ctx, name, cliActor());
        env.io.out(`created organisation ${o.name} (${o.id})\n`);
      }),
    );
  org
    .command('list')
    .option('--json', 'JSON output')
    .action(
      env.withContext(async (ctx, opts) => {
        const rows = await organisations.listOrganisations(ctx);
        env.io.out(opts.json ? json(rows) : table(['name', 'id', 'corsVersion', 'configVersion', 'dsCycleSeconds', 'logLevel'], rows as never));
      }),
    );
}
