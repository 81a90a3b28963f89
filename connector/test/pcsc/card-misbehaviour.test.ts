/**
 * A card that misbehaves, through the real pcscd + vpcd: every failure is a typed error in
 * bounded time, and the reader is usable again for the next request.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestConnector, APP_ORIGIN, type TestConnector } from '../helpers/test-connector.js';
import { insertCard, waitForCard, type InsertedCard } from '../helpers/virtual-reader.js';

const APDU_MS = 1500;
const OPERATION_MS = 6000;
const OTHER_ORIGIN = 'https://other.example.com';
const READ_BINARY = 0xb0;

const ADDRESS = 'query($r: ID!) { beid(readerId: $r) { address { zipCode } } }';

let t: TestConnector;
let inserted: InsertedCard | undefined;

beforeAll(async () => {
  t = await startTestConnector({
    cardApduTimeoutMs: APDU_MS,
    cardOperationTimeoutMs: OPERATION_MS,
    origins: [
      { origin: APP_ORIGIN, label: 'demo-app' },
      { origin: OTHER_ORIGIN, label: 'other-app' },
    ],
  });
});
afterAll(() => t.close());
afterEach(async () => {
  if (!inserted) return;
  await inserted.vpcd.remove();
  await waitForCard(t, 1, false);
  inserted = undefined;
});

async function insert(opts: Parameters<typeof insertCard>[1] = {}): Promise<string> {
  inserted = await insertCard(1, { profile: '1.7', ...opts });
  return (await waitForCard(t, 1)).id;
}

const codes = (r: { json: { errors?: { extensions: { code: string } }[] } }) => (r.json.errors ?? []).map((e) => e.extensions.code);

const fromOther = (query: string, variables: Record<string, unknown>) =>
  t.call({ body: JSON.stringify({ query, variables }), headers: { origin: OTHER_ORIGIN, 'content-type': 'application/json' } });

describe('broken answers through pcscd + vpcd', () => {
  it.each(['garbage', 'truncated', 'overlong'] as const)('%s answer: a typed CARD_ERROR, then the same reader serves the next request', async (mode) => {
    const id = await insert();
    const card = inserted!.card;
    // Warm up: the connector is connected to the card before the bad answer.
    expect((await t.query('query($r: ID!) { beid(readerId: $r) { appletVersion } }', { r: id })).json.data.beid.appletVersion).toBe('1.7');
    card.misbehave({ mode, ins: READ_BINARY });
    const bad = await t.query(ADDRESS, { r: id });
    expect(bad.status).toBe(200);
    expect(codes(bad)).toEqual(['CARD_ERROR']);
    const resetsBefore = card.resetCount;
    const next = await t.query(ADDRESS, { r: id });
    expect(next.json.errors).toBeUndefined();
    expect(next.json.data.beid.address.zipCode).toBe(card.material.manifest.citizen.address.zip);
    // The reader came back through a warm reset (SCardDisconnect with SCARD_RESET_CARD).
    expect(card.resetCount).toBeGreaterThan(resetsBefore);
    // And a PIN verification (a fresh security state after the reset) works too.
    const pin = await t.query('mutation($r: ID!, $p: String!) { verifyPin(input: { readerId: $r, pin: $p }) { verified retriesLeft } }', {
      r: id,
      p: card.material.manifest.initialPin,
    });
    expect(pin.json.data.verifyPin).toEqual({ verified: true, retriesLeft: 3 });
    expect(t.logs()).not.toContain('Third argument');
    expect(t.logs()).not.toContain('resolver failed');
  });
});

describe('a card that does not answer', () => {
  it('never answers: CARD_TIMEOUT within the APDU bound, and a second caller is not held forever', async () => {
    const id = await insert();
    const card = inserted!.card;
    await t.query('query($r: ID!) { beid(readerId: $r) { appletVersion } }', { r: id });
    card.misbehave({ mode: 'hang', ins: READ_BINARY });
    const started = Date.now();
    const first = t.query(ADDRESS, { r: id }).then((r) => ({ r, ms: Date.now() - started }));
    // Another application asks meanwhile; it queues behind the hung request.
    await new Promise((r) => setTimeout(r, 100));
    const second = fromOther('query($r: ID!) { beid(readerId: $r) { identity { surname } } }', { r: id }).then((r) => ({ r, ms: Date.now() - started }));
    const [a, b] = await Promise.all([first, second]);
    console.log(`hang: first request CARD_TIMEOUT after ${a.ms} ms, second after ${b.ms} ms (APDU bound ${APDU_MS} ms)`);
    expect(codes(a.r)).toEqual(['CARD_TIMEOUT']);
    expect(a.r.json.errors[0].extensions.timeoutMs).toBe(APDU_MS);
    expect(a.ms).toBeGreaterThanOrEqual(APDU_MS - 50);
    expect(a.ms).toBeLessThan(APDU_MS + 1000);
    // The second waits at most one more bound for the pending command, then gives up typed.
    expect(codes(b.r)).toEqual(['CARD_TIMEOUT']);
    expect(b.ms).toBeLessThan(2 * APDU_MS + 1000);
    // Pulling the card frees the reader; the next card works.
    await inserted!.vpcd.remove();
    await waitForCard(t, 1, false);
    const id2 = await insert();
    const ok = await t.query(ADDRESS, { r: id2 });
    expect(ok.json.errors).toBeUndefined();
    expect(ok.json.data.beid.address.zipCode).toBe(inserted!.card.material.manifest.citizen.address.zip);
  });

  it('answers late: the late caller times out, the queue moves on and the next request is served after a reset', async () => {
    const id = await insert();
    const card = inserted!.card;
    await t.query('query($r: ID!) { beid(readerId: $r) { appletVersion } }', { r: id });
    card.misbehave({ mode: 'hang', ins: READ_BINARY, hangMs: APDU_MS + 1000 });
    const started = Date.now();
    const first = t.query(ADDRESS, { r: id }).then((r) => ({ r, ms: Date.now() - started }));
    await new Promise((r) => setTimeout(r, 100));
    const second = fromOther('query($r: ID!) { beid(readerId: $r) { identity { surname } } }', { r: id }).then((r) => ({ r, ms: Date.now() - started }));
    const [a, b] = await Promise.all([first, second]);
    console.log(`late answer: first CARD_TIMEOUT after ${a.ms} ms, second served after ${b.ms} ms`);
    expect(codes(a.r)).toEqual(['CARD_TIMEOUT']);
    expect(a.ms).toBeLessThan(APDU_MS + 1000);
    expect(b.r.json.errors).toBeUndefined();
    expect(b.r.json.data.beid.identity.surname).toBe(card.material.manifest.citizen.surname);
    // Its bound: the wait for the late answer (one APDU bound) is part of its operation.
    expect(b.ms).toBeLessThan(APDU_MS + OPERATION_MS);
    const again = await t.query(ADDRESS, { r: id });
    expect(again.json.data.beid.address.zipCode).toBe(card.material.manifest.citizen.address.zip);
  });

  it('a slow card: each answer within the APDU bound, the operation bound still ends it', async () => {
    const id = await insert();
    const card = inserted!.card;
    await t.query('query($r: ID!) { beid(readerId: $r) { appletVersion } }', { r: id });
    // The photo takes ~12 READ BINARY; at 800 ms each it would take ~10 s.
    card.misbehave({ mode: 'hang', ins: READ_BINARY, hangMs: 800, count: 100 });
    const started = Date.now();
    const r = await t.query('query($r: ID!) { beid(readerId: $r) { photo { size } } }', { r: id });
    const ms = Date.now() - started;
    console.log(`slow card: CARD_TIMEOUT after ${ms} ms (operation bound ${OPERATION_MS} ms)`);
    expect(codes(r)).toEqual(['CARD_TIMEOUT']);
    expect(r.json.errors[0].extensions.timeoutMs).toBe(OPERATION_MS);
    expect(ms).toBeGreaterThanOrEqual(OPERATION_MS - 50);
    expect(ms).toBeLessThan(OPERATION_MS + APDU_MS + 1000);
    card.behave();
    const ok = await t.query('query($r: ID!) { beid(readerId: $r) { photo { size } integrity { photo } } }', { r: id });
    expect(ok.json.errors).toBeUndefined();
    expect(ok.json.data.beid.photo.size).toBe(card.material.files.photo.length);
    expect(ok.json.data.beid.integrity.photo).toBe(true);
  });
});

describe('hostile card content', () => {
  it('a photo that is not a JPEG (hash and signatures consistent): integrity false, photo a typed CARD_ERROR', async () => {
    const id = await insert({ tamper: { photoNotJpeg: true } });
    const r = await t.query('query($r: ID!) { beid(readerId: $r) { integrity { identity address photo } } }', { r: id });
    expect(r.json.errors).toBeUndefined();
    expect(r.json.data.beid.integrity).toEqual({ identity: true, address: true, photo: false });
    const p = await t.query('query($r: ID!) { beid(readerId: $r) { photo { size } } }', { r: id });
    expect(codes(p)).toEqual(['CARD_ERROR']);
    expect(t.logs()).not.toContain('resolver failed');
  });
});
