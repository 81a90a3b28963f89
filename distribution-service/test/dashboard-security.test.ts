import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDs } from '../src/http/server.js';
import * as applications from '../src/services/applications.js';
import * as organisations from '../src/services/organisations.js';
import * as users from '../src/services/users.js';
import { openSqliteRepository } from '../src/store/sqlite/sqlite-repository.js';
import { csrfOf, DashboardClient } from './support/dashboard-client.js';
import { ADMIN, BUSINESS, startDashboardDs } from './support/dashboard.js';
import { testCa, type Harness } from './support/harness.js';

const ORIGINS = '/dashboard/orgs/acme/apps/shop/origins';
const APP = '/dashboard/orgs/acme/apps/shop';

let h: Harness;
beforeAll(async () => {
  h = await startDashboardDs();
});
afterAll(async () => {
  await h?.close();
});

const originsOf = async () => (await h.repo.applications.listOrigins()).map((o) => o.origin);

async function loggedIn(who: { email: string; password: string } = ADMIN): Promise<DashboardClient> {
  const c = new DashboardClient(h.url);
  const r = await c.login(who.email, who.password);
  expect(r.status).toBe(303);
  return c;
}

describe('no access without login', () => {
  it('redirects pages to the login form (keeping where to go back) and answers 401 to changes', async () => {
    const c = new DashboardClient(h.url);
    for (const path of ['/dashboard', '/dashboard/', APP, '/dashboard/orgs/acme/devices', '/dashboard/orgs/acme/reports', '/dashboard/orgs/acme/reports.csv', '/dashboard/audit', '/dashboard/orgs/acme/config']) {
      const r = await c.get(path);
      expect(r.status, path).toBe(303);
      expect(r.location).toBe(`/dashboard/login?next=${encodeURIComponent(path)}`);
      expect(r.text).not.toContain('shop.example.com');
    }
    // a change without a session: 401, and nothing changed
    const page = await c.get('/dashboard/login');
    const r = await c.post(ORIGINS, { _csrf: csrfOf(page.text), origin: 'https://sneaky.example.com' });
    expect(r.status).toBe(401);
    expect(await originsOf()).not.toContain('https://sneaky.example.com');
    // the login form and the stylesheet are public
    expect(page.status).toBe(200);
    expect((await c.get('/dashboard/static/dashboard.css')).status).toBe(200);
  });

  it('ends the session at logout: the old cookie no longer opens anything', async () => {
    const c = await loggedIn();
    const stolen = c.cookies.get('ds_session')!;
    expect((await c.get('/dashboard/')).status).toBe(200);
    const out = await c.submit('/dashboard/', '/dashboard/logout', {});
    expect(out.status).toBe(303);
    expect(out.location).toBe('/dashboard/login?done=logged-out');
    expect(c.cookies.has('ds_session')).toBe(false);
    const replay = new DashboardClient(h.url);
    replay.cookies.set('ds_session', stolen);
    expect((await replay.get('/dashboard/')).status).toBe(303);
  });

  it('ends idle sessions and sessions past their lifetime', async () => {
    const c = await loggedIn();
    h.clock.advance(29 * 60);
    expect((await c.get('/dashboard/')).status).toBe(200); // activity renews the idle timer
    h.clock.advance(29 * 60);
    expect((await c.get('/dashboard/')).status).toBe(200);
    h.clock.advance(31 * 60);
    expect((await c.get('/dashboard/')).status).toBe(303);
    const d = await loggedIn();
    for (let i = 0; i < 25; i++) {
      h.clock.advance(29 * 60);
      const r = await d.get('/dashboard/');
      if (r.status !== 200) {
        expect(i * 29 * 60).toBeGreaterThanOrEqual(12 * 3600 - 30 * 60);
        return;
      }
    }
    throw new Error('session outlived its 12 h lifetime');
  });

  it('sets the session cookie HttpOnly, SameSite=Strict, scoped to /dashboard; never Secure-less over HTTPS', async () => {
    const c = new DashboardClient(h.url);
    const r = await c.login(ADMIN.email, ADMIN.password);
    const session = r.setCookies.find((l) => l.startsWith('ds_session='))!;
    expect(session).toMatch(/; HttpOnly/);
    expect(session).toMatch(/; SameSite=Strict/);
    expect(session).toMatch(/; Path=\/dashboard/);
    expect(session).not.toMatch(/; Secure/); // plain HTTP on loopback (tests): a Secure cookie would never come back
    const csrfCookie = (await new DashboardClient(h.url).get('/dashboard/login')).setCookies.find((l) => l.startsWith('ds_csrf='))!;
    expect(csrfCookie).toMatch(/; HttpOnly/);
    expect(csrfCookie).toMatch(/; SameSite=Strict/);

    // over HTTPS both cookies are Secure
    const dir = mkdtempSync(join(tmpdir(), 'ds-dash-tls-'));
    try {
      const key = join(dir, 'key.pem');
      const cert = join(dir, 'cert.pem');
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
      const repo = openSqliteRepository(join(dir, 'ds.sqlite'));
      const ds = createDs({ db: repo, ca: testCa(), config: { tls: { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') } } });
      try {
        await users.createUser(ds.services, { email: ADMIN.email, role: 'admin', password: ADMIN.password });
        const url = await ds.listen();
        const s = new DashboardClient(url, { ca: readFileSync(cert, 'utf8') });
        const page = await s.get('/dashboard/login');
        expect(page.setCookies.find((l) => l.startsWith('ds_csrf='))).toMatch(/; Secure/);
        const login = await s.post('/dashboard/login', { _csrf: csrfOf(page.text), email: ADMIN.email, password: ADMIN.password });
        expect(login.status).toBe(303);
        expect(login.setCookies.find((l) => l.startsWith('ds_session='))).toMatch(/; HttpOnly; Secure; SameSite=Strict/);
        expect(login.headers['strict-transport-security']).toMatch(/max-age=\d+/);
        expect((await s.get('/dashboard/')).status).toBe(200);
      } finally {
        await ds.close();
        await repo.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never redirects off the dashboard after login (open redirect)', async () => {
    for (const next of ['https://evil.example/', '//evil.example/x', '/dashboard/../v1/health', '/\\evil.example', 'javascript:alert(1)', '/dashboard//evil.example']) {
      const c = new DashboardClient(h.url);
      const page = await c.get(`/dashboard/login?next=${encodeURIComponent(next)}`);
      const r = await c.post('/dashboard/login', { _csrf: csrfOf(page.text), email: ADMIN.email, password: ADMIN.password, next });
      expect(r.location, next).toBe('/dashboard/');
    }
    const c = new DashboardClient(h.url);
    const page = await c.get('/dashboard/login');
    const r = await c.post('/dashboard/login', { _csrf: csrfOf(page.text), email: ADMIN.email, password: ADMIN.password, next: '/dashboard/orgs/acme/devices?status=late' });
    expect(r.location).toBe('/dashboard/orgs/acme/devices?status=late');
  });

  it('sends security headers: a strict CSP, no framing, no caching, no sniffing', async () => {
    const c = await loggedIn();
    const r = await c.get(APP);
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.text).not.toMatch(/<script/i);
  });
});

describe('CSRF protection', () => {
  it('refuses a change without a token, with a forged one, or with one from another session (403), and accepts the page token', async () => {
    const c = await loggedIn();
    const before = await originsOf();
    expect((await c.post(ORIGINS, { origin: 'https://csrf.example.com' })).status).toBe(403);
    expect((await c.post(ORIGINS, { _csrf: 'forged', origin: 'https://csrf.example.com' })).status).toBe(403);
    // a token minted for another logged-in session (cookie tossing) does not fit this one
    const other = await loggedIn();
    const otherToken = csrfOf((await other.get(APP)).text);
    expect((await c.post(ORIGINS, { _csrf: otherToken, origin: 'https://csrf.example.com' })).status).toBe(403);
    // the token of the login page (before the session existed) does not work after login
    const anon = new DashboardClient(h.url);
    const loginPage = await anon.get('/dashboard/login');
    const preLoginToken = csrfOf(loginPage.text);
    await anon.post('/dashboard/login', { _csrf: preLoginToken, email: ADMIN.email, password: ADMIN.password });
    expect((await anon.post(ORIGINS, { _csrf: preLoginToken, origin: 'https://csrf.example.com' })).status).toBe(403);
    // the token in a token header is not enough either: only the form field counts
    expect((await c.post(ORIGINS, { origin: 'https://csrf.example.com' }, { 'x-csrf-token': otherToken })).status).toBe(403);
    expect(await originsOf()).toEqual(before);
    // a cross-site submission is refused even with a valid token
    const token = csrfOf((await c.get(APP)).text);
    expect((await c.post(ORIGINS, { _csrf: token, origin: 'https://csrf.example.com' }, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect(await originsOf()).toEqual(before);
    // the real form works
    const ok = await c.post(ORIGINS, { _csrf: token, origin: 'https://csrf.example.com' });
    expect(ok.status).toBe(303);
    expect(await originsOf()).toContain('https://csrf.example.com');
    await applications.removeOrigin(h.ds.services, { org: 'acme', label: 'shop', origin: 'https://csrf.example.com' });
  });

  it('protects the login and logout forms too', async () => {
    const c = new DashboardClient(h.url);
    expect((await c.post('/dashboard/login', { email: ADMIN.email, password: ADMIN.password })).status).toBe(403);
    expect(c.cookies.has('ds_session')).toBe(false);
    const d = await loggedIn();
    expect((await d.post('/dashboard/logout', {})).status).toBe(403);
    expect((await d.get('/dashboard/')).status).toBe(200); // still logged in
  });
});

describe('roles', () => {
  it('lets a business user read everything of the organisation but change nothing (403)', async () => {
    const c = await loggedIn(BUSINESS);
    for (const path of [APP, '/dashboard/orgs/acme', '/dashboard/orgs/acme/devices', '/dashboard/orgs/acme/reports', '/dashboard/orgs/acme/config']) {
      const r = await c.get(path);
      expect(r.status, path).toBe(200);
      // read-only: the only form that changes something is the logout button
      expect([...r.text.matchAll(/<form[^>]*method="post"[^>]*>/g)].map((m) => m[0]), path).toEqual(['<form class="inline" method="post" action="/dashboard/logout">']);
    }
    const token = csrfOf((await c.get(APP)).text);
    const before = await originsOf();
    const add = await c.post(ORIGINS, { _csrf: token, origin: 'https://business.example.com' });
    expect(add.status).toBe(403);
    expect(add.text).toContain('read-only');
    expect((await c.post(`${ORIGINS}/delete`, { _csrf: token, origin: 'https://shop.example.com' })).status).toBe(403);
    expect((await c.post(`${APP}/name`, { _csrf: token, name: 'Hacked' })).status).toBe(403);
    expect((await c.post(`${APP}/label`, { _csrf: token, label: 'hacked' })).status).toBe(403);
    expect((await c.post('/dashboard/orgs/acme/apps', { _csrf: token, label: 'new' })).status).toBe(403);
    expect((await c.post('/dashboard/orgs/acme/config', { _csrf: token, cycle: '60' })).status).toBe(403);
    expect((await c.post('/dashboard/orgs', { _csrf: token, name: 'evil' })).status).toBe(403);
    expect((await c.get('/dashboard/audit')).status).toBe(403);
    expect(await originsOf()).toEqual(before);
    expect((await h.repo.applications.findApplication((await h.repo.applications.findOrganisation('acme'))!.id, 'shop'))!.name).toBe('Web shop');
    expect((await h.repo.applications.findOrganisation('acme'))!.dsCycleSeconds).toBeNull();
  });

  it('confines a user limited to one organisation to it', async () => {
    await organisations.createOrganisation(h.ds.services, 'globex');
    await applications.createApplication(h.ds.services, { org: 'globex', label: 'portal' });
    await users.createUser(h.ds.services, { email: 'admin@globex.test', role: 'admin', password: 'globex password', org: 'globex' });
    const c = await loggedIn({ email: 'admin@globex.test', password: 'globex password' });
    const home = await c.get('/dashboard/');
    expect(home.status).toBe(303);
    expect(home.location).toBe('/dashboard/orgs/globex');
    expect((await c.get('/dashboard/orgs/globex/apps/portal')).status).toBe(200);
    for (const path of [APP, '/dashboard/orgs/acme/devices', '/dashboard/orgs/acme/reports.csv', '/dashboard/audit?org=acme']) {
      expect((await c.get(path)).status, path).toBe(404);
    }
    const token = csrfOf((await c.get('/dashboard/orgs/globex')).text);
    expect((await c.post(ORIGINS, { _csrf: token, origin: 'https://cross-org.example.com' })).status).toBe(404);
    expect((await c.get('/dashboard/users')).status).toBe(403);
    expect(await originsOf()).not.toContain('https://cross-org.example.com');
  });
});

describe('login brute force', () => {
  let b: Harness;
  afterEach(async () => {
    await b?.close();
  });

  const attempt = async (base: string, email: string, password: string) => {
    const c = new DashboardClient(base);
    const page = await c.get('/dashboard/login');
    const started = performance.now();
    const r = await c.post('/dashboard/login', { _csrf: csrfOf(page.text), email, password });
    return { ...r, ms: performance.now() - started };
  };

  it('locks an account after 5 failures for 30 s, doubling with each further failure; even the right password waits', async () => {
    b = await startDashboardDs({ dashboard: { loginPerIpMax: 1000 } });
    for (let i = 1; i <= 4; i++) {
      const r = await attempt(b.url, ADMIN.email, `wrong ${i}`);
      expect(r.status).toBe(401);
      expect(r.text).toContain('Wrong email or password.');
      expect(r.headers['retry-after']).toBeUndefined();
    }
    const fifth = await attempt(b.url, ADMIN.email, 'wrong 5');
    expect(fifth.status).toBe(401);
    expect(fifth.headers['retry-after']).toBe('30');
    // locked: refused at once (no password check), even with the right password
    const locked = await attempt(b.url, ADMIN.email, ADMIN.password);
    expect(locked.status).toBe(429);
    expect(locked.headers['retry-after']).toBe('30');
    expect(locked.setCookies.some((l) => l.startsWith('ds_session='))).toBe(false);
    b.clock.advance(20);
    expect((await attempt(b.url, ADMIN.email, ADMIN.password)).headers['retry-after']).toBe('10');
    b.clock.advance(10);
    // the lock is over; one more failure locks for twice as long, then four times
    expect((await attempt(b.url, ADMIN.email, 'wrong 6')).headers['retry-after']).toBe('60');
    b.clock.advance(60);
    expect((await attempt(b.url, ADMIN.email, 'wrong 7')).headers['retry-after']).toBe('120');
    b.clock.advance(119);
    expect((await attempt(b.url, ADMIN.email, ADMIN.password)).status).toBe(429);
    b.clock.advance(1);
    // the right password after the lock: logged in, and the count starts again
    const ok = await attempt(b.url, ADMIN.email, ADMIN.password);
    expect(ok.status).toBe(303);
    for (let i = 1; i <= 4; i++) expect((await attempt(b.url, ADMIN.email, 'wrong again')).headers['retry-after']).toBeUndefined();
    // the other users are not affected
    expect((await attempt(b.url, BUSINESS.email, BUSINESS.password)).status).toBe(303);
  });

  it('treats unknown accounts the same way and in about the same time (no user enumeration)', async () => {
    b = await startDashboardDs({ dashboard: { loginPerIpMax: 1000 } });
    const known = await attempt(b.url, ADMIN.email, 'wrong password');
    const unknown = await attempt(b.url, 'nobody@acme.test', 'wrong password');
    expect(unknown.status).toBe(known.status);
    expect(unknown.text.replace(/value="[^"]*"/g, '')).toBe(known.text.replace(/value="[^"]*"/g, ''));
    // both ran scrypt: an unknown email is not answered noticeably faster
    const times = { known: [] as number[], unknown: [] as number[] };
    for (let i = 0; i < 3; i++) {
      times.known.push((await attempt(b.url, BUSINESS.email, `w${i}`)).ms);
      times.unknown.push((await attempt(b.url, `ghost${i}@acme.test`, `w${i}`)).ms);
    }
    const median = (xs: number[]) => xs.sort((x, y) => x - y)[1]!;
    expect(median(times.unknown)).toBeGreaterThan(median(times.known) * 0.5);
    for (let i = 0; i < 4; i++) await attempt(b.url, 'nobody@acme.test', 'x');
    expect((await attempt(b.url, 'nobody@acme.test', 'x')).status).toBe(429);
  });

  it('serialises parallel guesses on one account: a burst cannot slip past the lock', async () => {
    b = await startDashboardDs({ dashboard: { loginPerIpMax: 1000 } });
    const burst = await Promise.all(Array.from({ length: 12 }, (_, i) => attempt(b.url, ADMIN.email, `parallel ${i}`)));
    expect(burst.filter((r) => r.status === 401)).toHaveLength(5);
    expect(burst.filter((r) => r.status === 429)).toHaveLength(7);
  });

  it('limits login attempts per client IP (429 with Retry-After)', async () => {
    b = await startDashboardDs({ dashboard: { loginPerIpMax: 3, loginPerIpWindowSeconds: 60 } });
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 5; i++) {
      last = await attempt(b.url, `user${i}@acme.test`, 'guess');
      statuses.push(last.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    // the form page itself is not limited
    expect((await new DashboardClient(b.url).get('/dashboard/login')).status).toBe(200);
  });
});

describe('output escaping', () => {
  it('escapes every value taken from the database or the request', async () => {
    const c = await loggedIn();
    const evil = '<script>alert("x")</script>&';
    const token = csrfOf((await c.get(APP)).text);
    expect((await c.post(`${APP}/name`, { _csrf: token, name: evil })).status).toBe(303);
    const page = await c.get(APP);
    expect(page.text).not.toContain('<script>');
    expect(page.text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;');
    // an invalid origin is echoed back escaped in the form, with the validation message
    const bad = await c.post(ORIGINS, { _csrf: token, origin: '"><img src=x onerror=alert(1)>' });
    expect(bad.status).toBe(400);
    expect(bad.text).not.toContain('<img');
    expect(bad.text).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    await c.post(`${APP}/name`, { _csrf: token, name: 'Web shop' });
  });
});
