import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { constants, createHash, publicDecrypt, randomBytes, verify, X509Certificate } from 'node:crypto';
import { startTestConnector, type TestConnector } from '../helpers/test-connector.js';
import { insertCard, waitForCard, type InsertedCard } from '../helpers/virtual-reader.js';

const PIN = '1234';
const VERIFY = 'mutation($i: VerifyPinInput!) { verifyPin(input: $i) { verified retriesLeft } }';
const SIGN = 'mutation($i: SignInput!) { sign(input: $i) { algorithm signature certificate } }';
const AUTH = 'mutation($i: SignInput!) { authenticate(input: $i) { algorithm signature certificate } }';

const ALGS: Record<'1.7' | '1.8', [algorithm: string, hash: string][]> = {
  '1.7': [
    ['RSA_PKCS1_MD5', 'md5'], ['RSA_PKCS1_SHA1', 'sha1'], ['RSA_PKCS1_SHA256', 'sha256'], ['RSA_PKCS1_SHA384', 'sha384'],
    ['RSA_PKCS1_SHA512', 'sha512'], ['RSA_PSS_SHA1', 'sha1'], ['RSA_PSS_SHA256', 'sha256'],
  ],
  '1.8': [
    ['ECDSA_SHA256', 'sha256'], ['ECDSA_SHA384', 'sha384'], ['ECDSA_SHA512', 'sha512'],
    ['ECDSA_SHA3_256', 'sha3-256'], ['ECDSA_SHA3_384', 'sha3-384'], ['ECDSA_SHA3_512', 'sha3-512'],
  ],
};

/** Verify like a relying party would: the page's data, the algorithm's hash, the certificate's key. */
function verifies(alg: string, hashName: string, data: Buffer, signature: Buffer, certPem: string): boolean {
  const key = new X509Certificate(certPem).publicKey;
  if (alg.startsWith('ECDSA')) return verify(hashName, data, { key, dsaEncoding: 'ieee-p1363' }, signature);
  if (alg.startsWith('RSA_PSS')) return verify(hashName, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, signature);
  if (hashName === 'md5') {
    // OpenSSL 3 refuses MD5 signatures; check the PKCS#1 block by hand.
    const block = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
    return block.equals(Buffer.concat([Buffer.from('3020300c06082a864886f70d020505000410', 'hex'), createHash('md5').update(data).digest()]));
  }
  return verify(hashName, data, key, signature);
}

let t: TestConnector;
beforeAll(async () => {
  t = await startTestConnector();
});
afterAll(() => t.close());

describe.each(['1.7', '1.8'] as const)('PIN and signatures, applet %s', (profile) => {
  let inserted: InsertedCard;
  let readerId: string;
  beforeAll(async () => {
    inserted = await insertCard(0, { profile });
    readerId = (await waitForCard(t, 0)).id;
  });
  afterAll(async () => {
    await inserted.vpcd.remove();
    await waitForCard(t, 0, false);
  });

  it('verifies the right PIN and reports the tries left', async () => {
    const r = await t.query(VERIFY, { i: { readerId, pin: PIN } }, { 't1c-tag': `pin-${profile}` });
    expect(r.json.data.verifyPin).toEqual({ verified: true, retriesLeft: 3 });
  });

  it.each(ALGS[profile])('signs with %s (non-repudiation key) and the signature verifies', async (alg, hashName) => {
    const data = randomBytes(100);
    const hash = createHash(hashName).update(data).digest();
    const r = await t.query(SIGN, { i: { readerId, algorithm: alg, hash: hash.toString('base64'), pin: PIN } }, { 't1c-tag': `sign-${profile}` });
    expect(r.json.errors).toBeUndefined();
    const s = r.json.data.sign;
    expect(s.certificate).toBe(new X509Certificate(inserted.card.material.certs.nonRepudiation).toString());
    expect(verifies(alg, hashName, data, Buffer.from(s.signature, 'base64'), s.certificate)).toBe(true);
    // and not for other data
    expect(verifies(alg, hashName, randomBytes(100), Buffer.from(s.signature, 'base64'), s.certificate)).toBe(false);
  });

  it.each(ALGS[profile])('authenticates with %s (authentication key) and the signature verifies', async (alg, hashName) => {
    const challenge = randomBytes(32);
    const hash = createHash(hashName).update(challenge).digest();
    const r = await t.query(AUTH, { i: { readerId, algorithm: alg, hash: hash.toString('base64'), pin: PIN } });
    expect(r.json.errors).toBeUndefined();
    expect(new X509Certificate(r.json.data.authenticate.certificate).raw.equals(inserted.card.material.certs.auth)).toBe(true);
    expect(verifies(alg, hashName, challenge, Buffer.from(r.json.data.authenticate.signature, 'base64'), r.json.data.authenticate.certificate)).toBe(true);
  });

  it('refuses a hash of the wrong length, an unsupported algorithm, a signature without PIN', async () => {
    const [alg, firstHash] = ALGS[profile][0]!;
    const short = await t.query(SIGN, { i: { readerId, algorithm: alg, hash: randomBytes(7).toString('base64'), pin: PIN } });
    expect(short.json.errors[0].extensions.code).toBe('INVALID_INPUT');
    const other = profile === '1.7' ? 'ECDSA_SHA384' : 'RSA_PKCS1_SHA256';
    const unsupported = await t.query(SIGN, { i: { readerId, algorithm: other, hash: randomBytes(48).toString('base64'), pin: PIN } });
    expect(unsupported.json.errors[0].extensions.code).toBe('ALGORITHM_NOT_SUPPORTED');
    const noPin = await t.query(SIGN, { i: { readerId, algorithm: alg, hash: randomBytes(firstHash === 'md5' ? 16 : 32).toString('base64') } });
    expect(noPin.json.errors[0].extensions.code).toBe('PIN_REQUIRED');
    const badPin = await t.query(VERIFY, { i: { readerId, pin: '12a4' } });
    expect(badPin.json.errors[0].extensions.code).toBe('INVALID_INPUT');
  });

  it('lists the algorithms of the profile', async () => {
    const r = await t.query('query($r: ID!) { beid(readerId: $r) { algorithms appletVersion } }', { r: readerId });
    expect(r.json.data.beid.algorithms).toEqual(ALGS[profile].map(([a]) => a));
  });

  it('records PIN_VERIFICATION and SIGNATURE with label and tag, never the PIN', async () => {
    const db = new Database(join(t.dataDir, 'connector.db'), { readonly: true });
    const rows = db.prepare('SELECT use_case, result, label, tag FROM transactions WHERE tag IN (?, ?)').all(`pin-${profile}`, `sign-${profile}`);
    db.close();
    expect(rows).toContainEqual({ use_case: 'PIN_VERIFICATION', result: 'OK', label: 'demo-app', tag: `pin-${profile}` });
    expect(rows.filter((r: any) => r.use_case === 'SIGNATURE')).toHaveLength(ALGS[profile].length);
    expect(t.logs()).not.toMatch(/"1234"|:1234\b/);
  });
});

describe('PIN change', () => {
  it('changes the PIN: the old one is refused afterwards, the new one works', async () => {
    const c = await insertCard(1, { profile: '1.7' });
    try {
      const { id } = await waitForCard(t, 1);
      const CHANGE = 'mutation($i: ChangePinInput!) { changePin(input: $i) { verified retriesLeft } }';
      const bad = await t.query(CHANGE, { i: { readerId: id, oldPin: PIN, newPin: '12' } });
      expect(bad.json.errors[0].extensions.code).toBe('INVALID_INPUT');
      const ok = await t.query(CHANGE, { i: { readerId: id, oldPin: PIN, newPin: '987654' } });
      expect(ok.json.data.changePin).toEqual({ verified: true, retriesLeft: 3 });
      const old = await t.query(VERIFY, { i: { readerId: id, pin: PIN } });
      expect(old.json.errors[0].extensions).toMatchObject({ code: 'PIN_INCORRECT', retriesLeft: 2 });
      const fresh = await t.query(VERIFY, { i: { readerId: id, pin: '987654' } });
      expect(fresh.json.data.verifyPin).toEqual({ verified: true, retriesLeft: 3 });
      expect(t.logs()).not.toContain('987654');
    } finally {
      await c.vpcd.remove();
      await waitForCard(t, 1, false);
    }
  });
});

describe.each(['1.7', '1.8'] as const)('PIN retries and blocking, applet %s', (profile) => {
  it('counts down, refuses the last try unless allowed, then blocks with a typed error', async () => {
    const c = await insertCard(1, { profile });
    try {
      const { id } = await waitForCard(t, 1);
      const wrong = (allowLastTry = false) => t.query(VERIFY, { i: { readerId: id, pin: '9999', allowLastTry } });
      const first = await wrong();
      expect(first.json.errors[0].extensions).toMatchObject({ code: 'PIN_INCORRECT', retriesLeft: 2 });
      const second = await wrong();
      expect(second.json.errors[0].extensions).toMatchObject({ code: 'PIN_INCORRECT', retriesLeft: 1 });
      expect(c.card.pinTriesLeft).toBe(1);
      const refused = await t.query(VERIFY, { i: { readerId: id, pin: PIN } });
      expect(refused.json.errors[0].extensions).toMatchObject({ code: 'PIN_LAST_TRY_REFUSED', retriesLeft: 1 });
      expect(c.card.pinTriesLeft).toBe(1); // nothing was spent
      if (profile === '1.8') {
        const tries = await t.query('query($r: ID!) { beid(readerId: $r) { pinTriesLeft } }', { r: id });
        expect(tries.json.data.beid.pinTriesLeft).toBe(1);
      }
      const last = await wrong(true);
      expect(last.json.errors[0].extensions).toMatchObject({ code: 'PIN_BLOCKED', retriesLeft: 0 });
      const after = await t.query(VERIFY, { i: { readerId: id, pin: PIN, allowLastTry: true } });
      expect(after.json.errors[0].extensions.code).toBe('PIN_BLOCKED');
      const sign = await t.query(SIGN, { i: { readerId: id, algorithm: ALGS[profile][1]![0], hash: randomBytes(profile === '1.7' ? 20 : 48).toString('base64'), pin: PIN } });
      expect(sign.json.errors[0].extensions.code).toBe('PIN_BLOCKED');
    } finally {
      await c.vpcd.remove();
      await waitForCard(t, 1, false);
    }
  });
});
