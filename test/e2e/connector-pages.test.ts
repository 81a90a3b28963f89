// PIN entry and consent on the connector's own pages, in a real Chromium (popup blocker on)
// against a real connector over HTTPS with the in-process virtual card (applet 1.7). The demo
// site is the host page; its JavaScript is instrumented (fetch, XMLHttpRequest, postMessage,
// DOM events, storage) and must never see the PIN. Screenshots of the PIN, consent and settings
// pages in EN/FR/NL/DE go to artifacts/screenshots/.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { startTestConnector, type TestConnector } from '../../connector/test/helpers/test-connector.js';
import { launchTrustedChromium, type TrustedChromium } from './lib/browser.js';
import { connectorTrust, ensureDemoBuilt, DEMO_DIST, SCREENSHOTS } from './lib/demo.js';
import { serveStatic, type StaticServer } from './lib/static-server.js';

const PIN = '1234';
/** Set on the card through the connector page first: a PIN no hash or signature will contain by chance. */
const NEW_PIN = '73915846';
const LANGS = { en: 'en-GB', fr: 'fr-BE', nl: 'nl-BE', de: 'de-DE' } as const;

let site: StaticServer;
let origin: string;
let t: TestConnector;
let chrome: TrustedChromium;
let context: BrowserContext;
let own: string;

beforeAll(async () => {
  ensureDemoBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  site = await serveStatic(DEMO_DIST);
  origin = `http://localhost:${site.port}`;
  t = await startTestConnector({
    virtualCard: '1.7',
    origins: [{ origin, label: 'demo', pinEntry: 'CONNECTOR_PAGE', consent: 'ONCE_PER_ORIGIN' }],
  });
  own = `https://localhost:${t.port}`;
  chrome = await launchTrustedChromium({
    trust: (home) => void connectorTrust(t.dataDir, home),
    // Playwright turns the popup blocker off by default; users have it on.
    launch: { ignoreDefaultArgs: ['--disable-popup-blocking'] },
  });
  context = await chrome.browser.newContext({ viewport: { width: 1100, height: 900 }, locale: 'en-GB' });
});

afterAll(async () => {
  await context?.close();
  await chrome?.close();
  await t?.close();
  await site?.close();
});

/** Record every string the host page's JavaScript could get hold of. */
function instrument(): void {
  const seen: string[] = [];
  (window as unknown as { __seen: string[] }).__seen = seen;
  const note = (...v: unknown[]) => {
    for (const x of v) {
      try {
        seen.push(typeof x === 'string' ? x : JSON.stringify(x) ?? String(x));
      } catch {
        seen.push(String(x));
      }
    }
  };
  const realFetch = window.fetch;
  window.fetch = async (input, init) => {
    note(String(input instanceof Request ? input.url : input), init?.body ?? '');
    const res = await realFetch(input, init);
    res.clone().text().then((b) => note(b), () => {});
    return res;
  };
  const open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, ...a: unknown[]) {
    note(...a);
    this.addEventListener('load', () => note(this.responseText));
    return (open as (...x: unknown[]) => void).apply(this, a);
  };
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function (this: XMLHttpRequest, body) {
    note(body);
    return send.call(this, body);
  };
  const post = window.postMessage.bind(window);
  window.postMessage = ((m: unknown, ...rest: unknown[]) => {
    note(m);
    return (post as (...x: unknown[]) => void)(m, ...rest);
  }) as typeof window.postMessage;
  for (const type of ['message', 'keydown', 'keyup', 'keypress', 'input', 'beforeinput', 'change', 'paste', 'storage', 'focus', 'blur']) {
    window.addEventListener(type, (e) => {
      const ev = e as Event & { data?: unknown; key?: string; target: { value?: unknown } | null };
      note(type, ev.data ?? '', ev.key ?? '', ev.target?.value ?? '');
    }, true);
  }
}

async function hostPage(page: string): Promise<Page> {
  const p = await context.newPage();
  await p.addInitScript(instrument);
  await p.goto(`${origin}/?connector=${own}#/${page}`);
  return p;
}

const seenByHost = (p: Page) => p.evaluate(() => (window as unknown as { __seen: string[] }).__seen.join('\n') + document.documentElement.outerHTML + JSON.stringify(localStorage) + JSON.stringify(sessionStorage));
const shot = (p: Page, name: string) => p.screenshot({ path: join(SCREENSHOTS, name), fullPage: true });

/** Click `button` in the host page and get the connector page it opens. */
async function clickForPopup(p: Page, button: string): Promise<Page> {
  const popupP = p.waitForEvent('popup');
  await p.getByRole('button', { name: button, exact: true }).click();
  const popup = await popupP;
  await popup.waitForLoadState();
  return popup;
}

describe('PIN entry on the connector page', () => {
  it('changes the PIN on the connector page: the host page only learns "PIN changed"', async () => {
    const p = await hostPage('pin');
    await p.getByTestId('pin-on-connector').waitFor();
    const popup = await clickForPopup(p, 'Change the PIN');
    expect(popup.url()).toMatch(new RegExp(`^${own}/pin\\?op=[0-9a-f-]{36}$`));
    await popup.getByLabel('Current PIN').fill(PIN);
    await popup.getByLabel('New PIN', { exact: true }).fill(NEW_PIN);
    await popup.getByLabel('New PIN again').fill(NEW_PIN);
    await popup.getByRole('button', { name: 'OK' }).click();
    await expect.poll(() => popup.isClosed(), { timeout: 10_000 }).toBe(true);
    await p.getByTestId('change-pin').getByTestId('verdict').waitFor();
    expect(await p.getByTestId('change-pin').getByTestId('verdict').textContent()).toBe('✓ PIN changed');
    expect(await seenByHost(p)).not.toContain(NEW_PIN);
    const rows = t.c.db.prepare("SELECT label, result FROM transactions WHERE use_case = 'PIN_CHANGE'").all();
    expect(rows).toEqual([{ label: 'demo', result: 'OK' }]);
    await p.close();
  });

  it('signs with the PIN typed in the popup (a wrong one first): the signature verifies, the host never sees the PIN', async () => {
    const p = await hostPage('sign');
    await expect.poll(() => p.getByLabel('Algorithm').isEnabled()).toBe(true);
    expect(await p.getByLabel('PIN', { exact: true }).count()).toBe(0);
    await p.getByLabel('Text to sign').fill('I, Specimen, agree.');
    const popup = await clickForPopup(p, 'Sign');
    // What the user is shown: who asks, what for, on which card; the page-given values marked so.
    const body = (await popup.locator('main').innerText()).replace(/\s+/g, ' ');
    expect(body).toContain('Sign with your eID card (qualified signature)');
    expect(body).toContain(`Application demo Website ${origin}`);
    expect(body).toMatch(/Card reader Cardlink Virtual Reader \(in-process\) Card Belgian eID/);
    expect(body).toContain('Document text typed on the demo page (given by the website, not checked by the connector)');
    expect(await popup.getByTestId('digest').textContent()).toMatch(/^[0-9a-f]{64}$/);
    expect(body).toContain('PIN tries left');
    await popup.getByLabel('PIN', { exact: true }).fill('000000');
    await popup.getByRole('button', { name: 'OK' }).click();
    expect(await popup.getByTestId('problem').textContent()).toBe('Wrong PIN: 2 tries left.');
    expect((await popup.locator('main').innerText()).replace(/\s+/g, ' ')).toContain('PIN tries left 2');
    await popup.getByLabel('PIN', { exact: true }).fill(NEW_PIN);
    await popup.getByRole('button', { name: 'OK' }).click();
    await expect.poll(() => popup.isClosed(), { timeout: 10_000 }).toBe(true);
    const verdict = p.getByTestId('sign').getByTestId('verdict');
    await verdict.waitFor();
    expect(await verdict.textContent()).toBe('✓ Signature valid');
    const seen = await seenByHost(p);
    expect(seen).toContain('"operation"'); // the instrumentation saw the request...
    expect(seen).not.toContain(NEW_PIN); // ...never the PIN
    expect(seen).not.toContain('000000');
    await shot(p, 'connector-page-sign-done.png');
    await p.close();
  });

  it('Cancel in the popup, and closing it, give USER_CANCELLED; nothing is signed', async () => {
    const before = t.c.db.prepare("SELECT COUNT(*) AS n FROM transactions WHERE use_case = 'SIGNATURE' AND result = 'OK'").get();
    const p = await hostPage('sign');
    await expect.poll(() => p.getByLabel('Algorithm').isEnabled()).toBe(true);
    let popup = await clickForPopup(p, 'Sign');
    await popup.getByRole('button', { name: 'Cancel' }).click();
    const alert = p.getByTestId('sign').getByRole('alert');
    await alert.waitFor();
    expect(await alert.getAttribute('data-state')).toBe('user-cancelled');
    await expect.poll(() => popup.isClosed(), { timeout: 10_000 }).toBe(true);

    popup = await clickForPopup(p, 'Sign');
    await popup.close();
    await expect.poll(() => p.getByTestId('sign').getByRole('alert').getAttribute('data-state')).toBe('user-cancelled');
    await expect.poll(() => t.c.services.operations.size).toBe(0);
    expect(t.c.db.prepare("SELECT COUNT(*) AS n FROM transactions WHERE use_case = 'SIGNATURE' AND result = 'OK'").get()).toEqual(before);
    await p.close();
  });

  it('a call without a user gesture is POPUP_BLOCKED', async () => {
    const p = await hostPage('sign');
    await expect.poll(() => p.getByLabel('Algorithm').isEnabled()).toBe(true);
    // Submitted from a timer 6 s later, when no user activation is left (it lasts 5 s in Chromium): the browser blocks window.open.
    await p.getByRole('button', { name: 'Sign', exact: true }).evaluate((b) => void setTimeout(() => (b as HTMLButtonElement).form!.requestSubmit(), 6000));
    // Touch the page not at all meanwhile: every Playwright evaluation counts as a user gesture.
    await new Promise((r) => setTimeout(r, 7000));
    expect(p.context().pages()).toHaveLength(1);
    const alert = p.getByTestId('sign').getByRole('alert');
    expect(await alert.getAttribute('data-state')).toBe('popup-blocked');
    expect(await alert.textContent()).toContain('click again');
    await p.close();
  });

  it('the connector pages cannot be framed', async () => {
    const p = await hostPage('status');
    const refused: string[] = [];
    p.on('console', (m) => refused.push(m.text()));
    for (const path of ['/settings', `/pin?op=${randomUUID()}`]) {
      await p.evaluate((src) => new Promise<void>((resolve) => {
        const f = document.createElement('iframe');
        f.src = src;
        f.onload = () => resolve();
        document.body.append(f);
      }), `${own}${path}`);
    }
    const framed = p.frames().filter((f) => f !== p.mainFrame());
    expect(framed).toHaveLength(2);
    for (const f of framed) {
      // Blocked frames show Chromium's error page, never the connector's content.
      expect(f.url()).not.toContain('/settings');
      expect(await f.content().catch(() => '')).not.toContain('Cardlink connector');
    }
    expect(refused.join('\n')).toMatch(/frame-ancestors/);
    await p.close();
  });
});

describe('consent', () => {
  it('asked once, remembered, revoked on the settings page, then refused', async () => {
    const p = await hostPage('identity');
    let popup = await clickForPopup(p, 'Read the card');
    expect(popup.url()).toMatch(new RegExp(`^${own}/consent\\?op=`));
    expect(await popup.getByTestId('question').textContent()).toBe(`Allow demo (${origin}) to read your eID card?`);
    await popup.getByRole('button', { name: 'Allow' }).click();
    await p.getByTestId('name').waitFor();
    // Remembered: a second read opens nothing.
    let popups = 0;
    p.on('popup', () => popups++);
    await p.getByRole('button', { name: 'Read the card' }).click();
    await p.getByTestId('name').waitFor();
    await new Promise((r) => setTimeout(r, 500));
    expect(popups).toBe(0);

    // The settings page lists the application, its last use, the consent; "Forget" revokes it.
    const s = await context.newPage();
    await s.goto(`${own}/settings`);
    const row = s.locator(`tr[data-origin="${origin}"]`);
    expect(await row.locator('td[data-col="last-use"]').textContent()).toMatch(/UTC$/);
    expect(await row.locator('td[data-col="consent"]').textContent()).toMatch(/UTC$/);
    await shot(s, 'connector-settings-en.png');
    await row.getByRole('button', { name: 'Forget' }).click();
    expect(await s.getByTestId('settings-notice').textContent()).toBe(`Forgotten: ${origin}.`);
    expect(await s.locator(`tr[data-origin="${origin}"] td[data-col="consent"]`).textContent()).toBe('not given');
    await s.close();

    // Asked again; refused this time.
    popup = await clickForPopup(p, 'Read the card');
    await popup.getByRole('button', { name: 'Refuse' }).click();
    const alert = p.getByTestId('identity').getByRole('alert');
    await alert.waitFor();
    expect(await alert.getAttribute('data-state')).toBe('consent-refused');
    const rows = t.c.db.prepare("SELECT label, result FROM transactions WHERE use_case = 'CONSENT' ORDER BY seq").all();
    expect(rows).toEqual([{ label: 'demo', result: 'OK' }, { label: 'demo', result: 'CONSENT_REFUSED' }]);
    await p.close();
  });
});

describe('screenshots in four languages', () => {
  it('PIN, consent and settings pages in EN, FR, NL and DE', async () => {
    const reader = (await t.query('{ readers { id } }', undefined, { origin })).json.data.readers[0].id;
    for (const [lang, locale] of Object.entries(LANGS)) {
      const ctx = await chrome.browser.newContext({ viewport: { width: 560, height: 760 }, locale });
      const page = await ctx.newPage();
      for (const kind of ['pin', 'consent'] as const) {
        const op = randomUUID();
        const pending = kind === 'pin'
          ? t.query('mutation($i: SignInput!) { sign(input: $i) { signature } }', {
            i: { readerId: reader, algorithm: 'RSA_PKCS1_SHA256', hash: Buffer.alloc(32, 0xab).toString('base64'), operation: op, documentName: 'contract-2026.pdf' },
          }, { origin })
          : t.query('mutation($o: ID!) { requestConsent(operation: $o) { granted } }', { o: op }, { origin });
        await page.goto(`${own}/${kind}?op=${op}`);
        expect(await page.locator('html').getAttribute('lang')).toBe(lang);
        await shot(page, `connector-${kind}-${lang}.png`);
        await page.getByRole('button').nth(1).click(); // Cancel / Refuse
        expect((await pending).json.errors[0].extensions.code).toBe(kind === 'pin' ? 'USER_CANCELLED' : 'CONSENT_REFUSED');
      }
      await page.goto(`${own}/settings`);
      expect(await page.locator('html').getAttribute('lang')).toBe(lang);
      await shot(page, `connector-settings-${lang}.png`);
      await ctx.close();
    }
  });
});
