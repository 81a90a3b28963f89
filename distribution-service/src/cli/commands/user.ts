import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { cliActor, listAudit } from '../../services/audit.js';
import * as users from '../../services/users.js';
import { table } from '../format.js';
import { json, type CliEnv } from '../runner.js';

/** The password from a file (`-` = stdin), without the one line break an editor or `echo` adds. */
export function readPasswordFile(path: string): string {
  const text = readFileSync(path === '-' ? 0 : path, 'utf8');
  return text.replace(/\r?\n$/, '');
}

export function userCommands(program: Command, env: CliEnv): void {
  const user = program.command('user').description('dashboard users (admin: changes everything; business: read-only)');
  user
    .command('create')
    .description('create a dashboard user; the password is read from a file, never from the command line')
    .requiredOption('--email <email>', 'login name')
    .requiredOption('--role <role>', 'admin or business')
    .requiredOption('--password-file <file>', `file holding the password (at least 12 characters); "-" reads stdin`)
    .option('--org <org>', 'limit the user to this organisation (default: every organisation)')
    .action(
      env.withContext(async (ctx, opts) => {
        const u = await users.createUser(ctx, {
          email: String(opts.email),
          role: String(opts.role),
          password: readPasswordFile(String(opts.passwordFile)),
          org: opts.org as string | undefined,
          actor: cliActor(),
        });
        env.io.out(`created ${u.role} user ${u.email}\n`);
      }),
    );
  user
    .command('list')
    .option('--json', 'JSON output')
    .action(
      env.withContext(async (ctx, opts) => {
        const rows = await users.listUsers(ctx);
        env.io.out(opts.json ? json(rows) : table(['email', 'role', 'orgId', 'createdAt', 'passwordChangedAt', 'disabled'], rows as never));
      }),
    );
  user
    .command('passwd')
    .description('set a new password (ends the user\'s sessions and clears a login lock)')
    .requiredOption('--email <email>', 'login name')
    .requiredOption('--password-file <file>', 'file holding the new password; "-" reads stdin')
    .action(
      env.withContext(async (ctx, opts) => {
        await users.setPassword(ctx, { email: String(opts.email), password: readPasswordFile(String(opts.passwordFile)), actor: cliActor() });
        env.io.out(`password changed for ${String(opts.email).toLowerCase()}\n`);
      }),
    );
  for (const verb of ['disable', 'enable'] as const) {
    user
      .command(verb)
      .description(verb === 'disable' ? 'refuse logins and end the user\'s sessions' : 'allow logins again')
      .requiredOption('--email <email>', 'login name')
      .action(
        env.withContext(async (ctx, opts) => {
          await users.setDisabled(ctx, { email: String(opts.email), disabled: verb === 'disable', actor: cliActor() });
          env.io.out(`${verb}d ${String(opts.email).toLowerCase()}\n`);
        }),
      );
  }
  user
    .command('remove')
    .requiredOption('--email <email>', 'login name')
    .action(
      env.withContext(async (ctx, opts) => {
        await users.removeUser(ctx, { email: String(opts.email), actor: cliActor() });
        env.io.out(`removed ${String(opts.email).toLowerCase()}\n`);
      }),
    );
}

export function auditCommands(program: Command, env: CliEnv): void {
  program
    .command('audit')
    .description('the audit log of dashboard and admin-command changes')
    .command('list')
    .option('--org <org>', 'only this organisation')
    .option('--limit <n>', 'newest n lines (default 100)', (v) => Number(v))
    .option('--json', 'JSON output')
    .action(
      env.withContext(async (ctx, opts) => {
        const rows = await listAudit(ctx, { org: opts.org as string | undefined, limit: opts.limit as number | undefined });
        const out = rows.map((r) => ({ ...r, details: r.details ? JSON.stringify(r.details) : '' }));
        env.io.out(opts.json ? json(rows) : table(['seq', 'at', 'actor', 'action', 'target', 'details'], out as never));
      }),
    );
}
