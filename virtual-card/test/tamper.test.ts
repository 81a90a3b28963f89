import { afterAll, describe, expect, it } from 'vitest';
import type { BelpicCard, Tamper } from '../src/card/belpic-card.js';
import { checkIntegrity, trimDer } from '../src/material/rrn.js';
import { PROFILES } from '../src/material/types.js';
import { MaterialFixture, readFile, readTlv } from './helpers.js';

const fx = new MaterialFixture();
afterAll(() => fx.cleanup());

/** Everything read through APDUs, as a connector would. */
function integrityOf(card: BelpicCard) {
  const identity = readFile(card, '3F00DF014031');
  return {
    result: checkIntegrity({
      identity,
      identitySignature: readFile(card, '3F00DF014032'),
      address: readFile(card, '3F00DF014033'),
      addressSignature: readFile(card, '3F00DF014034'),
      photo: readFile(card, '3F00DF014035'),
      photoHash: readTlv(identity).get(0x11)!,
      rrnCert: trimDer(readFile(card, '3F00DF00503C')),
    }),
    identity,
  };
}

describe.each(PROFILES)('tamper options, applet %s', (profile) => {
  it('an untouched card passes all three checks', async () => {
    const { result } = integrityOf(await fx.card(profile));
    expect(result).toEqual({ identity: true, address: true, photo: true });
  });

  const cases: [Tamper, { identity: boolean; address: boolean; photo: boolean }][] = [
    [{ identity: true }, { identity: false, address: true, photo: true }],
    [{ address: true }, { identity: true, address: false, photo: true }],
    [{ photo: true }, { identity: true, address: true, photo: false }],
    [{ identity: true, address: true, photo: true }, { identity: false, address: false, photo: false }],
  ];
  for (const [tamper, expected] of cases) {
    it(`tamper ${Object.keys(tamper).join('+')} breaks exactly that`, async () => {
      const card = await fx.card(profile, { tamper });
      const { result, identity } = integrityOf(card);
      expect(result).toEqual(expected);
      // Tampered files still parse as TLV / JPEG.
      expect(readTlv(identity).get(0x07)!.toString()).toBe(tamper.identity ? 'Rpecimen' : 'Specimen');
      const photo = readFile(card, '3F00DF014035');
      expect(photo.subarray(0, 2).toString('hex')).toBe('ffd8');
      expect(photo.length).toBe(card.material.files.photo.length);
      // The stored material is not touched.
      expect(card.material.files.identity.equals(identity)).toBe(!tamper.identity);
    });
  }
});
