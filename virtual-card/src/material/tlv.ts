/**
 * The BELPIC identity/address TLV: one tag byte, one length byte, value. Lengths of 255 or
 * more are written as FF bytes followed by the remainder (eid-mw convention).
 */
export interface TlvEntry {
  tag: number;
  value: Uint8Array | string;
}

export function encodeBelpicTlv(entries: readonly TlvEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const { tag, value } of entries) {
    if (tag < 0 || tag > 0xff) throw new RangeError(`TLV tag out of range: ${tag}`);
    const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
    const len: number[] = [];
    let rest = bytes.length;
    while (rest >= 0xff) {
      len.push(0xff);
      rest -= 0xff;
    }
    len.push(rest);
    parts.push(Buffer.from([tag, ...len]), bytes);
  }
  return Buffer.concat(parts);
}

/** Pads with zero bytes up to `size` (the address file is 117 bytes on the card). */
export function zeroPad(data: Uint8Array, size: number): Buffer {
  if (data.length > size) throw new RangeError(`data (${data.length} bytes) longer than ${size}`);
  const out = Buffer.alloc(size);
  out.set(data);
  return out;
}
