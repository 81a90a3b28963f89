import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, createPublicKey, constants, verify, X509Certificate } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestConnector, type TestConnector } from '../helpers/test-connector.js';
import { createSoftHsmToken, SOFTHSM_LIB, USER_PIN, type SoftHsmToken } from '../helpers/softhsm-token.js';
import { writeConfiguredLibraries } from '../../src/card/modules/pkcs11/libraries.js';

// SoftHSM2 through the whole connector: GraphQL → Pkcs11Service → host process → libsofthsm2.so.
let token: SoftHsmToken;
let t: TestConnector;
let tokenId: string;

const gqlData = async (q: string, v?: Record<string, unknown>) => {
  const r = await t.query(q, v);
  return r.json as { data: Record<string, any> | null; errors?: Array<{ message: string; extensions: Record<string, unknown> }> };
};

const SIGN = `mutation($i: TokenSignInput!) { tokenSign(input: $i) { algorithm signature certificate } }`;
const AUTH = `mutation($i: TokenSignInput!) { tokenAuthenticate(input: $i) { algorithm signature certificate } }`;

beforeAll(async () => {
  token = createSoftHsmToken();
  process.env.SOFTHSM2_CONF = token.conf;
  const dataDir = mkdtempSync(join(tmpdir(), 'cardlink-p11-'));
  // Only the test's library: the OpenSC default would talk to the machine's shared readers.
  writeConfiguredLibraries(dataDir, [{ name: 'softhsm', path: SOFTHSM_LIB }], ['opensc', 'softhsm2']);
  // The in-process virtual reader: these tests never touch the machine's pcscd.
  t = await startTestConnector({ dataDir, pkcs11TimeoutMs: 10_000, virtualCard: '1.8' });
});

afterAll(async () => {
  await t?.close();
  token?.remove();
});

describe('PKCS#11 tokens through SoftHSM2', () => {
  it('lists the library and the initialised token with its flags', async () => {
    const r = await gqlData(`{ pkcs11Libraries { name source description manufacturer version error { code } }
      tokens { id library slotId slotDescription label manufacturer model serialNumber loginRequired protectedAuthenticationPath pinTriesLeft alsoServedBy { module } } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data!.pkcs11Libraries).toEqual([{ name: 'softhsm', source: 'CONFIGURED', description: 'Implementation of PKCS11', manufacturer: 'SoftHSM', version: expect.stringMatching(/^2\.\d+$/), error: null }]);
    const tokens = r.data!.tokens as Array<Record<string, unknown>>;
    // SoftHSM's spare uninitialised slot is not listed.
    expect(tokens).toHaveLength(1);
    expect(tokens[0]).toMatchObject({ library: 'softhsm', label: token.label, manufacturer: 'SoftHSM project', model: 'SoftHSM v2', loginRequired: true, protectedAuthenticationPath: false, pinTriesLeft: null, alsoServedBy: null });
    expect(tokens[0]!.id).toBe(`softhsm:${tokens[0]!.slotId}`);
    expect(tokens[0]!.serialNumber).toMatch(/^[0-9a-f]{16}$/);
    tokenId = tokens[0]!.id as string;
  });

  it('lists certificates with their key ids, parsed fields and algorithms, and the mechanisms', async () => {
    const r = await gqlData(`query($id: ID!) { token(id: $id) { mechanisms certificates { keyId label der algorithms
      certificate { pem subject issuer notBefore notAfter publicKeyAlgorithm } } } }`, { id: tokenId });
    expect(r.errors).toBeUndefined();
    const { mechanisms, certificates } = r.data!.token;
    expect(mechanisms).toEqual(expect.arrayContaining(['CKM_RSA_PKCS', 'CKM_RSA_PKCS_PSS', 'CKM_ECDSA']));
    const byId = Object.fromEntries((certificates as Array<Record<string, any>>).map((c) => [c.keyId, c]));
    expect(Object.keys(byId).sort()).toEqual([token.rsa.id, token.ec.id]);
    const rsa = byId[token.rsa.id]!;
    expect(rsa.label).toBe('rsa');
    expect(rsa.certificate.subject).toBe('CN=Cardlink RSA test');
    expect(rsa.certificate.issuer).toBe('CN=Cardlink RSA test');
    expect(rsa.certificate.publicKeyAlgorithm).toBe('RSA-2048');
    expect(new X509Certificate(rsa.certificate.pem).fingerprint256).toBe(new X509Certificate(token.rsa.certPem).fingerprint256);
    expect(Buffer.from(rsa.der, 'base64').equals(new X509Certificate(token.rsa.certPem).raw)).toBe(true);
    expect(rsa.algorithms).toEqual(['RSA_PKCS1_SHA256', 'RSA_PKCS1_SHA384', 'RSA_PKCS1_SHA512', 'RSA_PSS_SHA256', 'RSA_PSS_SHA384', 'RSA_PSS_SHA512']);
    const ec = byId[token.ec.id]!;
    expect(ec.certificate.publicKeyAlgorithm).toBe('EC-P256');
    expect(ec.algorithms).toEqual(['ECDSA_SHA256', 'ECDSA_SHA384', 'ECDSA_SHA512']);
    expect(Date.parse(ec.certificate.notAfter)).toBeGreaterThan(Date.now());
  });

  const cases = [
    ['RSA_PKCS1_SHA256', 'sha256', 'rsa'], ['RSA_PKCS1_SHA384', 'sha384', 'rsa'], ['RSA_PKCS1_SHA512', 'sha512', 'rsa'],
    ['RSA_PSS_SHA256', 'sha256', 'rsa'], ['RSA_PSS_SHA384', 'sha384', 'rsa'], ['RSA_PSS_SHA512', 'sha512', 'rsa'],
    ['ECDSA_SHA256', 'sha256', 'ec'], ['ECDSA_SHA384', 'sha384', 'ec'],
  ] as const;
  it.each(cases)('signs with %s and the signature verifies with the certificate', async (algorithm, hashName, key) => {
    const data = Buffer.from(`document signed with ${algorithm}`);
    const hash = createHash(hashName).update(data).digest();
    const before = t.c.services.transactions.pending(10_000).length;
    const r = await gqlData(SIGN, { i: { tokenId, keyId: token[key].id, algorithm, hash: hash.toString('base64'), pin: USER_PIN } });
    expect(r.errors).toBeUndefined();
    const { signature, certificate } = r.data!.tokenSign;
    const pub = createPublicKey(certificate);
    const sig = Buffer.from(signature, 'base64');
    const opts = algorithm.startsWith('RSA_PSS')
      ? { key: pub, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: hash.length }
      : algorithm.startsWith('ECDSA') ? { key: pub, dsaEncoding: 'ieee-p1363' as const } : pub;
    expect(verify(hashName, data, opts, sig)).toBe(true);
    // A signature of other data does not verify: the check can fail.
    expect(verify(hashName, Buffer.from('other'), opts, sig)).toBe(false);
    const tx = t.c.services.transactions.pending(10_000).slice(before);
    expect(tx.map((x) => [x.useCase, x.module, x.result])).toEqual([['SIGNATURE', 'pkcs11', 'OK']]);
  });

  it('authenticates (a challenge hash) and records an AUTHENTICATION', async () => {
    const challenge = Buffer.from('server challenge 42');
    const hash = createHash('sha256').update(challenge).digest();
    const before = t.c.services.transactions.pending(10_000).length;
    const r = await gqlData(AUTH, { i: { tokenId, keyId: token.ec.id, algorithm: 'ECDSA_SHA256', hash: hash.toString('base64'), pin: USER_PIN } });
    expect(r.errors).toBeUndefined();
    expect(verify('sha256', challenge, { key: createPublicKey(token.ec.certPem), dsaEncoding: 'ieee-p1363' }, Buffer.from(r.data!.tokenAuthenticate.signature, 'base64'))).toBe(true);
    expect(t.c.services.transactions.pending(10_000).slice(before).map((x) => [x.useCase, x.module])).toEqual([['AUTHENTICATION', 'pkcs11']]);
  });

  it('a wrong PIN is PIN_INCORRECT (SoftHSM2 does not report tries: retriesLeft null), recorded as such, and the PIN stays out of logs', async () => {
    const hash = createHash('sha256').update('x').digest('base64');
    const before = t.c.services.transactions.pending(10_000).length;
    const r = await gqlData(SIGN, { i: { tokenId, keyId: token.rsa.id, algorithm: 'RSA_PKCS1_SHA256', hash, pin: '97531' } });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'PIN_INCORRECT', retriesLeft: null });
    expect(t.c.services.transactions.pending(10_000).slice(before).map((x) => [x.useCase, x.result])).toEqual([['SIGNATURE', 'PIN_INCORRECT']]);
    expect(t.logs()).not.toContain('97531');
    expect(t.logs()).not.toContain('Cardlink RSA test');
  });

  it('refuses bad input with typed errors', async () => {
    const h256 = createHash('sha256').update('x').digest('base64');
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ tokenId, keyId: token.rsa.id, algorithm: 'RSA_PKCS1_SHA384', hash: h256, pin: USER_PIN }, 'INVALID_INPUT'],
      [{ tokenId, keyId: 'zz', algorithm: 'RSA_PKCS1_SHA256', hash: h256, pin: USER_PIN }, 'INVALID_INPUT'],
      [{ tokenId, keyId: '7f', algorithm: 'RSA_PKCS1_SHA256', hash: h256, pin: USER_PIN }, 'KEY_NOT_FOUND'],
      [{ tokenId, keyId: token.rsa.id, algorithm: 'ECDSA_SHA256', hash: h256, pin: USER_PIN }, 'ALGORITHM_NOT_SUPPORTED'],
      [{ tokenId, keyId: token.rsa.id, algorithm: 'RSA_PKCS1_SHA1', hash: h256, pin: USER_PIN }, 'ALGORITHM_NOT_SUPPORTED'],
      [{ tokenId, keyId: token.rsa.id, algorithm: 'RSA_PKCS1_SHA256', hash: h256 }, 'PIN_REQUIRED'],
      [{ tokenId: 'nolib:1', keyId: token.rsa.id, algorithm: 'RSA_PKCS1_SHA256', hash: h256, pin: USER_PIN }, 'TOKEN_NOT_FOUND'],
      [{ tokenId: 'softhsm:77', keyId: token.rsa.id, algorithm: 'RSA_PKCS1_SHA256', hash: h256, pin: USER_PIN }, 'TOKEN_NOT_FOUND'],
      [{ tokenId: '../x', keyId: token.rsa.id, algorithm: 'RSA_PKCS1_SHA256', hash: h256, pin: USER_PIN }, 'INVALID_INPUT'],
    ];
    for (const [i, code] of cases) {
      const r = await gqlData(SIGN, { i });
      expect([i, r.errors?.[0]?.extensions.code, r.errors?.[0]?.message]).toEqual([i, code, expect.anything()]);
    }
  });
});
