import type { Command } from 'commander';
import * as reports from '../../services/reports.js';
import { csv, table } from '../format.js';
import { json, type CliEnv } from '../runner.js';

export function reportCommands(program: Command, env: CliEnv): void {
  const report = program.command('report').description('billing reports');
  report
    .command('transactions')
    .description('transaction counts per label, tag, use case ... over [from, to)')
    .requiredOption('--org <org>', 'organisation name or id')
    .option('--from <date>', 'inclusive start (2025-11 or 2025-11-01 or an ISO time)')
    .option('--to <date>', 'exclusive end')
    .option('--by <dims>', `comma-separated: ${reports.REPORT_DIMENSIONS.join(',')}`, 'label,useCase')
    .option('--csv', 'CSV output')
    .option('--json', 'JSON output')
    .action(
      env.withContext(async (ctx, opts) => {
        const by = String(opts.by).split(',').map((s) => s.trim()).filter(Boolean);
        const rows = await reports.transactionReport(ctx, {
          org: String(opts.org),
          from: opts.from as string | undefined,
          to: opts.to as string | undefined,
          by,
        });
        const columns = [...by, 'count'];
        env.io.out(opts.json ? json(rows) : opts.csv ? csv(columns, rows) : table(columns, rows));
      }),
    );
  report
    .command('installs')
    .description('distinct active devices (with at least one transaction) per label and month')
    .option('--org <org>', 'only this organisation')
    .option('--from <date>', 'inclusive start')
    .option('--to <date>', 'exclusive end')
    .option('--csv', 'CSV output')
    .option('--json', 'JSON output')
    .action(
      env.withContext(async (ctx, opts) => {
        const rows = await reports.installReport(ctx, {
          org: opts.org as string | undefined,
          from: opts.from as string | undefined,
          to: opts.to as string | undefined,
        });
        const columns = ['organisation', 'label', 'month', 'devices'];
        const out = rows.map(({ orgId: _id, ...r }) => r);
        env.io.out(opts.json ? json(out) : opts.csv ? csv(columns, out) : table(columns, out));
      }),
    );
}
