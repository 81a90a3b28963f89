import type { Command } from 'commander';
import * as tokens from '../../services/tokens.js';
import type { CliEnv } from '../runner.js';

const positiveNumber = (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`not a positive number: ${v}`);
  return n;
};

export function tokenCommands(program: Command, env: CliEnv): void {
  program
    .command('token')
    .description('install tokens')
    .command('create')
    .description('create an install token; it is printed once, on stdout, and stored only hashed')
    .requiredOption('--org <org>', 'organisation name or id')
    .option('--uses <n>', 'how many devices may register with it', positiveNumber)
    .option('--expires-days <d>', 'days until it expires', positiveNumber)
    .action(
      env.withContext(async (ctx, opts) => {
        const t = await tokens.createInstallToken(ctx, {
          org: String(opts.org),
          maxUses: opts.uses as number | undefined,
          expiresInDays: opts.expiresDays as number | undefined,
        });
        env.io.out(`${t.token}\n`);
        env.io.err(`install token ${t.id}: uses ${t.maxUses ?? 'unlimited'}, expires ${t.expiresAt ?? 'never'}. It is not shown again.\n`);
      }),
    );
}
