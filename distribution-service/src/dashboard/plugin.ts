import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import { createHmac } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { DsError, isDsError } from '../errors.js';
import type { ServiceContext } from '../services/context.js';
import { dashboardSecret, publicUser, resolveSession } from '../services/users.js';
import { html } from './html.js';
import { BASE, page } from './layout.js';
import { appRoutes } from './routes/apps.js';
import { auditRoutes } from './routes/audit.js';
import { configRoutes } from './routes/config.js';
import { fleetRoutes } from './routes/fleet.js';
import { loginRoutes } from './routes/login.js';
import { orgRoutes } from './routes/orgs.js';
import { reportRoutes } from './routes/reports.js';
import { versionRoutes } from './routes/versions.js';
import { CSRF_COOKIE, field, isHttps, SESSION_COOKIE, type DashboardDeps } from './route-context.js';
import { DASHBOARD_CSS } from './styles.js';

const derive = (secret: string, purpose: string): string => createHmac('sha256', secret).update(`cardlink-ds-dashboard:${purpose}`).digest('base64url');

/**
 * The dashboard, mounted under /dashboard in its own fastify context: its cookie, form,
 * CSRF, security-header and rate-limit plugins, hooks and error pages touch no /v1 route.
 */
export async function dashboardPlugin(app: FastifyInstance, opts: { ctx: ServiceContext }): Promise<void> {
  const { ctx } = opts;
  const cfg = ctx.config.dashboard;
  const secret =
    cfg.secret ?? (await dashboardSecret(ctx));

  await app.register(cookie, { secret: derive(secret, 'cookie-signature') });
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
    },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: false },
    referrerPolicy: { policy: 'same-origin' },
  });
  await app.register(rateLimit, { global: false });
  await app.register(csrf, {
    cookieKey: CSRF_COOKIE,
    cookieOpts: { path: BASE, sameSite: 'strict', httpOnly: true, signed: true },
    // Only the form field: the dashboard has no script that could set a header.
    getToken: (request: FastifyRequest) => field(request.body, '_csrf'),
    // Tokens are bound to the session: one minted before login (or for another session) fails after it.
    getUserInfo: (request: FastifyRequest) => request.dashboard?.session.idHash ?? 'anonymous',
    csrfOpts: { hmacKey: derive(secret, 'csrf-hmac') },
  });

  const deps: DashboardDeps = {
    ctx,
    csrf: (request, reply) =>
      reply.generateCsrf({ userInfo: request.dashboard?.session.idHash ?? 'anonymous', secure: isHttps(request) } as never),
    cookieOptions: (request, maxAgeSeconds) => ({
      path: BASE,
      httpOnly: true,
      sameSite: 'strict',
      secure: isHttps(request),
      ...(maxAgeSeconds !== undefined ? { maxAge: maxAgeSeconds } : {}),
    }),
  };

  app.decorateRequest('dashboard', null);

  app.addHook('onRequest', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    const token = request.cookies[SESSION_COOKIE];
    if (token) {
      const found = await resolveSession(ctx, token);
      if (found) request.dashboard = { ...found, token };
    }
    if (request.routeOptions.config?.public) return;
    if (request.dashboard) return;
    if (request.method === 'GET' || request.method === 'HEAD') {
      const next = request.url.length <= 1000 ? request.url : BASE;
      return reply.redirect(`${BASE}/login?next=${encodeURIComponent(next)}`, 303);
    }
    throw new DsError('UNAUTHENTICATED', 'log in first');
  });

  // Every state-changing request: same-origin (when the browser says) and a valid CSRF token.
  app.addHook('preHandler', (request, reply, done) => {
    if (request.method === 'GET' || request.method === 'HEAD') return done();
    const site = request.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') {
      return done(new DsError('FORBIDDEN', 'cross-site form submission refused'));
    }
    app.csrfProtection(request, reply, done);
  });

  app.setErrorHandler((err: FastifyError | DsError, request, reply) => {
    let status: number;
    let message: string;
    if (isDsError(err)) {
      status = err.status;
      message = err.message;
    } else if ((err as FastifyError).code === 'FST_CSRF_INVALID_TOKEN' || (err as FastifyError).code === 'FST_CSRF_MISSING_SECRET') {
      status = 403;
      message = 'This form is out of date or did not come from this dashboard. Reload the page and try again.';
    } else if (err.statusCode === 429) {
      status = 429;
      message = 'Too many requests. Wait a moment and try again.';
    } else if ((err as FastifyError).validation || (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500)) {
      status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 400;
      message = 'The request was not understood.';
    } else {
      request.log.error({ err }, 'dashboard error');
      status = 500;
      message = 'Something went wrong on the server.';
    }
    if (status < 500) request.log.info({ status, url: request.url.split('?')[0] }, message);
    const user = request.dashboard ? publicUser(request.dashboard.user) : undefined;
    let token: string | undefined;
    try {
      token = user ? deps.csrf(request, reply) : undefined;
    } catch {
      token = undefined;
    }
    const title = status === 401 ? 'Log in first' : status === 403 ? 'Not allowed' : status === 404 ? 'Not found' : status === 429 ? 'Slow down' : 'Error';
    const body =
      status === 401
        ? html`<h1>${title}</h1><p><a href="${BASE}/login">Log in</a> to use the dashboard.</p>`
        : html`<h1>${title}</h1><p><a href="${BASE}/">Back to the dashboard</a></p>`;
    return reply.status(status).type('text/html; charset=utf-8').send(page({ title, user, csrf: token, error: message }, body));
  });

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).type('text/html; charset=utf-8');
    return page({ title: 'Not found', error: 'There is no such page.' }, html`<h1>Not found</h1><p><a href="${BASE}/">Back to the dashboard</a></p>`);
  });

  app.get('/static/dashboard.css', { config: { public: true } }, async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=3600');
    return reply.type('text/css; charset=utf-8').send(DASHBOARD_CSS);
  });

  loginRoutes(app, deps);
  orgRoutes(app, deps);
  appRoutes(app, deps);
  fleetRoutes(app, deps);
  versionRoutes(app, deps);
  reportRoutes(app, deps);
  configRoutes(app, deps);
  auditRoutes(app, deps);
}
