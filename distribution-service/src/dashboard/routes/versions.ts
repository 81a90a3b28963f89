import type { FastifyInstance } from 'fastify';
import { DsError } from '../../errors.js';
import { listReleases } from '../../services/releases.js';
import { publicUser } from '../../services/users.js';
import {
  lastUpdateError,
  NEVER_SYNCED,
  UPDATE_STATUSES,
  versionReport,
  type DeviceUpdateStatus,
  type UpdateStatus,
  type VersionReport,
} from '../../services/version-report.js';
import type { Organisation } from '../../store/repository.js';
import { html, url, type Html } from '../html.js';
import { formatTime, orgPath, page } from '../layout.js';
import { authOf, field, orgFor, type DashboardDeps } from '../route-context.js';
import { releaseText, versionChart } from '../version-chart.js';

const PAGE_SIZE = 50;

/** What each status reads as; the filter keeps the short value. */
const UPDATE_STATUS_TEXT: Record<UpdateStatus, string> = {
  'up-to-date': 'up-to-date',
  offered: 'offered',
  failed: 'failed',
  'cannot-update': 'cannot update (no release key)',
};

export const updateBadge = (s: UpdateStatus): Html => html`<span class="badge update-${s}">${UPDATE_STATUS_TEXT[s]}</span>`;

/** "33.3 %": one decimal, so small shares of a large fleet do not read as 0. */
export const shareText = (n: number, total: number): string => `${total === 0 ? '0.0' : ((100 * n) / total).toFixed(1)} %`;

function distributionTable(org: Organisation, report: VersionReport): Html {
  const total = report.devices.length;
  const filterLink = (version: string) => html`<a href="${url([orgPath(org, '/versions')], { version })}#update-status">${version}</a>`;
  return html`<table id="version-distribution">
<caption class="muted">Connector versions the devices reported at their last sync (${total} device${total === 1 ? '' : 's'})</caption>
<thead><tr><th scope="col">Version</th><th scope="col" class="num">Devices</th><th scope="col" class="num">Share</th><th scope="col">Release</th></tr></thead>
<tbody>${report.versions.map(
    (v) => html`<tr data-version="${v.version}">
<th scope="row">${filterLink(v.version)}</th>
<td class="num">${v.devices}</td>
<td class="num">${shareText(v.devices, total)}</td>
<td>${releaseText(v.release)}</td>
</tr>`,
  )}</tbody>
</table>`;
}

function deviceRow(org: Organisation, d: DeviceUpdateStatus): Html {
  const last = lastUpdateError(d);
  return html`<tr data-device="${d.deviceId}">
<th scope="row"><a href="${url([orgPath(org, '/devices')], { q: d.deviceId })}"><code>${d.deviceId}</code></a></th>
<td>${d.version ?? html`<span class="muted">${NEVER_SYNCED}</span>`}</td>
<td>${updateBadge(d.status)}</td>
<td>${d.offeredVersion ? html`${d.offeredVersion}<br><span class="muted">${formatTime(d.offeredAt)}</span>` : '—'}</td>
<td>${d.failed.length ? d.failed.map((f) => f.version).join(', ') : '—'}</td>
<td>${last ? html`<strong>${last.version}</strong>: ${last.reason}<br><span class="muted">${formatTime(last.at)}</span>` : '—'}</td>
<td>${formatTime(d.lastSyncAt)}</td>
</tr>`;
}

export function versionRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  const { ctx } = deps;

  // Read-only: the same report as `ds report versions --org`, so the CLI and this page agree.
  app.get('/orgs/:org/versions', async (request, reply) => {
    const { user } = authOf(request);
    const org = await orgFor(deps, request, (request.params as { org: string }).org);
    const q = request.query;
    const status = field(q, 'status') || undefined;
    if (status !== undefined && !UPDATE_STATUSES.includes(status as UpdateStatus)) throw new DsError('INVALID_ARGUMENT', 'unknown update status filter');
    const version = (field(q, 'version') ?? '').slice(0, 64) || undefined;
    const [report, releases] = await Promise.all([versionReport(ctx, org.id), listReleases(ctx, org.id)]);

    const matching = report.devices.filter(
      (d) => (status === undefined || d.status === status) && (version === undefined || (d.version ?? NEVER_SYNCED) === version),
    );
    const pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
    const pageNo = Math.min(pages, Math.max(1, Math.floor(Number(field(q, 'page') ?? '1')) || 1));
    const shown = matching.slice((pageNo - 1) * PAGE_SIZE, pageNo * PAGE_SIZE);
    const countOf = (s: UpdateStatus) => report.devices.filter((d) => d.status === s).length;
    const onVersion = new Map(report.versions.map((v) => [v.version, v.devices]));
    const base = orgPath(org, '/versions');
    const sel = (value: string | undefined, option: string) => (value === option ? html` selected` : '');
    const pageLink = (n: number, text: string) => html`<a href="${url([base], { status, version, page: n })}#update-status">${text}</a>`;

    reply.type('text/html; charset=utf-8');
    return page(
      { title: `Versions of ${org.name}`, user: publicUser(user), csrf: deps.csrf(request, reply), org, section: 'versions' },
      html`<h1>Connector versions of ${org.name}</h1>
<div class="cards" id="update-counts">
<div class="card"><span class="n">${report.devices.length}</span>devices</div>
${UPDATE_STATUSES.map((s) => html`<div class="card"><span class="n" id="count-${s}">${countOf(s)}</span>${updateBadge(s)}</div>`)}
</div>
<h2 id="distribution">Version distribution</h2>
${report.versions.length
  ? html`${versionChart(report.versions, 'Devices per connector version, by release state', 'version-chart')}
${distributionTable(org, report)}`
  : html`<p>No devices have registered yet.</p>`}
<p class="hint">Release: the flag of the organisation's published release of that version (mandatory: applied at once;
recommended: applied when the connector is idle; allowed: devices on it stay), withdrawn (offered to nobody again), or not a release.
The same figures as <code>ds report versions --org ${org.name}</code>.</p>
<h2 id="releases">Published releases</h2>
${releases.length
  ? html`<table id="releases-table"><caption class="muted">Newest publication first</caption>
<thead><tr><th scope="col">Release</th><th scope="col">Flag</th><th scope="col">Minimum version</th><th scope="col">Published</th><th scope="col">Withdrawn</th><th scope="col" class="num">Devices on it</th></tr></thead>
<tbody>${releases.map(
      (r) => html`<tr><th scope="row">${r.version}</th><td>${r.flag}</td><td>${r.minimumVersion}</td><td>${formatTime(r.publishedAt)}</td><td>${r.withdrawnAt ? formatTime(r.withdrawnAt) : '—'}</td><td class="num">${onVersion.get(r.version) ?? 0}</td></tr>`,
    )}</tbody></table>`
  : html`<p>No releases published (<code>ds release publish</code>).</p>`}
<h2 id="update-status">Update status per device</h2>
<p class="hint">Offered: at its last sync the DS offered a newer release that the device does not run yet (it verifies and stages it, then
applies it; the new version shows after its next sync). Failed: the device reported a newer version as failed (rejected or rolled back);
the DS never offers a version that failed on a device to that device again. Only connectors that can update (supervised, with a
pinned release key) get offers; the others show as "cannot update (no release key)" (judged at their last sync). The DS does not
learn whether an offer is already staged.</p>
<form class="row" method="get" action="${base}#update-status" role="search" aria-label="Filter devices">
<div class="field"><label for="v-status">Update status</label> <select id="v-status" name="status"><option value="">any</option>${UPDATE_STATUSES.map((s) => html`<option value="${s}"${sel(status, s)}>${UPDATE_STATUS_TEXT[s]}</option>`)}</select></div>
<div class="field"><label for="v-version">Version</label> <select id="v-version" name="version"><option value="">any</option>${report.versions.map((v) => html`<option value="${v.version}"${sel(version, v.version)}>${v.version}</option>`)}</select></div>
<button type="submit">Filter</button> <a href="${base}#update-status">Clear</a>
</form>
<p role="status">${matching.length} device${matching.length === 1 ? '' : 's'} match.</p>
${shown.length
  ? html`<table id="device-updates"><caption class="muted">Update status per device${pages > 1 ? `, page ${pageNo} of ${pages}` : ''}</caption>
<thead><tr><th scope="col">Device</th><th scope="col">Version</th><th scope="col">Update status</th><th scope="col">Offered</th><th scope="col">Failed versions (no longer offered)</th><th scope="col">Last update error</th><th scope="col">Last sync</th></tr></thead>
<tbody>${shown.map((d) => deviceRow(org, d))}</tbody></table>`
  : ''}
${pages > 1
  ? html`<nav class="pager" aria-label="Pages">${pageNo > 1 ? pageLink(pageNo - 1, '← Previous') : ''}<span>Page ${pageNo} of ${pages}</span>${pageNo < pages ? pageLink(pageNo + 1, 'Next →') : ''}</nav>`
  : ''}`,
    );
  });
}
