/**
 * The card's security state belongs to the application and tab that verified the PIN,
 * through the real pcscd + vpcd: other applications and tabs cannot use it, it is wiped by
 * a warm reset, after an idle time, and the last-try guard survives restarts.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestConnector, APP_ORIGIN, type TestConnector } from '../helpers/test-connector.js';
import { insertCard, waitForCard, type InsertedCard } from '../helpers/virtual-reader.js';

const A = 'https://a.example.com';
const B = 'https://b.example.com';
const ORIGINS = [
  { origin: APP_ORIGIN, label: 'demo-app' },
  { origin: A, label: 'app-a' },
  { origin: B, label: 'app-b', pinReuseMinutes: 5 },
];
const IDLE_S = 3;
const TAB_A = 'tab-a-0123456789abcdef';
const TAB_B = 'tab-b-0123456789abcdef';
const TAB_B2 = 'tab-b2-0123456789abcdef';

const VERIFY = 'mutation($r: ID!, $p: String!, $l: Boolean) { verifyPin(input: { readerId: $r, pin: $p, allowLastTry: $l }) { verified retriesLeft } }';
const AUTH = 'mutation($i: SignInput!) { authenticate(input: $i) { signature } }';

type Reply = Awaited<ReturnType<TestConnector['call']>>;
const codes = (r: Reply) => ((r.json?.errors ?? []) as { extensions: { code: string } }[]).map((e) => e.extensions.code);

function ask(t: TestConnector, origin: string, tab: string | undefined, query: string, variables: Record<string, unknown>): Promise<Reply> {
  const headers: Record<string, string> = { origin, 'content-type': 'application/json' };
  if (tab) headers['t1c-session'] = tab;
  return t.call({ body: JSON.stringify({ query, variables }), headers });
}

const challenge = () => createHash('sha256').update(randomBytes(32)).digest('base64');

/** Durations of the warm resets the connector logged (ms), in order. */
function resetTimes(t: TestConnector, reason: string): number[] {
  return t
    .logs()
    .split('\n')
    .filter((l) => l.includes('card security state reset'))
    .map((l) => JSON.parse(l) as { reason: string; ms: number })
    .filter((l) => l.reason === reason)
    .map((l) => l.ms);
}

describe('card sessions per application and tab (applet 1.7 through pcscd + vpcd)', () => {
  let t: TestConnector;
  let inserted: InsertedCard;
  let r: string;
  let pin: string;

  beforeAll(async () => {
    t = await startTestConnector({ origins: ORIGINS, cardIdleResetSeconds: IDLE_S });
    inserted = await insertCard(1, { profile: '1.7' });
    r = (await waitForCard(t, 1)).id;
    pin = inserted.card.material.manifest.initialPin;
    // Card data and the authentication certificate read once (cached), so the APDU counts below are the PIN operations alone.
    await ask(t, A, TAB_A, 'query($r: ID!) { beid(readerId: $r) { appletVersion certificates { authentication { subject } } } }', { r });
  });
  afterAll(async () => {
    await inserted.vpcd.remove();
    await waitForCard(t, 1, false);
    await t.close();
  });

  it("application A's verified PIN is not B's: B is asked for the PIN, and B's own PIN operation first resets the card", async () => {
    const card = inserted.card;
    const verified = await ask(t, A, TAB_A, VERIFY, { r, p: pin });
    expect(verified.json.data.verifyPin).toEqual({ verified: true, retriesLeft: 3 });
    expect(card.pinVerifiedNow).toBe(true);

    // B (which even allows reuse in its own tabs) cannot ride on A's verification.
    let apdus = card.apduCount;
    const resets = card.resetCount;
    const refused = await ask(t, B, TAB_B, AUTH, { i: { readerId: r, algorithm: 'RSA_PKCS1_SHA256', hash: challenge() } });
    expect(codes(refused)).toEqual(['PIN_REQUIRED']);
    expect(card.apduCount - apdus).toBe(0);

    // A's own reuse is off (the default): A is asked again too.
    expect(codes(await ask(t, A, TAB_A, AUTH, { i: { readerId: r, algorithm: 'RSA_PKCS1_SHA256', hash: challenge() } }))).toEqual(['PIN_REQUIRED']);

    // B with its PIN: warm reset, then VERIFY + MSE + PSO.
    apdus = card.apduCount;
    let started = performance.now();
    const b = await ask(t, B, TAB_B, AUTH, { i: { readerId: r, algorithm: 'RSA_PKCS1_SHA256', hash: challenge(), pin } });
    const withReset = performance.now() - started;
    expect(b.json.errors).toBeUndefined();
    expect(card.resetCount - resets).toBe(1);
    const apdusWithReset = card.apduCount - apdus;
    expect(apdusWithReset).toBe(3);

    // The same, when B already holds the card: no reset, the same APDUs.
    apdus = card.apduCount;
    started = performance.now();
    const again = await ask(t, B, TAB_B, AUTH, { i: { readerId: r, algorithm: 'RSA_PKCS1_SHA256', hash: challenge(), pin } });
    const withoutReset = performance.now() - started;
    expect(again.json.errors).toBeUndefined();
    expect(card.resetCount - resets).toBe(1);
    expect(card.apduCount - apdus).toBe(3);

    const times = resetTimes(t, 'another application or tab');
    expect(times).toHaveLength(1);
    console.log(
      `application switch: warm reset ${times[0]} ms (SCardDisconnect RESET + SCardConnect), 0 extra APDUs ` +
        `(${apdusWithReset} APDUs with and without it); authenticate with PIN ${withReset.toFixed(1)} ms after a switch, ${withoutReset.toFixed(1)} ms without`,
    );
  });

  it('reuse within the same tab only where the application allows it; no T1C-Session, no reuse; a malformed one is refused', async () => {
    const card = inserted.card;
    expect((await ask(t, B, TAB_B, VERIFY, { r, p: pin })).json.data.verifyPin.verified).toBe(true);
    const apdus = card.apduCount;
    const reused = await ask(t, B, TAB_B, AUTH, { i: { readerId: r, algorithm: 'RSA_PKCS1_SHA256', hash: challenge() } });
    expect(reused.json.errors).toBeUndefined();
    expect(card.apduCount - apdus).toBe(2); // MSE + PSO, no VERIFY
    expect(codes(await ask(t, B, TAB_B2, AUTH, { i: { readerId: r, algorithm: 'RSA_PKCS1_SHA256', hash: challenge() } }))).toEqual(['PIN_REQUIRED']);
    expect(codes(await ask(t, B, undefined, AUTH, { i: { readerId: r, algorithm: 'RSA_PKCS1_SHA256', hash: challenge() } }))).toEqual(['PIN_REQUIRED']);
    // The non-repudiation key never reuses anything.
    expect(codes(await ask(t, B, TAB_B, 'mutation($i: SignInput!) { sign(input: $i) { signature } }', { i: { readerId: r, algorithm: 'RSA_PKCS1_SHA256', hash: challenge() } }))).toEqual(['PIN_REQUIRED']);

    expect((await ask(t, A, TAB_A, VERIFY, { r, p: pin })).json.data.verifyPin.verified).toBe(true);
    expect(codes(await ask(t, A, TAB_A, AUTH, { i: { readerId: r, algorithm: 'RSA_PKCS1_SHA256', hash: challenge() } }))).toEqual(['PIN_REQUIRED']);

    const bad = await ask(t, B, 'short', VERIFY, { r, p: pin });
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].extensions.code).toBe('BAD_REQUEST');
    const long = await ask(t, B, 'x'.repeat(65), VERIFY, { r, p: pin });
    expect(long.status).toBe(400);
  });

  it(`resets the card after ${IDLE_S} s without a PIN operation`, async () => {
    const card = inserted.card;
    expect((await ask(t, B, TAB_B, VERIFY, { r, p: pin })).json.data.verifyPin.verified).toBe(true);
    expect((await ask(t, B, TAB_B, AUTH, { i: { readerId: r, algorithm: 'RSA_PKCS1_SHA256', hash: challenge() } })).json.errors).toBeUndefined();
    const resets = card.resetCount;
    const apdus = card.apduCount;
    // Done when the connector logs the reset as complete (the card sees the reset earlier,
    // while SCardDisconnect runs; the reconnect follows).
    const before = resetTimes(t, 'idle').length;
    const deadline = Date.now() + IDLE_S * 1000 + 3000;
    while (resetTimes(t, 'idle').length === before && Date.now() < deadline) await new Promise((res) => setTimeout(res, 100));
    const idle = resetTimes(t, 'idle');
    expect(idle).toHaveLength(before + 1);
    expect(card.pinVerifiedNow).toBe(false);
    expect(card.resetCount - resets).toBe(1);
    expect(card.apduCount - apdus).toBe(0);
    console.log(`idle reset after ${IDLE_S} s: ${idle.at(-1)} ms, 0 APDUs`);
    expect(codes(await ask(t, B, TAB_B, AUTH, { i: { readerId: r, algorithm: 'RSA_PKCS1_SHA256', hash: challenge() } }))).toEqual(['PIN_REQUIRED']);
  });
});

describe('last-try guard across restarts (applet 1.7 cannot report its counter)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cardlink-connector-'));
  let inserted: InsertedCard | undefined;
  let t: TestConnector | undefined;

  afterEach(async () => {
    await t?.close();
    t = undefined;
  });
  afterAll(async () => {
    if (inserted) {
      await inserted.vpcd.remove();
      inserted = undefined;
    }
  });

  async function start(dir = dataDir): Promise<{ t: TestConnector; r: string }> {
    t = await startTestConnector({ dataDir: dir, origins: ORIGINS });
    return { t, r: (await waitForCard(t, 1)).id };
  }
  const wrong = (c: TestConnector, r: string, allowLastTry = false) => ask(c, A, TAB_A, VERIFY, { r, p: '9999', l: allowLastTry });

  it('a fresh card is usable: the first wrong PIN is spent, not refused', async () => {
    inserted = await insertCard(1, { profile: '1.7' });
    const { t: c, r } = await start(mkdtempSync(join(tmpdir(), 'cardlink-connector-')));
    const w = await wrong(c, r);
    expect(w.json.errors[0].extensions).toMatchObject({ code: 'PIN_INCORRECT', retriesLeft: 2 });
    const ok = await ask(c, A, TAB_A, VERIFY, { r, p: inserted.card.material.manifest.initialPin });
    expect(ok.json.data.verifyPin).toEqual({ verified: true, retriesLeft: 3 });
  });

  it('a restart after a wrong PIN refuses the next try without allowLastTry, and a right PIN clears the memory', async () => {
    const card = inserted!.card;
    let s = await start();
    expect((await wrong(s.t, s.r)).json.errors[0].extensions).toMatchObject({ code: 'PIN_INCORRECT', retriesLeft: 2 });
    await s.t.close();

    // Restarted: the counter is unknown and a wrong PIN was seen: maybe one left.
    s = await start();
    const refused = await wrong(s.t, s.r);
    expect(refused.json.errors[0].extensions).toMatchObject({ code: 'PIN_LAST_TRY_REFUSED', retriesLeft: 1 });
    expect(card.pinTriesLeft).toBe(2); // nothing spent
    expect((await wrong(s.t, s.r, true)).json.errors[0].extensions).toMatchObject({ code: 'PIN_INCORRECT', retriesLeft: 1 });
    await s.t.close();

    // Restarted again with one try left: still refused, the card is not blocked.
    s = await start();
    expect((await wrong(s.t, s.r)).json.errors[0].extensions).toMatchObject({ code: 'PIN_LAST_TRY_REFUSED' });
    expect(card.pinTriesLeft).toBe(1);
    const right = await ask(s.t, A, TAB_A, VERIFY, { r: s.r, p: card.material.manifest.initialPin, l: true });
    expect(right.json.data.verifyPin).toEqual({ verified: true, retriesLeft: 3 });
    await s.t.close();

    // After a success, a restart knows the card is fine: a wrong PIN is spent normally.
    s = await start();
    expect((await wrong(s.t, s.r)).json.errors[0].extensions).toMatchObject({ code: 'PIN_INCORRECT', retriesLeft: 2 });
    await ask(s.t, A, TAB_A, VERIFY, { r: s.r, p: card.material.manifest.initialPin });
  });
});
