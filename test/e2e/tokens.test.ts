// The demo's Tokens page in a real Chromium against a real connector over HTTPS (its CA
// trusted with `connector trust`) and a real SoftHSM2 token made by the test: the token and
// its certificates listed, signatures made by the token and verified by the page with
// WebCrypto, the PIN typed in the connector's popup (a wrong one first) while the host page,
// instrumented, never sees it, the legacy flow (PIN typed on the host page) for a host-page
// application, and a broken library told apart. Screenshots go to artifacts/screenshots/.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { startTestConnector, type TestConnector } from '../../connector/test/helpers/test-connector.js';
import { createSoftHsmToken, SOFTHSM_LIB, type SoftHsmToken } from '../../connector/test/helpers/softhsm-token.js';
import { writeConfiguredLibraries } from '../../connector/src/card/modules/pkcs11/libraries.js';
import { launchTrustedChromium, type TrustedChromium } from './lib/browser.js';
import { connectorTrust, ensureDemoBuilt, DEMO_DIST, SCREENSHOTS } from './lib/demo.js';
import { serveStatic, type StaticServer } from './lib/static-server.js';
import { instrument, seenByHost } from './lib/host-instrument.js';

// Distinctive, so that finding it in what the host page saw cannot be chance.
const TOKEN_PIN = 'Tok3n-PIN-q7Zx';
const WRONG_PIN = 'Wr0ng-PIN-k2Vb';

let site: StaticServer;
/** The demo application (PIN typed on the connector page) and, on 127.0.0.1, its legacy twin (PIN typed on the page). */
let origin: string;
let legacyOrigin: string;
let token: SoftHsmToken;
let t: TestConnector;
let chrome: TrustedChromium;
let context: BrowserContext;

const shot = (p: Page, name: string) => p.screenshot({ path: join(SCREENSHOTS, name), fullPage: true });

async function openTokens(on = origin): Promise<Page> {
  const p = await context.newPage();
  await p.addInitScript(instrument);
  await p.goto(`${on}/?connector=https://localhost:${t.port}#/tokens`);
  await p.getByTestId('token-certificate').first().waitFor();
  return p;
}

async function choose(p: Page, keyLabel: string, algorithm: string): Promise<void> {
  const cert = p.getByLabel('Certificate (its key signs)');
  const option = cert.locator('option', { hasText: keyLabel });
  await cert.selectOption(await option.getAttribute('value'));
  await p.getByLabel('Algorithm').selectOption(algorithm);
}

const outcome = (p: Page) => p.getByTestId('token-sign').locator('[data-testid=verdict], .notice').first().waitFor();

/** Sign on the connector page: click, type the PIN in the popup, wait for the verdict. */
async function signInPopup(p: Page, keyLabel: string, algorithm: string): Promise<void> {
  await choose(p, keyLabel, algorithm);
  const popupP = p.waitForEvent('popup');
  await p.getByRole('button', { name: 'Sign with the token' }).click();
  const popup = await popupP;
  await popup.waitForLoadState();
  await popup.getByLabel('PIN', { exact: true }).fill(TOKEN_PIN);
  await popup.getByRole('button', { name: 'OK' }).click();
  await expect.poll(() => popup.isClosed(), { timeout: 10_000 }).toBe(true);
  await outcome(p);
}

beforeAll(async () => {
  ensureDemoBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  token = createSoftHsmToken('demo-token', TOKEN_PIN);
  // The connector runs in this process: its library hosts inherit the token's configuration.
  process.env.SOFTHSM2_CONF = token.conf;
  site = await serveStatic(DEMO_DIST);
  origin = `http://localhost:${site.port}`;
  legacyOrigin = `http://127.0.0.1:${site.port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'cardlink-e2e-tokens-'));
  writeConfiguredLibraries(dataDir, [
    { name: 'softhsm', path: SOFTHSM_LIB },
    { name: 'vendor', path: join(dataDir, 'no-such-library.so') },
  ], ['opensc', 'softhsm2']);
  t = await startTestConnector({
    dataDir,
    origins: [{ origin, label: 'demo', pinEntry: 'CONNECTOR_PAGE' }, { origin: legacyOrigin, label: 'demo-legacy', pinEntry: 'HOST_PAGE' }],
    virtualCard: '1.7',
  });
  chrome = await launchTrustedChromium({
    trust: (home) => expect(connectorTrust(t.dataDir, home)).toMatch(/trusted in NSS database/),
  });
  context = await chrome.browser.newContext({ viewport: { width: 1200, height: 900 } });
});

afterAll(async () => {
  await context?.close();
  await chrome?.close();
  await t?.close();
  await site?.close();
  token?.remove();
});

describe('Tokens page (SoftHSM2)', () => {
  it('lists the token, its certificates, and the library that does not work', async () => {
    const p = await openTokens();
    const options = await p.getByLabel(/^Token \(1 found\)$/).locator('option').allTextContents();
    expect(options).toEqual(['demo-token — SoftHSM project SoftHSM v2 (softhsm)']);
    const certs = p.getByTestId('token-certificate');
    expect(await certs.count()).toBe(2);
    const ec = p.locator(`[data-testid=token-certificate][data-key-id="${token.ec.id}"]`);
    expect(await ec.locator('dt:text-is("Subject") + dd').textContent()).toBe('CN=Cardlink EC test');
    expect(await ec.locator('dt:text-is("Key") + dd').textContent()).toBe('EC-P256');
    const rsa = p.locator(`[data-testid=token-certificate][data-key-id="${token.rsa.id}"]`);
    expect(await rsa.locator('dt:text-is("Key") + dd').textContent()).toBe('RSA-2048');
    const problem = p.locator('[data-state=library-error]');
    expect(await problem.textContent()).toContain('vendor (PKCS11_LIBRARY_ERROR)');
    await shot(p, 'tokens-list.png');
    await p.close();
  });

  it('signs with the PIN typed in the connector popup (EC P-256, RSA PKCS#1 v1.5 and PSS; a wrong PIN first): WebCrypto verifies each, the host page never sees the PIN', async () => {
    const p = await openTokens();
    expect(await p.getByTestId('pin-on-connector').count()).toBe(1);
    expect(await p.getByLabel('Token PIN').count()).toBe(0);

    // The first signature shows what the popup tells the user, and a wrong PIN retried there.
    await choose(p, 'Cardlink EC test', 'ECDSA_SHA256');
    const popupP = p.waitForEvent('popup');
    await p.getByRole('button', { name: 'Sign with the token' }).click();
    const popup = await popupP;
    await popup.waitForLoadState();
    expect(popup.url()).toMatch(new RegExp(`^https://localhost:${t.port}/pin\\?op=[0-9a-f-]{36}$`));
    const body = (await popup.locator('main').innerText()).replace(/\s+/g, ' ');
    expect(body).toContain('Sign with your token’s key');
    expect(body).toContain(`Application demo Website ${origin}`);
    expect(body).toContain('Token demo-token (SoftHSM project SoftHSM v2)');
    expect(body).toContain('Document text typed on the demo page (given by the website, not checked by the connector)');
    expect(await popup.getByTestId('digest').textContent()).toMatch(/^[0-9a-f]{64}$/);
    await popup.getByLabel('PIN', { exact: true }).fill(WRONG_PIN);
    await popup.getByRole('button', { name: 'OK' }).click();
    expect(await popup.getByTestId('problem').textContent()).toBe('Wrong PIN. The token does not tell how many tries are left.');
    await popup.screenshot({ path: join(SCREENSHOTS, 'tokens-connector-page-wrong-pin.png'), fullPage: true });
    await popup.getByLabel('PIN', { exact: true }).fill(TOKEN_PIN);
    await popup.getByRole('button', { name: 'OK' }).click();
    await expect.poll(() => popup.isClosed(), { timeout: 10_000 }).toBe(true);
    await outcome(p);
    expect((await p.getByTestId('verdict').textContent())?.trim()).toBe('✓ Signature valid');

    for (const alg of ['RSA_PKCS1_SHA256', 'RSA_PSS_SHA384']) {
      await signInPopup(p, 'Cardlink RSA test', alg);
      expect([alg, (await p.getByTestId('verdict').textContent())?.trim()]).toEqual([alg, '✓ Signature valid']);
    }
    const seen = await seenByHost(p);
    expect(seen).toContain('"operation"'); // the instrumentation saw the requests...
    expect(seen).toContain('tokenSign');
    expect(seen).not.toContain(TOKEN_PIN); // ...never the PIN
    expect(seen).not.toContain(WRONG_PIN);
    const rows = t.c.db.prepare("SELECT label, use_case AS useCase, module, result FROM transactions WHERE module = 'PKCS11'").all();
    expect(rows).toEqual(Array(3).fill({ label: 'demo', useCase: 'SIGNATURE', module: 'PKCS11', result: 'OK' }));
    await shot(p, 'tokens-signed.png');
    await p.close();
  });

  it('cancel in the popup is USER_CANCELLED and signs nothing', async () => {
    const p = await openTokens();
    await choose(p, 'Cardlink EC test', 'ECDSA_SHA256');
    const popupP = p.waitForEvent('popup');
    await p.getByRole('button', { name: 'Sign with the token' }).click();
    const popup = await popupP;
    await popup.waitForLoadState();
    await popup.getByRole('button', { name: 'Cancel' }).click();
    await outcome(p);
    expect(await p.getByTestId('token-sign').locator('[data-state=user-cancelled]').count()).toBe(1);
    expect(await p.getByTestId('verdict').count()).toBe(0);
    // The popup closes itself (900 ms after the answer): wait for it, or the next test counts it.
    await expect.poll(() => popup.isClosed(), { timeout: 10_000 }).toBe(true);
    await p.close();
  });

  it('a legacy (host-page) application still types the PIN on its page: a wrong PIN shows the wrong-PIN state, the right one signs', async () => {
    const p = await openTokens(legacyOrigin);
    await choose(p, 'Cardlink EC test', 'ECDSA_SHA256');
    await p.getByLabel('Token PIN').fill(WRONG_PIN);
    await p.getByRole('button', { name: 'Sign with the token' }).click();
    await outcome(p);
    expect(await p.getByTestId('token-sign').locator('[data-state=pin-incorrect]').count()).toBe(1);
    expect(await p.getByTestId('verdict').count()).toBe(0);
    await shot(p, 'tokens-wrong-pin.png');
    await p.getByLabel('Token PIN').fill(TOKEN_PIN);
    await p.getByRole('button', { name: 'Sign with the token' }).click();
    await p.getByTestId('verdict').waitFor();
    expect((await p.getByTestId('verdict').textContent())?.trim()).toBe('✓ Signature valid');
    // The PIN field is emptied after each use.
    expect(await p.getByLabel('Token PIN').inputValue()).toBe('');
    expect(context.pages()).toHaveLength(1);
    await p.close();
  });
});
