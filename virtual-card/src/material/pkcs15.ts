import * as asn1js from 'asn1js';
import type { Profile } from './types.js';

/**
 * PKCS#15 structures of the BELPIC DF (3F00/DF00), built with asn1js. Layout follows the
 * BELPIC cards and what OpenSC's pkcs15 parser reads (pkcs15.c, pkcs15-pin.c,
 * pkcs15-prkey.c, pkcs15-cert.c).
 */

export const AID_APPLET = Buffer.from('A00000003029057000AD13100101FF', 'hex');
export const AID_BELPIC = Buffer.from('A000000177504B43532D3135', 'hex');
export const AID_ID = Buffer.from('A000000177496446696C6573', 'hex');

export const KEY_REF_AUTH = 0x82;
export const KEY_REF_NON_REPUDIATION = 0x83;
export const KEY_REF_BASIC = 0x81;
export const PIN_REFERENCE = 0x01;

/** PKCS#15 object IDs (CKA_ID in PKCS#11): auth key/cert 02, signature 03, CA 04, root 06, RRN 08. */
export const OBJECT_ID = {
  auth: 0x02,
  nonRepudiation: 0x03,
  citizenCa: 0x04,
  root: 0x06,
  rrn: 0x08,
} as const;

const ber = (v: asn1js.BaseBlock): Buffer => Buffer.from(v.toBER(false));
const seq = (...value: asn1js.BaseBlock[]) => new asn1js.Sequence({ value });
const octets = (b: Uint8Array) => new asn1js.OctetString({ valueHex: toAb(b) });
const utf8 = (s: string) => new asn1js.Utf8String({ value: s });
const int = (n: number) => new asn1js.Integer({ value: n });
const bool = (b: boolean) => new asn1js.Boolean({ value: b });
const enumerated = (n: number) => new asn1js.Enumerated({ value: n });

function toAb(b: Uint8Array): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

/** BIT STRING from a list of named bit positions (bit 0 = most significant bit of byte 0). */
function bitString(bits: readonly number[]): asn1js.BitString {
  if (bits.length === 0) return new asn1js.BitString({ valueHex: new ArrayBuffer(0), unusedBits: 0 });
  const highest = Math.max(...bits);
  const bytes = Buffer.alloc(Math.floor(highest / 8) + 1);
  for (const b of bits) bytes[b >> 3]! |= 0x80 >> (b & 7);
  const unusedBits = 7 - (highest & 7);
  return new asn1js.BitString({ valueHex: toAb(bytes), unusedBits });
}

/** [tagNumber] constructed, context class. */
function ctxCons(tagNumber: number, ...value: asn1js.BaseBlock[]) {
  return new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber }, value });
}

/** [tagNumber] implicit primitive, context class. */
function ctxPrim(tagNumber: number, bytes: Uint8Array) {
  return new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber }, valueHex: toAb(bytes) });
}

/** [APPLICATION tagNumber] primitive. */
function appPrim(tagNumber: number, bytes: Uint8Array) {
  return new asn1js.Primitive({ idBlock: { tagClass: 2, tagNumber }, valueHex: toAb(bytes) });
}

const path = (hex: string) => seq(octets(Buffer.from(hex, 'hex')));

/** EF(DIR) 3F00/2F00: one application template for the BELPIC PKCS#15 application. */
export function buildEfDir(): Buffer {
  const app = new asn1js.Constructed({
    idBlock: { tagClass: 2, tagNumber: 1 },
    value: [appPrim(15, AID_BELPIC), appPrim(16, Buffer.from('BELPIC', 'ascii')), appPrim(17, Buffer.from('3F00DF00', 'hex'))],
  });
  return ber(app);
}

/** ODF 5031: PrKDF [0], CDF [4], AODF [8], absolute paths. */
export function buildOdf(): Buffer {
  return Buffer.concat([
    ber(ctxCons(0, path('3F00DF005035'))),
    ber(ctxCons(4, path('3F00DF005037'))),
    ber(ctxCons(8, path('3F00DF005034'))),
  ]);
}

/** TokenInfo 5032: version 0, the 16-byte chip serial, manufacturer, label "BELPIC", flags. */
export function buildTokenInfo(chipSerial: Uint8Array, profile: Profile): Buffer {
  return ber(
    seq(
      int(0),
      octets(chipSerial),
      utf8(`Cardlink virtual BELPIC ${profile}`),
      ctxPrim(0, Buffer.from('BELPIC', 'utf8')),
      // readonly(0), prnGeneration(2)
      bitString([0, 2]),
    ),
  );
}

/** AODF 5034: "Basic PIN": BCD, min 4, stored 8, max 12, reference 01, pad FF. */
export function buildAodf(): Buffer {
  return ber(
    seq(
      seq(utf8('Basic PIN'), bitString([1])), // flags: modifiable
      seq(octets(Buffer.from([0x01]))), // authId
      ctxCons(
        1,
        seq(
          bitString([1, 4, 5]), // local, initialized, needs-padding
          enumerated(0), // bcd
          int(4),
          int(8),
          int(12),
          ctxPrim(0, Buffer.from([PIN_REFERENCE])),
          octets(Buffer.from([0xff])),
          path('3F00'),
        ),
      ),
    ),
  );
}

function privateKeyObject(
  profile: Profile,
  label: string,
  id: number,
  usageBits: number[],
  keyRef: number,
): asn1js.BaseBlock {
  const common = seq(utf8(label), bitString([0]), octets(Buffer.from([0x01]))); // private, authId 01
  const keyAttrs = seq(
    octets(Buffer.from([id])),
    bitString(usageBits),
    bool(true), // native
    bitString([0, 2, 3, 4]), // sensitive, alwaysSensitive, neverExtractable, local
    int(keyRef),
  );
  if (profile === '1.7') {
    return seq(common, keyAttrs, ctxCons(1, seq(path('3F00DF00'), int(2048))));
  }
  // privateECKey [0]: value Path, then the field length (OpenSC reads it as keyInfo INTEGER).
  return ctxCons(0, common, keyAttrs, ctxCons(1, seq(path('3F00DF00'), int(384))));
}

/** PrKDF 5035: authentication key (ref 82, usage sign) and non-repudiation key (ref 83). */
export function buildPrkdf(profile: Profile): Buffer {
  return Buffer.concat([
    ber(privateKeyObject(profile, 'Authentication', OBJECT_ID.auth, [2], KEY_REF_AUTH)),
    ber(privateKeyObject(profile, 'Signature', OBJECT_ID.nonRepudiation, [9], KEY_REF_NON_REPUDIATION)),
  ]);
}

function certObject(label: string, id: number, authority: boolean, filePath: string): asn1js.BaseBlock {
  const commonCert = authority ? seq(octets(Buffer.from([id])), bool(true)) : seq(octets(Buffer.from([id])));
  return seq(seq(utf8(label)), commonCert, ctxCons(1, seq(path(filePath))));
}

/** CDF 5037: the five certificates and their files 5038–503C. */
export function buildCdf(): Buffer {
  return Buffer.concat([
    ber(certObject('Authentication', OBJECT_ID.auth, false, '3F00DF005038')),
    ber(certObject('Signature', OBJECT_ID.nonRepudiation, false, '3F00DF005039')),
    ber(certObject('CA', OBJECT_ID.citizenCa, true, '3F00DF00503A')),
    ber(certObject('Root', OBJECT_ID.root, true, '3F00DF00503B')),
    ber(certObject('RRN', OBJECT_ID.rrn, false, '3F00DF00503C')),
  ]);
}

/**
 * Certificate files carry zero padding after the DER (the card file is bigger than the
 * certificate). Padded to the next multiple of 256 plus 256, at least 2048 bytes.
 */
export function padCertificateFile(der: Uint8Array): Buffer {
  const size = Math.max(2048, (Math.ceil(der.length / 256) + 1) * 256);
  const out = Buffer.alloc(size);
  out.set(der);
  return out;
}
