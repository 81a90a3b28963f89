import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestConnector, type TestConnector } from './helpers/test-connector.js';
import { VIRTUAL_READER_NAME } from '../src/card/virtual/in-process-readers.js';

// `--virtual-card`: the embedded default uses an in-process card, never instead of PC/SC
// unless asked. Fast checks of the whole GraphQL path without pcscd.
let t: TestConnector;
beforeAll(async () => {
  t = await startTestConnector({ virtualCard: '1.7' });
});
afterAll(() => t.close());

describe('in-process virtual card (--virtual-card)', () => {
  it('shows one virtual reader holding a BeID card', async () => {
    const r = await t.query('{ readers { id name card { module atr } } }');
    expect(r.json.data.readers).toEqual([
      { id: expect.any(String), name: VIRTUAL_READER_NAME, card: { module: 'BEID', atr: '3B9813400AA503010101AD1311' } },
    ]);
  });

  it('reads the card with integrity and verifies the PIN', async () => {
    const id = (await t.query('{ readers { id } }')).json.data.readers[0].id;
    const r = await t.query('query($r: ID!) { beid(readerId: $r) { identity { surname documentType } integrity { identity address photo } } }', { r: id });
    expect(r.json.data.beid).toEqual({ identity: { surname: 'Specimen', documentType: 'BELGIAN_CITIZEN' }, integrity: { identity: true, address: true, photo: true } });
    const pin = await t.query('mutation($r: ID!) { verifyPin(input: { readerId: $r, pin: "1234" }) { verified retriesLeft } }', { r: id });
    expect(pin.json.data.verifyPin).toEqual({ verified: true, retriesLeft: 3 });
  });

  it('keeps the card material in the data dir across restarts', async () => {
    const id = (await t.query('{ readers { id } }')).json.data.readers[0].id;
    const q = 'query($r: ID!) { beid(readerId: $r) { identity { chipNumber } } }';
    const before = (await t.query(q, { r: id })).json.data.beid.identity.chipNumber;
    const again = await startTestConnector({ virtualCard: '1.7', dataDir: t.dataDir, port: 0 });
    try {
      expect((await again.query(q, { r: id })).json.data.beid.identity.chipNumber).toBe(before);
    } finally {
      await again.close();
    }
  });
});
