import { constants, createHash, createPublicKey, randomBytes, verify, X509Certificate } from 'node:crypto';
import { p384 } from '@noble/curves/nist.js';
import { afterAll, describe, expect, it } from 'vitest';
import type { BelpicCard } from '../src/card/belpic-card.js';
import { digestInfo } from '../src/card/signing.js';
import { body, hex, MaterialFixture, mse, pso, sw, verifyApdu } from './helpers.js';

const fx = new MaterialFixture();
afterAll(() => fx.cleanup());

const AUTH = 0x82;
const NR = 0x83;
const message = Buffer.from('document to sign, virtual BELPIC test');

function certKey(card: BelpicCard, key: number) {
  return new X509Certificate(key === AUTH ? card.material.certs.auth : card.material.certs.nonRepudiation).publicKey;
}

function sign(card: BelpicCard, alg: number, key: number, input: Buffer): Buffer {
  if (key === NR) expect(sw(card.transmit(verifyApdu('1234')))).toBe(0x9000);
  expect(sw(card.transmit(mse(alg, key)))).toBe(0x9000);
  const r = card.transmit(pso(input));
  expect(sw(r)).toBe(0x9000);
  return body(r);
}

describe('applet 1.7 (RSA-2048) signatures', () => {
  const cases: { alg: number; hash: string; pss: boolean; digestInfo?: boolean }[] = [
    { alg: 0x01, hash: 'sha256', pss: false, digestInfo: true },
    { alg: 0x02, hash: 'sha1', pss: false },
    { alg: 0x04, hash: 'md5', pss: false },
    { alg: 0x08, hash: 'sha256', pss: false },
    { alg: 0x10, hash: 'sha1', pss: true },
    { alg: 0x20, hash: 'sha256', pss: true },
  ];
  for (const key of [AUTH, NR]) {
    for (const c of cases) {
      it(`alg ${c.alg.toString(16).padStart(2, '0')} with key ${key.toString(16)} verifies against the certificate`, async () => {
        const card = await fx.card('1.7');
        if (key === AUTH) expect(sw(card.transmit(verifyApdu('1234')))).toBe(0x9000);
        const h = createHash(c.hash).update(message).digest();
        const input = c.digestInfo ? digestInfo(c.hash, h) : h;
        const sig = sign(card, c.alg, key, input);
        expect(sig.length).toBe(256);
        const pub = certKey(card, key);
        const keyOpts = c.pss
          ? { key: pub, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: h.length }
          : { key: pub, padding: constants.RSA_PKCS1_PADDING };
        expect(verify(c.hash, message, keyOpts, sig)).toBe(true);
        expect(verify(c.hash, Buffer.from('other'), keyOpts, sig)).toBe(false);
        // The other key's certificate must not verify it.
        expect(verify(c.hash, message, { ...keyOpts, key: certKey(card, key === AUTH ? NR : AUTH) }, sig)).toBe(false);
      });
    }
  }

  it('checks the hash length against the algorithm', async () => {
    const card = await fx.card('1.7');
    card.transmit(verifyApdu('1234'));
    expect(sw(card.transmit(mse(0x08, AUTH)))).toBe(0x9000);
    expect(sw(card.transmit(pso(randomBytes(20))))).toBe(0x6a80);
    expect(sw(card.transmit(mse(0x02, AUTH)))).toBe(0x9000);
    expect(sw(card.transmit(pso(randomBytes(32))))).toBe(0x6a80);
    expect(sw(card.transmit(mse(0x01, AUTH)))).toBe(0x9000);
    expect(sw(card.transmit(pso(randomBytes(250))))).toBe(0x6a80);
    expect(sw(card.transmit(mse(0x40, AUTH)))).toBe(0x6a80); // 1.8-only reference
  });
});

describe('applet 1.8 (ECDSA P-384) signatures', () => {
  const cases: { alg: number; hash: string }[] = [
    { alg: 0x01, hash: 'sha256' },
    { alg: 0x02, hash: 'sha384' },
    { alg: 0x04, hash: 'sha512' },
    { alg: 0x08, hash: 'sha3-256' },
    { alg: 0x10, hash: 'sha3-384' },
    { alg: 0x20, hash: 'sha3-512' },
  ];
  for (const key of [AUTH, NR]) {
    for (const c of cases) {
      it(`alg ${c.alg.toString(16).padStart(2, '0')} with key ${key.toString(16)} gives r‖s that verifies`, async () => {
        const card = await fx.card('1.8');
        if (key === AUTH) card.transmit(verifyApdu('1234'));
        const h = createHash(c.hash).update(message).digest();
        const sig = sign(card, c.alg, key, h);
        expect(sig.length).toBe(96);
        const pub = certKey(card, key);
        expect(verify(c.hash, message, { key: pub, dsaEncoding: 'ieee-p1363' }, sig)).toBe(true);
        expect(verify(c.hash, Buffer.from('other'), { key: pub, dsaEncoding: 'ieee-p1363' }, sig)).toBe(false);
      });
    }
    it(`alg 40 (raw hash) with key ${key.toString(16)}`, async () => {
      const card = await fx.card('1.8');
      if (key === AUTH) card.transmit(verifyApdu('1234'));
      // A SHA-384 hash sent raw verifies as a SHA-384 signature of the message.
      const h = createHash('sha384').update(message).digest();
      const sig = sign(card, 0x40, key, h);
      const pub = certKey(card, key);
      expect(verify('sha384', message, { key: pub, dsaEncoding: 'ieee-p1363' }, sig)).toBe(true);
      // Any other raw value: check with an independent ECDSA implementation.
      const raw = randomBytes(24);
      const sig2 = sign(card, 0x40, key, raw);
      const point = pub.export({ format: 'der', type: 'spki' }).subarray(-97);
      expect(p384.verify(sig2, raw, point, { prehash: false, lowS: false })).toBe(true);
    });
  }

  it('checks the hash length against the algorithm', async () => {
    const card = await fx.card('1.8');
    card.transmit(verifyApdu('1234'));
    expect(sw(card.transmit(mse(0x02, AUTH)))).toBe(0x9000);
    expect(sw(card.transmit(pso(randomBytes(32))))).toBe(0x6a80);
    expect(sw(card.transmit(mse(0x40, AUTH)))).toBe(0x9000);
    expect(sw(card.transmit(pso(randomBytes(65))))).toBe(0x6a80);
    expect(sw(card.transmit(mse(0x80, AUTH)))).toBe(0x6a80);
  });

  it('INTERNAL AUTHENTICATE signs the challenge with the basic key (4040)', async () => {
    const card = await fx.card('1.8');
    const challenge = randomBytes(32);
    const r = card.transmit(Buffer.concat([hex('00880281'), Buffer.from([challenge.length + 2, 0x94, challenge.length]), challenge]));
    expect(sw(r)).toBe(0x9000);
    const basic = createPublicKey({ key: card.material.files.basicPublicKey!, format: 'der', type: 'spki' });
    expect(verify('sha384', challenge, { key: basic, dsaEncoding: 'ieee-p1363' }, body(r))).toBe(true);
    const c17 = await fx.card('1.7');
    expect(sw(c17.transmit(Buffer.concat([hex('00880281'), Buffer.from([4, 0x94, 2, 1, 2])])))).toBe(0x6d00);
  });
});

describe.each(['1.7', '1.8'] as const)('security rules, applet %s', (profile) => {
  const alg = profile === '1.7' ? 0x08 : 0x01;
  const hash = () => createHash('sha256').update(message).digest();

  it('authentication key needs the PIN once per session', async () => {
    const card = await fx.card(profile);
    expect(sw(card.transmit(mse(alg, AUTH)))).toBe(0x9000);
    expect(sw(card.transmit(pso(hash())))).toBe(0x6982);
    expect(sw(card.transmit(verifyApdu('1234')))).toBe(0x9000);
    expect(sw(card.transmit(mse(alg, AUTH)))).toBe(0x9000);
    // Many commands later, still fine: once per session.
    for (let i = 0; i < 5; i++) card.transmit(hex('80E400001C'));
    expect(sw(card.transmit(pso(hash())))).toBe(0x9000);
    expect(sw(card.transmit(pso(hash())))).toBe(0x9000);
    // LOG OFF ends it.
    expect(sw(card.transmit(hex('80E60000')))).toBe(0x9000);
    expect(sw(card.transmit(pso(hash())))).toBe(0x6982);
    // So does a reset.
    card.transmit(verifyApdu('1234'));
    card.reset();
    expect(sw(card.transmit(mse(alg, AUTH)))).toBe(0x9000);
    expect(sw(card.transmit(pso(hash())))).toBe(0x6982);
    // And a wrong PIN.
    card.transmit(verifyApdu('1234'));
    card.transmit(verifyApdu('9999'));
    card.transmit(mse(alg, AUTH));
    expect(sw(card.transmit(pso(hash())))).toBe(0x6982);
    card.resetPin();
  });

  it('non-repudiation key needs VERIFY right before (at most one command between)', async () => {
    const card = await fx.card(profile);
    // No VERIFY at all.
    expect(sw(card.transmit(mse(alg, NR)))).toBe(0x9000);
    expect(sw(card.transmit(pso(hash())))).toBe(0x6982);
    // VERIFY, MSE, PSO: allowed.
    card.transmit(verifyApdu('1234'));
    card.transmit(mse(alg, NR));
    expect(sw(card.transmit(pso(hash())))).toBe(0x9000);
    // One signature per VERIFY.
    card.transmit(mse(alg, NR));
    expect(sw(card.transmit(pso(hash())))).toBe(0x6982);
    // MSE first, then VERIFY, then PSO directly: allowed.
    card.transmit(mse(alg, NR));
    card.transmit(verifyApdu('1234'));
    expect(sw(card.transmit(pso(hash())))).toBe(0x9000);
    // VERIFY, two commands, PSO: refused.
    card.transmit(verifyApdu('1234'));
    card.transmit(hex('80E400001C'));
    card.transmit(mse(alg, NR));
    expect(sw(card.transmit(pso(hash())))).toBe(0x6982);
    // The authentication key still works after all that (PIN verified this session).
    card.transmit(mse(alg, AUTH));
    expect(sw(card.transmit(pso(hash())))).toBe(0x9000);
  });

  it('rejects PSO without MSE and malformed MSE', async () => {
    const card = await fx.card(profile);
    card.transmit(verifyApdu('1234'));
    expect(sw(card.transmit(pso(hash())))).toBe(0x6985);
    expect(sw(card.transmit(mse(alg, 0x84)))).toBe(0x6a88);
    expect(sw(card.transmit(hex('002241B60480018482')))).toBe(0x6a80);
    expect(sw(card.transmit(hex('002281B6050480018482')))).toBe(0x6a86);
    card.transmit(mse(alg, AUTH));
    expect(sw(card.transmit(Buffer.concat([hex('002A9E9B20'), hash()])))).toBe(0x6a86);
  });
});
