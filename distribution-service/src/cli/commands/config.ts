import type { Command } from 'commander';
import { LOG_LEVELS, type LogLevel } from '@cardlink/ds-protocol';
import { cliActor } from '../../services/audit.js';
import * as organisations from '../../services/organisations.js';
import { configView } from '../../services/device-view.js';
import { json, type CliEnv } from '../runner.js';

/**
 * `default` clears an override so devices fall back to their own setting. Parsers return the
 * word itself (commander turns a parsed null into ''); the action maps it to null.
 */
const DEFAULT = 'default';
const cycle = (v: string): number | typeof DEFAULT => {
  if (v === DEFAULT) return DEFAULT;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`cycle is whole seconds or "default": ${v}`);
  return n;
};
const level = (v: string): LogLevel | typeof DEFAULT => {
  if (v === DEFAULT) return DEFAULT;
  if (!(LOG_LEVELS as readonly string[]).includes(v)) throw new Error(`log level is one of ${LOG_LEVELS.join(', ')} or "default"`);
  return v as LogLevel;
};

export function configCommands(program: Command, env: CliEnv): void {
  const config = program.command('config').description('organisation-wide connector configuration');
  config
    .command('set')
    .requiredOption('--org <org>', 'organisation name or id')
    .option('--cycle <seconds>', 'ds.cycle override in seconds, or "default"', cycle)
    .option('--log-level <level>', `log level override (${LOG_LEVELS.join('|')}), or "default"`, level)
    .action(
      env.withContext(async (ctx, opts) => {
        const org = await organisations.setOrganisationConfig(ctx, String(opts.org), {
          ...(opts.cycle !== undefined ? { dsCycleSeconds: opts.cycle === DEFAULT ? null : (opts.cycle as number) } : {}),
          ...(opts.logLevel !== undefined ? { logLevel: opts.logLevel === DEFAULT ? null : (opts.logLevel as LogLevel) } : {}),
        }, cliActor());
        env.io.out(json(configView(org)));
      }),
    );
  config
    .command('show')
    .requiredOption('--org <org>', 'organisation name or id')
    .action(
      env.withContext(async (ctx, opts) => {
        env.io.out(json(configView(await organisations.requireOrganisation(ctx, String(opts.org)))));
      }),
    );
}
