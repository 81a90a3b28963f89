import type { FastifyInstance } from 'fastify';
import { DsError } from '../../errors.js';
import { fleet, FLEET_STATUSES, type FleetStatus } from '../../services/fleet.js';
import { publicUser } from '../../services/users.js';
import { html, url } from '../html.js';
import { formatDuration, formatTime, orgPath, page, statusBadge } from '../layout.js';
import { authOf, field, orgFor, type DashboardDeps } from '../route-context.js';

const RENEWAL_WARNING_SECONDS = 14 * 86_400;

export function fleetRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  const { ctx } = deps;

  app.get('/orgs/:org/devices', async (request, reply) => {
    const { user } = authOf(request);
    const org = await orgFor(deps, request, (request.params as { org: string }).org);
    const q = request.query;
    const status = field(q, 'status') || undefined;
    if (status !== undefined && !FLEET_STATUSES.includes(status as FleetStatus)) throw new DsError('INVALID_ARGUMENT', 'unknown status filter');
    const cors = field(q, 'cors') || undefined;
    if (cors !== undefined && cors !== 'current' && cors !== 'outdated') throw new DsError('INVALID_ARGUMENT', 'unknown origin-list filter');
    const version = field(q, 'version') || undefined;
    const search = (field(q, 'q') ?? '').slice(0, 200) || undefined;
    const pageNo = Number(field(q, 'page') ?? '1') || 1;
    const view = await fleet(ctx, {
      org: org.id,
      status: status as FleetStatus | undefined,
      cors: cors as 'current' | 'outdated' | undefined,
      version,
      q: search,
      page: pageNo,
    });
    const now = ctx.clock.now();
    const rows = view.devices.map((d) => {
      const ageS = (now - Date.parse(d.lastContactAt)) / 1000;
      const cert =
        d.certExpiresInSeconds === null
          ? html`<span class="muted">unknown</span>`
          : html`${formatTime(d.certNotAfter)}<br><span class="${d.certExpiresInSeconds < RENEWAL_WARNING_SECONDS ? 'outdated' : 'muted'}">${d.certExpiresInSeconds < 0 ? 'expired' : `in ${formatDuration(d.certExpiresInSeconds)}`}</span>`;
      return html`<tr data-device="${d.id}">
<td><code>${d.id}</code></td>
<td>${statusBadge(d.status)}</td>
<td>${d.version ?? '—'}</td>
<td>${d.os ?? '—'}</td>
<td>${d.lastSyncAt ? html`${formatTime(d.lastSyncAt)}<br><span class="muted">${formatDuration(-ageS)}</span>` : html`<span class="muted">never (registered ${formatTime(d.registeredAt)})</span>`}</td>
<td class="num">${formatDuration(d.cycleSeconds)}</td>
<td>${cert}</td>
<td>${d.corsCurrent ? html`<span class="current">current</span>` : html`<span class="outdated">outdated</span>`} <span class="muted">v${d.corsVersionSent ?? '—'}</span></td>
<td>${d.configCurrent ? html`<span class="current">current</span>` : html`<span class="outdated">outdated</span>`} <span class="muted">v${d.configVersionSent ?? '—'}</span></td>
<td>${d.lastError ?? ''}</td>
</tr>`;
    });
    const sel = (value: string | undefined, option: string) => (value === option ? html` selected` : '');
    const pageLink = (n: number, text: string) =>
      html`<a href="${url([orgPath(org, '/devices')], { status, cors, version, q: search, page: n })}">${text}</a>`;
    reply.type('text/html; charset=utf-8');
    return page(
      { title: `Fleet of ${org.name}`, user: publicUser(user), csrf: deps.csrf(request, reply), org, section: 'fleet' },
      html`<h1>Fleet of ${org.name}</h1>
<div class="cards">
<div class="card"><span class="n">${view.counts.all}</span>devices</div>
<div class="card"><span class="n">${view.counts.online}</span>${statusBadge('online')}</div>
<div class="card"><span class="n">${view.counts.late}</span>${statusBadge('late')}</div>
<div class="card"><span class="n">${view.counts.offline}</span>${statusBadge('offline')}</div>
</div>
<p class="hint">Online: synced within its cycle plus ${formatDuration(ctx.config.dashboard.fleetGraceSeconds)}; late: missed a sync;
offline: silent for more than ${ctx.config.dashboard.offlineAfterCycles} cycles. The cycle is the one the device keeps since its last sync: the organisation's
override (Configuration), else the <code>--ds.cycle</code> the connector reported, else the DS default (${formatDuration(ctx.config.defaultCycleSeconds)}).</p>
<form class="row" method="get" action="${orgPath(org, '/devices')}" role="search">
<div class="field"><label for="f-q">Search</label> <input id="f-q" name="q" type="search" maxlength="200" value="${search ?? ''}" placeholder="id, version, OS or error"></div>
<div class="field"><label for="f-status">Status</label> <select id="f-status" name="status"><option value="">any</option>${FLEET_STATUSES.map((s) => html`<option value="${s}"${sel(status, s)}>${s}</option>`)}</select></div>
<div class="field"><label for="f-version">Version</label> <select id="f-version" name="version"><option value="">any</option>${view.versions.map((v) => html`<option value="${v}"${sel(version, v)}>${v}</option>`)}</select></div>
<div class="field"><label for="f-cors">Origin list</label> <select id="f-cors" name="cors"><option value="">any</option><option value="current"${sel(cors, 'current')}>current</option><option value="outdated"${sel(cors, 'outdated')}>outdated</option></select></div>
<button type="submit">Filter</button> <a href="${orgPath(org, '/devices')}">Clear</a>
</form>
<p role="status">${view.total} device${view.total === 1 ? '' : 's'} match.</p>
${rows.length
  ? html`<table id="devices"><thead><tr><th>Device</th><th>Status</th><th>Version</th><th>OS</th><th>Last sync</th><th class="num">Cycle</th><th>Certificate expires</th><th>Origin list</th><th>Config</th><th>Last error</th></tr></thead>
<tbody>${rows}</tbody></table>`
  : ''}
${view.pages > 1
  ? html`<nav class="pager" aria-label="Pages">${view.page > 1 ? pageLink(view.page - 1, '← Previous') : ''}<span>Page ${view.page} of ${view.pages}</span>${view.page < view.pages ? pageLink(view.page + 1, 'Next →') : ''}</nav>`
  : ''}`,
    );
  });
}
