// The demo's Tokens page in a real Chromium against a real connector over HTTPS (its CA
// trusted with `connector trust`) and a real SoftHSM2 token made by the test: the token and
// its certificates listed, signatures made by the token and verified by the page with
// WebCrypto, a wrong PIN, and a broken library told apart. Screenshots go to artifacts/screenshots/.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { startTestConnector, type TestConnector } from '../../connector/test/helpers/test-connector.js';
import { createSoftHsmToken, SOFTHSM_LIB, USER_PIN, type SoftHsmToken } from '../../connector/test/helpers/softhsm-token.js';
import { writeConfiguredLibraries } from '../../connector/src/card/modules/pkcs11/libraries.js';
import { launchTrustedChromium, type TrustedChromium } from './lib/browser.js';
import { connectorTrust, ensureDemoBuilt, DEMO_DIST, SCREENSHOTS } from './lib/demo.js';
import { serveStatic, type StaticServer } from './lib/static-server.js';

let site: StaticServer;
let origin: string;
let token: SoftHsmToken;
let t: TestConnector;
let chrome: TrustedChromium;
let context: BrowserContext;

const shot = (p: Page, name: string) => p.screenshot({ path: join(SCREENSHOTS, name), fullPage: true });

async function openTokens(): Promise<Page> {
  const p = await context.newPage();
  await p.goto(`${origin}/?connector=https://localhost:${t.port}#/tokens`);
  await p.getByTestId('token-certificate').first().waitFor();
  return p;
}

async function sign(p: Page, keyLabel: string, algorithm: string, pin: string): Promise<void> {
  const cert = p.getByLabel('Certificate (its key signs)');
  const option = cert.locator('option', { hasText: keyLabel });
  await cert.selectOption(await option.getAttribute('value'));
  await p.getByLabel('Algorithm').selectOption(algorithm);
  await p.getByLabel('Token PIN').fill(pin);
  await p.getByRole('button', { name: 'Sign with the token' }).click();
  await p.getByTestId('token-sign').locator('[data-testid=verdict], .notice').first().waitFor();
}

beforeAll(async () => {
  ensureDemoBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  token = createSoftHsmToken('demo-token');
  // The connector runs in this process: its library hosts inherit the token's configuration.
  process.env.SOFTHSM2_CONF = token.conf;
  site = await serveStatic(DEMO_DIST);
  origin = `http://localhost:${site.port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'cardlink-e2e-tokens-'));
  writeConfiguredLibraries(dataDir, [
    { name: 'softhsm', path: SOFTHSM_LIB },
    { name: 'vendor', path: join(dataDir, 'no-such-library.so') },
  ], ['opensc', 'softhsm2']);
  t = await startTestConnector({ dataDir, origins: [{ origin, label: 'demo' }], virtualCard: '1.7' });
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

  it('signs with the EC key (ECDSA P-256) and with the RSA key (PKCS#1 v1.5 and PSS); WebCrypto in the page verifies each', async () => {
    const p = await openTokens();
    for (const [key, alg] of [['ec', 'ECDSA_SHA256'], ['rsa', 'RSA_PKCS1_SHA256'], ['rsa', 'RSA_PSS_SHA384']] as const) {
      await sign(p, key === 'ec' ? 'Cardlink EC test' : 'Cardlink RSA test', alg, USER_PIN);
      expect([alg, (await p.getByTestId('verdict').textContent())?.trim()]).toEqual([alg, '✓ Signature valid']);
      // The PIN field is emptied after each use.
      expect(await p.getByLabel('Token PIN').inputValue()).toBe('');
    }
    await shot(p, 'tokens-signed.png');
    await p.close();
  });

  it('a wrong PIN shows the wrong-PIN state and signs nothing', async () => {
    const p = await openTokens();
    await sign(p, 'Cardlink EC test', 'ECDSA_SHA256', '999999');
    expect(await p.getByTestId('token-sign').locator('[data-state=pin-incorrect]').count()).toBe(1);
    expect(await p.getByTestId('verdict').count()).toBe(0);
    await shot(p, 'tokens-wrong-pin.png');
    await p.close();
  });
});
