import { X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import { afterAll, describe, expect, it } from 'vitest';
import { ATR_17, ATR_18, CardPoweredOffError } from '../src/card/belpic-card.js';
import { AID_BELPIC, AID_ID } from '../src/material/pkcs15.js';
import { PROFILES } from '../src/material/types.js';
import { body, hex, MaterialFixture, readFile, readSelected, readTlv, selectPath, sw } from './helpers.js';

const fx = new MaterialFixture();
afterAll(() => fx.cleanup());

describe.each(PROFILES)('file system, applet %s', (profile) => {
  it('has the profile ATR', async () => {
    const card = await fx.card(profile);
    expect(card.atr.toString('hex').toUpperCase()).toBe(
      profile === '1.7' ? '3B9813400AA503010101AD1311' : '3B7F96000080318065B085040120120FFF829000',
    );
    expect(card.atr.equals(profile === '1.7' ? ATR_17 : ATR_18)).toBe(true);
    expect(card.powerOn().equals(card.atr)).toBe(true);
  });

  it('serves every ID file exactly as stored, by absolute path with and without 3F00', async () => {
    const card = await fx.card(profile);
    const m = card.material;
    const expected: Record<string, Buffer> = {
      '3F00DF014031': m.files.identity,
      '3F00DF014032': m.files.identitySignature,
      '3F00DF014033': m.files.address,
      '3F00DF014034': m.files.addressSignature,
      '3F00DF014035': m.files.photo,
    };
    if (profile === '1.8') expected['3F00DF014040'] = m.files.basicPublicKey!;
    for (const [path, data] of Object.entries(expected)) {
      expect(readFile(card, path).equals(data), path).toBe(true);
      expect(readFile(card, path.slice(4), 0).equals(data), `${path} without 3F00, Le 00`).toBe(true);
    }
    expect(sw(card.transmit(selectPath('3F00DF014040')))).toBe(profile === '1.8' ? 0x9000 : 0x6a82);
  });

  it('serves the certificates with zero padding after the DER', async () => {
    const card = await fx.card(profile);
    const certs = card.material.certs;
    const files: [string, Buffer][] = [
      ['5038', certs.auth],
      ['5039', certs.nonRepudiation],
      ['503A', certs.citizenCa],
      ['503B', certs.root],
      ['503C', certs.rrn],
    ];
    for (const [fid, der] of files) {
      const data = readFile(card, `3F00DF00${fid}`);
      expect(data.length).toBeGreaterThan(der.length);
      expect(data.subarray(0, der.length).equals(der)).toBe(true);
      expect(data.subarray(der.length).every((b) => b === 0)).toBe(true);
      // Still parses as a certificate once trimmed to its DER length.
      expect(new X509Certificate(data.subarray(0, der.length)).serialNumber.length).toBeGreaterThan(0);
    }
  });

  it('serves PKCS#15 files that decode as DER', async () => {
    const card = await fx.card(profile);
    const dir = readFile(card, '3F002F00');
    const app = asn1js.fromBER(new Uint8Array(dir));
    expect(app.offset).toBe(dir.length);
    expect(dir[0]).toBe(0x61);
    expect(dir.includes(AID_BELPIC)).toBe(true);
    const tokenInfo = readFile(card, '3F00DF005032');
    const ti = asn1js.fromBER(new Uint8Array(tokenInfo));
    expect(ti.offset).toBe(tokenInfo.length);
    const serial = (ti.result as asn1js.Sequence).valueBlock.value[1] as asn1js.OctetString;
    expect(Buffer.from(serial.valueBlock.valueHexView).equals(card.material.chipSerial)).toBe(true);
    for (const fid of ['5031', '5034', '5035', '5037']) {
      const data = readFile(card, `3F00DF00${fid}`);
      let offset = 0;
      let objects = 0;
      while (offset < data.length) {
        const r = asn1js.fromBER(new Uint8Array(data.subarray(offset)));
        expect(r.offset, `${fid} @${offset}`).toBeGreaterThan(0);
        offset += r.offset;
        objects++;
      }
      expect(objects).toBe({ '5031': 3, '5034': 1, '5035': 2, '5037': 5 }[fid]);
    }
    const aodf = readFile(card, '3F00DF005034');
    expect(aodf.includes(Buffer.from('Basic PIN'))).toBe(true);
    const prkdf = readFile(card, '3F00DF005035');
    expect(prkdf.includes(hex('02020082'))).toBe(true); // keyReference 0x82
    expect(prkdf.includes(hex('02020083'))).toBe(true); // keyReference 0x83
    expect(prkdf[0]).toBe(profile === '1.7' ? 0x30 : 0xa0); // privateRSAKey / privateECKey [0]
  });

  it('selects by AID, by file id relative to the current DF, and reports unknown files', async () => {
    const card = await fx.card(profile);
    expect(sw(card.transmit(Buffer.concat([hex('00A4040C0C'), AID_ID])))).toBe(0x9000);
    expect(sw(card.transmit(hex('00A4020C024031')))).toBe(0x9000);
    expect(readSelected(card).equals(card.material.files.identity)).toBe(true);
    // 5031 lives in DF00, not in the current DF01.
    expect(sw(card.transmit(hex('00A4020C025031')))).toBe(0x6a82);
    expect(sw(card.transmit(Buffer.concat([hex('00A4040C0C'), AID_BELPIC])))).toBe(0x9000);
    expect(sw(card.transmit(hex('00A4020C025031')))).toBe(0x9000);
    expect(sw(card.transmit(hex('00A4040C0FA00000003029057000AD13100101FF')))).toBe(0x9000);
    expect(sw(card.transmit(hex('00A4040C05A000000001')))).toBe(0x6a82);
    expect(sw(card.transmit(selectPath('3F00DF01BEEF')))).toBe(0x6a82);
    expect(sw(card.transmit(selectPath('3F00DF02')))).toBe(0x6a82);
    expect(sw(card.transmit(hex('00A4FF0C023F00')))).toBe(0x6a86);
    expect(sw(card.transmit(hex('00A40877023F00')))).toBe(0x6a86);
  });

  it('reads like a real card: short reply at the end, 6B00 beyond, Le 00 = 256', async () => {
    const card = await fx.card(profile);
    const photo = card.material.files.photo;
    expect(sw(card.transmit(selectPath('3F00DF014035')))).toBe(0x9000);
    const full = card.transmit(hex('00B0000000'));
    expect(sw(full)).toBe(0x9000);
    expect(body(full).length).toBe(256);
    expect(body(full).equals(photo.subarray(0, 256))).toBe(true);
    // Last chunk: ask for more than is left → the remaining bytes with 9000.
    const last = photo.length - 10;
    const tail = card.transmit(Buffer.from([0x00, 0xb0, last >> 8, last & 0xff, 0xfc]));
    expect(sw(tail)).toBe(0x9000);
    expect(body(tail).equals(photo.subarray(last))).toBe(true);
    // Offset == size and beyond → 6B00.
    const end = photo.length;
    expect(sw(card.transmit(Buffer.from([0x00, 0xb0, end >> 8, end & 0xff, 0x10])))).toBe(0x6b00);
    expect(sw(card.transmit(Buffer.from([0x00, 0xb0, 0x7f, 0x00, 0x10])))).toBe(0x6b00);
    // Exact read of a small file.
    expect(sw(card.transmit(selectPath('3F00DF014033')))).toBe(0x9000);
    const addr = card.transmit(hex('00B0000075'));
    expect(body(addr).length).toBe(117);
    expect(sw(card.transmit(hex('00B0007501')))).toBe(0x6b00);
  });

  it('answers 6Cxx on overrun when asked to', async () => {
    const card = await fx.card(profile, { readBinaryOverrun: '6Cxx' });
    expect(sw(card.transmit(selectPath('3F00DF014033')))).toBe(0x9000);
    expect(sw(card.transmit(hex('00B0000000')))).toBe(0x6c75);
    expect(body(card.transmit(hex('00B0000075'))).length).toBe(117);
  });

  it('rejects READ BINARY without a selected EF, unknown INS and CLA', async () => {
    const card = await fx.card(profile);
    expect(sw(card.transmit(hex('00B0000010')))).toBe(0x6986);
    expect(sw(card.transmit(selectPath('3F00DF01')))).toBe(0x9000);
    expect(sw(card.transmit(hex('00B0000010')))).toBe(0x6986);
    expect(sw(card.transmit(hex('00CA010000')))).toBe(0x6d00);
    expect(sw(card.transmit(hex('80CA010000')))).toBe(0x6d00);
    expect(sw(card.transmit(hex('A0A4000C023F00')))).toBe(0x6e00);
    expect(sw(card.transmit(hex('FFB0000010')))).toBe(0x6e00);
    expect(sw(card.transmit(hex('00A4080C053F00')))).toBe(0x6700); // Lc larger than data
  });

  it('answers GET CARD DATA with exactly 28 bytes and the applet version', async () => {
    const card = await fx.card(profile);
    const r = card.transmit(hex('80E400001C'));
    expect(sw(r)).toBe(0x9000);
    const d = body(r);
    expect(d.length).toBe(28);
    expect(d.subarray(0, 16).equals(card.material.chipSerial)).toBe(true);
    expect(d[21]).toBe(profile === '1.7' ? 0x17 : 0x18);
    expect(d[27]).toBe(0x0f);
    expect(readTlv(card.material.files.identity).get(0x02)!.equals(d.subarray(0, 16))).toBe(true);
    expect(sw(card.transmit(hex('80E4000010')))).toBe(0x6c1c);
    const withTries = card.transmit(hex('80E400011F'));
    if (profile === '1.8') {
      expect(sw(withTries)).toBe(0x9000);
      expect(body(withTries).length).toBe(31);
      expect(body(withTries)[28]).toBe(3);
    } else {
      expect(sw(withTries)).toBe(0x6a86);
    }
  });

  it('counts APDUs and refuses to work when powered off', async () => {
    const card = await fx.card(profile);
    const before = card.apduCount;
    card.transmit(hex('80E400001C'));
    card.transmit(selectPath('3F00DF014031'));
    expect(card.apduCount).toBe(before + 2);
    card.powerOff();
    expect(() => card.transmit(hex('80E400001C'))).toThrow(CardPoweredOffError);
    card.powerOn();
    expect(sw(card.transmit(hex('80E400001C')))).toBe(0x9000);
  });
});
