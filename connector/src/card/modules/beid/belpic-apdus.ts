import { apdu } from '../../apdu.js';

/** Command APDUs of the BELPIC applet (see shared/reference/belpic.md). */
export const Belpic = {
  /** SELECT by absolute path without the leading 3F00, no FCI (P2 0C). */
  selectPath: (path: Buffer) => apdu(0x00, 0xa4, 0x08, 0x0c, path),
  readBinary: (offset: number, le: number) => apdu(0x00, 0xb0, (offset >> 8) & 0x7f, offset & 0xff, undefined, le),
  getCardData: () => apdu(0x80, 0xe4, 0x00, 0x00, undefined, 0x1c),
  /** Applet 1.8: the same data plus the PIN tries left. */
  getCardDataWithPinTries: () => apdu(0x80, 0xe4, 0x00, 0x01, undefined, 0x1f),
  verifyPin: (block: Buffer) => apdu(0x00, 0x20, 0x00, 0x01, block),
  /** Applet 1.8: VERIFY without data returns the retry counter, spending nothing. */
  pinStatus: () => Buffer.from([0x00, 0x20, 0x00, 0x01]),
  changePin: (oldBlock: Buffer, newBlock: Buffer) => apdu(0x00, 0x24, 0x00, 0x01, Buffer.concat([oldBlock, newBlock])),
  mseSet: (algorithm: number, keyRef: number) => apdu(0x00, 0x22, 0x41, 0xb6, Buffer.from([0x04, 0x80, algorithm, 0x84, keyRef])),
  computeSignature: (input: Uint8Array) => apdu(0x00, 0x2a, 0x9e, 0x9a, input, 256),
  logOff: () => Buffer.from([0x80, 0xe6, 0x00, 0x00]),
};

export const KEY_AUTHENTICATION = 0x82;
export const KEY_NON_REPUDIATION = 0x83;

/** File paths under 3F00 (DF00 = BELPIC PKCS#15 DF, DF01 = ID DF). */
export const BeidFile = {
  authCert: 'DF005038',
  signCert: 'DF005039',
  caCert: 'DF00503A',
  rootCert: 'DF00503B',
  rrnCert: 'DF00503C',
  identity: 'DF014031',
  identitySignature: 'DF014032',
  address: 'DF014033',
  addressSignature: 'DF014034',
  photo: 'DF014035',
} as const;

export type BeidFileName = keyof typeof BeidFile;

/**
 * PIN block format 2: 2L, then the digits as BCD, padded with F to 8 bytes.
 * The caller has validated 4-12 digits.
 */
export function pinBlock(pin: string): Buffer {
  const nibbles = [2, pin.length, ...[...pin].map(Number)];
  while (nibbles.length < 16) nibbles.push(0xf);
  const out = Buffer.alloc(8);
  for (let i = 0; i < 8; i++) out[i] = (nibbles[2 * i]! << 4) | nibbles[2 * i + 1]!;
  return out;
}
