// The connector's own pages over real HTTPS with the in-process virtual card: headers (CSP,
// framing), languages, the PIN flow through the page (GraphQL waits, the form posts the PIN),
// the same-origin and CSRF rules of the forms, consent and the settings page.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestConnector, type TestConnector } from '../helpers/test-connector.js';
import type { Reply } from '../helpers/https-client.js';
import { negotiate, translator, LANGUAGES, messagesOf } from '../../src/pages/i18n.js';
import { PAGE_CSP } from '../../src/pages/page-headers.js';
import { esc, html } from '../../src/pages/html.js';

const PAGE_APP = 'https://page.example.com';
const LEGACY_APP = 'https://legacy.example.com';
const CONSENT_APP = 'https://consent.example.com';
const SESSION_APP = 'https://session.example.com';
const PIN = '1234';

let t: TestConnector;
let reader: string;
let own: string;

const opId = () => randomBytes(16).toString('base64url');
const SIGN = 'mutation($i: SignInput!) { sign(input: $i) { signature certificate } }';

async function page(path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return t.call({ method: 'GET', path, headers });
}

/** Post a form of the page (from the connector's own origin unless told otherwise). */
function post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Reply> {
  return t.call({
    method: 'POST',
    path,
    body: new URLSearchParams(fields).toString(),
    headers: { origin: own, 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin', ...headers },
  });
}

const hiddenField = (r: Reply, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(r.text)?.[1];

beforeAll(async () => {
  t = await startTestConnector({
    virtualCard: '1.7',
    origins: [
      { origin: PAGE_APP, label: 'page-app', pinEntry: 'CONNECTOR_PAGE' },
      { origin: LEGACY_APP, label: 'legacy-app', pinEntry: 'HOST_PAGE' },
      { origin: CONSENT_APP, label: 'consent-app', pinEntry: 'CONNECTOR_PAGE', consent: 'ONCE_PER_ORIGIN' },
      { origin: SESSION_APP, label: 'session-app', consent: 'EVERY_SESSION' },
    ],
  });
  own = `https://localhost:${t.port}`;
  reader = (await t.query('{ readers { id } }', undefined, { origin: LEGACY_APP })).json.data.readers[0].id;
});

afterAll(() => t?.close());

describe('rendering', () => {
  it('escapes page-given text', () => {
    expect(esc(`<img src=x onerror="a">&'`)).toBe('&#60;img src=x onerror=&#34;a&#34;&#62;&#38;&#39;');
    expect(html`<p>${'<b>'}</p>${html`<i>ok</i>`}`.html).toBe('<p>&#60;b&#62;</p><i>ok</i>');
  });

  it('picks the language from Accept-Language, English otherwise', () => {
    expect(negotiate('fr-BE,fr;q=0.9,en;q=0.5')).toBe('fr');
    expect(negotiate('de-DE')).toBe('de');
    expect(negotiate('en;q=0.2, nl;q=0.8')).toBe('nl');
    expect(negotiate('ja, zh;q=0.9')).toBe('en');
    expect(negotiate(undefined)).toBe('en');
    expect(negotiate('x'.repeat(100_000))).toBe('en');
    expect(translator('nl')('wrongPin', { n: 2 })).toBe('Foute pincode: nog 2 pogingen.');
  });

  it('has every message in every language, with the same placeholders', () => {
    const keys = Object.keys(messagesOf('en')) as (keyof ReturnType<typeof messagesOf>)[];
    for (const lang of LANGUAGES) {
      for (const k of keys) {
        const text = messagesOf(lang)[k];
        expect(text, `${lang}.${k}`).toBeTruthy();
        expect(text.match(/\{\w+\}/g)?.sort(), `${lang}.${k}`).toEqual(messagesOf('en')[k].match(/\{\w+\}/g)?.sort());
      }
    }
  });
});

describe('headers and the guards pages keep', () => {
  it('serves /settings with a strict CSP, no framing, no cache, and only same-origin assets', async () => {
    const r = await page('/settings');
    expect(r.status).toBe(200);
    expect(r.headers['content-security-policy']).toBe(PAGE_CSP);
    expect(PAGE_CSP).toContain("frame-ancestors 'none'");
    expect(PAGE_CSP).toContain("default-src 'none'");
    expect(r.headers['x-frame-options']).toBe('DENY');
    expect(r.headers['cache-control']).toBe('no-store');
    // No inline script or handler, no third-party URL.
    expect(r.text).not.toMatch(/<script(?![^>]*src="\/pages\/pages\.js")/);
    expect(r.text).not.toMatch(/\son[a-z]+=/i);
    expect(r.text).not.toMatch(/https?:\/\/(?!localhost|[a-z]+\.example\.com)/);
    const js = await page('/pages/pages.js');
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    expect(js.headers['x-content-type-options']).toBe('nosniff');
  });

  it('is localised by Accept-Language', async () => {
    expect((await page('/settings', { 'accept-language': 'fr-BE,fr;q=0.9' })).text).toContain('Paramètres du connecteur Cardlink');
    expect((await page('/settings', { 'accept-language': 'nl' })).text).toContain('Instellingen van de Cardlink-connector');
    expect((await page('/settings', { 'accept-language': 'de' })).text).toContain('Einstellungen des Cardlink-Connectors');
  });

  it('keeps the Host guard (DNS rebinding) for pages too', async () => {
    expect((await t.call({ method: 'GET', path: '/settings', host: 'evil.example:' + t.port })).status).toBe(421);
  });

  it('answers an unknown or finished operation with an "expired" page', async () => {
    const r = await page(`/pin?op=${opId()}`);
    expect(r.status).toBe(410);
    expect(r.text).toContain('no longer waiting');
  }, 10_000);
});

describe('PIN entry on the connector page', () => {
  it('refuses a PIN sent by a connector-page application, accepts it from a legacy one', async () => {
    const hash = randomBytes(32).toString('base64');
    const refused = await t.query(SIGN, { i: { readerId: reader, algorithm: 'RSA_PKCS1_SHA256', hash, pin: PIN } }, { origin: PAGE_APP });
    expect(refused.json.errors[0].extensions.code).toBe('PIN_ENTRY_ON_CONNECTOR_PAGE');
    const lastTry = await t.query('mutation($i: VerifyPinInput!) { verifyPin(input: $i) { verified } }', { i: { readerId: reader, pin: PIN, allowLastTry: true } }, { origin: PAGE_APP });
    expect(lastTry.json.errors[0].extensions.code).toBe('PIN_ENTRY_ON_CONNECTOR_PAGE');
    const legacy = await t.query(SIGN, { i: { readerId: reader, algorithm: 'RSA_PKCS1_SHA256', hash, pin: PIN } }, { origin: LEGACY_APP });
    expect(legacy.json.data.sign.signature).toBeTruthy();
  });

  it('signs with the PIN typed on the page: a wrong PIN is retried there, the host gets only the signature', async () => {
    const op = opId();
    const digest = createHash('sha256').update('contract').digest();
    // The popup may load before the request claims the id: the page waits for it.
    const shown = page(`/pin?op=${op}`, { 'accept-language': 'en' });
    const pending = t.query(SIGN, { i: { readerId: reader, algorithm: 'RSA_PKCS1_SHA256', hash: digest.toString('base64'), operation: op, documentName: 'contract <b>.pdf' } }, { origin: PAGE_APP });
    const form = await shown;
    expect(form.status).toBe(200);
    expect(form.headers['content-security-policy']).toBe(PAGE_CSP);
    expect(form.text).toContain('page-app');
    expect(form.text).toContain(PAGE_APP);
    expect(form.text).toContain(digest.toString('hex'));
    expect(form.text).toContain('contract &#60;b&#62;.pdf');
    expect(form.text).toContain('given by the website');
    expect(form.text).toContain('Virtual');
    const csrf = hiddenField(form, 'csrf')!;

    // Another origin's post, a post without the secret, and a wrong secret change nothing.
    expect((await post('/pin/submit', { op, csrf, pin: PIN }, { origin: PAGE_APP })).status).toBe(403);
    expect((await post('/pin/submit', { op, csrf, pin: PIN }, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await post('/pin/submit', { op, pin: PIN })).status).toBe(410);
    expect((await post('/pin/submit', { op, csrf: csrf.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')), pin: PIN })).status).toBe(410);

    const wrong = await post('/pin/submit', { op, csrf, pin: '9999' });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('Wrong PIN: 2 tries left.');
    const right = await post('/pin/submit', { op, csrf, pin: PIN });
    expect(right.text).toContain('data-outcome="done"');
    const result = await pending;
    expect(result.json.errors).toBeUndefined();
    expect(result.json.data.sign.signature).toMatch(/^[A-Za-z0-9+/]+=*$/);
    // The id is single-use.
    const again = await t.query(SIGN, { i: { readerId: reader, algorithm: 'RSA_PKCS1_SHA256', hash: digest.toString('base64'), operation: op } }, { origin: PAGE_APP });
    expect(again.json.errors[0].extensions.code).toBe('OPERATION_NOT_FOUND');
  }, 20_000);

  it('cancel on the page gives USER_CANCELLED to the host page', async () => {
    const op = opId();
    const pending = t.query('mutation($i: VerifyPinInput!) { verifyPin(input: $i) { verified } }', { i: { readerId: reader, operation: op } }, { origin: PAGE_APP });
    const form = await page(`/pin?op=${op}`, { 'accept-language': 'de' });
    expect(form.text).toContain('Geben Sie Ihre PIN ein');
    const cancelled = await post('/pin/cancel', { op, csrf: hiddenField(form, 'csrf')! });
    expect(cancelled.text).toContain('data-outcome="cancelled"');
    expect((await pending).json.errors[0].extensions.code).toBe('USER_CANCELLED');
  }, 20_000);

  it('changes the PIN on the page, recorded as PIN_CHANGE', async () => {
    const CHANGE = 'mutation($i: ChangePinInput!) { changePin(input: $i) { verified retriesLeft } }';
    for (const [from, to] of [[PIN, '5678'], ['5678', PIN]]) {
      const op = opId();
      const pending = t.query(CHANGE, { i: { readerId: reader, operation: op } }, { origin: PAGE_APP });
      const form = await page(`/pin?op=${op}`);
      const csrf = hiddenField(form, 'csrf')!;
      expect((await post('/pin/submit', { op, csrf, pin: from!, newPin: to!, newPin2: '0000' })).text).toContain('The two new PINs differ.');
      expect((await post('/pin/submit', { op, csrf, pin: from!, newPin: to!, newPin2: to! })).text).toContain('data-outcome="done"');
      expect((await pending).json.data.changePin.verified).toBe(true);
    }
    const rows = t.c.db.prepare("SELECT label, result FROM transactions WHERE use_case = 'PIN_CHANGE'").all();
    expect(rows).toEqual([{ label: 'page-app', result: 'OK' }, { label: 'page-app', result: 'OK' }]);
    const pageChange = await t.query(CHANGE, { i: { readerId: reader, oldPin: PIN, newPin: '5678' } }, { origin: PAGE_APP });
    expect(pageChange.json.errors[0].extensions.code).toBe('PIN_ENTRY_ON_CONNECTOR_PAGE');
  }, 30_000);
});

describe('bounds', () => {
  it('one origin holds at most 3 waiting operations; cancelling frees the slots', async () => {
    const VERIFY = 'mutation($i: VerifyPinInput!) { verifyPin(input: $i) { verified } }';
    const ops = [opId(), opId(), opId()];
    const pending = ops.map((op) => t.query(VERIFY, { i: { readerId: reader, operation: op } }, { origin: PAGE_APP }));
    await expect.poll(() => t.c.services.operations.size).toBe(3);
    const fourth = await t.query(VERIFY, { i: { readerId: reader, operation: opId() } }, { origin: PAGE_APP });
    expect(fourth.json.errors[0].extensions.code).toBe('RATE_LIMITED');
    for (const op of ops) await post('/pin/cancel', { op, csrf: t.c.services.operations.get(op)!.csrf });
    for (const r of await Promise.all(pending)) expect(r.json.errors[0].extensions.code).toBe('USER_CANCELLED');
    expect(t.c.services.operations.size).toBe(0);
  }, 20_000);
});

describe('consent and settings', () => {
  const IDENTITY = 'query($r: ID!) { beid(readerId: $r) { identity { surname } } }';

  it('asks once per origin, remembers, and is revoked on the settings page', async () => {
    const before = await t.query(IDENTITY, { r: reader }, { origin: CONSENT_APP });
    expect(before.json.errors[0].extensions.code).toBe('CONSENT_REQUIRED');
    expect((await t.query('{ info { consent consentRequired pinEntry } }', undefined, { origin: CONSENT_APP })).json.data.info).toEqual({
      consent: 'ONCE_PER_ORIGIN', consentRequired: true, pinEntry: 'CONNECTOR_PAGE',
    });

    // Refused first, then given.
    for (const answer of ['refuse', 'allow']) {
      const op = opId();
      const pending = t.query('mutation($o: ID!) { requestConsent(operation: $o) { granted } }', { o: op }, { origin: CONSENT_APP });
      const form = await page(`/consent?op=${op}`, { 'accept-language': 'fr' });
      expect(form.text).toContain('Autoriser consent-app (https://consent.example.com) à lire votre carte eID ?');
      await post('/consent/answer', { op, csrf: hiddenField(form, 'csrf')!, answer });
      const r = (await pending).json;
      if (answer === 'refuse') expect(r.errors[0].extensions.code).toBe('CONSENT_REFUSED');
      else expect(r.data.requestConsent.granted).toBe(true);
    }
    expect((await t.query(IDENTITY, { r: reader }, { origin: CONSENT_APP })).json.data.beid.identity.surname).toBeTruthy();
    const consentRows = t.c.db.prepare("SELECT label, result, tag FROM transactions WHERE use_case = 'CONSENT' ORDER BY seq").all();
    expect(consentRows).toEqual([{ label: 'consent-app', result: 'CONSENT_REFUSED', tag: null }, { label: 'consent-app', result: 'OK', tag: null }]);

    const settings = await page('/settings');
    const row = new RegExp(`<tr data-origin="${CONSENT_APP}">.*?</tr>`, 's').exec(settings.text)![0];
    expect(row).toContain('consent-app');
    expect(row).not.toContain('never');
    const csrf = hiddenField(settings, 'csrf')!;
    expect((await post('/settings/forget', { csrf, origin: CONSENT_APP }, { origin: CONSENT_APP })).status).toBe(403);
    const forgot = await post('/settings/forget', { csrf, origin: CONSENT_APP });
    expect(forgot.text).toContain(`Forgotten: ${CONSENT_APP}.`);
    // The secret was single-use.
    expect((await post('/settings/forget', { csrf, origin: CONSENT_APP })).status).toBe(403);
    expect((await t.query(IDENTITY, { r: reader }, { origin: CONSENT_APP })).json.errors[0].extensions.code).toBe('CONSENT_REQUIRED');
  }, 30_000);

  it('consent "every session" ends when the card is removed', async () => {
    const allow = async () => {
      const op = opId();
      const pending = t.query('mutation($o: ID!) { requestConsent(operation: $o) { granted } }', { o: op }, { origin: SESSION_APP });
      const form = await page(`/consent?op=${op}`);
      await post('/consent/answer', { op, csrf: hiddenField(form, 'csrf')!, answer: 'allow' });
      expect((await pending).json.data.requestConsent.granted).toBe(true);
    };
    await allow();
    expect((await t.query(IDENTITY, { r: reader }, { origin: SESSION_APP })).json.data.beid.identity.surname).toBeTruthy();
    // Nothing about this consent is written to disk.
    expect(t.c.db.prepare('SELECT consent_at FROM origin_activity WHERE origin = ?').get(SESSION_APP)).toEqual({ consent_at: null });
    const readers = t.c.services.readers as unknown as { remove(): void; insert(card: unknown): void; card: unknown };
    const card = readers.card;
    readers.remove();
    readers.insert(card);
    const id = (await t.query('{ readers { id } }', undefined, { origin: SESSION_APP })).json.data.readers[0].id;
    expect((await t.query(IDENTITY, { r: id }, { origin: SESSION_APP })).json.errors[0].extensions.code).toBe('CONSENT_REQUIRED');
    await allow();
    expect((await t.query(IDENTITY, { r: id }, { origin: SESSION_APP })).json.data.beid.identity.surname).toBeTruthy();
  }, 30_000);
});
