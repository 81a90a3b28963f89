/**
 * BELPIC's flat TLV: one tag byte, a length made of FF bytes (255 each) plus a final byte,
 * then the value. Trailing zero padding ends the list.
 */
export function parseTlv(buf: Buffer): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  let i = 0;
  while (i < buf.length) {
    const tag = buf[i++]!;
    if (tag === 0 && out.size > 0 && buf.subarray(i - 1).every((b) => b === 0)) break;
    let len = 0;
    while (i < buf.length && buf[i] === 0xff) {
      len += 255;
      i++;
    }
    if (i >= buf.length) break;
    len += buf[i++]!;
    if (i + len > buf.length) throw new RangeError(`TLV tag ${tag} runs past the end of the file`);
    if (!out.has(tag)) out.set(tag, buf.subarray(i, i + len));
    i += len;
  }
  return out;
}
