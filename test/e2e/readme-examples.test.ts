// The READMEs' browser examples, extracted from the Markdown and run as written in Chromium
// against connectors with the demo card on both applet profiles (1.7: RSA, 1.8: ECDSA). Only
// the connector's address is changed (the examples use the default port).
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestConnector, type TestConnector } from '../../connector/test/helpers/test-connector.js';
import { launchTrustedChromium, type TrustedChromium } from './lib/browser.js';
import { connectorTrust, ROOT, SCREENSHOTS } from './lib/demo.js';
import { serveStatic, type StaticServer } from './lib/static-server.js';

const DEFAULT_URL = 'https://localhost:51983';

/** The fenced block of `lang` that follows `after` in a Markdown file, dedented. */
function codeBlock(file: string, after: string, lang: string): string {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const at = text.indexOf(after);
  if (at < 0) throw new Error(`${file}: no "${after}"`);
  const m = new RegExp('^( *)```' + lang + '\\n([\\s\\S]*?)^\\1```', 'm').exec(text.slice(at));
  if (!m) throw new Error(`${file}: no \`\`\`${lang} block after "${after}"`);
  const indent = m[1]!.length;
  return m[2]!
    .split('\n')
    .map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length)))
    .join('\n');
}

let dir: string;
let site: StaticServer;
let origin: string;
const connectors: Record<'1.7' | '1.8', TestConnector> = {} as never;
let chrome: TrustedChromium;
const sdkExample = codeBlock('web-sdk/README.md', '## Copy-paste example', 'html');
const fetchExample = codeBlock('README.md', 'From the page, POST GraphQL', 'js');

beforeAll(async () => {
  execFileSync('pnpm', ['--filter', '@cardlink/web-sdk', 'run', 'build'], { cwd: ROOT, stdio: 'pipe' });
  dir = mkdtempSync(join(tmpdir(), 'cardlink-readme-'));
  copyFileSync(join(ROOT, 'web-sdk/dist/cardlink-web-sdk.min.js'), join(dir, 'cardlink-web-sdk.min.js'));
  site = await serveStatic(dir);
  origin = `http://localhost:${site.port}`;
  for (const profile of ['1.7', '1.8'] as const) connectors[profile] = await startTestConnector({ origins: [{ origin, label: 'readme' }], virtualCard: profile });
  for (const [profile, t] of Object.entries(connectors)) {
    // The example as written, pointed at this connector.
    expect(sdkExample.split("createConnector({ tag: 'onboarding' })")).toHaveLength(2);
    writeFileSync(join(dir, `sdk-${profile}.html`), sdkExample.replace("createConnector({ tag: 'onboarding' })", `createConnector({ url: 'https://localhost:${t.port}', tag: 'onboarding' })`));
  }
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>readme</title>');
  chrome = await launchTrustedChromium({
    trust: (home) => {
      for (const t of Object.values(connectors)) connectorTrust(t.dataDir, home);
    },
  });
}, 180_000);

afterAll(async () => {
  await chrome?.close();
  await Promise.all(Object.values(connectors).map((t) => t.close()));
  await site?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.each([
  ['1.7', 'RSA_PKCS1_SHA256'],
  ['1.8', 'ECDSA_SHA256'],
] as const)('with the demo card, applet %s', (profile, algorithm) => {
  it("web-sdk README's copy-paste example: identity, then a signature with the card's own algorithm", async () => {
    const page = await chrome.browser.newPage();
    const prompts: string[] = [];
    page.on('dialog', (d) => {
      prompts.push(d.message());
      void d.accept('1234');
    });
    await page.goto(`${origin}/sdk-${profile}.html`);
    const out = page.locator('#out');
    await expect.poll(() => out.textContent(), { timeout: 20_000 }).toContain('\n');
    const lines = (await out.textContent())!.split('\n');
    expect(lines[0]).toMatch(/^.+ Specimen, .+; integrity \{.*\}$/);
    expect(JSON.parse(lines[0]!.replace(/^.*; integrity /, ''))).toMatchObject({ identity: true, address: true, photo: true });
    expect(lines[1]).toMatch(new RegExp(`^signed with ${algorithm}: [A-Za-z0-9+/]{16}…$`));
    expect(lines).toHaveLength(2);
    expect(prompts).toEqual(['PIN']);
    expect(await page.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, `readme-sdk-example-${profile}.png`) });
    await page.close();
  });

  it("README's fetch example: info and the readers with the card", async () => {
    const page = await chrome.browser.newPage();
    await page.goto(`${origin}/`);
    expect(fetchExample).toContain(DEFAULT_URL);
    const code = fetchExample.replace(DEFAULT_URL, `https://localhost:${connectors[profile].port}`);
    const result = await page.evaluate(`(async () => { ${code}; return { data, errors }; })()`);
    expect(result).toEqual({
      data: {
        info: { version: expect.stringMatching(/^\d+\.\d+\.\d+/) },
        readers: [{ id: expect.any(String), name: 'Cardlink Virtual Reader (in-process)', card: { atr: expect.stringMatching(/^[0-9A-F]+$/), module: 'BEID' } }],
      },
    });
    await page.close();
  });
});
