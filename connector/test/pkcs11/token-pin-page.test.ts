// A PKCS#11 token's PIN typed on the connector's own page (SoftHSM2 through the whole
// connector): the GraphQL request carries an operation id, never the PIN; the form posts it.
import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestConnector, type TestConnector } from '../helpers/test-connector.js';
import type { Reply } from '../helpers/https-client.js';
import { createSoftHsmToken, SOFTHSM_LIB, USER_PIN, type SoftHsmToken } from '../helpers/softhsm-token.js';
import { writeConfiguredLibraries } from '../../src/card/modules/pkcs11/libraries.js';

const PAGE_APP = 'https://page.example.com';
const LEGACY_APP = 'https://legacy.example.com';
const SIGN = 'mutation($i: TokenSignInput!) { tokenSign(input: $i) { algorithm signature certificate } }';
const AUTH = 'mutation($i: TokenSignInput!) { tokenAuthenticate(input: $i) { signature certificate } }';

let token: SoftHsmToken;
let t: TestConnector;
let own: string;
let tokenId: string;

const opId = () => randomBytes(16).toString('base64url');
const page = (path: string, headers: Record<string, string> = {}) => t.call({ method: 'GET', path, headers });
const post = (path: string, fields: Record<string, string>): Promise<Reply> =>
  t.call({
    method: 'POST',
    path,
    body: new URLSearchParams(fields).toString(),
    headers: { origin: own, 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
  });
const hiddenField = (r: Reply, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(r.text)?.[1];
const txSince = (n: number) => t.c.services.transactions.pending(10_000).slice(n);

beforeAll(async () => {
  token = createSoftHsmToken('page-token');
  process.env.SOFTHSM2_CONF = token.conf;
  const dataDir = mkdtempSync(join(tmpdir(), 'cardlink-p11page-'));
  writeConfiguredLibraries(dataDir, [{ name: 'softhsm', path: SOFTHSM_LIB }], ['opensc', 'softhsm2']);
  t = await startTestConnector({
    dataDir,
    pkcs11TimeoutMs: 10_000,
    virtualCard: '1.8',
    origins: [
      { origin: PAGE_APP, label: 'page-app', pinEntry: 'CONNECTOR_PAGE' },
      { origin: LEGACY_APP, label: 'legacy-app', pinEntry: 'HOST_PAGE' },
    ],
  });
  own = `https://localhost:${t.port}`;
  tokenId = (await t.query('{ tokens { id } }', undefined, { origin: PAGE_APP })).json.data.tokens[0].id;
});

afterAll(async () => {
  await t?.close();
  token?.remove();
});

describe('a token PIN on the connector page', () => {
  it('refuses a PIN (or allowLastTry) from a connector-page application; a legacy application may still send it', async () => {
    const hash = createHash('sha256').update('x').digest('base64');
    const i = { tokenId, keyId: token.rsa.id, algorithm: 'RSA_PKCS1_SHA256', hash };
    const before = t.c.services.transactions.pending(10_000).length;
    const refused = await t.query(SIGN, { i: { ...i, pin: USER_PIN } }, { origin: PAGE_APP });
    expect(refused.json.errors[0].extensions.code).toBe('PIN_ENTRY_ON_CONNECTOR_PAGE');
    const lastTry = await t.query(SIGN, { i: { ...i, allowLastTry: true } }, { origin: PAGE_APP });
    expect(lastTry.json.errors[0].extensions.code).toBe('PIN_ENTRY_ON_CONNECTOR_PAGE');
    // Neither a PIN nor an operation: the token needs its PIN.
    const none = await t.query(SIGN, { i }, { origin: PAGE_APP });
    expect(none.json.errors[0].extensions.code).toBe('PIN_REQUIRED');
    const legacy = await t.query(SIGN, { i: { ...i, pin: USER_PIN } }, { origin: LEGACY_APP });
    expect(legacy.json.errors).toBeUndefined();
    expect(txSince(before).map((x) => [x.label, x.useCase, x.module, x.result])).toEqual([
      ['page-app', 'SIGNATURE', 'PKCS11', 'PIN_ENTRY_ON_CONNECTOR_PAGE'],
      ['page-app', 'SIGNATURE', 'PKCS11', 'PIN_ENTRY_ON_CONNECTOR_PAGE'],
      ['page-app', 'SIGNATURE', 'PKCS11', 'PIN_REQUIRED'],
      ['legacy-app', 'SIGNATURE', 'PKCS11', 'OK'],
    ]);
  });

  it('signs with the PIN typed on the page: a wrong PIN is retried there, the host gets the signature only', async () => {
    const op = opId();
    const data = Buffer.from('token contract');
    const digest = createHash('sha384').update(data).digest();
    const before = t.c.services.transactions.pending(10_000).length;
    const shown = page(`/pin?op=${op}`, { 'accept-language': 'en' });
    const pending = t.query(SIGN, {
      i: { tokenId, keyId: token.rsa.id, algorithm: 'RSA_PSS_SHA384', hash: digest.toString('base64'), operation: op, documentName: 'deed.pdf' },
    }, { origin: PAGE_APP });
    const form = await shown;
    expect(form.status).toBe(200);
    expect(form.text).toContain('Sign with your token’s key');
    expect(form.text).toContain('page-app');
    expect(form.text).toContain(PAGE_APP);
    expect(form.text).toContain('page-token (SoftHSM project SoftHSM v2)');
    expect(form.text).toContain('Token slot');
    expect(form.text).toContain(digest.toString('hex'));
    expect(form.text).toContain('deed.pdf');
    expect(form.text).toContain('RSA_PSS_SHA384');
    expect(form.text).toContain('not told by the token');
    // A token's PIN is text of 1-64 characters, not the eID's 4-12 digits.
    expect(form.text).toMatch(/<input id="pin" name="pin" type="password" minlength="1" maxlength="64"/);
    expect(form.text).not.toContain('pattern="[0-9]{4,12}"');
    const csrf = hiddenField(form, 'csrf')!;

    const wrong = await post('/pin/submit', { op, csrf, pin: '97531' });
    expect(wrong.status).toBe(400);
    // SoftHSM2 keeps no counter: the page says it does not know the tries left.
    expect(wrong.text).toContain('Wrong PIN. The token does not tell how many tries are left.');
    const right = await post('/pin/submit', { op, csrf, pin: USER_PIN });
    expect(right.text).toContain('data-outcome="done"');
    const r = await pending;
    expect(r.json.errors).toBeUndefined();
    const { signature, certificate } = r.json.data.tokenSign;
    const opts = { key: createPublicKey(certificate), padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 48 };
    expect(verify('sha384', data, opts, Buffer.from(signature, 'base64'))).toBe(true);
    expect(verify('sha384', Buffer.from('other'), opts, Buffer.from(signature, 'base64'))).toBe(false);
    // One request, one record (the wrong try on the page does not count twice).
    expect(txSince(before).map((x) => [x.label, x.useCase, x.module, x.result])).toEqual([['page-app', 'SIGNATURE', 'PKCS11', 'OK']]);
    expect(t.logs()).not.toContain('97531');
    // The id is single-use.
    const again = await t.query(SIGN, { i: { tokenId, keyId: token.rsa.id, algorithm: 'RSA_PSS_SHA384', hash: digest.toString('base64'), operation: op } }, { origin: PAGE_APP });
    expect(again.json.errors[0].extensions.code).toBe('OPERATION_NOT_FOUND');
  }, 30_000);

  it('authenticates with an EC key through the page, localised', async () => {
    const op = opId();
    const challenge = randomBytes(32);
    const digest = createHash('sha256').update(challenge).digest();
    const pending = t.query(AUTH, { i: { tokenId, keyId: token.ec.id, algorithm: 'ECDSA_SHA256', hash: digest.toString('base64'), operation: op } }, { origin: PAGE_APP });
    const form = await page(`/pin?op=${op}`, { 'accept-language': 'fr' });
    expect(form.text).toContain('Vous identifier avec la clé de votre jeton');
    expect((await post('/pin/submit', { op, csrf: hiddenField(form, 'csrf')!, pin: USER_PIN })).text).toContain('data-outcome="done"');
    const r = await pending;
    expect(verify('sha256', challenge, { key: createPublicKey(token.ec.certPem), dsaEncoding: 'ieee-p1363' }, Buffer.from(r.json.data.tokenAuthenticate.signature, 'base64'))).toBe(true);
  }, 30_000);

  it('refuses what cannot succeed before asking the user; cancel gives USER_CANCELLED', async () => {
    const h256 = createHash('sha256').update('x').digest('base64');
    const base = { tokenId, keyId: token.rsa.id, hash: h256 };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...base, algorithm: 'RSA_PKCS1_SHA1' }, 'ALGORITHM_NOT_SUPPORTED'],
      [{ ...base, algorithm: 'RSA_PKCS1_SHA384' }, 'INVALID_INPUT'],
      [{ ...base, algorithm: 'RSA_PKCS1_SHA256', keyId: 'zz' }, 'INVALID_INPUT'],
      [{ ...base, algorithm: 'RSA_PKCS1_SHA256', tokenId: 'softhsm:424242' }, 'TOKEN_NOT_PRESENT'],
      [{ ...base, algorithm: 'RSA_PKCS1_SHA256', tokenId: 'nolib:1' }, 'TOKEN_NOT_FOUND'],
    ];
    for (const [i, code] of cases) {
      const r = await t.query(SIGN, { i: { ...i, operation: opId() } }, { origin: PAGE_APP });
      expect([i, r.json.errors?.[0]?.extensions.code]).toEqual([i, code]);
    }
    expect(t.c.services.operations.size).toBe(0);

    const op = opId();
    const pending = t.query(SIGN, { i: { ...base, algorithm: 'RSA_PKCS1_SHA256', operation: op } }, { origin: PAGE_APP });
    const form = await page(`/pin?op=${op}`);
    expect((await post('/pin/cancel', { op, csrf: hiddenField(form, 'csrf')! })).text).toContain('data-outcome="cancelled"');
    expect((await pending).json.errors[0].extensions.code).toBe('USER_CANCELLED');
  }, 30_000);
});
