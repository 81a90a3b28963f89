import type { FastifyInstance, FastifyRequest } from 'fastify';
import { csvRows } from '../../domain/csv.js';
import { USE_CASE_NAMES } from '../use-case-names.js';
import { DsError } from '../../errors.js';
import { BILLING_MODELS, billingReport, PERIODS, reportLabels, type BillingModel, type BillingQuery, type BillingReport, type Period } from '../../services/reports.js';
import { publicUser } from '../../services/users.js';
import type { Organisation } from '../../store/repository.js';
import { renderChart } from '../charts.js';
import { html, url, type Html } from '../html.js';
import { orgPath, page } from '../layout.js';
import { authOf, field, orgFor, type DashboardDeps } from '../route-context.js';

const DAY_MS = 86_400_000;

/** Default range: the last twelve months, this one included (UTC). */
export function defaultRange(now: number): { from: string; to: string } {
  const d = new Date(now);
  const from = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 11, 1));
  return { from: from.toISOString().slice(0, 10), to: d.toISOString().slice(0, 10) };
}

/** The report form's query string → a billing query (the HTML page and the CSV read it the same way). */
export function billingQueryOf(org: Organisation, query: unknown, now: number): BillingQuery {
  const range = defaultRange(now);
  const model = (field(query, 'model') || 'transactions') as BillingModel;
  const period = (field(query, 'period') || 'month') as Period;
  if (!BILLING_MODELS.includes(model)) throw new DsError('INVALID_ARGUMENT', 'unknown report model');
  if (!PERIODS.includes(period)) throw new DsError('INVALID_ARGUMENT', 'unknown period');
  // Unticked checkboxes are absent from a submitted form; `submitted` tells a fresh page from that.
  const submitted = field(query, 'submitted') === '1';
  return {
    org: org.id,
    model,
    from: field(query, 'from') || range.from,
    to: field(query, 'to') || range.to,
    period,
    byLabel: submitted ? field(query, 'byLabel') === '1' : true,
    byTag: submitted ? field(query, 'byTag') === '1' : true,
    label: field(query, 'label') || undefined,
    // Billing counts what worked unless asked otherwise: failed operations are not billable.
    okOnly: submitted ? field(query, 'okOnly') === '1' : true,
  };
}

/** The query string that reproduces a report (for the CSV link and shortcuts). */
export function queryString(q: BillingQuery): Record<string, string | undefined> {
  return {
    model: q.model,
    from: q.from,
    to: q.to,
    period: q.period,
    byLabel: q.byLabel ? '1' : undefined,
    byTag: q.byTag ? '1' : undefined,
    label: q.label,
    okOnly: q.okOnly ? '1' : undefined,
    submitted: '1',
  };
}

const COLUMN_NAMES: Record<string, string> = {
  ...USE_CASE_NAMES,
  period: 'Period',
  label: 'Label',
  tag: 'Tag',
  total: 'Total',
  active_devices: 'Active devices',
};

/** A column's heading on the page; the CSV keeps the column's machine name (`data-column`). */
export const columnName = (c: string): string => COLUMN_NAMES[c] ?? c;

function renderTable(report: BillingReport): Html {
  const { columns, rows, firstNumeric } = report.table;
  const tagAt = columns.indexOf('tag');
  return html`<table id="report-table">
<caption class="muted">${report.query.model === 'transactions' ? 'Transactions per use case' : 'Distinct active devices'}, ${report.query.from} to ${report.query.to} (UTC)${report.query.okOnly ? ', successful only' : ', failed included'}</caption>
<thead><tr>${columns.map((c, i) => html`<th scope="col" data-column="${c}"${i >= firstNumeric ? html` class="num"` : ''}>${columnName(c)}</th>`)}</tr></thead>
<tbody>${rows.map(
    (r) =>
      html`<tr>${r.map((cell, i) =>
        i >= firstNumeric
          ? html`<td class="num">${cell}</td>`
          : i === tagAt && cell === ''
            ? html`<td class="no-tag"></td>`
            : html`<td>${cell}</td>`,
      )}</tr>`,
  )}</tbody>
</table>`;
}

export function reportRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  const { ctx } = deps;

  const load = async (request: FastifyRequest) => {
    const org = await orgFor(deps, request, (request.params as { org: string }).org);
    return { org, report: await billingReport(ctx, billingQueryOf(org, request.query, ctx.clock.now())) };
  };

  app.get('/orgs/:org/reports', async (request, reply) => {
    const { user } = authOf(request);
    const org = await orgFor(deps, request, (request.params as { org: string }).org);
    let report: BillingReport | undefined;
    let error: string | undefined;
    let q: BillingQuery;
    try {
      q = billingQueryOf(org, request.query, ctx.clock.now());
      report = await billingReport(ctx, q);
      q = report.query;
    } catch (e) {
      if (!(e instanceof DsError) || e.status >= 500) throw e;
      error = e.message;
      q = billingQueryOf(org, {}, ctx.clock.now());
      reply.status(400);
    }
    const labels = await reportLabels(ctx, org.id);
    const base = orgPath(org, '/reports');
    const chk = (on: boolean | undefined) => (on ? html` checked` : '');
    const sel = (on: boolean) => (on ? html` selected` : '');
    const now = ctx.clock.now();
    const thisMonth = new Date(now).toISOString().slice(0, 7);
    const lastMonthStart = new Date(Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth() - 1, 1));
    const lastMonth = lastMonthStart.toISOString().slice(0, 7);
    const shortcut = (text: string, from: string, to: string, period: Period) =>
      html`<a href="${url([base], { ...queryString({ ...q, from, to, period }) })}">${text}</a>`;
    const transactions = q.model === 'transactions';
    const summary = report
      ? transactions
        ? html`<p role="status"><strong id="report-total">${report.total}</strong> transaction${report.total === 1 ? '' : 's'} from ${q.from} to ${q.to}${q.label ? html` under label <code>${q.label}</code>` : ''}${q.okOnly ? ' (successful only)' : ' (failed operations included)'}.</p>`
        : html`<p role="status"><strong id="report-total">${report.total}</strong> distinct device${report.total === 1 ? '' : 's'} active (at least one transaction) from ${q.from} to ${q.to}${q.label ? html` under label <code>${q.label}</code>` : ''}.</p>`
      : '';
    reply.type('text/html; charset=utf-8');
    return page(
      { title: `Billing reports of ${org.name}`, user: publicUser(user), csrf: deps.csrf(request, reply), org, section: 'reports', error },
      html`<h1>Billing reports of ${org.name}</h1>
<form class="row" method="get" action="${base}" aria-label="Report">
<input type="hidden" name="submitted" value="1">
<div class="field"><label for="r-model">Business model</label> <select id="r-model" name="model">
<option value="transactions"${sel(transactions)}>Transaction based: counts per use case</option>
<option value="installs"${sel(!transactions)}>Install based: distinct active devices</option></select></div>
<div class="field"><label for="r-from">From</label> <input id="r-from" name="from" type="date" required value="${q.from}"></div>
<div class="field"><label for="r-to">To (inclusive)</label> <input id="r-to" name="to" type="date" required value="${q.to}"></div>
<div class="field"><label for="r-period">Per</label> <select id="r-period" name="period">
<option value="month"${sel(q.period === 'month')}>month</option><option value="day"${sel(q.period === 'day')}>day</option><option value="range"${sel(q.period === 'range')}>whole range</option></select></div>
<fieldset><legend>Rows by</legend>
<label><input type="checkbox" name="byLabel" value="1"${chk(q.byLabel)}> label</label>
<label><input type="checkbox" name="byTag" value="1"${chk(q.byTag)}> tag</label></fieldset>
<div class="field"><label for="r-label">Only label</label> <select id="r-label" name="label"><option value="">all labels</option>${labels.map((l) => html`<option value="${l}"${sel(q.label === l)}>${l}</option>`)}</select></div>
<label class="check"><input type="checkbox" name="okOnly" value="1"${chk(q.okOnly)}> successful only (default)</label>
<button type="submit">Show</button>
</form>
<p class="hint">Shortcuts: ${shortcut('this month', `${thisMonth}-01`, new Date(now).toISOString().slice(0, 10), 'range')} ·
${shortcut('last month', `${lastMonth}-01`, new Date(Date.UTC(lastMonthStart.getUTCFullYear(), lastMonthStart.getUTCMonth() + 1, 1) - DAY_MS).toISOString().slice(0, 10), 'range')} ·
${shortcut('last 12 months', defaultRange(now).from, defaultRange(now).to, 'month')}. Times are UTC. Tags are shown as pages sent them; a row without a tag holds the label's transactions that had none.
Only successful operations count by default (failed ones are not billable); untick "successful only" to include them.</p>
${report
  ? html`${summary}
${renderChart(transactions ? { ...report.chart, series: report.chart.series.map((s) => ({ ...s, name: columnName(s.name) })) } : report.chart, transactions ? 'Transactions per period, by use case' : 'Active devices per period', 'report-chart')}
<p><a id="csv-link" href="${url([`${base}.csv`], queryString(q))}" download>Download CSV</a> <span class="hint">(the table below, same rows and numbers; its columns keep their machine names, e.g. <code>IDENTITY_READ</code> for "Identity read", so scripts and spreadsheets can rely on them)</span></p>
${report.table.rows.length ? renderTable(report) : html`<p>No transactions in this range.</p>`}`
  : ''}`,
    );
  });

  app.get('/orgs/:org/reports.csv', async (request, reply) => {
    const { org, report } = await load(request);
    const q = report.query;
    const name = `cardlink-${org.name.replace(/[^A-Za-z0-9._-]+/g, '_')}-${q.model}-${q.from}-${q.to}.csv`;
    reply.header('content-disposition', `attachment; filename="${name}"`);
    reply.type('text/csv; charset=utf-8');
    return csvRows([report.table.columns, ...report.table.rows]);
  });
}
