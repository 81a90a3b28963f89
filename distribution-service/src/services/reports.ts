import { isLabel, USE_CASES, type UseCase } from '@cardlink/ds-protocol';
import { DsError } from '../errors.js';
import type { InstallReportRow, ReportDimension, ReportRow } from '../store/repository.js';
import type { ServiceContext } from './context.js';
import { requireOrganisation } from './organisations.js';

export const REPORT_DIMENSIONS: readonly ReportDimension[] = ['label', 'tag', 'useCase', 'module', 'result', 'month', 'day'];

/** A date (2025-11-01) or date-time as an ISO UTC bound; INVALID_ARGUMENT otherwise. */
export function parseBound(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(/^\d{4}-\d{2}(-\d{2})?$/.test(value) ? (value.length === 7 ? `${value}-01` : value) + 'T00:00:00Z' : value);
  if (Number.isNaN(ms)) throw new DsError('INVALID_ARGUMENT', `${name} is not a date: ${value}`);
  return new Date(ms).toISOString();
}

/** Transaction-based billing: counts per chosen dimensions over [from, to). */
export async function transactionReport(
  ctx: ServiceContext,
  input: { org: string; from?: string | undefined; to?: string | undefined; by?: readonly string[] | undefined },
): Promise<ReportRow[]> {
  const org = await requireOrganisation(ctx, input.org);
  const by = input.by ?? ['label', 'useCase'];
  for (const d of by) {
    if (!REPORT_DIMENSIONS.includes(d as ReportDimension)) {
      throw new DsError('INVALID_ARGUMENT', `cannot group by ${d}; use ${REPORT_DIMENSIONS.join(', ')}`);
    }
  }
  const from = parseBound(input.from, 'from');
  const to = parseBound(input.to, 'to');
  return ctx.repo.transactions.transactionReport({ orgId: org.id, by: by as ReportDimension[], ...(from ? { from } : {}), ...(to ? { to } : {}) });
}

/** Install-based billing: distinct devices active (with at least one transaction) per label and month. */
export async function installReport(
  ctx: ServiceContext,
  input: { org?: string | undefined; from?: string | undefined; to?: string | undefined },
): Promise<(InstallReportRow & { organisation: string })[]> {
  const org = input.org ? await requireOrganisation(ctx, input.org) : undefined;
  const from = parseBound(input.from, 'from');
  const to = parseBound(input.to, 'to');
  const rows = await ctx.repo.transactions.installReport({ ...(org ? { orgId: org.id } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}) });
  const names = new Map((await ctx.repo.applications.listOrganisations()).map((o) => [o.id, o.name]));
  return rows.map((r) => ({ ...r, organisation: names.get(r.orgId) ?? r.orgId }));
}

// ---------------------------------------------------------------------------------------------
// Billing tables for the dashboard: one table model feeds the HTML table, the CSV export and
// the chart, so the three cannot disagree.

export const BILLING_MODELS = ['transactions', 'installs'] as const;
export type BillingModel = (typeof BILLING_MODELS)[number];
export const PERIODS = ['month', 'day', 'range'] as const;
export type Period = (typeof PERIODS)[number];

export interface BillingQuery {
  org: string;
  model: BillingModel;
  /** First day, inclusive: YYYY-MM-DD (or YYYY-MM: the month's first day). UTC. */
  from: string;
  /** Last day, inclusive: YYYY-MM-DD (or YYYY-MM: the month's last day). UTC. */
  to: string;
  period: Period;
  byLabel: boolean;
  byTag: boolean;
  /** Only this label. */
  label?: string | undefined;
  /** Only transactions whose result is OK. */
  okOnly?: boolean | undefined;
}

export type Cell = string | number;

export interface BillingTable {
  columns: string[];
  /** Index of the first numeric column. */
  firstNumeric: number;
  rows: Cell[][];
}

export interface ChartSeries {
  name: string;
  values: number[];
}

export interface BillingChart {
  /** stacked: bars whose segments are the series (transactions per use case); grouped: one bar per series side by side. */
  kind: 'stacked' | 'grouped';
  periods: string[];
  series: ChartSeries[];
}

export interface BillingReport {
  query: BillingQuery;
  table: BillingTable;
  chart: BillingChart;
  /** Transactions in the table (transaction model) or distinct devices over the whole range (install model). */
  total: number;
}

const DAY_MS = 86_400_000;
const MAX_DAY_PERIODS = 400;
const MAX_CHART_SERIES = 10;

/** YYYY-MM-DD or YYYY-MM → a UTC day; `end` picks a month's last day. INVALID_ARGUMENT otherwise. */
export function parseDay(value: string, name: string, end = false): string {
  const v = value.trim();
  let m = /^(\d{4})-(\d{2})$/.exec(v);
  if (m) {
    const month = Number(m[2]);
    if (month < 1 || month > 12) throw new DsError('INVALID_ARGUMENT', `${name} is not a month: ${value}`);
    const first = Date.UTC(Number(m[1]), month - 1, 1);
    return isoDay(end ? Date.UTC(Number(m[1]), month, 1) - DAY_MS : first);
  }
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(ms) || isoDay(ms) !== v) throw new DsError('INVALID_ARGUMENT', `${name} is not a date (YYYY-MM-DD): ${value.slice(0, 40)}`);
  return v;
}

const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Every period label between two days, as the SQL groups them (YYYY-MM or YYYY-MM-DD). */
export function periodsBetween(from: string, to: string, period: Period): string[] {
  if (period === 'range') return [`${from}/${to}`];
  const out: string[] = [];
  if (period === 'day') {
    for (let ms = Date.parse(`${from}T00:00:00Z`); ms <= Date.parse(`${to}T00:00:00Z`); ms += DAY_MS) out.push(isoDay(ms));
    return out;
  }
  let y = Number(from.slice(0, 4));
  let mo = Number(from.slice(5, 7));
  const end = to.slice(0, 7);
  for (;;) {
    const p = `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}`;
    if (p > end) return out;
    out.push(p);
    if (++mo === 13) {
      mo = 1;
      y++;
    }
  }
}

function checkBillingQuery(q: BillingQuery): BillingQuery {
  if (!BILLING_MODELS.includes(q.model)) throw new DsError('INVALID_ARGUMENT', `model is one of ${BILLING_MODELS.join(', ')}`);
  if (!PERIODS.includes(q.period)) throw new DsError('INVALID_ARGUMENT', `period is one of ${PERIODS.join(', ')}`);
  const from = parseDay(q.from, 'from');
  const to = parseDay(q.to, 'to', true);
  if (from > to) throw new DsError('INVALID_ARGUMENT', `from (${from}) is after to (${to})`);
  const days = (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;
  if (q.period === 'day' && days > MAX_DAY_PERIODS) throw new DsError('INVALID_ARGUMENT', `at most ${MAX_DAY_PERIODS} days per day-by-day report`);
  if (days > 100 * 366) throw new DsError('INVALID_ARGUMENT', 'a report covers at most 100 years');
  if (q.label !== undefined && q.label !== '' && !isLabel(q.label)) throw new DsError('INVALID_ARGUMENT', 'not a label');
  return { ...q, from, to, label: q.label || undefined };
}

/**
 * Transaction model: counts per period, label and tag, one column per use case plus a total.
 * Install model: distinct devices with at least one transaction per period, label and tag.
 * Rows are ordered by period, label, tag (no tag first), exactly as the CSV lists them.
 * A missing tag is an empty cell: tags are shown as pages sent them, and "no tag" is its own row.
 */
export async function billingReport(ctx: ServiceContext, input: BillingQuery): Promise<BillingReport> {
  const q = checkBillingQuery(input);
  const org = await requireOrganisation(ctx, q.org);
  const periodDim: ReportDimension[] = q.period === 'month' ? ['month'] : q.period === 'day' ? ['day'] : [];
  const groups: ReportDimension[] = [...(q.byLabel ? (['label'] as const) : []), ...(q.byTag ? (['tag'] as const) : [])];
  const base = {
    orgId: org.id,
    from: `${q.from}T00:00:00.000Z`,
    to: `${isoDay(Date.parse(`${q.to}T00:00:00Z`) + DAY_MS)}T00:00:00.000Z`,
    ...(q.label ? { label: q.label } : {}),
    ...(q.okOnly ? { result: 'OK' } : {}),
  };
  const rangeCell = `${q.from}/${q.to}`;
  const periodOf = (r: Partial<Record<ReportDimension, string | null>>): string =>
    q.period === 'month' ? r.month! : q.period === 'day' ? r.day! : rangeCell;
  const keyCells = (r: Partial<Record<ReportDimension, string | null>>): Cell[] => [periodOf(r), ...groups.map((g) => r[g] ?? '')];
  const keyColumns = ['period', ...groups];
  const periods = periodsBetween(q.from, q.to, q.period);
  const index = new Map(periods.map((p, i) => [p, i]));

  if (q.model === 'transactions') {
    const raw = await ctx.repo.transactions.transactionReport({ ...base, by: [...periodDim, ...groups, 'useCase'] });
    const rows: Cell[][] = [];
    let current: { key: string; row: Cell[] } | undefined;
    const perUseCase = new Map<string, number[]>(USE_CASES.map((u) => [u, periods.map(() => 0)]));
    let total = 0;
    for (const r of raw) {
      const cells = keyCells(r);
      const key = JSON.stringify(cells);
      if (current?.key !== key) {
        current = { key, row: [...cells, ...USE_CASES.map(() => 0), 0] };
        rows.push(current.row);
      }
      const u = USE_CASES.indexOf(r.useCase as UseCase);
      current.row[cells.length + u] = (current.row[cells.length + u] as number) + r.count;
      current.row[current.row.length - 1] = (current.row[current.row.length - 1] as number) + r.count;
      perUseCase.get(r.useCase as string)![index.get(periodOf(r))!]! += r.count;
      total += r.count;
    }
    return {
      query: q,
      table: { columns: [...keyColumns, ...USE_CASES, 'total'], firstNumeric: keyColumns.length, rows },
      chart: { kind: 'stacked', periods, series: USE_CASES.map((u) => ({ name: u, values: perUseCase.get(u)! })) },
      total,
    };
  }

  const raw = await ctx.repo.transactions.activeDeviceReport({ ...base, by: [...periodDim, ...groups] });
  const rows = raw.map((r) => [...keyCells(r), r.devices]);
  // One line per group; beyond the first few, the chart would be unreadable (the table has them all).
  const series = new Map<string, number[]>();
  for (const r of raw) {
    const name = groups.length ? groups.map((g) => r[g] ?? '(no tag)').join(' / ') : 'all devices';
    let values = series.get(name);
    if (!values) series.set(name, (values = periods.map(() => 0)));
    values[index.get(periodOf(r))!] = r.devices;
  }
  const overall = await ctx.repo.transactions.activeDeviceReport({ ...base, by: [] });
  return {
    query: q,
    table: { columns: [...keyColumns, 'active_devices'], firstNumeric: keyColumns.length, rows },
    chart: {
      kind: 'grouped',
      periods,
      series: [...series].slice(0, MAX_CHART_SERIES).map(([name, values]) => ({ name, values })),
    },
    total: overall[0]?.devices ?? 0,
  };
}

/** The labels a report can filter on: the organisation's applications and every label its transactions carry (relabelled ones too). */
export async function reportLabels(ctx: ServiceContext, orgId: string): Promise<string[]> {
  const [apps, seen] = await Promise.all([ctx.repo.applications.listApplications(orgId), ctx.repo.transactions.transactionLabels(orgId)]);
  return [...new Set([...apps.map((a) => a.label), ...seen])].sort();
}
