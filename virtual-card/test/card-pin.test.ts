import { afterAll, describe, expect, it } from 'vitest';
import { BelpicCard } from '../src/card/belpic-card.js';
import { readPinState } from '../src/material/store.js';
import { PROFILES } from '../src/material/types.js';
import { body, hex, MaterialFixture, pinBlock, sw, verifyApdu } from './helpers.js';

const fx = new MaterialFixture();
afterAll(() => fx.cleanup());

describe.each(PROFILES)('PIN, applet %s', (profile) => {
  it('counts down wrong PINs, resets on the right one, and blocks after three', async () => {
    const card = await fx.card(profile);
    expect(card.pinTriesLeft).toBe(3);
    expect(sw(card.transmit(verifyApdu('9999')))).toBe(0x63c2);
    expect(sw(card.transmit(verifyApdu('123456')))).toBe(0x63c1);
    expect(sw(card.transmit(verifyApdu('1234')))).toBe(0x9000);
    expect(card.pinTriesLeft).toBe(3);
    expect(sw(card.transmit(verifyApdu('0000')))).toBe(0x63c2);
    expect(sw(card.transmit(verifyApdu('0000')))).toBe(0x63c1);
    expect(sw(card.transmit(verifyApdu('0000')))).toBe(0x63c0);
    expect(card.pinTriesLeft).toBe(0);
    // Blocked: even the right PIN is refused.
    expect(sw(card.transmit(verifyApdu('1234')))).toBe(0x6983);
    expect(sw(card.transmit(Buffer.concat([hex('0024000110'), pinBlock('1234'), pinBlock('5678')])))).toBe(0x6983);
    card.resetPin();
    expect(sw(card.transmit(verifyApdu('1234')))).toBe(0x9000);
  });

  it('rejects malformed PIN blocks without spending a try', async () => {
    const card = await fx.card(profile);
    expect(sw(card.transmit(hex('00200001082412FFFFFFFFFFFF')))).toBe(0x6a80); // length 4, 2 digits
    expect(sw(card.transmit(hex('00200001081412 34FFFFFFFFFF')))).toBe(0x6a80); // not format 2
    expect(sw(card.transmit(hex('00200001042412 34FF')))).toBe(0x6700);
    expect(sw(card.transmit(hex('0020000208241234FFFFFFFFFF')))).toBe(0x6a88);
    expect(card.pinTriesLeft).toBe(3);
  });

  it('reports the retry counter on VERIFY without data only on applet 1.8', async () => {
    const card = await fx.card(profile);
    card.transmit(verifyApdu('0000'));
    const r = card.transmit(hex('00200001'));
    if (profile === '1.8') {
      expect(sw(r)).toBe(0x63c2);
      expect(sw(card.transmit(hex('00200001')))).toBe(0x63c2); // no try spent
      expect(body(card.transmit(hex('80E400011F')))[28]).toBe(2);
    } else {
      expect(sw(r)).toBe(0x6700);
    }
    expect(card.pinTriesLeft).toBe(2);
  });

  it('persists the retry counter: a blocked card stays blocked across inserts', async () => {
    const dir = await fx.copy(profile);
    const card = BelpicCard.fromDir(dir);
    for (let i = 0; i < 3; i++) card.transmit(verifyApdu('0000'));
    expect(readPinState(dir).triesLeft).toBe(0);
    const again = BelpicCard.fromDir(dir);
    expect(again.pinTriesLeft).toBe(0);
    expect(sw(again.transmit(verifyApdu('1234')))).toBe(0x6983);
    again.resetPin();
    expect(BelpicCard.fromDir(dir).pinTriesLeft).toBe(3);
  });

  it('starts with the requested number of tries', async () => {
    const card = await fx.card(profile, { pinTries: 1 });
    expect(card.pinTriesLeft).toBe(1);
    expect(sw(card.transmit(verifyApdu('0000')))).toBe(0x63c0);
    expect(sw(card.transmit(verifyApdu('1234')))).toBe(0x6983);
    await expect(fx.card(profile, { pinTries: 4 })).rejects.toThrow(RangeError);
  });

  it('changes the PIN (old ‖ new) and keeps it across inserts', async () => {
    const dir = await fx.copy(profile);
    const card = BelpicCard.fromDir(dir);
    const change = (oldPin: string, newPin: string) =>
      card.transmit(Buffer.concat([hex('0024000110'), pinBlock(oldPin), pinBlock(newPin)]));
    expect(sw(change('1111', '5678'))).toBe(0x63c2);
    expect(sw(change('1234', '567890'))).toBe(0x9000);
    expect(card.pinTriesLeft).toBe(3);
    expect(sw(card.transmit(verifyApdu('1234')))).toBe(0x63c2);
    expect(sw(card.transmit(verifyApdu('567890')))).toBe(0x9000);
    const again = BelpicCard.fromDir(dir);
    expect(sw(again.transmit(verifyApdu('567890')))).toBe(0x9000);
    expect(sw(again.transmit(hex('0024000108241234FFFFFFFFFF')))).toBe(0x6700);
    again.resetPin();
    expect(sw(BelpicCard.fromDir(dir).transmit(verifyApdu('1234')))).toBe(0x9000);
  });

  it('does not write PIN state when persistPin is false', async () => {
    const dir = await fx.copy(profile);
    const card = BelpicCard.fromDir(dir, { persistPin: false });
    card.transmit(verifyApdu('0000'));
    expect(card.pinTriesLeft).toBe(2);
    expect(readPinState(dir).triesLeft).toBe(3);
  });
});
