// Two connectors trusted at once with `connector trust` in one browser's NSS database, then
// one untrusted with `connector untrust`: a page reaches both, then only the one still trusted.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestConnector, type TestConnector } from '../../connector/test/helpers/test-connector.js';
import { createNssHome, launchTrustedChromium, type TrustedChromium } from './lib/browser.js';
import { connectorTrust, ROOT } from './lib/demo.js';
import { serveStatic, type StaticServer } from './lib/static-server.js';

let site: StaticServer;
let siteDir: string;
let origin: string;
let a: TestConnector;
let b: TestConnector;
let home: string;

const untrust = (dataDir: string) =>
  execFileSync(process.execPath, [join(ROOT, 'connector/bin/connector.mjs'), 'untrust', '--data-dir', dataDir], {
    env: { ...process.env, HOME: home },
    encoding: 'utf8',
  });

/** From a page of the allowed origin, ask each connector for its version; a TLS failure is a TypeError. */
async function reach(chrome: TrustedChromium, ports: number[]): Promise<string[]> {
  const page = await chrome.browser.newPage();
  await page.goto(`${origin}/`);
  const results = await page.evaluate(
    (ps) =>
      Promise.all(
        ps.map((p) =>
          fetch(`https://localhost:${p}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: '{ info { version } }' }),
          }).then(
            async (r) => `ok ${(await r.json()).data.info.version}`,
            (e: Error) => `failed ${e.name}`,
          ),
        ),
      ),
    ports,
  );
  await page.close();
  return results;
}

beforeAll(async () => {
  siteDir = mkdtempSync(join(tmpdir(), 'cardlink-trust-site-'));
  writeFileSync(join(siteDir, 'index.html'), '<!doctype html><title>trust</title><p>two connectors</p>');
  site = await serveStatic(siteDir);
  origin = `http://localhost:${site.port}`;
  const start = () => startTestConnector({ origins: [{ origin, label: 'trust' }] });
  [a, b] = await Promise.all([start(), start()]);
  home = createNssHome().home;
});

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await site?.close();
  rmSync(siteDir, { recursive: true, force: true });
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('connector trust / untrust with two connectors in one browser', () => {
  it('both trusted: the page reaches both; one untrusted: only the other', async () => {
    const outA = connectorTrust(a.dataDir, home);
    const outB = connectorTrust(b.dataDir, home);
    for (const out of [outA, outB]) expect(out).toMatch(/trusted in NSS database .*\.pki\/nssdb \(Chromium\)/);
    const nick = (out: string) => /NSS nickname: (.+)/.exec(out)![1];
    expect(nick(outA)).not.toBe(nick(outB));

    let chrome = await launchTrustedChromium({ home });
    try {
      expect(await reach(chrome, [a.port, b.port])).toEqual(['ok 0.1.0', 'ok 0.1.0']);
    } finally {
      await chrome.close();
    }

    expect(untrust(a.dataDir)).toMatch(/removed from NSS database .*\.pki\/nssdb \(Chromium\)/);
    // Browsers read NSS at start: restart, as the command tells the user.
    chrome = await launchTrustedChromium({ home });
    try {
      expect(await reach(chrome, [a.port, b.port])).toEqual(['failed TypeError', 'ok 0.1.0']);
    } finally {
      await chrome.close();
    }
  });
});
