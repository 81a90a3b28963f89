import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { endSession, login, startSession } from '../../services/users.js';
import { html } from '../html.js';
import { BASE, page } from '../layout.js';
import { CSRF_COOKIE, field, SESSION_COOKIE, type DashboardDeps } from '../route-context.js';

/** Where to go after login: only a dashboard path, never another site or scheme. */
export function safeNext(next: string | undefined): string {
  if (!next || next.length > 1000) return `${BASE}/`;
  if (!/^\/dashboard(?:[/?][A-Za-z0-9._~%!$&'()*+,;=:@/?-]*)?$/.test(next)) return `${BASE}/`;
  if (next.includes('//') || next.includes('\\') || /\/\.\.?(?:\/|$)/.test(next)) return `${BASE}/`;
  return next;
}

export function loginRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  const cfg = deps.ctx.config.dashboard;

  const form = (request: FastifyRequest, reply: FastifyReply, o: { status: number; email?: string; next?: string; error?: string; notice?: string }) => {
    const token = deps.csrf(request, reply);
    const invalid = o.status === 401;
    return reply
      .status(o.status)
      .type('text/html; charset=utf-8')
      .send(
        page(
          { title: 'Log in', error: o.error, notice: o.notice },
          html`<h1>Log in</h1>
<form class="stack" method="post" action="${BASE}/login">
<input type="hidden" name="_csrf" value="${token}">
<input type="hidden" name="next" value="${safeNext(o.next)}">
<div class="field"><label for="email">Email</label> <input id="email" name="email" type="email" autocomplete="username" required maxlength="254" value="${o.email ?? ''}"${invalid ? html` aria-invalid="true"` : ''}></div>
<div class="field"><label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024"${invalid ? html` aria-invalid="true"` : ''}></div>
<button type="submit">Log in</button>
</form>
<p class="hint" id="how-accounts">No account? Accounts are made by the DS's operator on the server, there is no sign-up:
<code>ds user create --email you@example.com --role admin --org ORG --password-file -</code> (the password, at least 12
characters, on stdin; <code>--role business</code> for read-only; without <code>--org</code>, every organisation). <code>scripts/start.sh</code> makes one for the demo and prints it.</p>`,
        ),
      );
  };

  app.get('/login', { config: { public: true } }, async (request, reply) => {
    const next = field(request.query, 'next');
    if (request.dashboard) return reply.redirect(safeNext(next), 303);
    const done = field(request.query, 'done');
    return form(request, reply, { status: 200, ...(next ? { next } : {}), ...(done === 'logged-out' ? { notice: 'You are logged out.' } : {}) });
  });

  app.post(
    '/login',
    {
      config: {
        public: true,
        // Per client IP; the per-account lock lives in services/users.ts.
        rateLimit: { max: cfg.loginPerIpMax, timeWindow: cfg.loginPerIpWindowSeconds * 1000 },
      },
    },
    async (request, reply) => {
      const email = (field(request.body, 'email') ?? '').slice(0, 254);
      const password = field(request.body, 'password') ?? '';
      const next = field(request.body, 'next');
      const result = await login(deps.ctx, email, password);
      if (!result.ok) {
        if (result.reason === 'locked') {
          reply.header('retry-after', String(result.retryAfterSeconds));
          return form(request, reply, {
            status: 429,
            email,
            ...(next ? { next } : {}),
            error: `Too many failed logins for this account. Try again in ${result.retryAfterSeconds} s.`,
          });
        }
        if (result.lockedForSeconds) reply.header('retry-after', String(result.lockedForSeconds));
        return form(request, reply, {
          status: 401,
          email,
          ...(next ? { next } : {}),
          error: result.lockedForSeconds
            ? `Wrong email or password. Too many failed logins: this account is locked for ${result.lockedForSeconds} s.`
            : 'Wrong email or password.',
        });
      }
      // A fresh session id at every login (no fixation); an older session of this browser ends.
      if (request.dashboard) await endSession(deps.ctx, request.dashboard.token);
      const { token } = await startSession(deps.ctx, result.user);
      reply.setCookie(SESSION_COOKIE, token, deps.cookieOptions(request, cfg.sessionMaxSeconds));
      return reply.redirect(safeNext(next), 303);
    },
  );

  app.post('/logout', async (request, reply) => {
    if (request.dashboard) await endSession(deps.ctx, request.dashboard.token);
    reply.clearCookie(SESSION_COOKIE, deps.cookieOptions(request));
    reply.clearCookie(CSRF_COOKIE, deps.cookieOptions(request));
    return reply.redirect(`${BASE}/login?done=logged-out`, 303);
  });
}
