import { describe, expect, it } from 'vitest';
import { parseBirthDate, parseNumericDate } from '../../src/card/modules/beid/dates.js';
import { parseAddress, parseIdentity } from '../../src/card/modules/beid/identity.js';
import { parseTlv } from '../../src/card/modules/beid/tlv.js';
import { derFromCardFile } from '../../src/card/modules/beid/certificates.js';
import { derLength } from '../../src/card/modules/beid/card-file-reader.js';

/** Build a BELPIC TLV file (tag, length with FF continuation, value). */
function tlv(fields: [number, string | Buffer][], pad = 0): Buffer {
  const parts: Buffer[] = [];
  for (const [tag, v] of fields) {
    const value = typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
    const len: number[] = [];
    let n = value.length;
    while (n >= 255) {
      len.push(0xff);
      n -= 255;
    }
    len.push(n);
    parts.push(Buffer.from([tag, ...len]), value);
  }
  return Buffer.concat([...parts, Buffer.alloc(pad)]);
}

const identity = (overrides: Partial<Record<number, string | Buffer>> = {}) =>
  tlv(
    Object.entries({
      0x00: Buffer.from([0x01]), 0x01: '590022280724', 0x02: Buffer.alloc(16, 0xab), 0x03: '01.02.2020', 0x04: '01.02.2030',
      0x05: 'Bruxelles', 0x06: '85051599881', 0x07: 'Specimen', 0x08: 'Alice Test', 0x09: 'V', 0x0a: 'Belge',
      0x0b: 'Bruxelles', 0x0c: '15 MAI 1985', 0x0d: 'F', 0x0f: '1', 0x10: '0', 0x11: Buffer.alloc(20, 1), ...overrides,
    }).map(([k, v]) => [Number(k), v as string | Buffer]),
  );

describe('BELPIC TLV and identity parsing', () => {
  it.each([
    ['15 MAI 1985', '1985-05-15'], ['15 MEI 1985', '1985-05-15'], ['01 JANV 2001', '2001-01-01'], ['29 FEV 2000', '2000-02-29'],
    ['29 FEB 2000', '2000-02-29'], ['03 MÄR 1990', '1990-03-03'], ['03.MÄR.1990', '1990-03-03'], ['03 MAAR 1990', '1990-03-03'],
    ['03 MARS 1990', '1990-03-03'], ['10 AOÛT 1970', '1970-08-10'], ['10 AOUT 1970', '1970-08-10'], ['24 DEZ 1999', '1999-12-24'],
    ['12 OKT 1960', '1960-10-12'], ['12 OCT 1960', '1960-10-12'], ['7 JUIL 2010', '2010-07-07'], ['30 SEPT 1950', '1950-09-30'],
  ])('reads the birth date %j', (raw, iso) => {
    expect(parseBirthDate(raw)).toBe(iso);
  });

  it.each(['31 FEV 2000', '15 XYZ 1985', '1985', '', '15/05/1985'])('refuses the birth date %j', (raw) => {
    expect(parseBirthDate(raw)).toBeUndefined();
  });

  it('reads validity dates DD.MM.YYYY', () => {
    expect(parseNumericDate('01.02.2030')).toBe('2030-02-01');
    expect(parseNumericDate('32.01.2030')).toBeUndefined();
  });

  it('decodes lengths of 255 and more (FF continuation) and stops at zero padding', () => {
    const long = 'x'.repeat(300);
    const t = parseTlv(tlv([[0x01, 'a'], [0x02, long], [0x03, 'b']], 40));
    expect(t.get(0x02)!.toString()).toBe(long);
    expect(t.get(0x03)!.toString()).toBe('b');
    expect([...t.keys()]).toEqual([0x01, 0x02, 0x03]);
  });

  it('turns the identity file into typed fields', () => {
    expect(parseIdentity(identity())).toMatchObject({
      cardNumber: '590022280724', chipNumber: 'AB'.repeat(16), validityBegin: '2020-02-01', validityEnd: '2030-02-01',
      nationalNumber: '85051599881', surname: 'Specimen', firstNames: 'Alice Test', thirdNameInitial: 'V', birthDate: '1985-05-15',
      sex: 'FEMALE', documentType: 'BELGIAN_CITIZEN', specialStatus: [], memberOfFamily: false, photoHash: '01'.repeat(20),
    });
  });

  it.each([
    [{ 0x0f: '6' }, 'documentType', 'KIDS_CARD'], [{ 0x0f: '11' }, 'documentType', 'FOREIGNER'], [{ 0x0f: '61' }, 'documentType', 'FOREIGNER'],
    [{ 0x0f: '7' }, 'documentType', 'OTHER'], [{ 0x0d: 'M' }, 'sex', 'MALE'], [{ 0x0d: 'V' }, 'sex', 'FEMALE'], [{ 0x0d: 'W' }, 'sex', 'FEMALE'],
    [{ 0x10: '1' }, 'specialStatus', ['WHITE_CANE']], [{ 0x10: '3' }, 'specialStatus', ['WHITE_CANE', 'EXTENDED_MINORITY']],
    [{ 0x10: '4' }, 'specialStatus', ['YELLOW_CANE']], [{ 0x10: '5' }, 'specialStatus', ['YELLOW_CANE', 'EXTENDED_MINORITY']],
    [{ 0x0c: '15 MEI 1985' }, 'birthDate', '1985-05-15'], [{ 0x14: '1' }, 'memberOfFamily', true],
  ] as const)('maps %j to %s', (over, field, value) => {
    expect((parseIdentity(identity(over as never)) as Record<string, unknown>)[field]).toEqual(value);
  });

  it('refuses a broken identity file with CARD_ERROR', () => {
    expect(() => parseIdentity(identity({ 0x0c: 'garbage' }))).toThrow(expect.objectContaining({ code: 'CARD_ERROR' }));
    expect(() => parseIdentity(Buffer.from([0x01, 0x40, 0x41]))).toThrow(expect.objectContaining({ code: 'CARD_ERROR' }));
    expect(() => parseIdentity(identity({ 0x0d: 'X' }))).toThrow(expect.objectContaining({ code: 'CARD_ERROR' }));
  });

  it('reads the zero-padded address file', () => {
    expect(parseAddress(tlv([[0x01, 'Rue du Spécimen 42'], [0x02, '1000'], [0x03, 'Bruxelles']], 60))).toEqual({
      streetAndNumber: 'Rue du Spécimen 42', zipCode: '1000', municipality: 'Bruxelles',
    });
  });

  it('finds the DER certificate inside a zero-padded file, and none in an all-zero one', () => {
    const der = Buffer.concat([Buffer.from([0x30, 0x82, 0x01, 0x00]), Buffer.alloc(256, 7)]);
    expect(derFromCardFile(Buffer.concat([der, Buffer.alloc(1000)]))!.equals(der)).toBe(true);
    expect(derFromCardFile(Buffer.alloc(2048))).toBeUndefined();
    expect(derLength(der.subarray(0, 16))).toBe(260);
  });
});
