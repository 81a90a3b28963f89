import type { Command } from 'commander';
import * as applications from '../../services/applications.js';
import { cliActor } from '../../services/audit.js';
import * as organisations from '../../services/organisations.js';
import { table } from '../format.js';
import { json, type CliEnv } from '../runner.js';

export function appCommands(program: Command, env: CliEnv): void {
  const app = program.command('app').description('applications (a label and its CORS origins)');
  app
    .command('create')
    .requiredOption('--org <org>', 'organisation name or id')
    .requiredOption('--label <label>', 'billing label, unique in the organisation')
    .option('--name <name>', 'display name (default: the label)')
    .action(
      env.withContext(async (ctx, opts) => {
        const a = await applications.createApplication(ctx, {
          org: String(opts.org),
          label: String(opts.label),
          name: opts.name as string | undefined,
          actor: cliActor(),
        });
        env.io.out(`created application ${a.label} (${a.name})\n`);
      }),
    );
  app
    .command('rename')
    .requiredOption('--org <org>', 'organisation name or id')
    .requiredOption('--label <label>', 'application label')
    .requiredOption('--name <name>', 'new display name')
    .action(
      env.withContext(async (ctx, opts) => {
        const a = await applications.renameApplication(ctx, { org: String(opts.org), label: String(opts.label), name: String(opts.name), actor: cliActor() });
        env.io.out(`renamed ${a.label} to ${a.name}\n`);
      }),
    );
  app
    .command('relabel')
    .description('change the billing label (connectors learn it at their next sync; recorded transactions keep the old one)')
    .requiredOption('--org <org>', 'organisation name or id')
    .requiredOption('--label <label>', 'current label')
    .requiredOption('--to <label>', 'new label')
    .action(
      env.withContext(async (ctx, opts) => {
        const a = await applications.relabelApplication(ctx, { org: String(opts.org), label: String(opts.label), newLabel: String(opts.to), actor: cliActor() });
        env.io.out(`relabelled ${String(opts.label)} to ${a.label}\n`);
      }),
    );
  app
    .command('settings')
    .description("what the connector asks of the user for this application, on its own pages (sent with the origins)")
    .requiredOption('--org <org>', 'organisation name or id')
    .requiredOption('--label <label>', 'application label')
    .option('--pin-entry <who>', 'CONNECTOR_PAGE (default for new applications) or HOST_PAGE (legacy: pages send the PIN)')
    .option('--consent <mode>', 'OFF, ONCE_PER_ORIGIN or EVERY_SESSION: consent before identity reads')
    .option('--pin-reuse-minutes <n>', 'minutes a PIN verified in a tab may be reused for authentication (0-1440)')
    .action(
      env.withContext(async (ctx, opts) => {
        const a = await applications.setApplicationSettings(ctx, {
          org: String(opts.org),
          label: String(opts.label),
          pinEntry: opts.pinEntry,
          consent: opts.consent,
          pinReuseMinutes: opts.pinReuseMinutes,
          actor: cliActor(),
        });
        env.io.out(`${a.label}: PIN entered on ${a.pinEntry}, consent ${a.consent}, PIN reuse ${a.pinReuseMinutes} min\n`);
      }),
    );
  app
    .command('list')
    .requiredOption('--org <org>', 'organisation name or id')
    .option('--json', 'JSON output')
    .action(
      env.withContext(async (ctx, opts) => {
        const rows = await applications.listApplications(ctx, String(opts.org));
        env.io.out(opts.json ? json(rows) : table(['label', 'name', 'pinEntry', 'consent', 'pinReuseMinutes', 'createdAt'], rows as never));
      }),
    );
}

export function originCommands(program: Command, env: CliEnv): void {
  const origin = program.command('origin').description('CORS origins of applications');
  for (const verb of ['add', 'remove'] as const) {
    origin
      .command(`${verb} <origin>`)
      .description(verb === 'add' ? 'allow an origin (https://host[:port] or https://*.domain)' : 'remove an origin')
      .requiredOption('--org <org>', 'organisation name or id')
      .requiredOption('--label <label>', 'application label')
      .action(
        env.withContext(async (ctx, opts, value: string) => {
          const input = { org: String(opts.org), label: String(opts.label), origin: value, actor: cliActor() };
          const o = verb === 'add' ? await applications.addOrigin(ctx, input) : await applications.removeOrigin(ctx, input);
          env.io.out(`${verb === 'add' ? 'added' : 'removed'} ${o} ${verb === 'add' ? 'to' : 'from'} ${input.label}\n`);
        }),
      );
  }
  origin
    .command('list')
    .option('--org <org>', 'only this organisation')
    .option('--json', 'JSON output')
    .action(
      env.withContext(async (ctx, opts) => {
        const rows = await applications.listOrigins(ctx, opts.org as string | undefined);
        const names = new Map((await organisations.listOrganisations(ctx)).map((o) => [o.id, o.name]));
        const out = rows.map((r) => ({ organisation: names.get(r.orgId) ?? r.orgId, label: r.label, origin: r.origin }));
        env.io.out(opts.json ? json(out) : table(['organisation', 'label', 'origin'], out));
      }),
    );
}
