import type { FastifyInstance } from 'fastify';
import { DsError } from '../../errors.js';
import { listAudit } from '../../services/audit.js';
import { listOrganisations } from '../../services/organisations.js';
import { listUsers, publicUser } from '../../services/users.js';
import { html, url } from '../html.js';
import { BASE, formatTime, page } from '../layout.js';
import { field, orgFor, requireAdmin, type DashboardDeps } from '../route-context.js';

const PAGE = 100;

export function auditRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  const { ctx } = deps;

  /** Who changed which origin, application, configuration or user, and when. Admins only. */
  app.get('/audit', async (request, reply) => {
    const { user } = requireAdmin(request);
    const orgName = field(request.query, 'org') || undefined;
    // An admin of one organisation sees that organisation's lines only.
    const org = orgName ? await orgFor(deps, request, orgName) : user.orgId !== null ? await orgFor(deps, request, user.orgId) : undefined;
    const beforeText = field(request.query, 'before');
    const before = beforeText && /^\d{1,15}$/.test(beforeText) ? Number(beforeText) : undefined;
    const rows = await listAudit(ctx, { org: org?.id, before, limit: PAGE });
    const names = new Map((await listOrganisations(ctx)).map((o) => [o.id, o.name]));
    const body = rows.map(
      (r) => html`<tr><td>${formatTime(r.at)}</td><td>${r.actor}</td><td>${r.orgId ? (names.get(r.orgId) ?? r.orgId) : '—'}</td>
<td><code>${r.action}</code></td><td>${r.target ?? ''}</td><td>${r.details ? html`<code>${JSON.stringify(r.details)}</code>` : ''}</td></tr>`,
    );
    const last = rows.at(-1);
    reply.type('text/html; charset=utf-8');
    return page(
      { title: 'Audit log', user: publicUser(user), csrf: deps.csrf(request, reply), org, section: 'audit' },
      html`<h1>Audit log${org ? html` of ${org.name}` : ''}</h1>
<p class="hint">Every change made in this dashboard or with the <code>ds</code> admin command, newest first. Times are UTC.</p>
${rows.length
  ? html`<table id="audit"><thead><tr><th>When</th><th>Who</th><th>Organisation</th><th>Action</th><th>Target</th><th>Details</th></tr></thead><tbody>${body}</tbody></table>`
  : html`<p>Nothing recorded yet.</p>`}
${rows.length === PAGE && last ? html`<nav class="pager"><a href="${url([`${BASE}/audit`], { org: org?.name, before: last.seq })}">Older →</a></nav>` : ''}`,
    );
  });

  /** The dashboard's users (managed with `ds user …`). Admins of every organisation only. */
  app.get('/users', async (request, reply) => {
    const { user } = requireAdmin(request);
    if (user.orgId !== null) throw new DsError('FORBIDDEN', 'only an admin of every organisation sees all users');
    const names = new Map((await listOrganisations(ctx)).map((o) => [o.id, o.name]));
    const users = await listUsers(ctx);
    reply.type('text/html; charset=utf-8');
    return page(
      { title: 'Users', user: publicUser(user), csrf: deps.csrf(request, reply), section: 'users' },
      html`<h1>Users</h1>
<p class="hint">Create and change users with <code>ds user create --email … --role admin|business --password-file …</code>.</p>
<table><thead><tr><th>Email</th><th>Role</th><th>Organisation</th><th>Created</th><th>Password changed</th><th>State</th></tr></thead>
<tbody>${users.map(
        (u) => html`<tr><td>${u.email}</td><td>${u.role}</td><td>${u.orgId ? (names.get(u.orgId) ?? u.orgId) : 'all'}</td><td>${formatTime(u.createdAt)}</td>
<td>${formatTime(u.passwordChangedAt)}</td><td>${u.disabled ? 'disabled' : 'active'}</td></tr>`,
      )}</tbody></table>`,
    );
  });
}
