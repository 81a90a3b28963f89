// Card sessions per application and tab, and the last-try guard across a restart, in a real
// Chromium (popup blocker on) against a real connector over HTTPS with the in-process virtual
// card (applet 1.7). Each application is the demo site served on an origin of its own; the
// checks "without a PIN" are requests the application's own page makes (its browser sets the
// Origin), with the tab's T1C-Session as its SDK sends it.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { materialDir, readPinState } from '@cardlink/virtual-card';
import { startTestConnector, type TestConnector } from '../../connector/test/helpers/test-connector.js';
import { launchTrustedChromium, type TrustedChromium } from './lib/browser.js';
import { ensureDemoBuilt, DEMO_DIST } from './lib/demo.js';
import { serveStatic, type StaticServer } from './lib/static-server.js';

type OriginEntry = NonNullable<NonNullable<Parameters<typeof startTestConnector>[0]>['origins']>[number];

const PIN = '1234';
const AUTHENTICATE = 'mutation($i: SignInput!) { authenticate(input: $i) { signature } }';
const VERIFY = 'mutation($i: VerifyPinInput!) { verifyPin(input: $i) { verified retriesLeft } }';

interface Gql {
  data?: Record<string, unknown> | null;
  errors?: { extensions?: { code?: string } }[];
}

let chrome: TrustedChromium;
let context: BrowserContext;
const sites: StaticServer[] = [];
const connectors: TestConnector[] = [];

/** The demo site on an origin of its own (another port). */
async function site(): Promise<string> {
  const s = await serveStatic(DEMO_DIST);
  sites.push(s);
  return `http://localhost:${s.port}`;
}

async function connector(origins: OriginEntry[], dataDir?: string): Promise<TestConnector> {
  const t = await startTestConnector({ virtualCard: '1.7', origins, ...(dataDir ? { dataDir } : {}) });
  connectors.push(t);
  return t;
}

let sessions: { t: TestConnector; a: string; b: string; legacy: string; noReuse: string };
let restart: { t: TestConnector; legacy: string; page: string; origins: OriginEntry[] };

beforeAll(async () => {
  ensureDemoBuilt();
  const [a, b, legacy, noReuse] = [await site(), await site(), await site(), await site()];
  sessions = {
    a, b, legacy, noReuse,
    t: await connector([
      { origin: a, label: 'app-a', pinEntry: 'CONNECTOR_PAGE', pinReuseMinutes: 5 },
      { origin: b, label: 'app-b', pinEntry: 'CONNECTOR_PAGE' },
      { origin: legacy, label: 'legacy', pinEntry: 'HOST_PAGE' },
      { origin: noReuse, label: 'app-no-reuse', pinEntry: 'CONNECTOR_PAGE', pinReuseMinutes: 0 },
    ]),
  };
  const [legacy2, page] = [await site(), await site()];
  const origins: OriginEntry[] = [
    { origin: legacy2, label: 'legacy', pinEntry: 'HOST_PAGE' },
    { origin: page, label: 'demo', pinEntry: 'CONNECTOR_PAGE' },
  ];
  restart = { t: await connector(origins), legacy: legacy2, page, origins };
  chrome = await launchTrustedChromium({
    // Each connector's CA stays in its data dir: the restarted one keeps it.
    caPems: [sessions.t.ca, restart.t.ca],
    // Playwright turns the popup blocker off by default; users have it on.
    launch: { ignoreDefaultArgs: ['--disable-popup-blocking'] },
  });
  context = await chrome.browser.newContext({ viewport: { width: 1100, height: 900 }, locale: 'en-GB' });
});

afterAll(async () => {
  await context?.close();
  await chrome?.close();
  for (const t of connectors) await t.close().catch(() => {});
  for (const s of sites) await s.close();
});

/** A demo page of `origin` on `t`; `session()` is the T1C-Session its SDK sends. */
async function hostPage(t: TestConnector, origin: string, page: string): Promise<{ p: Page; session: () => string }> {
  const p = await context.newPage();
  let session = '';
  p.on('request', (r) => {
    // The SDK's own id, fixed for the page load (the test's requests with another id come later).
    session ||= r.headers()['t1c-session'] ?? '';
  });
  await p.goto(`${origin}/?connector=https://localhost:${t.port}#/${page}`);
  return { p, session: () => session };
}

/** A GraphQL request made by the page's own JavaScript (its Origin, its tab's session). */
function fromPage(p: Page, t: TestConnector, query: string, input: Record<string, unknown>, session?: string): Promise<Gql> {
  return p.evaluate(async ({ url, body, session }) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (session) headers['T1C-Session'] = session;
    const res = await fetch(url, { method: 'POST', headers, body, credentials: 'omit' });
    return (await res.json()) as Gql;
  }, { url: `https://localhost:${t.port}/graphql`, body: JSON.stringify({ query, variables: { i: input } }), session });
}

const readerOf = async (t: TestConnector, origin: string): Promise<string> =>
  (await t.query('{ readers { id } }', undefined, { origin })).json.data.readers[0].id;

const authInput = (readerId: string) => ({ readerId, algorithm: 'RSA_PKCS1_SHA256', hash: Buffer.alloc(32, 0x5a).toString('base64') });
const codeOf = (r: Gql) => r.errors?.[0]?.extensions?.code;

async function clickForPopup(p: Page, button: string): Promise<Page> {
  const popupP = p.waitForEvent('popup');
  await p.getByRole('button', { name: button, exact: true }).click();
  const popup = await popupP;
  await popup.waitForLoadState();
  return popup;
}

/** Verify the PIN through the connector page opened by the demo's PIN page. */
async function verifyOnConnectorPage(p: Page): Promise<void> {
  await p.getByTestId('pin-on-connector').waitFor();
  const popup = await clickForPopup(p, 'Verify PIN');
  await popup.getByLabel('PIN', { exact: true }).fill(PIN);
  await popup.getByRole('button', { name: 'OK' }).click();
  await expect.poll(() => popup.isClosed(), { timeout: 10_000 }).toBe(true);
  await p.getByTestId('pin').getByTestId('verdict').waitFor();
  expect(await p.getByTestId('pin').getByTestId('verdict').textContent()).toBe('✓ PIN correct');
}

describe('a PIN verified for one application is not another\'s', () => {
  it('B gets PIN_REQUIRED and a popup of its own; A\'s tab reuses within pinReuseMinutes, never with 0', async () => {
    const { t, a, b, legacy, noReuse } = sessions;
    const reader = await readerOf(t, a);

    // A verifies the PIN in its popup; its own tab may then authenticate without a PIN.
    const pa = await hostPage(t, a, 'pin');
    await verifyOnConnectorPage(pa.p);
    expect(pa.session()).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    const reused = await fromPage(pa.p, t, AUTHENTICATE, authInput(reader), pa.session());
    expect(codeOf(reused)).toBeUndefined();
    expect((reused.data!.authenticate as { signature: string }).signature.length).toBeGreaterThan(300);
    // Another tab of A does not.
    expect(codeOf(await fromPage(pa.p, t, AUTHENTICATE, authInput(reader), 'another-tab-of-app-a'))).toBe('PIN_REQUIRED');

    // B (another origin and label) without a PIN: refused before the card is touched.
    const pb = await hostPage(t, b, 'authenticate');
    await expect.poll(() => pb.p.getByLabel('Algorithm').isEnabled()).toBe(true);
    expect(codeOf(await fromPage(pb.p, t, AUTHENTICATE, authInput(reader), pb.session()))).toBe('PIN_REQUIRED');
    // The legacy application (PIN typed in its page) sending none: the same.
    const pl = await hostPage(t, legacy, 'authenticate');
    await expect.poll(() => pl.p.getByLabel('Algorithm').isEnabled()).toBe(true);
    expect(codeOf(await fromPage(pl.p, t, AUTHENTICATE, authInput(reader), pl.session()))).toBe('PIN_REQUIRED');
    // Nothing above touched A's verified state: A's tab still reuses it.
    expect(codeOf(await fromPage(pa.p, t, AUTHENTICATE, authInput(reader), pa.session()))).toBeUndefined();

    // B's authenticate opens a popup of its own, naming B; B's PIN there signs.
    const popup = await clickForPopup(pb.p, 'Authenticate');
    const body = (await popup.locator('main').innerText()).replace(/\s+/g, ' ');
    expect(body).toContain(`Application app-b Website ${b}`);
    await popup.getByLabel('PIN', { exact: true }).fill(PIN);
    await popup.getByRole('button', { name: 'OK' }).click();
    await expect.poll(() => popup.isClosed(), { timeout: 10_000 }).toBe(true);
    const verdict = pb.p.getByTestId('authenticate').getByTestId('verdict');
    await verdict.waitFor();
    expect(await verdict.textContent()).toBe('✓ Authentication valid');
    // The card was reset for B: A's earlier verification is gone.
    expect(codeOf(await fromPage(pa.p, t, AUTHENTICATE, authInput(reader), pa.session()))).toBe('PIN_REQUIRED');
    expect(t.logs()).toContain('card security state reset');

    // pinReuseMinutes 0: even the tab that just verified must give the PIN again.
    const pn = await hostPage(t, noReuse, 'pin');
    await verifyOnConnectorPage(pn.p);
    expect(codeOf(await fromPage(pn.p, t, AUTHENTICATE, authInput(reader), pn.session()))).toBe('PIN_REQUIRED');

    const rows = t.c.db.prepare("SELECT label, result FROM transactions WHERE use_case = 'AUTHENTICATION' ORDER BY seq").all();
    expect(rows).toEqual([
      { label: 'app-a', result: 'OK' },
      { label: 'app-a', result: 'PIN_REQUIRED' },
      { label: 'app-b', result: 'PIN_REQUIRED' },
      { label: 'legacy', result: 'PIN_REQUIRED' },
      { label: 'app-a', result: 'OK' },
      { label: 'app-b', result: 'OK' },
      { label: 'app-a', result: 'PIN_REQUIRED' },
      { label: 'app-no-reuse', result: 'PIN_REQUIRED' },
    ]);
    for (const x of [pa, pb, pl, pn]) await x.p.close();
  });
});

describe('last-try guard across a restart', () => {
  it('two wrong PINs, restart, a third from the host page is refused and costs nothing; the connector page can spend it', async () => {
    const { legacy, page, origins } = restart;
    let t = restart.t;
    const dataDir = t.dataDir;
    const card = materialDir('1.7', join(dataDir, 'virtual-card'));
    expect(readPinState(card).triesLeft).toBe(3);
    let pl = await hostPage(t, legacy, 'pin');
    let reader = await readerOf(t, legacy);
    for (const left of [2, 1]) {
      const r = await fromPage(pl.p, t, VERIFY, { readerId: reader, pin: '000000' });
      expect(codeOf(r)).toBe('PIN_INCORRECT');
      expect(readPinState(card).triesLeft).toBe(left);
    }
    await pl.p.close();

    // Restart: a new process state, the same data dir (and the same card).
    await t.close();
    t = await connector(origins, dataDir);
    reader = await readerOf(t, legacy);
    pl = await hostPage(t, legacy, 'pin');
    await expect.poll(() => pl.p.getByRole('button', { name: 'Verify PIN' }).isEnabled()).toBe(true);
    const third = await fromPage(pl.p, t, VERIFY, { readerId: reader, pin: '000000' });
    expect(codeOf(third)).toBe('PIN_LAST_TRY_REFUSED');
    expect(readPinState(card).triesLeft).toBe(1);
    await pl.p.close();

    // On the connector page the user may spend it, explicitly (here with the right PIN).
    const pp = await hostPage(t, page, 'pin');
    await pp.p.getByTestId('pin-on-connector').waitFor();
    const popup = await clickForPopup(pp.p, 'Verify PIN');
    await popup.getByLabel('PIN', { exact: true }).fill(PIN);
    await popup.getByRole('button', { name: 'OK' }).click();
    expect(await popup.getByTestId('problem').textContent()).toBe('Only one try is left. Tick the box to use it.');
    expect(readPinState(card).triesLeft).toBe(1);
    await popup.getByLabel('PIN', { exact: true }).fill(PIN);
    await popup.getByRole('checkbox').check();
    await popup.getByRole('button', { name: 'OK' }).click();
    await expect.poll(() => popup.isClosed(), { timeout: 10_000 }).toBe(true);
    await pp.p.getByTestId('pin').getByTestId('verdict').waitFor();
    expect(await pp.p.getByTestId('pin').getByTestId('verdict').textContent()).toBe('✓ PIN correct');
    expect(readPinState(card).triesLeft).toBe(3);
    // One store across the restart: two wrong PINs, the refusal, the verification on the page.
    const rows = t.c.db.prepare("SELECT label, result FROM transactions WHERE use_case = 'PIN_VERIFICATION' ORDER BY seq").all();
    expect(rows).toEqual([
      { label: 'legacy', result: 'PIN_INCORRECT' },
      { label: 'legacy', result: 'PIN_INCORRECT' },
      { label: 'legacy', result: 'PIN_LAST_TRY_REFUSED' },
      { label: 'demo', result: 'OK' },
    ]);
    await pp.p.close();
  });
});
