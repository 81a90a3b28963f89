import { TOKEN_HTML_PATTERN } from '@cardlink/ds-protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isDsError } from '../../errors.js';
import * as applications from '../../services/applications.js';
import { userActor } from '../../services/audit.js';
import { fleet } from '../../services/fleet.js';
import { publicUser } from '../../services/users.js';
import type { Organisation } from '../../store/repository.js';
import { html, url } from '../html.js';
import { csrfField, formatDuration, formatTime, notice, orgPath, page, statusBadge } from '../layout.js';
import { authOf, field, orgFor, requireAdmin, type DashboardDeps } from '../route-context.js';

type Params = { org: string; label: string };

const DEVICES_SHOWN = 50;

interface FormState {
  status?: number;
  error?: string;
  /** Which form the error belongs to, and what was typed. */
  form?: 'origin' | 'name' | 'label' | 'settings';
  value?: string;
}

const PIN_ENTRY_OPTIONS = [
  ['CONNECTOR_PAGE', 'the connector page (default)'],
  ['HOST_PAGE', 'the host page (legacy)'],
] as const;
const CONSENT_TEXT: Record<string, string> = {
  OFF: 'not asked',
  ONCE_PER_ORIGIN: 'asked once per origin on each machine',
  EVERY_SESSION: 'asked again for every card session',
};

export function appRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  const { ctx } = deps;

  const appPage = async (request: FastifyRequest, reply: FastifyReply, org: Organisation, label: string, o: FormState = {}) => {
    const { user } = authOf(request);
    const a = await applications.requireApplication(ctx, org.id, label);
    const origins = (await applications.listOrigins(ctx, org.id)).filter((x) => x.label === a.label);
    // Those still waiting for the list first; a long fleet is left to the fleet view's filter.
    const f = await fleet(ctx, { org: org.id, cors: 'outdated', pageSize: DEVICES_SHOWN });
    const current = f.devices.length < DEVICES_SHOWN ? (await fleet(ctx, { org: org.id, cors: 'current', pageSize: DEVICES_SHOWN - f.devices.length })).devices : [];
    const listed = [...f.devices, ...current];
    const csrf = deps.csrf(request, reply);
    const admin = user.role === 'admin';
    const base = orgPath(org, '/apps/', { v: a.label });
    const failed = (form: FormState['form']) => o.form === form && o.error !== undefined;
    const invalid = (form: FormState['form']) => (failed(form) ? html` aria-invalid="true"` : '');
    /** The field's hint, and the page's error message when it concerns this field. */
    const describedBy = (form: FormState['form'], hint?: string) => {
      const ids = [hint, failed(form) ? 'page-error' : undefined].filter(Boolean).join(' ');
      return ids ? html` aria-describedby="${ids}"` : '';
    };
    const typed = (form: FormState['form'], fallback: string) => (o.form === form && o.value !== undefined ? o.value : fallback);

    const originRows = origins.map(
      (x) => html`<tr><td><code>${x.origin}</code></td><td>${formatTime(x.createdAt)}</td>
${admin
  ? html`<td><form class="inline" method="post" action="${base}/origins/delete">${csrfField(csrf)}<input type="hidden" name="origin" value="${x.origin}">
<button class="danger" type="submit" aria-label="Remove ${x.origin}">Remove</button></form></td>`
  : ''}</tr>`,
    );
    const now = ctx.clock.now();
    /** Its last contact plus the cycle it keeps; overdue when that moment has passed. */
    const nextSync = (d: (typeof listed)[number]) => {
      const at = Date.parse(d.lastContactAt) + d.cycleSeconds * 1000;
      return at > now
        ? html`${formatTime(new Date(at).toISOString())}<br><span class="muted">in ${formatDuration((at - now) / 1000)}</span>`
        : html`<span class="outdated">overdue</span><br><span class="muted">due ${formatDuration((at - now) / 1000)}</span>`;
    };
    const deviceRows = listed.map(
      (d) => html`<tr><td><a href="${url([orgPath(org, '/devices')], { q: d.id })}"><code>${d.id.slice(0, 8)}</code></a></td><td>${statusBadge(d.status)}</td>
<td>${formatTime(d.lastContactAt)}</td><td class="num">${d.corsVersionSent === null ? '—' : `v${d.corsVersionSent}`}</td>
<td>${d.corsCurrent ? html`<span class="current">yes</span>` : html`<span class="outdated">no, at its next sync</span>`}</td>
<td data-next-sync>${nextSync(d)}</td></tr>`,
    );
    reply.status(o.status ?? 200).type('text/html; charset=utf-8');
    return page(
      {
        title: `${a.name} (${a.label})`,
        user: publicUser(user),
        csrf,
        org,
        section: 'apps',
        error: o.error,
        notice: notice(field(request.query, 'done')),
      },
      html`<h1>${a.name} <span class="muted">· label <code>${a.label}</code></span></h1>
<p class="muted">Created ${formatTime(a.createdAt)}. Pages on these origins may use the connectors of ${org.name}; their transactions are billed under the label <code>${a.label}</code>.</p>

<h2 id="origins">Allowed origins</h2>
${originRows.length
  ? html`<table id="origins-table"><thead><tr><th>Origin</th><th>Added</th>${admin ? html`<th>Action</th>` : ''}</tr></thead><tbody>${originRows}</tbody></table>`
  : html`<p>No origin yet: no page can use the connectors under this label.</p>`}
${admin
  ? html`<form class="row" method="post" action="${base}/origins">${csrfField(csrf)}
<div class="field"><label for="origin">Add origin</label> <span class="hint" id="origin-hint">https://host[:port], https://*.domain, or http://localhost[:port] / http://127.0.0.1[:port]; no path</span>
<input id="origin" name="origin" required maxlength="255" size="40" placeholder="https://app.example.com"${describedBy('origin', 'origin-hint')} value="${typed('origin', '')}"${invalid('origin')}></div>
<button type="submit">Add origin</button></form>`
  : ''}

<h2 id="connectors">Connectors and the origin list</h2>
<p>The origin list of ${org.name} is at version <strong>v${org.corsVersion}</strong>.
<strong>${f.counts.corsCurrent} of ${f.counts.all}</strong> connectors got it with their last sync; the others get it at their next one.
Next sync: the last contact plus the cycle the connector keeps; on the machine itself, <code>connector sync</code> syncs at once.</p>
${deviceRows.length
  ? html`<table id="app-devices"><thead><tr><th>Device</th><th>Status</th><th>Last contact</th><th class="num">List held</th><th>Latest list</th><th>Next sync</th></tr></thead><tbody>${deviceRows}</tbody></table>
${f.counts.all > listed.length ? html`<p><a href="${url([orgPath(org, '/devices')], { cors: 'outdated' })}">All ${f.counts.all - f.counts.corsCurrent} connectors still waiting for the latest list</a></p>` : ''}`
  : html`<p class="muted">No connector registered yet.</p>`}

<h2 id="user-steps">PIN entry and consent</h2>
<p>What the connector asks of the user for this application, on its own pages (which the application's pages cannot read).</p>
<dl id="app-user-steps"><dt>PIN entered by</dt><dd data-setting="pinEntry">${a.pinEntry === 'CONNECTOR_PAGE' ? 'the connector page' : 'the host page (legacy)'}</dd>
<dt>Consent to read the card</dt><dd data-setting="consent">${CONSENT_TEXT[a.consent]}</dd>
<dt>PIN reuse in a tab</dt><dd data-setting="pinReuseMinutes">${a.pinReuseMinutes === 0 ? 'never: every authentication asks for the PIN' : `${a.pinReuseMinutes} min`}</dd></dl>
${admin
  ? html`<form class="row" method="post" action="${base}/user-steps">${csrfField(csrf)}
<div class="field"><label for="pin-entry">PIN entered by</label> <select id="pin-entry" name="pinEntry">${PIN_ENTRY_OPTIONS.map(([v, t]) => html`<option value="${v}"${v === a.pinEntry ? html` selected` : ''}>${t}</option>`)}</select></div>
<div class="field"><label for="consent">Consent</label> <select id="consent" name="consent">${Object.entries(CONSENT_TEXT).map(([v, t]) => html`<option value="${v}"${v === a.consent ? html` selected` : ''}>${t}</option>`)}</select></div>
<div class="field"><label for="pin-reuse">PIN reuse (minutes)</label> <input id="pin-reuse" name="pinReuseMinutes" type="number" min="0" max="1440" required value="${String(a.pinReuseMinutes)}"${invalid('settings')}${describedBy('settings')}></div>
<button type="submit" class="secondary">Save</button></form>`
  : ''}

${admin
  ? html`<h2>Settings</h2>
<form class="row" method="post" action="${base}/name">${csrfField(csrf)}
<div class="field"><label for="app-name">Name</label> <input id="app-name" name="name" required maxlength="200" value="${typed('name', a.name)}"${describedBy('name')}${invalid('name')}></div>
<button type="submit" class="secondary">Rename</button></form>
<p></p>
<form class="row" method="post" action="${base}/label">${csrfField(csrf)}
<div class="field"><label for="app-label">Label</label> <span class="hint" id="app-label-hint">transactions already recorded keep the old label</span>
<input id="app-label" name="label" required maxlength="64" pattern="${TOKEN_HTML_PATTERN}"${describedBy('label', 'app-label-hint')} value="${typed('label', a.label)}"${invalid('label')}></div>
<button type="submit" class="secondary">Change label</button></form>`
  : ''}`,
    );
  };

  /** Runs an admin change; on a user error shows the page again with the message, else redirects. */
  const change = (
    form: NonNullable<FormState['form']>,
    input: string,
    run: (org: Organisation, label: string, value: string, actor: string) => Promise<{ to: string; done: string }>,
  ) => {
    return async (request: FastifyRequest, reply: FastifyReply) => {
      const { user } = requireAdmin(request);
      const params = request.params as Params;
      const org = await orgFor(deps, request, params.org);
      await applications.requireApplication(ctx, org.id, params.label);
      const value = field(request.body, input) ?? '';
      try {
        const { to, done } = await run(org, params.label, value, userActor(user.email));
        return reply.redirect(url([to], { done }), 303);
      } catch (e) {
        if (isDsError(e) && e.status < 500) return appPage(request, reply, org, params.label, { status: e.status, error: e.message, form, value });
        throw e;
      }
    };
  };

  app.get('/orgs/:org/apps/:label', async (request, reply) => {
    const params = request.params as Params;
    return appPage(request, reply, await orgFor(deps, request, params.org), params.label);
  });

  app.post(
    '/orgs/:org/apps/:label/origins',
    change('origin', 'origin', async (org, label, value, actor) => {
      await applications.addOrigin(ctx, { org: org.id, label, origin: value, actor });
      return { to: `${orgPath(org, '/apps/', { v: label })}`, done: 'origin-added' };
    }),
  );

  app.post(
    '/orgs/:org/apps/:label/origins/delete',
    change('origin', 'origin', async (org, label, value, actor) => {
      await applications.removeOrigin(ctx, { org: org.id, label, origin: value, actor });
      return { to: `${orgPath(org, '/apps/', { v: label })}`, done: 'origin-removed' };
    }),
  );

  app.post('/orgs/:org/apps/:label/user-steps', async (request, reply) => {
    const { user } = requireAdmin(request);
    const params = request.params as Params;
    const org = await orgFor(deps, request, params.org);
    const body = { pinEntry: field(request.body, 'pinEntry'), consent: field(request.body, 'consent'), pinReuseMinutes: field(request.body, 'pinReuseMinutes') };
    try {
      await applications.setApplicationSettings(ctx, { org: org.id, label: params.label, ...body, actor: userActor(user.email) });
    } catch (e) {
      if (isDsError(e) && e.status < 500) return appPage(request, reply, org, params.label, { status: e.status, error: e.message, form: 'settings' });
      throw e;
    }
    return reply.redirect(url([orgPath(org, '/apps/', { v: params.label })], { done: 'app-settings' }), 303);
  });

  app.post(
    '/orgs/:org/apps/:label/name',
    change('name', 'name', async (org, label, value, actor) => {
      await applications.renameApplication(ctx, { org: org.id, label, name: value, actor });
      return { to: `${orgPath(org, '/apps/', { v: label })}`, done: 'app-renamed' };
    }),
  );

  app.post(
    '/orgs/:org/apps/:label/label',
    change('label', 'label', async (org, label, value, actor) => {
      const a = await applications.relabelApplication(ctx, { org: org.id, label, newLabel: value.trim(), actor });
      return { to: `${orgPath(org, '/apps/', { v: a.label })}`, done: 'app-relabelled' };
    }),
  );
}
