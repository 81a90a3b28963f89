import { randomBytes } from 'node:crypto';

/**
 * A random positive 128-bit serial as lowercase hex. The first byte is forced into 0x40-0x7f:
 * positive (top bit clear) and never a leading zero byte, so the hex form is canonical and
 * matches what parsers print (126 random bits remain).
 */
export function randomSerial(): string {
  const b = randomBytes(16);
  b[0] = (b[0]! & 0x3f) | 0x40;
  return b.toString('hex');
}

/** Canonical form for comparing serials from other parsers (case, leading zeros). */
export const normaliseSerial = (s: string): string => s.toLowerCase().replace(/^(00)+/, '');
