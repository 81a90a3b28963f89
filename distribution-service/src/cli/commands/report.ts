import { Option, type Command } from 'commander';
import * as reports from '../../services/reports.js';
import { csvRows } from '../../domain/csv.js';
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
    .command('billing')
    .description('the dashboard\'s billing table: per period, label and tag, counts per use case or distinct active devices')
    .requiredOption('--org <org>', 'organisation name or id')
    .option('--model <model>', 'transactions (counts per use case) or installs (distinct active devices)', 'transactions')
    .requiredOption('--from <day>', 'first day, inclusive (2025-11-01, or 2025-11 for the month\'s first day)')
    .requiredOption('--to <day>', 'last day, inclusive (2025-11-30, or 2025-11 for the month\'s last day)')
    .option('--period <period>', 'month, day or range (one row per group over the whole range)', 'month')
    .option('--by <dims>', 'row groups: label,tag, label, tag or none', 'label,tag')
    .option('--label <label>', 'only this label')
    // Successful only by default, as the dashboard's billing page: failed operations are not billable.
    .option('--include-failed', 'count failed operations too (default: only transactions whose result is OK)')
    // The former opt-in, now the default: still accepted so existing scripts keep working.
    .addOption(new Option('--ok-only').hideHelp().conflicts('includeFailed'))
    .option('--json', 'JSON output (columns and rows)')
    .action(
      env.withContext(async (ctx, opts) => {
        const by = String(opts.by).split(',').map((s) => s.trim());
        const r = await reports.billingReport(ctx, {
          org: String(opts.org),
          model: String(opts.model) as reports.BillingModel,
          from: String(opts.from),
          to: String(opts.to),
          period: String(opts.period) as reports.Period,
          byLabel: by.includes('label'),
          byTag: by.includes('tag'),
          label: opts.label as string | undefined,
          okOnly: !opts.includeFailed,
        });
        // CSV by default: byte for byte what the dashboard's "Download CSV" gives.
        env.io.out(opts.json ? json({ columns: r.table.columns, rows: r.table.rows }) : csvRows([r.table.columns, ...r.table.rows]));
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
