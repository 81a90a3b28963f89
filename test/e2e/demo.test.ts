// The demo site in a real Chromium against real connectors over HTTPS, its CA trusted with
// `connector trust` in the browser's NSS database. Every use case is clicked through and
// checked on what the page shows; screenshots go to artifacts/screenshots/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { startTestConnector, type TestConnector } from '../../connector/test/helpers/test-connector.js';
import { insertCard, READER_NAMES } from '../../connector/test/helpers/virtual-reader.js';
import { launchTrustedChromium, type TrustedChromium } from './lib/browser.js';
import { closedPort, connectorTrust, ensureDemoBuilt, DEMO_DIST, SCREENSHOTS } from './lib/demo.js';
import { serveStatic, type StaticServer } from './lib/static-server.js';
import { listening, requireService } from '../lib/require-service.js';

const PIN = '1234';
const LABEL = 'demo';

let site: StaticServer;
let origin: string;
let t17: TestConnector;
let chrome: TrustedChromium;
let context: BrowserContext;

const url = (t: TestConnector | number, page = '', pageOrigin = origin) =>
  `${pageOrigin}/?connector=https://localhost:${typeof t === 'number' ? t : t.port}#/${page}`;

async function open(t: TestConnector | number, page = '', pageOrigin = origin): Promise<Page> {
  const p = await context.newPage();
  await p.goto(url(t, page, pageOrigin));
  return p;
}

const shot = (p: Page, name: string) => p.screenshot({ path: join(SCREENSHOTS, name), fullPage: true });

/** Count the reader-event subscribers the connector holds (to know the page's stream is live). */
function subscriberCount(t: TestConnector): () => number {
  const readers = t.c.services.readers as unknown as { subscribe(l: (e: unknown) => void): () => void };
  const original = readers.subscribe.bind(readers);
  let n = 0;
  readers.subscribe = (l) => {
    n++;
    const off = original(l);
    return () => {
      n--;
      off();
    };
  };
  return () => n;
}

async function until(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  ensureDemoBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  site = await serveStatic(DEMO_DIST);
  origin = `http://localhost:${site.port}`;
  t17 = await startTestConnector({ origins: [{ origin, label: LABEL }], virtualCard: '1.7' });
  chrome = await launchTrustedChromium({
    trust: (home) => expect(connectorTrust(t17.dataDir, home)).toMatch(/trusted in NSS database .*\.pki\/nssdb/),
  });
  context = await chrome.browser.newContext({ viewport: { width: 1200, height: 900 } });
});

afterAll(async () => {
  await context?.close();
  await chrome?.close();
  await t17?.close();
  await site?.close();
});

const text = async (p: Page, testId: string) => ((await p.getByTestId(testId).textContent()) ?? '').replace(/\s+/g, ' ').trim();
/** The value next to a term in a definition list. */
const term = (p: Page, scope: string, name: string) => p.getByTestId(scope).locator(`dt:text-is("${name}") + dd`).textContent();

/** Read one usage count from the usage page (0 when the row is absent), and the total. */
async function usage(t: TestConnector): Promise<{ count: (useCase: string, tag: string) => number; total: number }> {
  const p = await open(t, 'usage');
  await p.getByTestId('total').waitFor();
  const total = Number(await p.getByTestId('total').textContent());
  const rows = await p.locator('[data-testid=usage-table] tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [tr.getAttribute('data-use-case'), tr.getAttribute('data-tag'), Number(tr.lastElementChild?.textContent)] as const),
  );
  await p.close();
  return { total, count: (u, tag) => rows.find(([a, b]) => a === u && b === tag)?.[2] ?? 0 };
}

describe('the demo against a connector with an applet 1.7 (RSA) card', () => {
  it('status: connector version and label, the reader and its eID card, live', async () => {
    const p = await open(t17);
    await expect.poll(() => p.locator('#connection').textContent()).toMatch(/^Connector \d+\.\d+\.\d+.* · demo$/);
    await p.getByTestId('connector-info').waitFor();
    expect(await term(p, 'connector-info', 'Application label')).toBe(LABEL);
    expect(await term(p, 'connector-info', 'Address')).toBe(`https://localhost:${t17.port}`);
    expect(await text(p, 'readers')).toMatch(/^Cardlink Virtual Reader \(in-process\) — Belgian eID card$/);
    expect(await text(p, 'live')).toBe('live');
    expect(await text(p, 'card-state')).toBe('Belgian eID card inserted');
    await shot(p, 'demo-status.png');
    await p.close();
  });

  it('identity: the fields, the three integrity badges and the photo', async () => {
    const p = await open(t17, 'identity');
    await p.getByRole('button', { name: 'Read the card' }).click();
    await p.getByTestId('integrity').waitFor();
    expect(await p.getByTestId('integrity').locator('.badge').allTextContents()).toEqual(['✓ Identity verified', '✓ Address verified', '✓ Photo verified']);
    expect(await p.getByTestId('integrity').locator('.badge-ok').count()).toBe(3);
    expect(await text(p, 'name')).toMatch(/ Specimen$/);
    expect(await term(p, 'identity-fields', 'Surname')).toBe('Specimen');
    expect(await term(p, 'identity-fields', 'National number')).toMatch(/^\d{11}$/);
    expect(await term(p, 'identity-fields', 'Address')).toMatch(/^.+, \d{4} .+$/);
    expect(await term(p, 'identity-fields', 'Document')).toMatch(/^Belgian citizen card/);
    // The photo is a JPEG the browser actually decoded.
    const photo = p.getByTestId('photo');
    expect(await photo.getAttribute('alt')).toMatch(/^Photo of .* Specimen$/);
    await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    expect(await photo.evaluate((img: HTMLImageElement) => img.naturalHeight)).toBeGreaterThan(50);
    await shot(p, 'demo-identity.png');
    await p.close();
  });

  it('certificates: the five certificates with subject, issuer and validity', async () => {
    const p = await open(t17, 'certificates');
    await p.getByRole('button', { name: 'Read the certificates' }).click();
    const certs = p.locator('article.certificate');
    await certs.first().waitFor();
    expect(await certs.evaluateAll((as) => as.map((a) => a.getAttribute('data-role')))).toEqual([
      'Authentication',
      'Signature (non-repudiation)',
      'Citizen CA',
      'Belgium Root CA',
      'National Register (RRN)',
    ]);
    const auth = certs.first();
    expect(await auth.locator('dt:text-is("Subject") + dd').textContent()).toMatch(/CN=.*Specimen.*\(Authentication\)/);
    expect(await auth.locator('dt:text-is("Issuer") + dd').textContent()).toMatch(/Citizen CA/);
    expect(await auth.locator('dt:text-is("Valid") + dd').textContent()).toMatch(/^\d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d$/);
    expect(await auth.locator('dt:text-is("Key") + dd').textContent()).toBe('RSA-2048');
    expect(await auth.locator('.badge').textContent()).toBe('✓ valid');
    await shot(p, 'demo-certificates.png');
    await p.close();
  });

  it('PIN: a wrong PIN shows "2 tries left", the right one "PIN correct"', async () => {
    const p = await open(t17, 'pin');
    const pin = p.getByLabel('PIN', { exact: true });
    await pin.fill('9999');
    await p.getByRole('button', { name: 'Verify PIN' }).click();
    const alert = p.getByTestId('pin').getByRole('alert');
    await alert.waitFor();
    expect(await alert.locator('.notice-title').textContent()).toBe('Wrong PIN: 2 tries left');
    expect(await alert.getAttribute('data-state')).toBe('pin-incorrect');
    await shot(p, 'demo-pin-wrong.png');
    expect(await pin.inputValue()).toBe(''); // never kept, not even a wrong one
    await pin.fill(PIN);
    await p.getByRole('button', { name: 'Verify PIN' }).click();
    await p.getByTestId('verdict').waitFor();
    expect(await p.getByTestId('pin').locator('p').allTextContents()).toEqual(['✓ PIN correct', '3 tries left']);
    // Applet 1.7 cannot tell the tries left without a try.
    await p.getByRole('button', { name: 'How many tries are left?' }).click();
    await p.getByTestId('tries').getByText('This card cannot tell').waitFor();
    await shot(p, 'demo-pin.png');
    await p.close();
  });

  it('sign a text: RSASSA-PKCS1-v1_5 SHA-256 signature verified by WebCrypto; a changed text does not verify', async () => {
    const p = await open(t17, 'sign');
    const algorithm = p.getByLabel('Algorithm');
    await expect.poll(() => algorithm.isEnabled()).toBe(true);
    expect(await algorithm.inputValue()).toBe('RSA_PKCS1_SHA256');
    await p.getByLabel('Text to sign').fill('I, Specimen, agree.');
    await p.getByLabel('PIN', { exact: true }).fill(PIN);
    await p.getByRole('button', { name: 'Sign', exact: true }).click();
    await p.getByTestId('sign').getByTestId('verdict').waitFor();
    expect(await p.getByTestId('sign').getByTestId('verdict').textContent()).toBe('✓ Signature valid');
    expect(await text(p, 'sign')).toContain('WebCrypto (RSASSA-PKCS1-v1_5 with SHA-256)');
    expect(await term(p, 'sign', 'Signed')).toBe('the text (19 bytes)');
    expect(await term(p, 'sign', 'Certificate of')).toMatch(/Specimen \(Signature\)$/);
    expect(await p.getByTestId('sign').locator('summary').textContent()).toBe('256 bytes, base64');
    await shot(p, 'demo-sign.png');

    await p.getByLabel('Text to sign').fill('I, Specimen, do not agree.');
    await p.getByRole('button', { name: 'Check the signature against the current text or file' }).click();
    await p.getByTestId('recheck').getByTestId('verdict').waitFor();
    expect(await p.getByTestId('recheck').getByTestId('verdict').textContent()).toBe('✗ Signature NOT valid for this content');
    await p.close();
  });

  it("sign a file's hash (SHA-384) and verify it", async () => {
    const p = await open(t17, 'sign');
    await p.getByLabel('A file').check();
    await p.getByLabel('File to sign').setInputFiles({ name: 'contract.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(100_000, 7) });
    const algorithm = p.getByLabel('Algorithm');
    await expect.poll(() => algorithm.isEnabled()).toBe(true);
    await algorithm.selectOption('RSA_PKCS1_SHA384');
    await p.getByLabel('PIN', { exact: true }).fill(PIN);
    await p.getByRole('button', { name: 'Sign', exact: true }).click();
    await p.getByTestId('sign').getByTestId('verdict').waitFor();
    expect(await p.getByTestId('sign').getByTestId('verdict').textContent()).toBe('✓ Signature valid');
    expect(await term(p, 'sign', 'Signed')).toBe('the file "contract.pdf" (100000 bytes)');
    expect(await term(p, 'sign', 'Hash (SHA-384)')).toMatch(/^[0-9a-f]{96}$/);
    await shot(p, 'demo-sign-file.png');
    await p.close();
  });

  it('authenticate a random challenge: verified against the authentication certificate', async () => {
    const p = await open(t17, 'authenticate');
    const challenge = await text(p, 'challenge');
    expect(challenge).toMatch(/^[0-9a-f]{64}$/);
    await p.getByRole('button', { name: 'New challenge' }).click();
    expect(await text(p, 'challenge')).not.toBe(challenge);
    await expect.poll(() => p.getByLabel('Algorithm').isEnabled()).toBe(true);
    await p.getByLabel('PIN', { exact: true }).fill(PIN);
    await p.getByRole('button', { name: 'Authenticate', exact: true }).click();
    const verdict = p.getByTestId('authenticate').getByTestId('verdict');
    await verdict.waitFor();
    expect(await verdict.textContent()).toBe('✓ Authentication valid');
    expect(await term(p, 'authenticate', 'Certificate of')).toMatch(/Specimen \(Authentication\)$/);
    expect(await term(p, 'authenticate', 'Signed')).toBe('the challenge (32 random bytes)');
    await shot(p, 'demo-authenticate.png');
    await p.close();
  });

  it('usage counters: each use case counted under its page tag, and they go up', async () => {
    const before = await usage(t17);
    const p = await open(t17, 'identity');
    await p.getByRole('button', { name: 'Read the card' }).click();
    await p.getByTestId('integrity').waitFor();
    await p.goto(url(t17, 'pin'));
    await p.getByLabel('PIN', { exact: true }).fill(PIN);
    await p.getByRole('button', { name: 'Verify PIN' }).click();
    await p.getByTestId('verdict').waitFor();
    await p.close();

    const after = await usage(t17);
    expect(after.count('IDENTITY_READ', 'demo:identity')).toBe(before.count('IDENTITY_READ', 'demo:identity') + 1);
    expect(after.count('PIN_VERIFICATION', 'demo:pin')).toBe(before.count('PIN_VERIFICATION', 'demo:pin') + 1);
    expect(after.total).toBe(before.total + 2);
    // The earlier tests' uses, each under its page's tag.
    expect(after.count('SIGNATURE', 'demo:sign')).toBeGreaterThanOrEqual(2);
    expect(after.count('AUTHENTICATION', 'demo:authenticate')).toBeGreaterThanOrEqual(1);

    const shown = await open(t17, 'usage');
    await shown.getByTestId('usage-table').waitFor();
    expect(await shown.getByTestId('usage-table').locator('caption').textContent()).toBe('Uses by use case and page tag');
    await shot(shown, 'demo-usage.png');
    await shown.close();
  });

  it('a card removed and inserted while the page is open: the page follows live', async () => {
    const readers = t17.c.services.readers as unknown as { card: unknown; remove(): void; insert(card: unknown): void };
    const subscribers = subscriberCount(t17);
    const p = await open(t17, 'identity');
    await until(() => subscribers() === 1, "the page's reader event stream");
    await p.getByRole('button', { name: 'Read the card' }).waitFor();

    const card = readers.card;
    readers.remove();
    await p.locator('[data-state=no-card]').waitFor();
    expect(await p.locator('[data-state=no-card] .notice-title').textContent()).toBe('Insert your eID card');
    expect(await text(p, 'card-state')).toBe('no card');
    expect(await p.getByRole('button', { name: 'Read the card' }).count()).toBe(0);
    await shot(p, 'demo-no-card.png');

    readers.insert(card);
    await p.getByRole('button', { name: 'Read the card' }).waitFor();
    expect(await text(p, 'card-state')).toBe('Belgian eID card inserted');
    await p.getByRole('button', { name: 'Read the card' }).click();
    await p.getByTestId('integrity').waitFor();

    // The status page lists the events as they came.
    await p.getByRole('link', { name: 'Connector status' }).click();
    await p.getByTestId('events').waitFor();
    expect(await p.getByTestId('events').locator('li').locator('.event').allTextContents()).toEqual([
      'Card inserted — Cardlink Virtual Reader (in-process)',
      'Card removed — Cardlink Virtual Reader (in-process)',
    ]);
    await shot(p, 'demo-events.png');
    await p.close();
    await until(() => subscribers() === 0, 'the stream to end with the page');
  });
});

describe('states when the connector cannot be used', () => {
  it('no smart-card service, then no reader: "no card reader" states', async () => {
    // The same connector with its reader source made to say what a machine without pcscd,
    // then without any reader, says.
    const readers = t17.c.services.readers as unknown as { available(): boolean; list(): unknown[] };
    const { available, list } = readers;
    try {
      readers.available = () => false;
      const p = await open(t17, 'identity');
      const none = p.locator('[data-state=no-reader]');
      await none.waitFor();
      // Until the readers' answer arrives the page shows the plain "no reader" notice: wait for the answer's.
      await expect.poll(() => none.locator('.notice-title').textContent()).toBe('No card reader service');
      expect(await none.textContent()).toContain('pcscd');
      await shot(p, 'demo-no-pcsc.png');
      await p.close();

      readers.available = available;
      readers.list = () => [];
      const q = await open(t17, 'identity');
      await q.locator('[data-state=no-reader]').waitFor();
      expect(await q.locator('[data-state=no-reader] .notice-title').textContent()).toBe('No card reader found');
      await shot(q, 'demo-no-reader.png');
      await q.close();
    } finally {
      readers.available = available;
      readers.list = list;
    }
  });


  it('a page from an origin that is not registered: "origin not allowed"', async () => {
    const other = `http://127.0.0.1:${site.port}`; // same files, another origin
    const p = await open(t17, 'identity', other);
    const banner = p.locator('#banner [data-state=origin-not-allowed]');
    await banner.waitFor();
    expect(await banner.locator('.notice-title').textContent()).toBe('This site is not allowed to use the connector');
    expect(await banner.textContent()).toContain(`(${other}) is not registered`);
    expect(await p.locator('#connection').textContent()).toBe('Not connected');
    expect(await p.locator('[data-state=not-connected]').count()).toBe(1); // the card page waits
    await shot(p, 'demo-origin-not-allowed.png');
    await p.close();
  });

  it('no connector listening: "cannot reach" with the likely causes', async () => {
    const p = await open(await closedPort());
    const banner = p.locator('#banner [data-state=unreachable]');
    await banner.waitFor();
    expect(await banner.locator('.notice-title').textContent()).toBe('Cannot reach the Cardlink connector');
    const causes = await banner.locator('li').allTextContents();
    expect(causes).toHaveLength(3);
    expect(causes[0]).toMatch(/^It is not installed or not running/);
    expect(causes[1]).toMatch(/^Its certificate is not trusted by this browser\. Run connector trust/);
    expect(causes[2]).toMatch(/blocked the request/);
    await shot(p, 'demo-unreachable.png');
    await p.close();
  });

  it('the certificate not trusted (a browser without the CA): "cannot reach"', async () => {
    const untrusted = await launchTrustedChromium();
    try {
      const p = await untrusted.browser.newPage();
      await p.goto(url(t17));
      await p.locator('#banner [data-state=unreachable]').waitFor();
      expect(await p.locator('#banner .notice-title').textContent()).toBe('Cannot reach the Cardlink connector');
      await shot(p, 'demo-untrusted.png');
    } finally {
      await untrusted.close();
    }
  });
});

describe('the demo against a connector with an applet 1.8 (ECDSA P-384) card', () => {
  let t18: TestConnector;
  beforeAll(async () => {
    t18 = await startTestConnector({ origins: [{ origin, label: LABEL }], virtualCard: '1.8' });
  });
  afterAll(() => t18?.close());

  it('sign and authenticate: ECDSA signatures (plain r||s) verified by WebCrypto', async () => {
    // Another connector, another CA: the browser trusts only the first one's. Trust this one too.
    const trusted = await launchTrustedChromium({ caPems: [t18.ca] });
    try {
      const p = await trusted.browser.newPage();
      await p.goto(url(t18, 'sign'));
      await expect.poll(() => p.getByLabel('Algorithm').isEnabled()).toBe(true);
      expect(await p.getByLabel('Algorithm').inputValue()).toBe('ECDSA_SHA256');
      await p.getByLabel('PIN', { exact: true }).fill(PIN);
      await p.getByRole('button', { name: 'Sign', exact: true }).click();
      await p.getByTestId('sign').getByTestId('verdict').waitFor();
      expect(await p.getByTestId('sign').getByTestId('verdict').textContent()).toBe('✓ Signature valid');
      expect(await text(p, 'sign')).toContain('WebCrypto (ECDSA with SHA-256)');
      expect(await p.getByTestId('sign').locator('summary').textContent()).toBe('96 bytes, base64'); // r||s on P-384
      await shot(p, 'demo-sign-ecdsa.png');

      await p.goto(url(t18, 'authenticate'));
      await expect.poll(() => p.getByLabel('Algorithm').isEnabled()).toBe(true);
      await p.getByLabel('Algorithm').selectOption('ECDSA_SHA384');
      // Every authentication asks for the PIN (issue 14): a legacy application types it again;
      // without it the SDK would open the connector's page.
      await p.getByLabel('PIN', { exact: true }).fill(PIN);
      await p.getByRole('button', { name: 'Authenticate', exact: true }).click();
      const verdict = p.getByTestId('authenticate').getByTestId('verdict');
      await verdict.waitFor();
      expect(await verdict.textContent()).toBe('✓ Authentication valid');
      expect(await text(p, 'authenticate')).toContain('WebCrypto (ECDSA with SHA-384)');

      // PIN: tries left without spending one, then the way to a blocked PIN.
      await p.goto(url(t18, 'pin'));
      await p.getByRole('button', { name: 'How many tries are left?' }).click();
      expect(await p.getByTestId('tries').getByText(/tries left/).textContent()).toBe('3 tries left');
      const pin = p.getByLabel('PIN', { exact: true });
      const verify = p.getByRole('button', { name: 'Verify PIN' });
      const title = p.getByTestId('pin').locator('.notice-title');
      for (const expected of ['Wrong PIN: 2 tries left', 'Wrong PIN: 1 try left', 'Only one PIN try left']) {
        await pin.fill('0000');
        await verify.click();
        await expect.poll(() => title.textContent()).toBe(expected);
      }
      await p.getByLabel('Allow the last PIN try').check();
      await pin.fill('0000');
      await verify.click();
      await expect.poll(() => title.textContent()).toBe('The PIN is blocked');
      await shot(p, 'demo-pin-blocked.png');
    } finally {
      await trusted.close();
    }
  });
});

// vpcd (loaded by pcscd) listens on 35963 for virtual cards.
const withVpcd = requireService('pcscd with the vpcd readers', await listening(35963), 'bash scripts/services.sh pcscd');

withVpcd('live insert and remove through pcscd + vpcd (the real PC/SC path)', () => {
  it('a virtual card put into a vpcd reader and pulled out: the page follows', async () => {
    const t = await startTestConnector({ origins: [{ origin, label: LABEL }] });
    const trusted = await launchTrustedChromium({ caPems: [t.ca] });
    try {
      const subscribers = subscriberCount(t);
      const p = await trusted.browser.newPage();
      await p.goto(url(t));
      await until(() => subscribers() === 1, "the page's reader event stream");
      const row = p.locator(`[data-reader="${READER_NAMES[1]}"]`);
      await row.waitFor();
      expect(await row.locator('.card-state').textContent()).toBe('no card');

      const inserted = await insertCard(1, { profile: '1.8' });
      try {
        await expect.poll(() => row.locator('.card-state').textContent(), { timeout: 15_000 }).toBe('Belgian eID card');
        expect(await text(p, 'events')).toContain(`Card inserted — ${READER_NAMES[1]}`);
        await shot(p, 'demo-pcsc-inserted.png');
      } finally {
        await inserted.vpcd.remove();
      }
      await expect.poll(() => row.locator('.card-state').textContent(), { timeout: 15_000 }).toBe('no card');
      expect(await text(p, 'events')).toContain(`Card removed — ${READER_NAMES[1]}`);
    } finally {
      await trusted.close();
      await t.close();
    }
  });
});
