// Signatures through PKCS#11 reach the DS's reports with module PKCS11: a real SoftHSM2 token
// signs through the connector, the connector syncs with a real DS over HTTPS, and the DS's
// transaction report (by module) and billing table count them next to the eID's.
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, reports } from '@cardlink/distribution-service';
import { TOKEN_RE } from '@cardlink/ds-protocol';
import { startTestConnector, type TestConnector } from '../helpers/test-connector.js';
import { startTestDs, type TestDs } from '../helpers/test-ds.js';
import { call, gql } from '../helpers/https-client.js';
import { createSoftHsmToken, SOFTHSM_LIB, USER_PIN, type SoftHsmToken } from '../helpers/softhsm-token.js';
import { writeConfiguredLibraries } from '../../src/card/modules/pkcs11/libraries.js';

const SHOP = 'https://shop.example.com';
let ds: TestDs;
let t: TestConnector;
let token: SoftHsmToken;

const asShop = (q: string, v?: Record<string, unknown>) =>
  call(t.port, t.c.certs.load()!.ca, { body: gql(q, v), headers: { origin: SHOP, 'content-type': 'application/json', 't1c-tag': 'p11-billing' } });

beforeAll(async () => {
  token = createSoftHsmToken('billing-token');
  process.env.SOFTHSM2_CONF = token.conf;
  ds = await startTestDs();
  await ds.addOrigin(SHOP);
  // A legacy application: its page sends the token PIN (the connector-page flow is tested apart).
  await applications.setApplicationSettings(ds.ds.services, { org: 'acme', label: 'shop', pinEntry: 'HOST_PAGE' });
  const dataDir = mkdtempSync(join(tmpdir(), 'cardlink-p11ds-'));
  writeConfiguredLibraries(dataDir, [{ name: 'softhsm', path: SOFTHSM_LIB }], ['opensc', 'softhsm2']);
  t = await startTestConnector({
    dataDir,
    virtualCard: '1.8',
    pkcs11TimeoutMs: 10_000,
    dsUrl: ds.url,
    dsToken: ds.token,
    dsCaFile: ds.tlsCaFile,
    dsCycleSeconds: 3600,
    dsInitialDelayMaxSeconds: 0,
  });
  for (const start = Date.now(); !t.c.ds?.client.deviceId; ) {
    if (Date.now() - start > 15_000) throw new Error('the connector did not register');
    await new Promise((r) => setTimeout(r, 50));
  }
  await t.c.ds!.scheduler.syncNow();
});

afterAll(async () => {
  await t?.close();
  await ds?.close();
  token?.remove();
});

describe('PKCS#11 transactions in the DS', () => {
  it('module PKCS11 is a valid wire token, the DS stores it, reports it by module and bills it', async () => {
    expect(TOKEN_RE.test('PKCS11')).toBe(true);
    const tokenId = (await asShop('{ tokens { id } }')).json.data.tokens[0].id;
    const hash = createHash('sha256').update('billed').digest('base64');
    const SIGN = 'mutation($i: TokenSignInput!) { tokenSign(input: $i) { signature } }';
    const AUTH = 'mutation($i: TokenSignInput!) { tokenAuthenticate(input: $i) { signature } }';
    for (const q of [SIGN, SIGN, AUTH]) {
      const r = await asShop(q, { i: { tokenId, keyId: token.ec.id, algorithm: 'ECDSA_SHA256', hash, pin: USER_PIN } });
      expect(r.json.errors).toBeUndefined();
    }
    const wrong = await asShop(SIGN, { i: { tokenId, keyId: token.ec.id, algorithm: 'ECDSA_SHA256', hash, pin: '97531' } });
    expect(wrong.json.errors[0].extensions.code).toBe('PIN_INCORRECT');
    // An eID identity read on the same machine, for contrast.
    const reader = (await asShop('{ readers { id } }')).json.data.readers[0].id;
    expect((await asShop('query($r: ID!) { beid(readerId: $r) { identity { surname } } }', { r: reader })).json.errors).toBeUndefined();

    await t.c.ds!.scheduler.syncNow();
    expect(t.c.services.transactions.pending(10_000)).toEqual([]);
    const rows = await reports.transactionReport(ds.ds.services, { org: 'acme', by: ['module', 'useCase', 'result', 'tag'] });
    const key = (r: (typeof rows)[number]) => `${r.module} ${r.useCase} ${r.result}`;
    expect(rows.sort((a, b) => (key(a) < key(b) ? -1 : 1))).toEqual([
      { module: 'PKCS11', useCase: 'AUTHENTICATION', result: 'OK', tag: 'p11-billing', count: 1 },
      { module: 'PKCS11', useCase: 'SIGNATURE', result: 'OK', tag: 'p11-billing', count: 2 },
      { module: 'PKCS11', useCase: 'SIGNATURE', result: 'PIN_INCORRECT', tag: 'p11-billing', count: 1 },
      { module: 'beid', useCase: 'IDENTITY_READ', result: 'OK', tag: 'p11-billing', count: 1 },
    ]);
    // The dashboard's billing table (transactions model, OK only) counts them per use case.
    const day = new Date().toISOString().slice(0, 10);
    const bill = await reports.billingReport(ds.ds.services, { org: 'acme', model: 'transactions', from: day, to: day, period: 'range', byLabel: true, byTag: false, okOnly: true });
    const col = (name: string) => bill.table.columns.indexOf(name);
    const row = bill.table.rows.find((r) => r.includes('shop'))!;
    expect([row[col('SIGNATURE')], row[col('AUTHENTICATION')], row[col('IDENTITY_READ')]]).toEqual([2, 1, 1]);
  }, 30_000);
});
