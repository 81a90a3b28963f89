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
    // The non-repudiation key (03) is left out: OpenSC's C_Sign with it answers
    // CKR_FUNCTION_NOT_SUPPORTED on the virtual card (OpenSC's belpic driver vs our card; the
    // BeID module signs with it natively). tokenSign is the SIGNATURE use case with key 02.
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
    expect(tx.map((x) => [x.useCase, x.module, x.result])).toEqual([[field === 'tokenSign' ? 'SIGNATURE' : 'AUTHENTICATION', 'pkcs11', 'OK']]);
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
