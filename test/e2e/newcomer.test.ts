// A newcomer's first hour, as one test: a fresh data dir, `bash scripts/start.sh` in the
// background (free ports), the dashboard credentials it printed used to log in with Chromium,
// a new origin added to the demo application, `connector sync`, and a page on that origin
// (served here, built from the SDK's packed tarball) reading the identity and signing.
// Screenshots of each step: artifacts/screenshots/newcomer-*.png. The card is the connector's
// in-process one (CARDLINK_VIRTUAL_CARD=in-process): the shared vpcd reader stays free for
// the suites that lock it (start-script.test.ts covers the vpcd path).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchTrustedChromium, type TrustedChromium } from './lib/browser.js';
import { connectorTrust, ROOT, SCREENSHOTS } from './lib/demo.js';
import { buildSdkApp, packSdk } from './lib/sdk-app.js';
import { SDK_PAGE_HTML, SDK_PAGE_MAIN } from './lib/sdk-page.js';
import { startSystem, type StartedSystem } from './lib/start-script.js';
import { serveStatic, type StaticServer } from './lib/static-server.js';

const run = promisify(execFile);
let sys: StartedSystem | undefined;
let site: StaticServer | undefined;
let chrome: TrustedChromium | undefined;
let dir: string | undefined;

afterAll(async () => {
  await chrome?.close();
  await site?.close();
  const code = await sys?.stop();
  if (sys) expect(code).toBe(0); // Ctrl-C (SIGTERM) stops everything cleanly
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const shot = (p: Page, step: string) => p.screenshot({ path: join(SCREENSHOTS, `newcomer-${step}.png`), fullPage: true });

describe("a newcomer's first hour", () => {
  it('start.sh, log in with the printed credentials, add an origin, connector sync, identity + signature from that origin', { timeout: 600_000 }, async () => {
    // 1. The system, as the README says: one command.
    sys = await startSystem('scripts/start.sh', { CARDLINK_VIRTUAL_CARD: 'in-process' });
    await sys.waitFor(/^Press Ctrl-C to stop everything\.$/m, 480_000);
    const summary = sys.summary();
    console.log(`start.sh to running: ${summary.startedInSeconds} s`);
    expect(summary.dashboardUrl).toBe(`http://127.0.0.1:${sys.ports.ds}/dashboard/`);
    const connectorData = join(sys.home, 'connector');

    // 2. The web developer's page, built from the SDK's packed tarball, on an origin of its own.
    dir = mkdtempSync(join(tmpdir(), 'cardlink-newcomer-'));
    const dist = buildSdkApp(join(dir, 'app'), packSdk(dir), { 'index.html': SDK_PAGE_HTML, 'src/main.ts': SDK_PAGE_MAIN });
    site = await serveStatic(dist);
    const origin = `http://localhost:${site.port}`;
    const pageUrl = `${origin}/?connector=https://localhost:${sys.ports.connector}`;

    // 3. The browser trusts the connector as the summary says (`connector trust`).
    chrome = await launchTrustedChromium({ trust: (home) => void connectorTrust(connectorData, home) });
    const context = await chrome.browser.newContext({ viewport: { width: 1280, height: 900 } });

    // 4. The DS address leads to the dashboard's login, which says how accounts are made.
    const dash = await context.newPage();
    await dash.goto(`http://127.0.0.1:${sys.ports.ds}/`);
    await dash.waitForURL(/\/dashboard\/login\?next=/);
    expect(await dash.locator('#how-accounts').textContent()).toContain('ds user create');
    await shot(dash, '1-login');
    await dash.getByLabel('Email', { exact: true }).fill(summary.email);
    await dash.getByLabel('Password', { exact: true }).fill(summary.password);
    await dash.getByRole('button', { name: 'Log in' }).click();
    // An admin of one organisation lands on its applications.
    await dash.waitForURL(/\/dashboard\/orgs\/demo$/);
    await dash.getByRole('heading', { level: 1 }).waitFor();
    await shot(dash, '2-applications');

    // 5. The page's origin is not known yet: the page says so.
    const app = await context.newPage();
    await app.goto(pageUrl);
    const out = app.locator('#out');
    await expect.poll(() => out.getAttribute('data-state'), { timeout: 20_000 }).toBe('failed');
    expect(await out.textContent()).toMatch(/^error: ORIGIN_NOT_ALLOWED: /);
    await shot(app, '3-page-before');

    // 6. Added in the dashboard: the demo organisation's legacy application (its pages take the
    // PIN themselves, as this page does; the "demo" application has the PIN typed on the
    // connector's page and asks for consent).
    await dash.locator('main').getByRole('link', { name: 'demo-legacy', exact: true }).first().click();
    await dash.waitForURL(/\/dashboard\/orgs\/demo\/apps\/demo-legacy$/);
    await dash.getByLabel(/Add origin/).fill(origin);
    await dash.getByRole('button', { name: 'Add origin' }).click();
    await expect.poll(() => dash.getByRole('status').textContent()).toBe('Origin added. Connectors allow it after their next sync.');
    const waiting = await dash.locator('#app-devices tbody tr').first().locator('td').allTextContents();
    expect(waiting[4]).toBe('no, at its next sync');
    expect(waiting[5]).toMatch(/UTC\s*in \d+ (s|min)$/); // the demo connector's 5 min cycle
    await shot(dash, '4-origin-added');

    // 7. No waiting for the cycle: `connector sync`.
    const synced = await run(process.execPath, [join(ROOT, 'connector/bin/connector.mjs'), 'sync', '--data-dir', connectorData], { cwd: ROOT });
    expect(synced.stdout).toMatch(/^synced with the DS at .*: origin list v\d+, \d+ usage records? acknowledged; next sync /);
    await dash.reload();
    expect((await dash.locator('#app-devices tbody tr').first().locator('td').allTextContents())[4]).toBe('yes');
    await shot(dash, '5-synced');

    // 8. The page works: identity, then a signature with the card's own algorithm.
    await app.reload();
    await expect.poll(() => out.getAttribute('data-state'), { timeout: 20_000 }).toBe('done');
    expect((await out.textContent())!.split('\n')).toEqual([
      expect.stringMatching(/^identity: .+ Specimen$/),
      'signature: RSA_PKCS1_SHA256, 256 bytes, certificate PEM',
    ]);
    await shot(app, '6-page-after');

    // 9. The fleet shows the connector's own cycle (its --ds.cycle 300).
    await dash.goto(`${summary.dashboardUrl}orgs/demo/devices`);
    const fleet = await dash.locator('#devices tbody tr').first().locator('td').allTextContents();
    expect(fleet[5]).toBe('5 min');
    await shot(dash, '7-fleet');
    await context.close();
  });
});
