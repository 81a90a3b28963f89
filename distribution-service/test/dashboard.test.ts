import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/main.js';
import * as applications from '../src/services/applications.js';
import * as organisations from '../src/services/organisations.js';
import * as releases from '../src/services/releases.js';
import * as tokens from '../src/services/tokens.js';
import { versionReport } from '../src/services/version-report.js';
import { newKey } from './support/csr.js';
import { DashboardClient, parseCsv, tableCells } from './support/dashboard-client.js';
import { ADMIN, BUSINESS, startDashboardDs } from './support/dashboard.js';
import { register, signedSync, syncBody, tx, type Harness, type TestDevice } from './support/harness.js';
import { makeRelease } from './support/release.js';

const APP = '/dashboard/orgs/acme/apps/shop';

let h: Harness;
let admin: DashboardClient;
beforeAll(async () => {
  h = await startDashboardDs();
  admin = new DashboardClient(h.url);
  expect((await admin.login(ADMIN.email, ADMIN.password)).status).toBe(303);
});
afterAll(async () => {
  await h?.close();
});

const org = async () => (await h.repo.applications.findOrganisation('acme'))!;

async function sync(device: TestDevice, extra: Record<string, unknown> = {}) {
  const r = await signedSync(h, device, syncBody(device, extra));
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

describe('applications and origins', () => {
  it('creates, renames and relabels an application; adds and removes origins with validation', async () => {
    const created = await admin.submit('/dashboard/orgs/acme', '/dashboard/orgs/acme/apps', { label: 'bank', name: 'Online bank' });
    expect(created.status).toBe(303);
    expect(created.location).toBe('/dashboard/orgs/acme/apps/bank?done=app-created');
    expect((await admin.get(created.location!)).text).toContain('Application created.');
    const dup = await admin.submit('/dashboard/orgs/acme', '/dashboard/orgs/acme/apps', { label: 'bank' });
    expect(dup.status).toBe(409);
    expect(dup.text).toContain('label bank already exists');
    expect((await admin.submit('/dashboard/orgs/acme', '/dashboard/orgs/acme/apps', { label: 'no spaces' })).status).toBe(400);

    const base = '/dashboard/orgs/acme/apps/bank';
    const add = (origin: string) => admin.submit(base, `${base}/origins`, { origin });
    expect((await add('https://Bank.Example.com:443')).status).toBe(303);
    expect((await add('https://*.cdn.example.com')).status).toBe(303);
    expect((await add('http://localhost:8080')).status).toBe(303);
    const refusals: [string, string][] = [
      ['http://bank.example.com', 'http is allowed only for localhost'],
      ['https://bank.example.com/path', 'no path'],
      ['https://*.com', 'wildcard too broad'],
      ['ftp://bank.example.com', 'origins use https'],
      ['https://bank.example.com', 'already registered'],
      ['https://shop.example.com', 'already registered'],
    ];
    for (const [origin, message] of refusals) {
      const r = await add(origin);
      expect(r.status, origin).toBeGreaterThanOrEqual(400);
      expect(r.text, origin).toContain(message);
      expect(r.text, origin).toContain('aria-invalid="true"');
    }
    const list = async () => (await h.repo.applications.listOrigins((await org()).id)).filter((o) => o.label === 'bank').map((o) => o.origin);
    expect(await list()).toEqual(['http://localhost:8080', 'https://*.cdn.example.com', 'https://bank.example.com']);
    const page = await admin.get(base);
    expect(page.text).toContain('<code>https://bank.example.com</code>');

    const removed = await admin.submit(base, `${base}/origins/delete`, { origin: 'https://*.cdn.example.com' });
    expect(removed.status).toBe(303);
    expect(await list()).toEqual(['http://localhost:8080', 'https://bank.example.com']);
    expect((await admin.submit(base, `${base}/origins/delete`, { origin: 'https://gone.example.com' })).status).toBe(404);

    expect((await admin.submit(base, `${base}/name`, { name: 'Bank (retail)' })).status).toBe(303);
    const relabel = await admin.submit(base, `${base}/label`, { label: 'retail-bank' });
    expect(relabel.location).toBe('/dashboard/orgs/acme/apps/retail-bank?done=app-relabelled');
    const renamed = await admin.get('/dashboard/orgs/acme/apps/retail-bank');
    expect(renamed.text).toContain('Bank (retail)');
    // the origins follow the application and connectors see the new label
    expect((await h.repo.applications.listOrigins((await org()).id)).filter((o) => o.label === 'retail-bank').map((o) => o.origin)).toEqual([
      'http://localhost:8080',
      'https://bank.example.com',
    ]);
    expect((await admin.submit('/dashboard/orgs/acme/apps/retail-bank', '/dashboard/orgs/acme/apps/retail-bank/label', { label: 'shop' })).status).toBe(409);

    // PIN entry and consent: the connector page by default; changed here, sent with the origins.
    const app = '/dashboard/orgs/acme/apps/retail-bank';
    const setting = (text: string, name: string) => new RegExp(`data-setting="${name}">([^<]*)<`).exec(text)?.[1];
    const shown = (await admin.get(app)).text;
    expect(setting(shown, 'pinEntry')).toBe('the connector page');
    expect(setting(shown, 'consent')).toBe('not asked');
    const before = (await org()).corsVersion;
    const saved = await admin.submit(app, `${app}/user-steps`, { pinEntry: 'HOST_PAGE', consent: 'ONCE_PER_ORIGIN', pinReuseMinutes: '3' });
    expect(saved.location).toBe(`${app}?done=app-settings`);
    const after = (await admin.get(saved.location!)).text;
    expect(after).toContain('Connector page settings saved');
    expect([setting(after, 'pinEntry'), setting(after, 'consent'), setting(after, 'pinReuseMinutes')]).toEqual(['the host page (legacy)', 'asked once per origin on each machine', '3 min']);
    expect((await org()).corsVersion).toBeGreaterThan(before);
    const bad = await admin.submit(app, `${app}/user-steps`, { pinEntry: 'HOST_PAGE', consent: 'ALWAYS', pinReuseMinutes: '3' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('consent is one of OFF, ONCE_PER_ORIGIN, EVERY_SESSION');
  });

  it('lets an admin of every organisation create organisations and see the users', async () => {
    const r = await admin.submit('/dashboard/', '/dashboard/orgs', { name: 'Initech' });
    expect(r.location).toBe('/dashboard/orgs/Initech?done=org-created');
    expect((await admin.get(r.location!)).text).toContain('Organisation created.');
    expect((await admin.submit('/dashboard/', '/dashboard/orgs', { name: 'Initech' })).status).toBe(409);
    expect((await admin.submit('/dashboard/', '/dashboard/orgs', { name: '<bad>' })).status).toBe(400);
    const home = await admin.get('/dashboard/');
    expect(home.text).toContain('href="/dashboard/orgs/Initech"');
    const people = await admin.get('/dashboard/users');
    expect(people.text).toContain(ADMIN.email);
    expect(people.text).toContain(BUSINESS.email);
    expect(people.text).not.toContain('scrypt$');
  });

  it('keeps an audit log of who changed which origin, application and configuration, CLI changes included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ds-audit-'));
    try {
      const code = await runCli(['origin', 'add', '--org', 'acme', '--label', 'shop', 'https://cli.example.com', '--db', h.dbArg], {
        out: () => undefined,
        err: () => undefined,
      });
      expect(code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const page = await admin.get('/dashboard/audit?org=acme');
    expect(page.status).toBe(200);
    const rows = tableCells(page.text, 'audit').slice(1);
    const lines = rows.map((r) => [r[1], r[3], r[4]]);
    expect(lines[0]).toEqual([expect.stringMatching(/^cli:/), 'origin.add', 'https://cli.example.com']);
    expect(lines).toContainEqual(['user:admin@acme.test', 'origin.add', 'https://bank.example.com']);
    expect(lines).toContainEqual(['user:admin@acme.test', 'origin.remove', 'https://*.cdn.example.com']);
    expect(lines).toContainEqual(['user:admin@acme.test', 'app.create', 'bank']);
    expect(lines).toContainEqual(['user:admin@acme.test', 'app.rename', 'bank']);
    expect(lines).toContainEqual(['user:admin@acme.test', 'app.relabel', 'bank']);
    const relabel = rows.find((r) => r[3] === 'app.relabel')!;
    expect(relabel[5]).toBe('{"from":"bank","to":"retail-bank"}');
    // refused changes leave no trace
    expect(lines.filter((l) => l[1] === 'origin.add' && l[2] === 'http://bank.example.com')).toEqual([]);
    // when: ISO time, newest first
    expect(rows[0]![0]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
    await applications.removeOrigin(h.ds.services, { org: 'acme', label: 'shop', origin: 'https://cli.example.com' });
  });
});

describe('connectors and the origin list', () => {
  let a: TestDevice;
  let b: TestDevice;

  it('records at each sync which list version a device got, and shows who has the latest', async () => {
    a = await register(h);
    b = await register(h);
    let o = await org();
    // registration hands out the current list
    expect(await h.repo.devices.findDevice(a.id)).toMatchObject({ corsVersionSent: o.corsVersion, configVersionSent: o.configVersion, corsVersionReported: null });
    let page = await admin.get(APP);
    expect(page.text).toContain(`<strong>2 of 2</strong> connectors got it`);

    await admin.submit(APP, `${APP}/origins`, { origin: 'https://new.example.com' });
    o = await org();
    page = await admin.get(APP);
    expect(page.text).toContain(`version <strong>v${o.corsVersion}</strong>`);
    expect(page.text).toContain('<strong>0 of 2</strong> connectors got it');
    const answer = await sync(a, { corsVersion: o.corsVersion - 1 });
    expect(answer.cors.version).toBe(o.corsVersion);
    expect(await h.repo.devices.findDevice(a.id)).toMatchObject({ corsVersionReported: o.corsVersion - 1, corsVersionSent: o.corsVersion });
    page = await admin.get(APP);
    expect(page.text).toContain('<strong>1 of 2</strong> connectors got it');
    const rows = tableCells(page.text, 'app-devices').slice(1);
    const rowOf = (d: TestDevice) => rows.find((r) => d.id.startsWith(r[0]!))!;
    expect(rowOf(a).slice(3, 5)).toEqual([`v${o.corsVersion}`, 'yes']);
    expect(rowOf(b).slice(3, 5)).toEqual([`v${o.corsVersion - 1}`, 'no, at its next sync']);
    expect(rowOf(b)[5]).toMatch(/UTCin 8 h$/); // synced just now, at the DS default cycle
    await sync(b, { corsVersion: o.corsVersion - 1 });
    expect((await admin.get(APP)).text).toContain('<strong>2 of 2</strong> connectors got it');
  });

  it('computes online / late / offline from the cycle the device was given plus a grace period; filters and searches', async () => {
    const fleetRows = async (query = '') => {
      const page = await admin.get(`/dashboard/orgs/acme/devices${query}`);
      expect(page.status).toBe(200);
      return page.text.includes('<table id="devices"') ? tableCells(page.text, 'devices').slice(1) : [];
    };
    const statusOf = async (d: TestDevice) => (await fleetRows()).find((r) => r[0] === d.id)![1];
    // both synced just now at the default 8 h cycle
    expect(await statusOf(a)).toBe('online');
    // an override of 10 min reaches a at its next sync; b still runs on 8 h
    await admin.submit('/dashboard/orgs/acme/config', '/dashboard/orgs/acme/config', { cycle: '600', logLevel: '' });
    await sync(a, { lastError: 'PCSC_UNAVAILABLE: pcscd is not running', version: '0.2.0' });
    expect((await h.repo.devices.findDevice(a.id))!.nextSyncAfterSeconds).toBe(600);
    h.clock.advance(600 + 600); // cycle + grace: still online
    expect(await statusOf(a)).toBe('online');
    h.clock.advance(1);
    expect(await statusOf(a)).toBe('late');
    expect(await statusOf(b)).toBe('online');
    h.clock.advance(3 * 600 - 600 - 1); // 3 cycles + grace
    expect(await statusOf(a)).toBe('late');
    h.clock.advance(1);
    expect(await statusOf(a)).toBe('offline');

    const row = (await fleetRows()).find((r) => r[0] === a.id)!;
    expect(row[2]).toBe('0.2.0');
    expect(row[3]).toBe('linux test');
    expect(row[5]).toBe('10 min');
    expect(row[6]).toMatch(/^\d{4}-\d{2}-\d{2} .* UTC\s*in \d+ days$/);
    expect(row[9]).toBe('PCSC_UNAVAILABLE: pcscd is not running');

    expect((await fleetRows('?status=offline')).map((r) => r[0])).toEqual([a.id]);
    expect((await fleetRows('?status=online')).map((r) => r[0])).toEqual([b.id]);
    expect((await fleetRows('?status=late')).map((r) => r[0])).toEqual([]);
    expect((await fleetRows('?version=0.2.0')).map((r) => r[0])).toEqual([a.id]);
    expect((await fleetRows('?q=PCSC')).map((r) => r[0])).toEqual([a.id]);
    expect((await fleetRows(`?q=${b.id.slice(0, 8).toUpperCase()}`)).map((r) => r[0])).toEqual([b.id]);
    expect((await fleetRows('?q=nothing-matches')).length).toBe(0);
    expect((await admin.get('/dashboard/orgs/acme/devices?status=bogus')).status).toBe(400);
    await sync(a);
    await sync(b);
  });

  it('sends saved configuration overrides at the next sync and shows which devices have them', async () => {
    const cfg = '/dashboard/orgs/acme/config';
    const bad = await admin.submit(cfg, cfg, { cycle: '5', logLevel: '' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('between 10 s and 30 days');
    expect((await admin.submit(cfg, cfg, { cycle: 'soon', logLevel: '' })).status).toBe(400);
    expect((await admin.submit(cfg, cfg, { cycle: '', logLevel: 'loud' })).status).toBe(400);
    const saved = await admin.submit(cfg, cfg, { cycle: '900', logLevel: 'debug' });
    expect(saved.location).toBe(`${cfg}?done=config-saved`);
    let page = await admin.get(cfg);
    expect(page.text).toContain('<strong>0 of 2</strong> connectors got it');
    const answer = await sync(a);
    expect(answer.config).toMatchObject({ dsCycleSeconds: 900, logLevel: 'debug' });
    expect(answer.nextSyncAfterSeconds).toBe(900);
    page = await admin.get(cfg);
    expect(page.text).toContain('<strong>1 of 2</strong> connectors got it');
    expect(page.text).toMatch(/id="cfg-cycle">900 s/);
    // clearing the overrides
    await admin.submit(cfg, cfg, { cycle: '', logLevel: '' });
    expect((await sync(a)).config).toEqual({ version: (await org()).configVersion });
    const audit = tableCells((await admin.get('/dashboard/audit?org=acme')).text, 'audit').slice(1);
    expect(audit.find((r) => r[3] === 'config.set')![5]).toBe('{"dsCycleSeconds":{"from":900,"to":null},"logLevel":{"from":"debug","to":null}}');
  });
});

describe('billing reports', () => {
  let a: TestDevice;
  let b: TestDevice;
  const REPORTS = '/dashboard/orgs/acme/reports';

  beforeAll(async () => {
    await applications.createApplication(h.ds.services, { org: 'acme', label: 'bank' });
    a = await register(h);
    b = await register(h);
    const n = (k: number, t: Record<string, unknown>) => Array.from({ length: k }, () => tx(t));
    await sync(a, {
      transactions: [
        ...n(2, { label: 'shop', tag: 'checkout', useCase: 'SIGNATURE', occurredAt: '2025-10-05T10:00:00Z' }),
        ...n(1, { label: 'shop', tag: 'checkout', useCase: 'PIN_VERIFICATION', result: 'READER_NOT_FOUND', occurredAt: '2025-10-06T10:00:00Z' }),
        ...n(1, { label: 'shop', tag: null, useCase: 'IDENTITY_READ', occurredAt: '2025-10-07T10:00:00Z' }),
        ...n(3, { label: 'bank', tag: 'loan', useCase: 'AUTHENTICATION', occurredAt: '2025-11-02T10:00:00+02:00' }),
        ...n(1, { label: 'shop', tag: 'checkout', useCase: 'SIGNATURE', occurredAt: '2025-11-03T10:00:00Z' }),
        ...n(1, { label: 'shop', tag: 'checkout', useCase: 'SIGNATURE', occurredAt: '2025-09-30T23:59:59.999Z' }),
      ],
    });
    await sync(b, {
      transactions: [
        ...n(2, { label: 'shop', tag: 'checkout', useCase: 'SIGNATURE', occurredAt: '2025-11-04T10:00:00Z' }),
        ...n(1, { label: 'shop', tag: null, useCase: 'IDENTITY_READ', occurredAt: '2025-11-05T10:00:00Z' }),
        ...n(1, { label: 'shop', tag: 'Checkout', useCase: 'SIGNATURE', occurredAt: '2025-11-06T10:00:00Z' }),
        ...n(1, { label: 'bank', tag: null, useCase: 'FILE_PRINT', occurredAt: '2025-11-30T23:59:59.999Z' }),
        ...n(1, { label: 'shop', tag: 'checkout', useCase: 'SIGNATURE', occurredAt: '2025-12-01T00:00:00Z' }),
      ],
    });
  });

  const HEADER = ['period', 'label', 'tag', 'IDENTITY_READ', 'AUTHENTICATION', 'SIGNATURE', 'PIN_VERIFICATION', 'PIN_CHANGE', 'CONSENT', 'FILE_DOWNLOAD', 'FILE_UPLOAD', 'FILE_PRINT', 'total'];

  /**
   * The report page's table and its CSV, which must be identical but for the headings: the page
   * shows readable ones (`headings`), the CSV keeps the columns' machine names (`table[0]`).
   */
  async function report(query: string, as: DashboardClient = admin): Promise<{ table: string[][]; headings: string[]; total: string; text: string }> {
    const page = await as.get(`${REPORTS}?${query}`);
    expect(page.status).toBe(200);
    const shown = page.text.includes('id="report-table"') ? tableCells(page.text, 'report-table') : [];
    const headings = shown[0] ?? [];
    const columns = [...page.text.matchAll(/<th scope="col" data-column="([^"]+)"/g)].map((m) => m[1]!);
    expect(columns).toHaveLength(headings.length);
    const table = shown.length ? [columns, ...shown.slice(1)] : [];
    const csv = await as.get(`${REPORTS}.csv?${query}`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="cardlink-acme-(transactions|installs)-[\d-]+-[\d-]+\.csv"$/);
    const rows = parseCsv(csv.text);
    if (table.length) expect(rows).toEqual(table);
    else expect(rows).toHaveLength(1);
    // the page's CSV link asks for exactly this report
    const link = /id="csv-link" href="([^"]+)"/.exec(page.text)![1]!.replace(/&amp;/g, '&');
    expect(parseCsv((await as.get(link)).text)).toEqual(rows);
    return { table, headings, total: /id="report-total">(\d+)</.exec(page.text)![1]!, text: page.text };
  }

  it('counts transactions per month, label and tag, one column per use case; a missing tag is its own row', async () => {
    const r = await report('submitted=1&model=transactions&from=2025-10-01&to=2025-11-30&period=month&byLabel=1&byTag=1');
    expect(r.table).toEqual([
      HEADER,
      ['2025-10', 'shop', '', '1', '0', '0', '0', '0', '0', '0', '0', '0', '1'],
      ['2025-10', 'shop', 'checkout', '0', '0', '2', '1', '0', '0', '0', '0', '0', '3'],
      ['2025-11', 'bank', '', '0', '0', '0', '0', '0', '0', '0', '0', '1', '1'],
      ['2025-11', 'bank', 'loan', '0', '3', '0', '0', '0', '0', '0', '0', '0', '3'],
      ['2025-11', 'shop', '', '1', '0', '0', '0', '0', '0', '0', '0', '0', '1'],
      ['2025-11', 'shop', 'Checkout', '0', '0', '1', '0', '0', '0', '0', '0', '0', '1'],
      ['2025-11', 'shop', 'checkout', '0', '0', '3', '0', '0', '0', '0', '0', '0', '3'],
    ]);
    expect(r.total).toBe('13');
    // the page reads as words; the CSV above kept the machine names
    expect(r.headings).toEqual(['Period', 'Label', 'Tag', 'Identity read', 'Authentication', 'Signature', 'PIN verification', 'PIN change', 'Consent', 'File download', 'File upload', 'File print', 'Total']);
    // the chart: one bar segment per (month, use case) with a count
    expect(r.text).toContain('<figure class="chart" id="report-chart">');
    expect([...r.text.matchAll(/<rect class="bar"[^>]*><title>([^<]+)<\/title>/g)].map((m) => m[1])).toEqual([
      '2025-10 Identity read: 1',
      '2025-10 Signature: 2',
      '2025-10 PIN verification: 1',
      '2025-11 Identity read: 1',
      '2025-11 Authentication: 3',
      '2025-11 Signature: 4',
      '2025-11 File print: 1',
    ]);
  });

  it('groups by label only, or over the whole range, filters by label and by success', async () => {
    expect((await report('submitted=1&from=2025-10-01&to=2025-11-30&period=range&byLabel=1')).table).toEqual([
      ['period', 'label', ...HEADER.slice(3)],
      ['2025-10-01/2025-11-30', 'bank', '0', '3', '0', '0', '0', '0', '0', '0', '1', '4'],
      ['2025-10-01/2025-11-30', 'shop', '2', '0', '6', '1', '0', '0', '0', '0', '0', '9'],
    ]);
    const bank = await report('submitted=1&from=2025-10&to=2025-11&period=month&byLabel=1&byTag=1&label=bank');
    expect(bank.table.slice(1).map((r) => r.slice(0, 3))).toEqual([['2025-11', 'bank', ''], ['2025-11', 'bank', 'loan']]);
    expect(bank.total).toBe('4');
    const okOnly = await report('submitted=1&from=2025-10-01&to=2025-11-30&period=range&okOnly=1');
    expect(okOnly.total).toBe('12');
    expect(okOnly.text).toContain('(successful only).');
    expect((await report('submitted=1&from=2025-10-01&to=2025-11-30&period=range')).text).toContain('(failed operations included).');
    // not submitted yet (a link, a fresh page): successful only, said on the page and ticked
    const fresh = await report('from=2025-10-01&to=2025-11-30&period=range');
    expect(fresh.total).toBe('12');
    expect(fresh.text).toContain('name="okOnly" value="1" checked> successful only (default)');
    expect(fresh.text).toContain('Only successful operations count by default');
    // day by day, one day
    expect((await report('submitted=1&from=2025-11-30&to=2025-11-30&period=day&byLabel=1&byTag=1')).table.slice(1)).toEqual([
      ['2025-11-30', 'bank', '', '0', '0', '0', '0', '0', '0', '0', '0', '1', '1'],
    ]);
    // the boundaries are whole UTC days: 2025-09-30T23:59:59.999Z and 2025-12-01T00:00:00Z stay out
    expect((await report('submitted=1&from=2025-09-30&to=2025-12-01&period=range')).total).toBe('15');
  });

  it('counts distinct active devices per month and label (install model)', async () => {
    const r = await report('submitted=1&model=installs&from=2025-10-01&to=2025-11-30&period=month&byLabel=1');
    expect(r.table).toEqual([
      ['period', 'label', 'active_devices'],
      ['2025-10', 'shop', '1'],
      ['2025-11', 'bank', '2'],
      ['2025-11', 'shop', '2'],
    ]);
    expect(r.total).toBe('2');
    expect([...r.text.matchAll(/<rect class="bar"[^>]*><title>([^<]+)<\/title>/g)].map((m) => m[1])).toEqual([
      '2025-10 shop: 1',
      '2025-11 shop: 2',
      '2025-11 bank: 2',
    ]);
    const byTag = await report('submitted=1&model=installs&from=2025-11-01&to=2025-11-30&period=range&byLabel=1&byTag=1');
    expect(byTag.table.slice(1)).toEqual([
      ['2025-11-01/2025-11-30', 'bank', '', '1'],
      ['2025-11-01/2025-11-30', 'bank', 'loan', '1'],
      ['2025-11-01/2025-11-30', 'shop', '', '1'],
      ['2025-11-01/2025-11-30', 'shop', 'Checkout', '1'],
      ['2025-11-01/2025-11-30', 'shop', 'checkout', '2'],
    ]);
    expect((await report('submitted=1&model=installs&from=2025-10-01&to=2025-11-30&period=range')).table).toEqual([
      ['period', 'active_devices'],
      ['2025-10-01/2025-11-30', '2'],
    ]);
  });

  it('gives the same CSV from the admin command (ds report billing), successful only by default as the dashboard', async () => {
    const cli = async (...extra: string[]) => {
      let out = '';
      const code = await runCli(
        ['report', 'billing', '--org', 'acme', '--from', '2025-10', '--to', '2025-11', '--period', 'month', '--by', 'label,tag', ...extra, '--db', h.dbArg],
        { out: (t) => void (out += t), err: () => undefined },
      );
      expect(code).toBe(0);
      return out;
    };
    const dashboard = async (query: string) => (await admin.get(`${REPORTS}.csv?${query}`)).text;
    const range = 'model=transactions&from=2025-10-01&to=2025-11-30&period=month&byLabel=1&byTag=1';
    // Defaults agree: the dashboard's fresh page (not submitted) and the command count successes only.
    const okOnly = await cli();
    expect(okOnly).toBe(await dashboard(range));
    expect(okOnly).toBe(await dashboard(`submitted=1&okOnly=1&${range}`));
    expect(okOnly).toBe(await cli('--ok-only'));
    // With failures: the ticked-off box, and one failed operation more in the total.
    const all = await cli('--include-failed');
    expect(all).toBe(await dashboard(`submitted=1&${range}`));
    const total = (csv: string) => csv.trim().split('\r\n').slice(1).reduce((n, line) => n + Number(line.split(',').at(-1)), 0);
    expect([total(okOnly), total(all)]).toEqual([12, 13]);
    // The former opt-in and the new opt-out contradict each other: refused, nothing printed.
    let refused = '';
    const conflicting = ['report', 'billing', '--org', 'acme', '--from', '2025-10', '--to', '2025-11', '--ok-only', '--include-failed', '--db', h.dbArg];
    expect(await runCli(conflicting, { out: (t) => void (refused += t), err: () => undefined })).not.toBe(0);
    expect(refused).toBe('');
    let out = '';
    out = '';
    await runCli(['report', 'billing', '--org', 'acme', '--model', 'installs', '--from', '2025-10-01', '--to', '2025-11-30', '--by', 'label', '--db', h.dbArg], {
      out: (t) => void (out += t),
      err: () => undefined,
    });
    expect(out).toBe('period,label,active_devices\r\n2025-10,shop,1\r\n2025-11,bank,2\r\n2025-11,shop,2\r\n');
  });

  it('is readable by a business user; refuses bad ranges with 400', async () => {
    const c = new DashboardClient(h.url);
    await c.login(BUSINESS.email, BUSINESS.password);
    expect((await report('submitted=1&from=2025-10-01&to=2025-11-30&period=range', c)).total).toBe('13');
    for (const q of ['from=2025-12-01&to=2025-11-01', 'from=2025-02-30&to=2025-03-01', 'from=yesterday&to=2025-11-01', 'from=2020-01-01&to=2025-01-01&period=day', 'model=magic', 'label=%3Cb%3E']) {
      expect((await admin.get(`${REPORTS}?${q}`)).status, q).toBe(400);
      expect((await admin.get(`${REPORTS}.csv?${q}`)).status, q).toBe(400);
    }
    // the default page: the last twelve months by month, label and tag
    const page = await admin.get(REPORTS);
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="byTag" value="1" checked');
  });
});

describe('connector versions and update status', () => {
  // An organisation of its own, so the devices of the other tests do not count here.
  const VERSIONS = '/dashboard/orgs/globex/versions';
  const devices: Record<'failed' | 'offered' | 'mandatory' | 'latest' | 'unsupervised', TestDevice> = {} as never;
  const REASON = 'SIGNATURE_INVALID: <script>alert(1)</script> does not verify';

  beforeAll(async () => {
    const ctx = h.ds.services;
    await organisations.createOrganisation(ctx, 'globex');
    const { token } = await tokens.createInstallToken(ctx, { org: 'globex', maxUses: 10 });
    for (const name of ['failed', 'offered', 'mandatory', 'latest', 'unsupervised'] as const) devices[name] = await register(h, newKey('ec'), token);
    const publish = (version: string, o: Parameters<typeof makeRelease>[1] = {}) => releases.publishRelease(ctx, { org: 'globex', ...makeRelease(version, o) });
    await publish('1.0.0');
    await publish('1.1.0');
    await publish('1.2.0', { flag: 'mandatory', min: '1.1.0' });
    // Supervised connectors send updateStatus; one rolled back 1.1.0 and reports it.
    const answer = await sync(devices.failed, { version: '1.0.0', updateStatus: { current: '1.0.0', failed: [{ version: '1.1.0', reason: REASON }] } });
    expect(answer.update).toBeUndefined(); // 1.2.0 needs 1.1.0, and 1.1.0 failed here
    expect((await sync(devices.offered, { version: '1.0.0', updateStatus: { current: '1.0.0' } })).update.flag).toBe('recommended');
    expect((await sync(devices.mandatory, { version: '1.1.0', updateStatus: { current: '1.1.0' } })).update.flag).toBe('mandatory');
    expect((await sync(devices.latest, { version: '1.2.0', updateStatus: { current: '1.2.0' } })).update).toBeUndefined();
    expect((await sync(devices.unsupervised, { version: '1.1.0' })).update).toBeUndefined(); // cannot update: no offer
    // The failure is remembered: a later sync that no longer lists it gets no offer either.
    expect((await sync(devices.failed, { version: '1.0.0', updateStatus: { current: '1.0.0' } })).update).toBeUndefined();
    await releases.withdrawRelease(ctx, { org: 'globex', version: '1.0.0' });
  });

  const rowsOf = (text: string, id: string) => tableCells(text, id).slice(1);

  it('shows the version distribution with shares, release flags and a chart, and each device\'s update status', async () => {
    const page = await admin.get(VERSIONS);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`<a href="${VERSIONS}" aria-current="page">Versions</a>`);
    expect(tableCells(page.text, 'version-distribution')).toEqual([
      ['Version', 'Devices', 'Share', 'Release'],
      ['1.2.0', '1', '20.0 %', 'mandatory'],
      ['1.1.0', '2', '40.0 %', 'recommended'],
      ['1.0.0', '2', '40.0 %', 'withdrawn'],
    ]);
    expect(page.text).toMatch(/<table id="version-distribution">\s*<caption/);
    // the chart: one bar per version, oldest left, titled with its count and release state
    expect([...page.text.matchAll(/<rect class="bar"[^>]*><title>([^<]+)<\/title>/g)].map((m) => m[1])).toEqual([
      '1.0.0 withdrawn: 2',
      '1.1.0 recommended: 2',
      '1.2.0 mandatory: 1',
    ]);
    const count = (s: string) => new RegExp(`id="count-${s}">(\\d+)<`).exec(page.text)![1];
    expect([count('up-to-date'), count('offered'), count('failed'), count('cannot-update')]).toEqual(['1', '2', '1', '1']);

    const rows = rowsOf(page.text, 'device-updates');
    expect(rows[0]).toBeDefined();
    const row = (d: TestDevice) => rows.find((r) => r[0] === d.id)!;
    expect(row(devices.failed).slice(1, 5)).toEqual(['1.0.0', 'failed', '—', '1.1.0']);
    expect(row(devices.failed)[5]).toMatch(/^1\.1\.0: SIGNATURE_INVALID: <script>alert\(1\)<\/script> does not verify\d{4}-\d{2}-\d{2} .* UTC$/);
    expect(row(devices.offered).slice(1, 3)).toEqual(['1.0.0', 'offered']);
    expect(row(devices.offered)[3]).toMatch(/^1\.1\.0\d{4}-/);
    expect(row(devices.mandatory).slice(1, 3)).toEqual(['1.1.0', 'offered']);
    expect(row(devices.mandatory)[3]).toMatch(/^1\.2\.0\d{4}-/);
    expect(row(devices.latest).slice(1, 6)).toEqual(['1.2.0', 'up-to-date', '—', '—', '—']);
    expect(row(devices.unsupervised).slice(1, 6)).toEqual(['1.1.0', 'cannot update (no release key)', '—', '—', '—']);
    // device data is escaped, never markup
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.text).not.toContain('<script>');
    // the published releases, with how many devices run each
    expect(rowsOf(page.text, 'releases-table').map((r) => [r[0], r[1], r[2], r[5]])).toEqual([
      ['1.2.0', 'mandatory', '1.1.0', '1'],
      ['1.1.0', 'recommended', '0.0.1', '2'],
      ['1.0.0', 'recommended', '0.0.1', '2'],
    ]);
  });

  it('has the same figures as ds report versions', async () => {
    let out = '';
    const code = await runCli(['report', 'versions', '--org', 'globex', '--json', '--db', h.dbArg], {
      out: (t) => void (out += t),
      err: () => undefined,
    });
    expect(code).toBe(0);
    const cli = JSON.parse(out) as Awaited<ReturnType<typeof versionReport>>;
    const page = await admin.get(VERSIONS);
    const total = cli.devices.length;
    expect(rowsOf(page.text, 'version-distribution')).toEqual(
      cli.versions.map((v) => [v.version, String(v.devices), `${((100 * v.devices) / total).toFixed(1)} %`, v.release ?? 'not a release']),
    );
    const rows = rowsOf(page.text, 'device-updates');
    expect(rows.map((r) => r[0])).toEqual(cli.devices.map((d) => d.deviceId));
    for (const [r, d] of rows.map((r, i) => [r, cli.devices[i]!] as const)) {
      expect(r[1]).toBe(d.version);
      expect(r[2]).toBe(d.status === 'cannot-update' ? 'cannot update (no release key)' : d.status);
      expect(r[3]!.startsWith(d.offeredVersion ?? '—')).toBe(true);
      expect(r[4]).toBe(d.failed.length ? d.failed.map((f) => f.version).join(', ') : '—');
    }
    // and the CLI's text table says the same
    out = '';
    await runCli(['report', 'versions', '--org', 'globex', '--db', h.dbArg], { out: (t) => void (out += t), err: () => undefined });
    expect(out).toMatch(/1\.1\.0\s+2\s+recommended/);
    expect(out).toContain(`1.1.0: ${REASON}`);
  });

  it('filters devices by update status and version; refuses an unknown status', async () => {
    const ids = async (query: string) => {
      const page = await admin.get(`${VERSIONS}?${query}`);
      expect(page.status, query).toBe(200);
      return page.text.includes('<table id="device-updates"') ? rowsOf(page.text, 'device-updates').map((r) => r[0]).sort() : [];
    };
    expect(await ids('status=failed')).toEqual([devices.failed.id]);
    expect(await ids('status=offered')).toEqual([devices.offered.id, devices.mandatory.id].sort());
    expect(await ids('version=1.1.0')).toEqual([devices.mandatory.id, devices.unsupervised.id].sort());
    expect(await ids('status=failed&version=1.2.0')).toEqual([]);
    expect(await ids(`version=${encodeURIComponent('<b>')}`)).toEqual([]);
    expect((await admin.get(`${VERSIONS}?status=bogus`)).status).toBe(400);
    // the distribution's versions link to this filter
    expect((await admin.get(VERSIONS)).text).toContain(`href="${VERSIONS}?version=1.1.0#update-status"`);
  });

  it('is readable by a business user, changes nothing and needs a login', async () => {
    const before = await versionReport(h.ds.services, 'globex');
    const c = new DashboardClient(h.url);
    await c.login(BUSINESS.email, BUSINESS.password);
    const page = await c.get(VERSIONS);
    expect(page.status).toBe(200);
    expect(tableCells(page.text, 'version-distribution')).toHaveLength(4);
    // the only POST form is logout
    expect([...page.text.matchAll(/method="post"/g)]).toHaveLength(1);
    expect(await versionReport(h.ds.services, 'globex')).toEqual(before);
    const anonymous = await new DashboardClient(h.url).get(VERSIONS);
    expect(anonymous.status).toBe(303);
    expect(anonymous.location).toBe(`/dashboard/login?next=${encodeURIComponent(VERSIONS)}`);
  });
});

describe('billing CSV: formula-leading cells (CSV injection)', () => {
  // An organisation of its own; labels and tags may start with '-', the only formula lead
  // their character set allows (=, +, @, tab and CR are covered by test/csv.test.ts).
  const REPORTS = '/dashboard/orgs/initech/reports';
  const QUERY = 'submitted=1&model=transactions&from=2025-10-01&to=2025-10-31&period=range&byLabel=1&byTag=1';

  beforeAll(async () => {
    const ctx = h.ds.services;
    await organisations.createOrganisation(ctx, 'initech');
    await applications.createApplication(ctx, { org: 'initech', label: '-2-1' });
    const { token } = await tokens.createInstallToken(ctx, { org: 'initech' });
    const device = await register(h, newKey('ec'), token);
    await sync(device, {
      transactions: [
        tx({ label: '-2-1', tag: '-1', useCase: 'SIGNATURE', occurredAt: '2025-10-05T10:00:00Z' }),
        tx({ label: '-2-1', tag: 'plain', useCase: 'SIGNATURE', occurredAt: '2025-10-05T10:00:00Z' }),
      ],
    });
  });

  it('neutralises them with a quote prefix in a quoted field, in the dashboard download and in ds report billing alike', async () => {
    const csv = await admin.get(`${REPORTS}.csv?${QUERY}`);
    expect(csv.status).toBe(200);
    const lines = csv.text.split('\r\n');
    expect(lines[1]).toBe(`2025-10-01/2025-10-31,"'-2-1","'-1",0,0,1,0,0,0,0,0,0,1`);
    expect(lines[2]).toBe(`2025-10-01/2025-10-31,"'-2-1",plain,0,0,1,0,0,0,0,0,0,1`);
    // No field of the file starts a formula once parsed.
    for (const cell of parseCsv(csv.text).flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    // The page itself shows the label as it is.
    expect((await admin.get(`${REPORTS}?${QUERY}`)).text).toContain('>-2-1<');

    let out = '';
    const code = await runCli(
      ['report', 'billing', '--org', 'initech', '--from', '2025-10-01', '--to', '2025-10-31', '--period', 'range', '--by', 'label,tag', '--db', h.dbArg],
      { out: (t) => void (out += t), err: () => undefined },
    );
    expect(code).toBe(0);
    expect(out).toBe(csv.text);
  });
});

describe("each device's own cycle, the root and the login page", () => {
  const FLEET = '/dashboard/orgs/hooli/devices';
  const cycleOf = async (d: TestDevice) => {
    const page = await admin.get(FLEET);
    expect(page.status).toBe(200);
    return tableCells(page.text, 'devices').find((r) => r[0] === d.id)!.slice(1, 6);
  };

  it('shows the cycle a connector reported (its --ds.cycle), an override still winning, and judges status by it', async () => {
    const ctx = h.ds.services;
    await organisations.createOrganisation(ctx, 'hooli');
    const { token } = await tokens.createInstallToken(ctx, { org: 'hooli', maxUses: 2 });
    const fast = await register(h, newKey('ec'), token);
    const plain = await register(h, newKey('ec'), token);
    await sync(fast, { cycleSeconds: 300 });
    await sync(plain);
    expect((await cycleOf(fast))[4]).toBe('5 min');
    expect((await cycleOf(plain))[4]).toBe('8 h');
    // the application page says when each connector will next sync (after an origin change)
    await applications.createApplication(ctx, { org: 'hooli', label: 'web' });
    await applications.addOrigin(ctx, { org: 'hooli', label: 'web', origin: 'https://web.initech.example' });
    const nextSyncOf = async (d: TestDevice) => {
      const page = await admin.get('/dashboard/orgs/hooli/apps/web');
      const rows = tableCells(page.text, 'app-devices');
      expect(rows[0]).toEqual(['Device', 'Status', 'Last contact', 'List held', 'Latest list', 'Next sync']);
      return rows.find((r) => d.id.startsWith(r[0]!))!.slice(4);
    };
    expect(await nextSyncOf(fast)).toEqual(['no, at its next sync', expect.stringMatching(/^\d{4}-\d\d-\d\d .* UTCin 5 min$/)]);
    expect((await nextSyncOf(plain))[1]).toMatch(/UTCin 8 h$/);
    const grace = ctx.config.dashboard.fleetGraceSeconds;
    h.clock.advance(300 + grace + 1);
    expect((await cycleOf(fast))[0]).toBe('late');
    expect((await cycleOf(plain))[0]).toBe('online');
    expect((await nextSyncOf(fast))[1]).toMatch(/^overduedue \d+ min ago$/);
    // The organisation's override wins on the connector, so it is what the device keeps.
    await organisations.setOrganisationConfig(ctx, 'hooli', { dsCycleSeconds: 900 });
    await sync(fast, { cycleSeconds: 300 });
    expect((await cycleOf(fast)).slice(0, 1).concat((await cycleOf(fast))[4]!)).toEqual(['online', '15 min']);
    // outside the connector's own bounds: refused like any bad field
    for (const cycleSeconds of [59, 604_801, 'fast']) {
      const r = await signedSync(h, fast, syncBody(fast, { cycleSeconds }));
      expect(r.status, String(cycleSeconds)).toBe(400);
    }
  });

  it('sends the DS root to the dashboard, and the login page says how accounts are made', async () => {
    const root = await new DashboardClient(h.url).get('/');
    expect(root.status).toBe(302);
    expect(root.location).toBe('/dashboard/');
    const login = await new DashboardClient(h.url).get('/dashboard/login');
    expect(login.text).toMatch(/id="how-accounts">No account\? Accounts are made by the DS's operator/);
    expect(login.text).toContain('<code>ds user create --email you@example.com --role admin --org ORG --password-file -</code>');
  });
});
