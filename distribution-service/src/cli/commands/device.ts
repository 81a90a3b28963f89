import type { Command } from 'commander';
import * as devices from '../../services/devices.js';
import { table } from '../format.js';
import { json, type CliEnv } from '../runner.js';

export function deviceCommands(program: Command, env: CliEnv): void {
  program
    .command('device')
    .description('registered connectors')
    .command('list')
    .option('--org <org>', 'only this organisation')
    .option('--json', 'JSON output')
    .action(
      env.withContext(async (ctx, opts) => {
        const rows = await devices.listDevices(ctx, opts.org as string | undefined);
        env.io.out(
          opts.json
            ? json(rows)
            : table(['id', 'version', 'os', 'lastSyncAt', 'certNotAfter', 'uptimeSeconds', 'lastError'], rows as never),
        );
      }),
    );
}
