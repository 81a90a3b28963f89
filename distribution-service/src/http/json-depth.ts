/**
 * How deep the JSON in `bytes` nests, stopping as soon as it passes `max`: one pass over the
 * bytes, no allocation, so a hostile body of megabytes of `[[[[` costs a few milliseconds
 * instead of a parse. Brackets inside strings do not count; the input need not be valid JSON
 * (JSON.parse judges that afterwards).
 */
export function nestsDeeperThan(bytes: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}
