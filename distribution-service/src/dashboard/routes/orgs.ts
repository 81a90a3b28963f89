import { TOKEN_HTML_PATTERN } from '@cardlink/ds-protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DsError, isDsError } from '../../errors.js';
import * as applications from '../../services/applications.js';
import { fleet } from '../../services/fleet.js';
import * as organisations from '../../services/organisations.js';
import { userActor } from '../../services/audit.js';
import { publicUser } from '../../services/users.js';
import type { Organisation } from '../../store/repository.js';
import { html, url } from '../html.js';
import { BASE, csrfField, notice, orgPath, page } from '../layout.js';
import { authOf, field, orgFor, requireAdmin, type DashboardDeps } from '../route-context.js';

export function orgRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  const { ctx } = deps;

  app.get('/', async (request, reply) => {
    const { user } = authOf(request);
    const all = await organisations.listOrganisations(ctx);
    const visible = user.orgId === null ? all : all.filter((o) => o.id === user.orgId);
    if (visible.length === 1 && user.orgId !== null) return reply.redirect(orgPath(visible[0]!), 303);
    const rows = await Promise.all(
      visible.map(async (o) => {
        const f = await fleet(ctx, { org: o.id, pageSize: 1 });
        const apps = await applications.listApplications(ctx, o.id);
        return html`<tr><td><a href="${orgPath(o)}">${o.name}</a></td><td class="num">${apps.length}</td><td class="num">${f.counts.all}</td>
<td class="num">${f.counts.online}</td><td class="num">${f.counts.late}</td><td class="num">${f.counts.offline}</td></tr>`;
      }),
    );
    const csrf = deps.csrf(request, reply);
    const create =
      user.role === 'admin' && user.orgId === null
        ? html`<h2>New organisation</h2>
<form class="row" method="post" action="${BASE}/orgs">${csrfField(csrf)}
<div class="field"><label for="org-name">Name</label> <input id="org-name" name="name" required maxlength="100" pattern="[A-Za-z0-9][A-Za-z0-9 ._\\-]{0,99}"></div>
<button type="submit">Create organisation</button></form>`
        : '';
    reply.type('text/html; charset=utf-8');
    return page(
      { title: 'Organisations', user: publicUser(user), csrf, section: 'orgs', notice: notice(field(request.query, 'done')) },
      html`<h1>Organisations</h1>
${rows.length
  ? html`<table><caption class="muted">Devices by status</caption><thead><tr><th>Organisation</th><th class="num">Applications</th><th class="num">Devices</th><th class="num">Online</th><th class="num">Late</th><th class="num">Offline</th></tr></thead><tbody>${rows}</tbody></table>`
  : html`<p>No organisation yet.</p>`}
${create}`,
    );
  });

  app.post('/orgs', async (request, reply) => {
    const { user } = requireAdmin(request);
    if (user.orgId !== null) throw new DsError('FORBIDDEN', 'only an admin of every organisation creates organisations');
    const org = await organisations.createOrganisation(ctx, (field(request.body, 'name') ?? '').trim(), userActor(user.email));
    return reply.redirect(url([orgPath(org)], { done: 'org-created' }), 303);
  });

  /** The organisation's home: its applications (labels and origins), fleet summary and configuration. */
  const orgPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    org: Organisation,
    o: { status?: number; error?: string; values?: { label?: string; name?: string } } = {},
  ) => {
    const { user } = authOf(request);
    const apps = await applications.listApplications(ctx, org.id);
    const origins = await applications.listOrigins(ctx, org.id);
    const f = await fleet(ctx, { org: org.id, pageSize: 1 });
    const csrf = deps.csrf(request, reply);
    const admin = user.role === 'admin';
    const rows = apps.map((a) => {
      const list = origins.filter((x) => x.label === a.label);
      return html`<tr><td><a href="${orgPath(org, '/apps/', { v: a.label })}"><code>${a.label}</code></a></td><td>${a.name}</td>
<td>${list.length ? html`<ul>${list.map((x) => html`<li><code>${x.origin}</code></li>`)}</ul>` : html`<span class="muted">none</span>`}</td></tr>`;
    });
    const v = o.values ?? {};
    const create = admin
      ? html`<h2>New application</h2>
<form class="row" method="post" action="${orgPath(org, '/apps')}">${csrfField(csrf)}
<div class="field"><label for="app-label">Label</label> <span class="hint" id="app-label-hint">billing key, A-Z a-z 0-9 . _ : -</span>
<input id="app-label" name="label" required maxlength="64" pattern="${TOKEN_HTML_PATTERN}" aria-describedby="app-label-hint" value="${v.label ?? ''}"></div>
<div class="field"><label for="app-name">Name</label> <input id="app-name" name="name" maxlength="200" value="${v.name ?? ''}"></div>
<button type="submit">Create application</button></form>`
      : '';
    reply.status(o.status ?? 200).type('text/html; charset=utf-8');
    return page(
      { title: org.name, user: publicUser(user), csrf, org, section: 'apps', error: o.error, notice: notice(field(request.query, 'done')) },
      html`<h1>Applications of ${org.name}</h1>
<div class="cards">
<div class="card"><span class="n">${f.counts.all}</span>devices</div>
<div class="card"><span class="n">${f.counts.online}</span>online</div>
<div class="card"><span class="n">v${org.corsVersion}</span>origin list</div>
<div class="card"><span class="n">${f.counts.corsCurrent} / ${f.counts.all}</span>devices with the latest list</div>
</div>
${rows.length
  ? html`<table><thead><tr><th>Label</th><th>Name</th><th>Origins</th></tr></thead><tbody>${rows}</tbody></table>`
  : html`<p>No application yet.</p>`}
${create}`,
    );
  };

  app.get('/orgs/:org', async (request, reply) => {
    const org = await orgFor(deps, request, (request.params as { org: string }).org);
    return orgPage(request, reply, org);
  });

  app.post('/orgs/:org/apps', async (request, reply) => {
    const { user } = requireAdmin(request);
    const org = await orgFor(deps, request, (request.params as { org: string }).org);
    const label = (field(request.body, 'label') ?? '').trim();
    const name = (field(request.body, 'name') ?? '').trim();
    try {
      const a = await applications.createApplication(ctx, { org: org.id, label, name: name || undefined, actor: userActor(user.email) });
      return reply.redirect(url([orgPath(org, '/apps/', { v: a.label })], { done: 'app-created' }), 303);
    } catch (e) {
      if (isDsError(e) && e.status < 500) return orgPage(request, reply, org, { status: e.status, error: e.message, values: { label, name } });
      throw e;
    }
  });
}
