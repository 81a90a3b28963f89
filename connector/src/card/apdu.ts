/** ISO 7816-4 response: data and the two status bytes. */
export interface Response {
  data: Buffer;
  sw: number;
}

export function splitResponse(r: Buffer): Response {
  if (r.length < 2) return { data: Buffer.alloc(0), sw: 0 };
  return { data: r.subarray(0, r.length - 2), sw: r.readUInt16BE(r.length - 2) };
}

export const SW_OK = 0x9000;

export function swHex(sw: number): string {
  return sw.toString(16).toUpperCase().padStart(4, '0');
}

/** Case 1-4 short APDU. `le` of 256 is coded 00. */
export function apdu(cla: number, ins: number, p1: number, p2: number, data?: Uint8Array, le?: number): Buffer {
  const parts: number[] = [cla, ins, p1, p2];
  if (data && data.length > 0) parts.push(data.length, ...data);
  if (le !== undefined) parts.push(le === 256 ? 0 : le);
  return Buffer.from(parts);
}
