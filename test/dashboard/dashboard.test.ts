// The DS dashboard in a real Chromium: a business admin registers a page's origin, a real
// connector picks it up at its next sync and the page works against it; removing the origin
// blocks the page after the next sync. Billing reports show the transactions that two real
// connectors recorded for several labels and tags; the CSV equals the table; charts render.
// Chromium trusts the connectors' CA (the DS root) through an NSS database, as a user would.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  applications,
  createDs,
  generateRootCa,
  openSqliteRepository,
  organisations,
  releases,
  tokens,
  users,
  type Ds,
  type RootCa,
  type SqliteRepository,
} from '@cardlink/distribution-service';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, gql } from '../../connector/test/helpers/https-client.js';
import { FakeClock, register, signedSync, syncBody, type Harness } from '../../distribution-service/test/support/harness.js';
import { makeRelease } from '../../distribution-service/test/support/release.js';
import { startTestConnector, type TestConnector } from '../../connector/test/helpers/test-connector.js';
import { launchTrustedChromium, type TrustedChromium } from '../e2e/lib/browser.js';
import { serveStatic, type StaticServer } from '../e2e/lib/static-server.js';

const SCREENSHOTS = resolve(import.meta.dirname, '../../artifacts/screenshots');
const ADMIN = { email: 'admin@acme.test', password: 'dashboard admin pw' };
const BUSINESS = { email: 'billing@acme.test', password: 'dashboard billing pw' };
const BANK = 'https://bank.example.com';

/**
 * The customer's page: asks the connector on ?port= for `{ info { label } }` (or, with
 * ?op=verifyPin, verifies a PIN on a reader that does not exist), sending ?tag= as T1C-Tag.
 * It shows the label, the GraphQL error code, or "blocked" when the browser refused the answer.
 */
const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Shop page</title></head>
<body><h1>Shop</h1><p>Connector: <output id="result" data-state="pending">…</output></p>
<script>
const params = new URLSearchParams(location.search);
const op = params.get('op') || 'info';
const tag = params.get('tag');
const body = op === 'verifyPin'
  ? { query: 'mutation($r: ID!) { verifyPin(input: { readerId: $r, pin: "1234" }) { verified } }', variables: { r: 'no-such-reader' } }
  : { query: '{ info { label } }' };
const out = document.getElementById('result');
fetch('https://localhost:' + params.get('port') + '/graphql', {
  method: 'POST',
  headers: Object.assign({ 'content-type': 'application/json' }, tag ? { 't1c-tag': tag } : {}),
  body: JSON.stringify(body),
})
  .then((r) => r.json())
  .then((j) => {
    out.textContent = j.data && j.data.info ? j.data.info.label : (j.errors && j.errors[0].extensions.code) || JSON.stringify(j);
    out.dataset.state = 'answered';
  })
  .catch((e) => {
    out.textContent = 'blocked: ' + e.message;
    out.dataset.state = 'blocked';
  });
</script></body></html>`;

let dir: string;
let repo: SqliteRepository;
let ca: RootCa;
let ds: Ds;
let dsUrl: string;
let token: string;
let site: StaticServer;
let pageOrigin: string;
let a: TestConnector;
let b: TestConnector | undefined;
let chrome: TrustedChromium;
let context: BrowserContext;

async function until<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A sync that starts after this call (an earlier one in flight is awaited first). */
async function freshSync(t: TestConnector): Promise<void> {
  await t.c.ds!.scheduler.syncNow();
  await t.c.ds!.scheduler.syncNow();
}

/** A connector of the DS; `cycle`: started with that explicit `--ds.cycle`. */
async function startConnector(cycle?: number): Promise<TestConnector> {
  const t = await startTestConnector({
    origins: [],
    dsUrl,
    dsToken: token,
    dsCycleSeconds: cycle ?? 3600,
    dsCycleExplicit: cycle !== undefined,
    dsInitialDelayMaxSeconds: 0,
    virtualCard: '1.7',
    logLevel: 'warn',
  });
  await until(() => t.c.ds!.client.deviceId, 'registration');
  // serving the DS-issued certificate: the one Chromium trusts through the DS root
  await until(() => t.c.certs.load()!.ca.includes(ca.certPem.trim().split('\n')[1]!), 'the DS-issued certificate');
  return t;
}

/** Open the customer's page against a connector and wait for its verdict. */
async function visit(t: TestConnector, query: Record<string, string> = {}): Promise<{ state: string; text: string; page: Page }> {
  const page = await context.newPage();
  await page.goto(`${pageOrigin}/?${new URLSearchParams({ port: String(t.port), ...query })}`);
  const out = page.locator('#result');
  await expect.poll(() => out.getAttribute('data-state'), { timeout: 15_000 }).not.toBe('pending');
  return { state: (await out.getAttribute('data-state'))!, text: (await out.textContent())!, page };
}

async function login(ctx: BrowserContext, who: { email: string; password: string }): Promise<Page> {
  const page = await ctx.newPage();
  await page.goto(`${dsUrl}/dashboard/`);
  if (!/\/dashboard\/login\?next=/.test(page.url())) {
    // still logged in from an earlier test in this browser context: log out first
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/dashboard\/login\?done=logged-out/);
    await page.goto(`${dsUrl}/dashboard/`);
  }
  await page.getByLabel('Email', { exact: true }).fill(who.email);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Organisations' }).waitFor();
  return page;
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, name), fullPage: true });

/** The text of every cell of a table, header row first (textContent: a missing tag is ''). */
const tableText = (page: Page, selector: string) =>
  page.$$eval(`${selector} tr`, (rows) => rows.map((r) => Array.from(r.querySelectorAll('th,td'), (c) => (c.textContent ?? '').trim())));

function parseCsv(text: string): string[][] {
  return text
    .split('\r\n')
    .filter((l) => l !== '')
    .map((l) => l.split(',')); // the report's cells never hold commas or quotes (labels, tags, numbers)
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'cardlink-dashboard-e2e-'));
  repo = openSqliteRepository(join(dir, 'ds.sqlite'));
  ca = generateRootCa();
  ds = createDs({ db: repo, ca, config: { defaultCycleSeconds: 3600 } });
  dsUrl = await ds.listen();
  const ctx = ds.services;
  await organisations.createOrganisation(ctx, 'acme');
  await applications.createApplication(ctx, { org: 'acme', label: 'shop', name: 'Web shop', pinEntry: 'HOST_PAGE' }); // legacy: its pages send the PIN
  await applications.createApplication(ctx, { org: 'acme', label: 'bank', name: 'Online bank', pinEntry: 'HOST_PAGE' });
  await applications.addOrigin(ctx, { org: 'acme', label: 'bank', origin: BANK });
  await users.createUser(ctx, { email: ADMIN.email, role: 'admin', password: ADMIN.password });
  await users.createUser(ctx, { email: BUSINESS.email, role: 'business', password: BUSINESS.password });
  token = (await tokens.createInstallToken(ctx, { org: 'acme' })).token;

  const root = join(dir, 'site');
  mkdirSync(root);
  writeFileSync(join(root, 'index.html'), PAGE);
  site = await serveStatic(root);
  pageOrigin = `http://localhost:${site.port}`;

  a = await startConnector();
  chrome = await launchTrustedChromium({ caPems: [ca.certPem] });
  context = await chrome.browser.newContext();
});

afterAll(async () => {
  await context?.close();
  await chrome?.close();
  await b?.close();
  await a?.close();
  await site?.close();
  await ds?.close();
  await repo?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('origins from the dashboard reach the connector', () => {
  it('an origin added by the business admin works after the next sync, and is blocked again after removal', async () => {
    // before: the connector does not know the page's origin, the browser gets no CORS answer
    expect((await visit(a)).state).toBe('blocked');

    const dash = await login(context, ADMIN);
    await dash.getByRole('link', { name: 'acme' }).click();
    await dash.getByRole('link', { name: 'shop' }).click();
    await expect.poll(() => dash.getByRole('heading', { level: 1 }).textContent()).toContain('Web shop');
    await dash.getByLabel(/Add origin/).fill(pageOrigin);
    await dash.getByRole('button', { name: 'Add origin' }).click();
    await expect.poll(() => dash.getByRole('status').textContent()).toBe('Origin added. Connectors allow it after their next sync.');
    await expect.poll(() => dash.locator('#origins-table').textContent()).toContain(pageOrigin);
    await expect.poll(() => dash.locator('#connectors + p').textContent()).toContain('0 of 1');

    // nothing changes on the connector before it syncs
    expect((await visit(a)).state).toBe('blocked');
    await freshSync(a);
    const ok = await visit(a);
    expect(ok).toMatchObject({ state: 'answered', text: 'shop' });
    await ok.page.close();

    await dash.reload();
    await expect.poll(() => dash.locator('#connectors + p').textContent()).toContain('1 of 1');
    await expect.poll(() => dash.locator('#app-devices').textContent()).toContain('yes');
    await shot(dash, 'dashboard-application.png');

    // removal
    await dash.getByRole('button', { name: `Remove ${pageOrigin}` }).click();
    await expect.poll(() => dash.getByRole('status').textContent()).toBe('Origin removed. Connectors refuse it after their next sync.');
    await expect.poll(() => dash.locator('body').textContent()).not.toContain(pageOrigin);
    expect((await visit(a)).text).toBe('shop'); // until the next sync
    await freshSync(a);
    expect((await visit(a)).state).toBe('blocked');

    // the audit log names who did it
    await dash.goto(`${dsUrl}/dashboard/audit`);
    const audit = await tableText(dash, '#audit');
    expect(audit.slice(1, 3).map((r) => [r[1], r[3], r[4]])).toEqual([
      [`user:${ADMIN.email}`, 'origin.remove', pageOrigin],
      [`user:${ADMIN.email}`, 'origin.add', pageOrigin],
    ]);
    await shot(dash, 'dashboard-audit.png');
    await dash.close();
  });

  it('shows a business user the same pages without any form that changes something', async () => {
    const ctx = await chrome.browser.newContext();
    try {
      const page = await login(ctx, BUSINESS);
      await page.goto(`${dsUrl}/dashboard/orgs/acme/apps/shop`);
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('Web shop');
      expect(await page.getByLabel(/Add origin/).count()).toBe(0);
      expect(await page.getByRole('button', { name: /Remove/ }).count()).toBe(0);
      await page.getByText('business, read-only').waitFor();
    } finally {
      await ctx.close();
    }
  });
});

describe('billing reports from real connector transactions', () => {
  it('counts per label, tag and use case (transaction model) and distinct devices (install model); the CSV equals the table; charts render', async () => {
    await applications.addOrigin(ds.services, { org: 'acme', label: 'shop', origin: pageOrigin });
    b = await startConnector(600);
    await freshSync(a);
    await freshSync(b);

    // connector A: the shop page in Chromium verifies PINs (on a reader that does not exist)
    for (const tag of ['checkout', 'checkout', undefined]) {
      const r = await visit(a, { op: 'verifyPin', ...(tag ? { tag } : {}) });
      expect(r).toMatchObject({ state: 'answered', text: 'READER_NOT_FOUND' });
      await r.page.close();
    }
    // both connectors: identity reads and PIN checks from the bank's and the shop's pages
    const readerOf = async (t: TestConnector) => {
      const r = await call(t.port, t.c.certs.load()!.ca, { body: gql('{ readers { id } }'), headers: { origin: BANK, 'content-type': 'application/json' } });
      return r.json.data.readers[0].id as string;
    };
    const identity = async (t: TestConnector, origin: string, tag?: string) => {
      const r = await call(t.port, t.c.certs.load()!.ca, {
        body: gql('query($r: ID!) { beid(readerId: $r) { identity { documentType } } }', { r: await readerOf(t) }),
        headers: { origin, 'content-type': 'application/json', ...(tag ? { 't1c-tag': tag } : {}) },
      });
      expect(r.json.data.beid.identity.documentType).toBeTruthy();
    };
    const verifyPin = async (t: TestConnector, origin: string, tag?: string) => {
      const r = await call(t.port, t.c.certs.load()!.ca, {
        body: gql('mutation { verifyPin(input: { readerId: "no-such-reader", pin: "1234" }) { verified } }'),
        headers: { origin, 'content-type': 'application/json', ...(tag ? { 't1c-tag': tag } : {}) },
      });
      expect(r.json.errors[0].extensions.code).toBe('READER_NOT_FOUND');
    };
    await identity(a, BANK, 'loan');
    await identity(b, pageOrigin, 'checkout');
    await verifyPin(b, BANK);
    await verifyPin(b, BANK);

    await freshSync(a);
    await freshSync(b);
    expect(a.c.services.transactions.pendingCount()).toBe(0);
    expect(b.c.services.transactions.pendingCount()).toBe(0);

    // what the connectors recorded, grouped as the report groups it
    type Local = { use_case: string; label: string; tag: string | null; occurred_at: string; result: string };
    const local = [a, b].flatMap((t) => t.c.db.prepare('SELECT use_case, label, tag, occurred_at, result FROM transactions').all() as Local[]);
    expect(local).toHaveLength(7);
    const USE_CASES = ['IDENTITY_READ', 'AUTHENTICATION', 'SIGNATURE', 'PIN_VERIFICATION', 'PIN_CHANGE', 'CONSENT', 'FILE_DOWNLOAD', 'FILE_UPLOAD', 'FILE_PRINT'];
    const expected = new Map<string, number[]>();
    for (const t of local) {
      const key = JSON.stringify([t.occurred_at.slice(0, 7), t.label, t.tag ?? '']);
      const counts = expected.get(key) ?? USE_CASES.map(() => 0);
      counts[USE_CASES.indexOf(t.use_case)]!++;
      expected.set(key, counts);
    }
    const expectedRows = [...expected]
      .sort(([x], [y]) => (x < y ? -1 : 1))
      .map(([k, c]) => [...(JSON.parse(k) as string[]), ...c.map(String), String(c.reduce((s, n) => s + n, 0))]);
    // and in plain numbers: shop/checkout 2 PIN + 1 identity, shop/(none) 1 PIN, bank/loan 1 identity, bank/(none) 2 PIN
    const month = local[0]!.occurred_at.slice(0, 7);
    if (local.every((t) => t.occurred_at.startsWith(month))) {
      expect(expectedRows).toEqual([
        [month, 'bank', '', '0', '0', '0', '2', '0', '0', '0', '0', '0', '2'],
        [month, 'bank', 'loan', '1', '0', '0', '0', '0', '0', '0', '0', '0', '1'],
        [month, 'shop', '', '0', '0', '0', '1', '0', '0', '0', '0', '0', '1'],
        [month, 'shop', 'checkout', '1', '0', '0', '2', '0', '0', '0', '0', '0', '3'],
      ]);
    }

    const page = await login(context, ADMIN);
    await page.getByRole('link', { name: 'acme' }).click();
    await page.getByRole('link', { name: 'Billing reports' }).click();
    const today = new Date().toISOString().slice(0, 10);
    const firstDay = [...local.map((t) => t.occurred_at.slice(0, 7))].sort()[0] + '-01';
    await page.getByLabel('Business model', { exact: true }).selectOption('transactions');
    await page.getByLabel('From', { exact: true }).fill(firstDay);
    await page.getByLabel('To (inclusive)', { exact: true }).fill(today);
    await page.getByLabel('Per', { exact: true }).selectOption('month');
    await page.getByRole('checkbox', { name: 'label', exact: true }).check();
    await page.getByRole('checkbox', { name: 'tag', exact: true }).check();
    // successful only by default, and the page says so: the five failed PIN checks do not count
    expect(await page.getByRole('checkbox', { name: /successful only/ }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => page.locator('#report-total').textContent()).toBe(String(local.filter((t) => t.result === 'OK').length));
    expect(await page.getByRole('status').textContent()).toContain('(successful only)');
    await page.getByRole('checkbox', { name: /successful only/ }).uncheck();
    await page.getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('(failed operations included)');

    const table = await tableText(page, '#report-table');
    const READABLE = ['Identity read', 'Authentication', 'Signature', 'PIN verification', 'PIN change', 'Consent', 'File download', 'File upload', 'File print'];
    expect(table[0]).toEqual(['Period', 'Label', 'Tag', ...READABLE, 'Total']);
    const columns = await page.$$eval('#report-table thead th', (ths) => ths.map((th) => th.getAttribute('data-column')));
    expect(columns).toEqual(['period', 'label', 'tag', ...USE_CASES, 'total']);
    expect(table.slice(1)).toEqual(expectedRows);
    await expect.poll(() => page.locator('#report-total').textContent()).toBe('7');
    // the row without a tag is shown as "(no tag)" on screen, an empty cell in the data
    await page.locator('#report-table td.no-tag').first().waitFor();

    // the CSV download is the table, row for row
    const href = await page.locator('#csv-link').getAttribute('href');
    const csv = await page.request.get(new URL(href!, dsUrl).toString());
    expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
    // (with the columns' machine names: the CSV is for scripts and spreadsheets)
    expect(parseCsv(await csv.text())).toEqual([columns, ...table.slice(1)]);

    // the chart: one bar segment per (period, use case) with transactions, titled with its count
    const bars = page.locator('#report-chart rect.bar');
    expect(await bars.count()).toBe(new Set(local.map((t) => `${t.occurred_at.slice(0, 7)} ${t.use_case}`)).size);
    const titles = await page.$$eval('#report-chart rect.bar title', (ts) => ts.map((t) => t.textContent));
    expect(titles).toContain(`${month} PIN verification: ${local.filter((t) => t.use_case === 'PIN_VERIFICATION' && t.occurred_at.startsWith(month)).length}`);
    const box = await page.locator('#report-chart > svg').boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    expect(box!.height).toBeGreaterThan(100);
    await shot(page, 'dashboard-report-transactions.png');

    // install model: distinct active devices per label
    await page.getByLabel('Business model', { exact: true }).selectOption('installs');
    await page.getByRole('checkbox', { name: 'tag', exact: true }).uncheck();
    await page.getByRole('button', { name: 'Show' }).click();
    const installs = await tableText(page, '#report-table');
    const devicesPer = (label: string) => String(new Set([a, b!].filter((t) => (t.c.db.prepare('SELECT 1 FROM transactions WHERE label = ?').all(label) as unknown[]).length > 0)).size);
    expect(installs[0]).toEqual(['Period', 'Label', 'Active devices']);
    if (local.every((t) => t.occurred_at.startsWith(month))) {
      expect(installs.slice(1)).toEqual([
        [month, 'bank', devicesPer('bank')],
        [month, 'shop', devicesPer('shop')],
      ]);
      expect(installs.slice(1).map((r) => r[2])).toEqual(['2', '2']);
    }
    await expect.poll(() => page.locator('#report-total').textContent()).toBe('2');
    const installCsv = await page.request.get(new URL((await page.locator('#csv-link').getAttribute('href'))!, dsUrl).toString());
    expect(parseCsv(await installCsv.text())).toEqual([['period', 'label', 'active_devices'], ...installs.slice(1)]);
    expect(await page.locator('#report-chart rect.bar').count()).toBe(2); // one bar per label
    await shot(page, 'dashboard-report-installs.png');

    // the fleet: both connectors online, with version, OS, certificate expiry and the current lists
    await page.getByRole('link', { name: 'Fleet' }).click();
    const fleet = await tableText(page, '#devices');
    expect(fleet.slice(1).map((r) => r[0]).sort()).toEqual([a.c.ds!.client.deviceId, b.c.ds!.client.deviceId].sort());
    // each device's own cycle: a keeps the DS default (1 h), b was started with --ds.cycle 600
    expect(fleet.find((r) => r[0] === a.c.ds!.client.deviceId)![5]).toBe('60 min');
    expect(fleet.find((r) => r[0] === b!.c.ds!.client.deviceId)![5]).toBe('10 min');
    for (const row of fleet.slice(1)) {
      expect(row[1]).toBe('online');
      expect(row[6]).toMatch(/in \d+ days/);
      expect(row[7]).toMatch(/^current/);
    }
    await page.getByLabel('Search', { exact: true }).fill(b.c.ds!.client.deviceId!.slice(0, 8));
    await page.getByRole('button', { name: 'Filter' }).click();
    expect((await tableText(page, '#devices')).slice(1).map((r) => r[0])).toEqual([b.c.ds!.client.deviceId]);
    await page.getByRole('link', { name: 'Clear' }).click();
    await shot(page, 'dashboard-fleet.png');
    await page.close();
  });
});

describe('connector versions and update status', () => {
  it('shows the fleet\'s version distribution (table and chart) and each device\'s update status to a read-only user', async () => {
    // Besides the two real (unsupervised) connectors: three devices that sync as supervised
    // connectors do, signed per PROTOCOL.md, so offers and a reported failure show.
    const clock = new FakeClock();
    clock.now = () => Date.now();
    const h = { url: dsUrl, token, clock } as unknown as Harness;
    const ctx = ds.services;
    await releases.publishRelease(ctx, { org: 'acme', ...makeRelease('1.1.0') });
    await releases.publishRelease(ctx, { org: 'acme', ...makeRelease('1.2.0', { flag: 'mandatory', min: '1.1.0' }) });
    const sync = async (version: string, updateStatus: Record<string, unknown>) => {
      const d = await register(h);
      const r = await signedSync(h, d, syncBody(d, { version, updateStatus: { current: version, ...updateStatus } }));
      expect(r.status).toBe(200);
      return d.id;
    };
    const failed = await sync('1.0.0', { failed: [{ version: '1.1.0', reason: 'UNHEALTHY: health check failed after start' }] });
    await sync('1.1.0', {});
    await sync('1.2.0', {});
    const report = await releases.versionReport(ctx, 'acme');
    expect(report.devices).toHaveLength(5);

    const ctxB = await chrome.browser.newContext();
    try {
      const page = await login(ctxB, BUSINESS);
      await page.getByRole('link', { name: 'acme' }).click();
      await page.getByRole('link', { name: 'Versions' }).click();
      await page.getByRole('heading', { name: 'Version distribution' }).waitFor();
      const dist = await tableText(page, '#version-distribution');
      expect(dist[0]).toEqual(['Version', 'Devices', 'Share', 'Release']);
      expect(dist.slice(1).map((r) => [r[0], r[1], r[3]])).toEqual(report.versions.map((v) => [v.version, String(v.devices), v.release ?? 'not a release']));
      expect(dist.slice(1).find((r) => r[0] === '1.2.0')).toEqual(['1.2.0', '1', '20.0 %', 'mandatory']);
      expect(await page.locator('#version-chart rect.bar').count()).toBe(report.versions.length);
      const box = await page.locator('#version-chart > svg').boundingBox();
      expect(box!.width).toBeGreaterThan(300);

      const updates = await tableText(page, '#device-updates');
      const shown = (s: string) => (s === 'cannot-update' ? 'cannot update (no release key)' : s);
      expect(updates.slice(1).map((r) => [r[0], r[2]])).toEqual(report.devices.map((d) => [d.deviceId, shown(d.status)]));
      // the two real connectors are not supervised: they cannot take an update
      expect(report.devices.filter((d) => d.status === 'cannot-update').map((d) => d.deviceId).sort()).toEqual(
        [a.c.ds!.client.deviceId, b!.c.ds!.client.deviceId].sort(),
      );
      expect(updates.find((r) => r[0] === failed)!.slice(1, 5)).toEqual(['1.0.0', 'failed', '—', '1.1.0']);
      // nothing on the page changes anything: the only POST form is logout
      expect(await page.locator('form[method="post"]').count()).toBe(1);

      await page.getByLabel('Update status', { exact: true }).selectOption('failed');
      await page.getByRole('button', { name: 'Filter' }).click();
      expect((await tableText(page, '#device-updates')).slice(1).map((r) => r[0])).toEqual([failed]);
      await page.getByRole('link', { name: 'Clear' }).click();
      await page.locator('#device-updates').waitFor();
      await shot(page, 'dashboard-versions.png');
      await page.close();
    } finally {
      await ctxB.close();
    }
  });
});

describe('page widths', () => {
  const PAGES: [string, string][] = [
    ['organisations', '/dashboard/'],
    ['applications', '/dashboard/orgs/acme'],
    ['application', '/dashboard/orgs/acme/apps/shop'],
    ['fleet', '/dashboard/orgs/acme/devices'],
    ['versions', '/dashboard/orgs/acme/versions'],
    // a fresh report page (successful only, by label and tag), by day: the widest table
    ['reports', '/dashboard/orgs/acme/reports?period=day'],
    ['config', '/dashboard/orgs/acme/config'],
    ['audit', '/dashboard/audit'],
  ];

  it.each([1280, 390])('every page fits %i px wide: wide tables scroll inside their own box', async (width) => {
    const ctx = await chrome.browser.newContext({ viewport: { width, height: 900 } });
    try {
      // The width of the page, and what sticks out (named in a failure message).
      const fits = (page: Page) =>
        page.evaluate(() => ({
          scroll: document.documentElement.scrollWidth,
          inner: innerWidth,
          out: Array.from(document.querySelectorAll('body *'))
            .filter((e) => e.getBoundingClientRect().right > innerWidth && !e.closest('.table-scroll'))
            .slice(0, 5)
            .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`),
        }));
      const loginPage = await ctx.newPage();
      await loginPage.goto(`${dsUrl}/dashboard/login`);
      const l = await fits(loginPage);
      expect(l.scroll, `login: ${l.out.join(', ')}`).toBeLessThanOrEqual(l.inner);
      await shot(loginPage, `dashboard-login-${width}.png`);
      const page = await login(ctx, ADMIN);
      for (const [name, path] of PAGES) {
        await page.goto(`${dsUrl}${path}`);
        await page.locator('main h1').first().waitFor();
        const f = await fits(page);
        expect(f.scroll, `${name}: ${f.out.join(', ')}`).toBeLessThanOrEqual(f.inner);
        await shot(page, `dashboard-${name}-${width}.png`);
      }
      // The billing table by day, label and tag is wider than a phone: it scrolls inside its box.
      await page.goto(`${dsUrl}${PAGES.find(([n]) => n === 'reports')![1]}`);
      const box = await page.locator('#report-table').evaluate((t) => ({ table: t.scrollWidth, box: t.parentElement!.clientWidth, cls: t.parentElement!.className }));
      expect(box.cls).toBe('table-scroll');
      if (width === 390) expect(box.table).toBeGreaterThan(box.box);
      else expect(box.table).toBeLessThanOrEqual(box.box);
    } finally {
      await ctx.close();
    }
  });
});
