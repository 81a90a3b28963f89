// The SDK as an npm package: packed with `pnpm pack`, installed from the tarball into a fresh
// Vite app (offline), type-checked and built; the built page reads the identity and signs in
// Chromium against a real connector, on both applet profiles; the IIFE build works from a
// classic <script> through the global `Cardlink`.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startTestConnector, type TestConnector } from '../../connector/test/helpers/test-connector.js';
import { launchTrustedChromium, type TrustedChromium } from './lib/browser.js';
import { connectorTrust, SCREENSHOTS } from './lib/demo.js';
import { buildSdkApp, packSdk } from './lib/sdk-app.js';
import { SDK_PAGE_HTML, SDK_PAGE_MAIN } from './lib/sdk-page.js';
import { serveStatic, type StaticServer } from './lib/static-server.js';

let dir: string;
let tarball: string;
let site: StaticServer;
let origin: string;
const connectors: Record<'1.7' | '1.8', TestConnector> = {} as never;
let chrome: TrustedChromium;

const IIFE_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>script tag</title></head>
<body><pre id="out" data-state="working"></pre>
<script src="/cardlink-web-sdk.iife.js"></script>
<script>
  const out = document.getElementById('out');
  Cardlink.createConnector({ url: new URLSearchParams(location.search).get('connector') })
    .info()
    .then((i) => { out.textContent = 'connector ' + i.version + ' for ' + i.label; out.dataset.state = 'done'; })
    .catch((e) => { out.textContent = e.code + ': ' + e.message; out.dataset.state = 'failed'; });
</script></body></html>`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cardlink-sdk-pack-'));
  tarball = packSdk(dir);
  const app = join(dir, 'app');
  const dist = buildSdkApp(app, tarball, { 'index.html': SDK_PAGE_HTML, 'src/main.ts': SDK_PAGE_MAIN, 'public/iife.html': IIFE_PAGE });
  // The classic-script build, from the installed package (what a CDN would serve).
  cpSync(join(app, 'node_modules/@cardlink/web-sdk/dist/cardlink-web-sdk.iife.js'), join(dist, 'cardlink-web-sdk.iife.js'));
  site = await serveStatic(dist);
  origin = `http://localhost:${site.port}`;
  for (const profile of ['1.7', '1.8'] as const) connectors[profile] = await startTestConnector({ origins: [{ origin, label: 'my-app' }], virtualCard: profile });
  chrome = await launchTrustedChromium({
    trust: (home) => {
      for (const t of Object.values(connectors)) connectorTrust(t.dataDir, home);
    },
  });
}, 240_000);

afterAll(async () => {
  await chrome?.close();
  await Promise.all(Object.values(connectors).map((t) => t.close()));
  await site?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function result(page: Page): Promise<{ state: string; text: string }> {
  const out = page.locator('#out');
  await expect.poll(() => out.getAttribute('data-state'), { timeout: 20_000 }).not.toBe('working');
  return { state: (await out.getAttribute('data-state'))!, text: (await out.textContent())! };
}

describe('the packed SDK in a fresh Vite app', () => {
  it('is a real package: not private, ESM + types + IIFE in exports, no sources', () => {
    const manifest = JSON.parse(readFileSync(join(dir, 'app/node_modules/@cardlink/web-sdk/package.json'), 'utf8'));
    expect(manifest.private).toBeUndefined();
    expect(manifest.exports['.']).toEqual({ types: './dist/index.d.ts', import: './dist/index.js', default: './dist/index.js' });
    expect(manifest.exports['./iife']).toEqual({ default: './dist/cardlink-web-sdk.iife.js' });
    expect(JSON.stringify(manifest.exports)).not.toContain('src/');
    expect(manifest.files).toEqual(['dist', 'README.md']);
  });

  it.each(['1.7', '1.8'] as const)('reads the identity and signs with an algorithm the applet %s card offers', async (profile) => {
    const page = await chrome.browser.newPage();
    await page.goto(`${origin}/?connector=https://localhost:${connectors[profile].port}`);
    const r = await result(page);
    expect(r.state, r.text).toBe('done');
    const algorithm = profile === '1.7' ? 'RSA_PKCS1_SHA256' : 'ECDSA_SHA256';
    const size = profile === '1.7' ? 256 : 96; // RSA 2048; ECDSA P-384 raw r‖s
    expect(r.text).toBe(`identity: ${r.text.split('\n')[0]!.slice(10)}\nsignature: ${algorithm}, ${size} bytes, certificate PEM`);
    expect(r.text).toMatch(/^identity: .+ Specimen\n/);
    await page.screenshot({ path: join(SCREENSHOTS, `sdk-package-${profile}.png`) });
    await page.close();
  });

  it('works from a classic <script> through the IIFE build', async () => {
    const page = await chrome.browser.newPage();
    await page.goto(`${origin}/iife.html?connector=https://localhost:${connectors['1.7'].port}`);
    expect(await result(page)).toEqual({ state: 'done', text: expect.stringMatching(/^connector \d+\.\d+\.\d+ for my-app$/) });
    await page.close();
  });
});
