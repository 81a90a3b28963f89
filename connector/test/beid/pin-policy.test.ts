/**
 * The PIN policy of the BeID module, fast, through the in-process reader and the virtual
 * card (the same paths run through pcscd + vpcd in test/pcsc/card-sessions.test.ts).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVirtualCard, type BelpicCard } from '@cardlink/virtual-card';
import { InProcessReaders } from '../../src/card/virtual/in-process-readers.js';
import { BeidService } from '../../src/card/modules/beid/beid-service.js';
import { assumedTries, type PinMemory } from '../../src/card/modules/beid/pin-memory.js';
import type { CardCaller } from '../../src/card/card-caller.js';

describe('assumedTries (applet 1.7 cannot report its counter)', () => {
  it('uses what this session saw; else treats a remembered wrong PIN as maybe one left; else knows nothing', () => {
    expect(assumedTries(2, { triesLeft: 1 }, 3)).toBe(2);
    expect(assumedTries(1, undefined, 3)).toBe(1);
    expect(assumedTries(undefined, undefined, 3)).toBeUndefined();
    expect(assumedTries(undefined, { triesLeft: 3 }, 3)).toBeUndefined();
    for (const left of [0, 1, 2]) expect(assumedTries(undefined, { triesLeft: left }, 3)).toBe(1);
  });
});

describe('who may use a verified PIN', () => {
  let card: BelpicCard;
  let readers: InProcessReaders;
  let beid: BeidService;
  let r: string;
  let clock = 1_000_000;
  const memory = new Map<string, PinMemory>();
  const A: CardCaller = { app: 'a', tab: 'tab:1', pinReuseMs: 0 };
  const B1: CardCaller = { app: 'b', tab: 'tab:1', pinReuseMs: 5 * 60_000 };
  const B2: CardCaller = { ...B1, tab: 'tab:2' };
  const auth = (c: CardCaller, pin?: string) =>
    beid.sign(r, c, { key: 'AUTHENTICATION', algorithm: 'RSA_PKCS1_SHA256', hash: createHash('sha256').update('x').digest(), pin, allowLastTry: false });

  beforeAll(async () => {
    card = await createVirtualCard({ profile: '1.7', dataDir: mkdtempSync(join(tmpdir(), 'cardlink-vcard-')) });
    readers = new InProcessReaders(pino({ level: 'silent' }));
    readers.insert(card);
    r = readers.list()[0]!.id;
    beid = new BeidService(readers, {
      idleResetMs: 0,
      now: () => clock,
      pinMemory: { get: (k) => memory.get(k), set: (k, m) => memory.set(k, m) },
    });
  });
  afterAll(() => readers.close());

  it('reuse: same tab within the window only; a switch resets the card', async () => {
    const pin = card.material.manifest.initialPin;
    await beid.verifyPin(r, B1, pin, false);
    await expect(auth(B1)).resolves.toBeInstanceOf(Buffer);
    await expect(auth(B2)).rejects.toMatchObject({ code: 'PIN_REQUIRED' });
    await expect(auth(A)).rejects.toMatchObject({ code: 'PIN_REQUIRED' });
    clock += 5 * 60_000 + 1;
    await expect(auth(B1)).rejects.toMatchObject({ code: 'PIN_REQUIRED' });
    const resets = card.resetCount;
    await beid.verifyPin(r, A, pin, false);
    expect(card.resetCount).toBe(resets + 1);
    await beid.verifyPin(r, A, pin, false);
    expect(card.resetCount).toBe(resets + 1); // the holder itself: no reset
  });

  it('remembers the counter per card under a hash of the chip serial, nothing personal', async () => {
    await expect(beid.verifyPin(r, A, '9999', false)).rejects.toMatchObject({ code: 'PIN_INCORRECT', details: { retriesLeft: 2 } });
    const [key, value] = [...memory.entries()][0]!;
    expect(key).toBe(createHash('sha256').update(card.material.chipSerial).digest('hex'));
    expect(value).toEqual({ triesLeft: 2 });
    await beid.verifyPin(r, A, card.material.manifest.initialPin, false);
    expect(memory.get(key)).toEqual({ triesLeft: 3 });
  });
});
