// The demo on a phone-sized screen (390 px): every page, with its results shown, fits the width
// (no sideways scrolling of the page; wide tables and long values scroll or wrap in place).
// Screenshots: artifacts/screenshots/demo-<page>-390.png.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { writeFileTypes } from '../../connector/src/files/file-types.js';
import { startTestConnector, type TestConnector } from '../../connector/test/helpers/test-connector.js';
import { launchTrustedChromium, type TrustedChromium } from './lib/browser.js';
import { connectorTrust, ensureDemoBuilt, DEMO_DIST, SCREENSHOTS } from './lib/demo.js';
import { serveStatic, type StaticServer } from './lib/static-server.js';

const WIDTH = 390;
let site: StaticServer;
let origin: string;
let t: TestConnector;
let chrome: TrustedChromium;
let context: BrowserContext;
let folder: string;

beforeAll(async () => {
  ensureDemoBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  site = await serveStatic(DEMO_DIST);
  origin = `http://localhost:${site.port}`;
  t = await startTestConnector({ origins: [{ origin, label: 'demo' }], virtualCard: '1.7' });
  // A shared folder with a long file name, so the Files page lists something wide.
  folder = mkdtempSync(join(tmpdir(), 'cardlink-narrow-'));
  writeFileSync(join(folder, 'quarterly-report-of-the-finance-department-2026-final-version.pdf'), 'x'.repeat(12_345));
  writeFileTypes(t.dataDir, [{ name: 'documents', folder, labels: ['demo'], maxSize: 1024 * 1024 }]);
  chrome = await launchTrustedChromium({ trust: (home) => void connectorTrust(t.dataDir, home) });
  context = await chrome.browser.newContext({ viewport: { width: WIDTH, height: 844 } });
});

afterAll(async () => {
  await context?.close();
  await chrome?.close();
  await t?.close();
  await site?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

/** The page's width against the screen's, and what sticks out (for the failure message). */
const width = (p: Page) =>
  p.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    inner: innerWidth,
    out: Array.from(document.querySelectorAll('body *'))
      .filter((e) => e.getBoundingClientRect().right > innerWidth + 0.5)
      .slice(0, 6)
      .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`),
  }));

/** Each page, and what to do on it so its results (the widest content) are on screen. */
const PAGES: [string, (p: Page) => Promise<void>][] = [
  ['status', (p) => p.getByTestId('readers').waitFor()],
  ['identity', async (p) => {
    await p.getByRole('button', { name: 'Read the card' }).click();
    await p.getByTestId('integrity').waitFor();
  }],
  ['certificates', async (p) => {
    await p.getByRole('button', { name: 'Read the certificates' }).click();
    await p.locator('article.certificate').first().waitFor();
  }],
  ['pin', (p) => p.getByRole('button', { name: 'Verify PIN' }).waitFor()],
  ['sign', async (p) => {
    await expect.poll(() => p.getByLabel('Algorithm').isEnabled()).toBe(true);
    await p.getByLabel('Text to sign').fill('I, Specimen, agree.');
    await p.getByLabel('PIN', { exact: true }).fill('1234');
    await p.getByRole('button', { name: 'Sign', exact: true }).click();
    await p.getByTestId('sign').getByTestId('verdict').waitFor();
    await p.getByTestId('sign').locator('summary').click(); // the signature itself, opened
  }],
  ['authenticate', async (p) => {
    await expect.poll(() => p.getByLabel('Algorithm').isEnabled()).toBe(true);
    await p.getByLabel('PIN', { exact: true }).fill('1234');
    await p.getByRole('button', { name: 'Authenticate', exact: true }).click();
    await p.getByTestId('authenticate').getByTestId('verdict').waitFor();
  }],
  ['files', (p) => p.getByTestId('files-table').waitFor()],
  ['print', (p) => p.getByRole('heading', { level: 1 }).waitFor()],
  ['usage', (p) => p.getByTestId('total').waitFor()],
];

describe(`the demo at ${WIDTH} px`, () => {
  it.each(PAGES)('%s fits the screen', async (name, act) => {
    const p = await context.newPage();
    try {
      await p.goto(`${origin}/?connector=https://localhost:${t.port}#/${name}`);
      await expect.poll(() => p.locator('#connection').textContent()).toMatch(/^Connector /);
      await act(p);
      const w = await width(p);
      expect(w.scroll, `${name}: ${w.out.join(', ')}`).toBeLessThanOrEqual(w.inner);
      expect(w.inner).toBe(WIDTH);
      await p.screenshot({ path: join(SCREENSHOTS, `demo-${name}-${WIDTH}.png`), fullPage: true });
    } finally {
      await p.close();
    }
  });
});
