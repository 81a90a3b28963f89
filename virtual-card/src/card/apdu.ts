/** A parsed short C-APDU (ISO 7816-4 cases 1–4). */
export interface CommandApdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  /** Command data (empty for cases 1 and 2). */
  data: Buffer;
  /** Expected response length (Le 00 = 256), undefined when absent (cases 1 and 3). */
  le: number | undefined;
  /** Whether an Lc field was present. */
  hasData: boolean;
}

export class MalformedApdu extends Error {}

export function parseApdu(raw: Uint8Array): CommandApdu {
  const b = Buffer.from(raw);
  if (b.length < 4) throw new MalformedApdu('APDU shorter than 4 bytes');
  const [cla, ins, p1, p2] = [b[0]!, b[1]!, b[2]!, b[3]!];
  if (b.length === 4) return { cla, ins, p1, p2, data: Buffer.alloc(0), le: undefined, hasData: false };
  if (b.length === 5) {
    const le = b[4]! === 0 ? 256 : b[4]!;
    return { cla, ins, p1, p2, data: Buffer.alloc(0), le, hasData: false };
  }
  const lc = b[4]!;
  if (lc === 0) throw new MalformedApdu('extended APDUs are not supported');
  const data = b.subarray(5, 5 + lc);
  if (b.length === 5 + lc) return { cla, ins, p1, p2, data: Buffer.from(data), le: undefined, hasData: true };
  if (b.length === 6 + lc) {
    const le = b[5 + lc]! === 0 ? 256 : b[5 + lc]!;
    return { cla, ins, p1, p2, data: Buffer.from(data), le, hasData: true };
  }
  throw new MalformedApdu('Lc does not match the APDU length');
}

/** Status words used by the card. */
export const SW = {
  OK: 0x9000,
  WRONG_LENGTH: 0x6700,
  SECURITY_NOT_SATISFIED: 0x6982,
  AUTH_BLOCKED: 0x6983,
  CONDITIONS_NOT_SATISFIED: 0x6985,
  NO_CURRENT_EF: 0x6986,
  WRONG_DATA: 0x6a80,
  FUNC_NOT_SUPPORTED: 0x6a81,
  FILE_NOT_FOUND: 0x6a82,
  INCORRECT_P1P2: 0x6a86,
  REF_DATA_NOT_FOUND: 0x6a88,
  OFFSET_OUTSIDE_EF: 0x6b00,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
} as const;

export function response(sw: number, data?: Uint8Array): Buffer {
  const swBytes = Buffer.from([(sw >> 8) & 0xff, sw & 0xff]);
  return data && data.length > 0 ? Buffer.concat([Buffer.from(data), swBytes]) : swBytes;
}
