import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LOG_LEVELS, type LogLevel } from '@cardlink/ds-protocol';
import { DsError, isDsError } from '../../errors.js';
import { userActor } from '../../services/audit.js';
import { configView } from '../../services/device-view.js';
import { fleet } from '../../services/fleet.js';
import { MAX_CYCLE_SECONDS, MIN_CYCLE_SECONDS, setOrganisationConfig } from '../../services/organisations.js';
import { publicUser } from '../../services/users.js';
import type { Organisation } from '../../store/repository.js';
import { html, url } from '../html.js';
import { csrfField, formatDuration, notice, orgPath, page } from '../layout.js';
import { authOf, field, orgFor, requireAdmin, type DashboardDeps } from '../route-context.js';

export function configRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  const { ctx } = deps;

  const configPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    org: Organisation,
    o: { status?: number; error?: string; cycle?: string; logLevel?: string } = {},
  ) => {
    const { user } = authOf(request);
    const f = await fleet(ctx, { org: org.id, pageSize: 1 });
    const csrf = deps.csrf(request, reply);
    const view = configView(org);
    const cycle = o.cycle ?? (org.dsCycleSeconds === null ? '' : String(org.dsCycleSeconds));
    const level = o.logLevel ?? org.logLevel ?? '';
    reply.status(o.status ?? 200).type('text/html; charset=utf-8');
    return page(
      { title: `Configuration of ${org.name}`, user: publicUser(user), csrf, org, section: 'config', error: o.error, notice: notice(field(request.query, 'done')) },
      html`<h1>Connector configuration of ${org.name}</h1>
<p>Sent to every connector of ${org.name} with each sync. Version <strong>v${view.version}</strong>;
<strong>${f.counts.configCurrent} of ${f.counts.all}</strong> connectors got it with their last sync.</p>
<table><tbody>
<tr><th scope="row">Sync cycle (<code>ds.cycle</code>)</th><td id="cfg-cycle">${org.dsCycleSeconds === null ? html`not overridden: the connector's own setting, else the DS default (${formatDuration(ctx.config.defaultCycleSeconds)})` : html`${org.dsCycleSeconds} s (${formatDuration(org.dsCycleSeconds)})`}</td></tr>
<tr><th scope="row">Log level</th><td id="cfg-log-level">${org.logLevel ?? html`not overridden: the connector's own setting`}</td></tr>
</tbody></table>
${user.role === 'admin'
  ? html`<h2>Change</h2>
<form class="stack" method="post" action="${orgPath(org, '/config')}">${csrfField(csrf)}
<div class="field"><label for="cycle">Sync cycle in seconds</label> <span class="hint" id="cycle-hint">${MIN_CYCLE_SECONDS}–${MAX_CYCLE_SECONDS}; empty for no override</span>
<input id="cycle" name="cycle" type="number" min="${MIN_CYCLE_SECONDS}" max="${MAX_CYCLE_SECONDS}" step="1" value="${cycle}" aria-describedby="cycle-hint"${o.error ? html` aria-invalid="true"` : ''}></div>
<div class="field"><label for="log-level">Log level</label> <select id="log-level" name="logLevel"><option value="">no override</option>${LOG_LEVELS.map(
      (l) => html`<option value="${l}"${level === l ? html` selected` : ''}>${l}</option>`,
    )}</select></div>
<button type="submit">Save configuration</button></form>`
  : ''}`,
    );
  };

  app.get('/orgs/:org/config', async (request, reply) => configPage(request, reply, await orgFor(deps, request, (request.params as { org: string }).org)));

  app.post('/orgs/:org/config', async (request, reply) => {
    const { user } = requireAdmin(request);
    const org = await orgFor(deps, request, (request.params as { org: string }).org);
    const cycleText = (field(request.body, 'cycle') ?? '').trim();
    const levelText = (field(request.body, 'logLevel') ?? '').trim();
    try {
      if (cycleText !== '' && !/^\d{1,10}$/.test(cycleText)) throw new DsError('INVALID_ARGUMENT', 'the cycle is a whole number of seconds');
      if (levelText !== '' && !(LOG_LEVELS as readonly string[]).includes(levelText)) throw new DsError('INVALID_ARGUMENT', 'unknown log level');
      await setOrganisationConfig(
        ctx,
        org.id,
        { dsCycleSeconds: cycleText === '' ? null : Number(cycleText), logLevel: levelText === '' ? null : (levelText as LogLevel) },
        userActor(user.email),
      );
    } catch (e) {
      if (isDsError(e) && e.status < 500) return configPage(request, reply, org, { status: e.status, error: e.message, cycle: cycleText, logLevel: levelText });
      throw e;
    }
    return reply.redirect(url([orgPath(org, '/config')], { done: 'config-saved' }), 303);
  });
}
