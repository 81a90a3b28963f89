import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import { defaultDataDir } from '../config/defaults.js';
import type { SyncReport } from '../ds/sync-report.js';
import { LocalClientError, localGraphql } from './local-client.js';

const SYNC = 'mutation { syncNow { ok error finishedAt nextSyncAt acknowledged originListVersion } }';
/** A sync is one request to the DS, bounded by its client's own timeouts; this bounds the wait. */
const TIMEOUT_MS = 60_000;

/**
 * `connector sync`: ask the running connector (plain or supervised) for a DS sync now, as a
 * local client with the data dir's token, and print the outcome. Exit 0 when it synced.
 */
export function syncCommand(): Command {
  return new Command('sync')
    .description('Sync with the Distribution Service now (new origins, configuration) and print the outcome')
    .addOption(new Option('--data-dir <dir>', 'connector data dir').default(defaultDataDir()))
    .addOption(new Option('--json', 'print JSON'))
    .action(async (o: { dataDir: string; json?: boolean }) => {
      const dataDir = resolve(o.dataDir);
      let answer;
      try {
        answer = await localGraphql<{ syncNow: SyncReport }>(dataDir, SYNC, TIMEOUT_MS);
      } catch (e) {
        if (!(e instanceof LocalClientError)) throw e;
        process.stderr.write(`connector sync: ${e.message}\n`);
        process.exitCode = 3;
        return;
      }
      const error = answer.errors?.[0];
      const report = answer.data?.syncNow;
      if (!report) {
        process.stderr.write(`connector sync: ${error?.extensions?.code ?? 'ERROR'}: ${error?.message ?? 'no answer'}\n`);
        process.exitCode = 3;
        return;
      }
      if (o.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else if (report.ok) {
        process.stdout.write(
          `synced with the DS at ${report.finishedAt}: origin list v${report.originListVersion ?? '—'}, ` +
            `${report.acknowledged} usage record${report.acknowledged === 1 ? '' : 's'} acknowledged; next sync ${report.nextSyncAt ?? 'not scheduled'}\n`,
        );
      } else {
        process.stdout.write(`sync failed: ${report.error}; the connector retries by itself (next attempt ${report.nextSyncAt ?? 'not scheduled'})\n`);
      }
      if (!report.ok) process.exitCode = 1;
    });
}
