import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes, verify, X509Certificate } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireReaderLock, type ReaderLock } from '@cardlink/virtual-card';
import { startTestConnector, type TestConnector } from '../helpers/test-connector.js';
import { insertCard, waitForCard, READER_NAMES, type InsertedCard } from '../helpers/virtual-reader.js';
import { listening, requireService } from '../../../test/lib/require-service.js';
import { DEBIAN_DEFAULTS, writeConfiguredLibraries } from '../../src/card/modules/pkcs11/libraries.js';

// OpenSC's PKCS#11 library reading our virtual BELPIC card through pcscd + vpcd: the same card
// the BeID module serves natively, shown as a token that says so (alsoServedBy).
const OPENSC = DEBIAN_DEFAULTS.find((d) => d.name === 'opensc')!.path;
const READER = 0;
const PIN = '1234';
const SIGN = 'mutation($i: TokenSignInput!) { tokenSign(input: $i) { signature certificate } }';
const AUTH = 'mutation($i: TokenSignInput!) { tokenAuthenticate(input: $i) { signature certificate } }';

let lock: ReaderLock;
let t: TestConnector;
let inserted: InsertedCard | undefined;
let readerId: string;
let tokenId: string;

const q = async (query: string, v?: Record<string, unknown>) => (await t.query(query, v)).json as { data: any; errors?: Array<{ message: string; extensions: Record<string, unknown> }> };

/** OpenSC sees a card a moment after pcscd does: poll its slots. */
async function openscToken(present: boolean): Promise<any> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const r = await q('{ tokens(library: "opensc") { id slotDescription label manufacturer model serialNumber loginRequired protectedAuthenticationPath alsoServedBy { module readerId readerName } } }');
    const tok = r.data?.tokens?.find((x: { slotDescription: string }) => x.slotDescription === READER_NAMES[READER]);
    if (!!tok === present) return tok;
    if (Date.now() > deadline) throw new Error(`OpenSC did not ${present ? 'show' : 'drop'} the token: ${JSON.stringify(r)}`);
    await new Promise((res) => setTimeout(res, 250));
  }
}

const withPcsc = requireService('pcscd + vpcd', await listening(35963), 'bash scripts/services.sh pcscd');

withPcsc('OpenSC PKCS#11 over the virtual BELPIC card (pcscd + vpcd)', () => {
beforeAll(async () => {
  lock = await acquireReaderLock(READER);
  const dataDir = mkdtempSync(join(tmpdir(), 'cardlink-p11-opensc-'));
  writeConfiguredLibraries(dataDir, [{ name: 'opensc', path: OPENSC }], ['softhsm2']);
  t = await startTestConnector({ dataDir, pkcs11TimeoutMs: 20_000 });
  inserted = await insertCard(READER, { profile: '1.7' });
  readerId = (await waitForCard(t, READER)).id;
});

afterAll(async () => {
  await inserted?.vpcd.remove();
  await t?.close();
  lock?.release();
});

describe('tokens', () => {
  it('the reader stays served by BeID; the token says it is the same card (alsoServedBy)', async () => {
    const reader = (await q('{ readers { id name card { module } } }')).data.readers.find((r: { id: string }) => r.id === readerId);
    expect(reader.card.module).toBe('BEID');
    const tok = await openscToken(true);
    expect(tok).toMatchObject({
      manufacturer: 'Cardlink virtual BELPIC 1.7',
      loginRequired: true,
      protectedAuthenticationPath: false,
      alsoServedBy: { module: 'BEID', readerId, readerName: READER_NAMES[READER] },
    });
    expect(tok.label).toMatch(/^BELPIC/);
    tokenId = tok.id;
    // A page that wants only the cards no module serves leaves it out.
    const others = await q('{ tokens(library: "opensc", servedElsewhere: false) { id } }');
    expect(others.errors).toBeUndefined();
    expect(others.data.tokens.map((x: { id: string }) => x.id)).not.toContain(tokenId);
  });

  it('lists the card\'s five certificates; the authentication and signature ones match the card\'s and have key ids', async () => {
    const r = await q('query($id: ID!) { token(id: $id) { certificates { keyId label algorithms certificate { pem publicKeyAlgorithm } } } }', { id: tokenId });
    expect(r.errors).toBeUndefined();
    const certs = r.data.token.certificates as Array<{ keyId: string; label: string; algorithms: string[]; certificate: { pem: string; publicKeyAlgorithm: string } }>;
    expect(certs.map((c) => c.label).sort()).toEqual(['Authentication', 'CA', 'RRN', 'Root', 'Signature']);
    const fp = (cert: string | Buffer) => new X509Certificate(cert).fingerprint256;
    const auth = certs.find((c) => c.label === 'Authentication')!;
    const sign = certs.find((c) => c.label === 'Signature')!;
    expect(fp(auth.certificate.pem)).toBe(fp(inserted!.card.material.certs.auth));
    expect(fp(sign.certificate.pem)).toBe(fp(inserted!.card.material.certs.nonRepudiation));
    expect([auth.keyId, sign.keyId]).toEqual(['02', '03']);
    expect(auth.certificate.publicKeyAlgorithm).toBe('RSA-2048');
    expect(auth.algorithms).toContain('RSA_PKCS1_SHA256');
  });

  it.each([
    ['tokenAuthenticate', '02', 'auth', AUTH],
    // The non-repudiation key (03) does not sign through OpenSC (next test); tokenSign is the
    // SIGNATURE use case with key 02 here.
    ['tokenSign', '02', 'auth', SIGN],
  ] as const)('%s (key %s, PIN given) makes a signature that verifies with the card\'s certificate', async (field, keyId, certName, doc) => {
    const data = randomBytes(64);
    const hash = createHash('sha256').update(data).digest();
    const before = t.c.services.transactions.pending(10_000).length;
    const r = await q(doc, { i: { tokenId, keyId, algorithm: 'RSA_PKCS1_SHA256', hash: hash.toString('base64'), pin: PIN } });
    expect(r.errors).toBeUndefined();
    const sig = Buffer.from(r.data[field].signature, 'base64');
    const cert = new X509Certificate(inserted!.card.material.certs[certName]);
    expect(verify('sha256', data, cert.publicKey, sig)).toBe(true);
    expect(verify('sha256', randomBytes(64), cert.publicKey, sig)).toBe(false);
    const tx = t.c.services.transactions.pending(10_000).slice(before);
    expect(tx.map((x) => [x.useCase, x.module, x.result])).toEqual([[field === 'tokenSign' ? 'SIGNATURE' : 'AUTHENTICATION', 'PKCS11', 'OK']]);
  });

  it('the non-repudiation key (03) is KEY_NOT_USABLE: the card accepts MSE:SET for key 83, OpenSC\'s BELPIC driver then refuses by design', async () => {
    const card = inserted!.card;
    const seen: string[] = [];
    const respond = card.respond.bind(card);
    // Observe the APDUs pcscd hands to the card (the card still answers them itself).
    card.respond = (apdu) => {
      const r = respond(apdu);
      seen.push(`${Buffer.from(apdu).toString('hex')}>${r.reply.subarray(-2).toString('hex')}`);
      return r;
    };
    try {
      const before = t.c.services.transactions.pending(10_000).length;
      const hash = createHash('sha256').update('qualified').digest('base64');
      const r = await q(SIGN, { i: { tokenId, keyId: '03', algorithm: 'RSA_PKCS1_SHA256', hash, pin: PIN } });
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'KEY_NOT_USABLE', ckr: 0x54 });
      // MSE:SET with algorithm 01 (PKCS#1) and key 83 (belpic.md), answered 9000; no PSO:CDS after it.
      expect(seen).toContain('002241b6050480018483>9000');
      expect(seen.some((a) => a.startsWith('002a9e9a'))).toBe(false);
      // The PIN was right: the counter is whole again, nothing was spent.
      expect(seen.some((a) => a.startsWith('00200001') && a.endsWith('>9000'))).toBe(true);
      expect(t.c.services.transactions.pending(10_000).slice(before).map((x) => [x.useCase, x.module, x.result])).toEqual([['SIGNATURE', 'PKCS11', 'KEY_NOT_USABLE']]);
    } finally {
      card.respond = respond;
    }
  });

  it('wrong PINs: tries left as the token reports them, the last try kept unless allowed, the right PIN resets', async () => {
    const hash = createHash('sha256').update('x').digest('base64');
    const auth = (pin: string, allowLastTry = false) => q(AUTH, { i: { tokenId, keyId: '02', algorithm: 'RSA_PKCS1_SHA256', hash, pin, allowLastTry } });
    const tries = async () => (await q('query($id: ID!) { token(id: $id) { pinTriesLeft pinCountLow } }', { id: tokenId })).data.token;
    const first = await auth('9999');
    expect(first.errors?.[0]?.extensions.code).toBe('PIN_INCORRECT');
    // Two of three left: PKCS#11 flags have no number for that, and OpenSC does not set
    // CKF_USER_PIN_COUNT_LOW for this card: unknown.
    expect(first.errors?.[0]?.extensions.retriesLeft).toBeNull();
    expect(await tries()).toEqual({ pinTriesLeft: null, pinCountLow: false });
    // One left: OpenSC sets CKF_USER_PIN_FINAL_TRY.
    const second = await auth('9998');
    expect(second.errors?.[0]?.extensions).toMatchObject({ code: 'PIN_INCORRECT', retriesLeft: 1 });
    expect((await tries()).pinTriesLeft).toBe(1);
    const kept = await auth(PIN);
    expect(kept.errors?.[0]?.extensions).toMatchObject({ code: 'PIN_LAST_TRY_REFUSED', retriesLeft: 1 });
    const ok = await auth(PIN, true);
    expect(ok.errors).toBeUndefined();
    expect(await tries()).toEqual({ pinTriesLeft: null, pinCountLow: false });
  });

  it('on the connector page: wrong PINs show the tries the token reports, the last try needs the user\'s tick, the signature verifies', async () => {
    const own = `https://localhost:${t.port}`;
    const post = (path: string, fields: Record<string, string>) => t.call({
      method: 'POST', path, body: new URLSearchParams(fields).toString(),
      headers: { origin: own, 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
    });
    const op = randomBytes(16).toString('base64url');
    const data = randomBytes(64);
    const hash = createHash('sha256').update(data).digest();
    const pending = q(AUTH, { i: { tokenId, keyId: '02', algorithm: 'RSA_PKCS1_SHA256', hash: hash.toString('base64'), operation: op } });
    const form = await t.call({ method: 'GET', path: `/pin?op=${op}` });
    expect(form.text).toContain(`${READER_NAMES[READER]}`);
    expect(form.text).toMatch(/BELPIC \(Basic PIN\) \(Cardlink virtual BELPIC 1\.7 PKCS#15\)/);
    const csrf = /name="csrf" value="([^"]+)"/.exec(form.text)![1]!;
    // Two of three: PKCS#11 has no number for it.
    expect((await post('/pin/submit', { op, csrf, pin: '9999' })).text).toContain('The token does not tell how many tries are left.');
    // One left: OpenSC sets CKF_USER_PIN_FINAL_TRY, the page says so and offers the box.
    const second = await post('/pin/submit', { op, csrf, pin: '9998' });
    expect(second.text).toContain('Wrong PIN: 1 try left.');
    expect(second.text).toContain('name="lastTry"');
    // The right PIN without the tick is refused, nothing spent; with it, signed.
    expect((await post('/pin/submit', { op, csrf, pin: PIN })).text).toContain('Only one try is left. Tick the box to use it.');
    expect((await post('/pin/submit', { op, csrf, pin: PIN, lastTry: 'on' })).text).toContain('data-outcome="done"');
    const r = await pending;
    expect(r.errors).toBeUndefined();
    const cert = new X509Certificate(inserted!.card.material.certs.auth);
    expect(verify('sha256', data, cert.publicKey, Buffer.from(r.data.tokenAuthenticate.signature, 'base64'))).toBe(true);
    expect((await q('query($id: ID!) { token(id: $id) { pinTriesLeft } }', { id: tokenId })).data.token.pinTriesLeft).toBeNull();
    expect(t.logs()).not.toContain('9998');
  });

  it('a blocked PIN (CKF_USER_PIN_LOCKED) is PIN_BLOCKED at once, without asking the user on the page', async () => {
    const hash = createHash('sha256').update('x').digest('base64');
    const auth = (i: Record<string, unknown>) => q(AUTH, { i: { tokenId, keyId: '02', algorithm: 'RSA_PKCS1_SHA256', hash, ...i } });
    try {
      expect((await auth({ pin: '9999' })).errors?.[0]?.extensions.code).toBe('PIN_INCORRECT');
      expect((await auth({ pin: '9998' })).errors?.[0]?.extensions.code).toBe('PIN_INCORRECT');
      expect((await auth({ pin: '9997', allowLastTry: true })).errors?.[0]?.extensions).toMatchObject({ code: 'PIN_BLOCKED', retriesLeft: 0 });
      expect((await q('query($id: ID!) { token(id: $id) { pinTriesLeft } }', { id: tokenId })).data.token.pinTriesLeft).toBe(0);
      const r = await auth({ operation: randomBytes(16).toString('base64url') });
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'PIN_BLOCKED', retriesLeft: 0 });
      expect(t.c.services.operations.size).toBe(0);
    } finally {
      // The card's own unblock (PUK) is not modelled: reset the virtual card's counter.
      inserted!.card.resetPin();
    }
  });

  it('after the card is removed the token is gone and a signature is TOKEN_NOT_PRESENT', async () => {
    await inserted!.vpcd.remove();
    inserted = undefined;
    await waitForCard(t, READER, false);
    await openscToken(false);
    const hash = createHash('sha256').update('x').digest('base64');
    const r = await q(AUTH, { i: { tokenId, keyId: '02', algorithm: 'RSA_PKCS1_SHA256', hash, pin: PIN } });
    expect(r.errors?.[0]?.extensions.code).toBe('TOKEN_NOT_PRESENT');
    expect((await q('query($id: ID!) { token(id: $id) { id } }', { id: tokenId })).errors?.[0]?.extensions.code).toBe('TOKEN_NOT_PRESENT');
  });
});
});
