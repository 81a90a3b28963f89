import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DsError } from '../../errors.js';
import * as releases from '../../services/releases.js';
import { versionReport } from '../../services/version-report.js';
import { table } from '../format.js';
import { json, type CliEnv } from '../runner.js';

/** `ds release publish|list|withdraw` and `ds report versions` (registered after `report`). */
export function releaseCommands(program: Command, env: CliEnv): void {
  const release = program.command('release').description('signed connector releases (signed offline with `connector release sign`)');
  release
    .command('publish')
    .description('store a release package and its signed manifest; connectors of the organisation are offered it at their next sync')
    .requiredOption('--org <org>', 'organisation name or id')
    .requiredOption('--release <file>', 'release.json written by `connector release sign`')
    .requiredOption('--package <file>', 'the package (.tgz) the manifest describes')
    .option('--json', 'JSON output')
    .action(
      env.withContext(async (ctx, opts) => {
        let signed: releases.SignedRelease;
        try {
          signed = JSON.parse(readFileSync(resolve(String(opts.release)), 'utf8')) as releases.SignedRelease;
        } catch (e) {
          throw new DsError('INVALID_ARGUMENT', `cannot read ${String(opts.release)}: ${(e as Error).message}`);
        }
        const pkg = readFileSync(resolve(String(opts.package)));
        const r = await releases.publishRelease(ctx, { org: String(opts.org), release: signed, pkg });
        const { manifest: _m, signature: _s, ...shown } = r;
        env.io.out(opts.json ? json(shown) : `published ${r.version} (${r.flag}, minimum ${r.minimumVersion}) as ${r.id}\n`);
      }),
    );
  release
    .command('list')
    .option('--org <org>', 'only this organisation')
    .option('--json', 'JSON output')
    .action(
      env.withContext(async (ctx, opts) => {
        const rows = (await releases.listReleases(ctx, opts.org as string | undefined)).map(({ manifest: _m, signature: _s, ...r }) => r);
        env.io.out(opts.json ? json(rows) : table(['version', 'flag', 'minimumVersion', 'size', 'publishedAt', 'withdrawnAt', 'id'], rows as never));
      }),
    );
  release
    .command('withdraw')
    .description('stop offering a release (devices already on it stay until a newer one is offered)')
    .requiredOption('--org <org>', 'organisation name or id')
    .requiredOption('--version <version>', 'the release to withdraw')
    .action(
      env.withContext(async (ctx, opts) => {
        const r = await releases.withdrawRelease(ctx, { org: String(opts.org), version: String(opts.version) });
        env.io.out(`withdrew ${r.version}\n`);
      }),
    );

  const report = program.commands.find((c) => c.name() === 'report') ?? program.command('report');
  report
    .command('versions')
    .description('connector versions across the fleet and each device\'s update status')
    .option('--org <org>', 'only this organisation')
    .option('--json', 'JSON output')
    .action(
      env.withContext(async (ctx, opts) => {
        const r = await versionReport(ctx, opts.org as string | undefined);
        if (opts.json) {
          env.io.out(json(r));
          return;
        }
        const devices = r.devices.map((d) => ({
          ...d,
          failed: d.failed.map((f) => `${f.version}: ${f.reason}`).join('; '),
        }));
        env.io.out(
          `${table(['version', 'devices', 'release'], r.versions as never)}\n` +
            table(['deviceId', 'version', 'status', 'offeredVersion', 'lastSyncAt', 'failed'], devices as never),
        );
      }),
    );
}
