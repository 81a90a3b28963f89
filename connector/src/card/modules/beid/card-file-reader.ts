import type { CardChannel } from '../../reader-types.js';
import { splitResponse, swHex, SW_OK } from '../../apdu.js';
import { Belpic } from './belpic-apdus.js';
import { CardError } from '../../card-error.js';

const MAX_FILE = 32 * 1024;

export function cardError(what: string, sw?: number): CardError {
  return new CardError('CARD_ERROR', `The card refused ${what}.`, sw === undefined ? {} : { sw: swHex(sw) });
}

/**
 * SELECT the file by absolute path, then READ BINARY in 256-byte chunks until a short reply
 * or 6B00 (offset past the end): BELPIC files do not announce their size. When the content
 * tells its own length (`lengthOf`, e.g. a DER certificate followed by zero padding), reading
 * stops there instead of fetching the padding.
 */
export async function readCardFile(channel: CardChannel, pathHex: string, lengthOf?: (head: Buffer) => number | undefined): Promise<Buffer> {
  const sel = splitResponse(await channel.transmit(Belpic.selectPath(Buffer.from(pathHex, 'hex'))));
  if (sel.sw !== SW_OK) throw cardError(`to select file ${pathHex}`, sel.sw);
  const chunks: Buffer[] = [];
  let offset = 0;
  let target = MAX_FILE;
  let le = 256;
  while (offset < target) {
    const r = splitResponse(await channel.transmit(Belpic.readBinary(offset, le)));
    if (r.sw === 0x6b00) break;
    if ((r.sw & 0xff00) === 0x6c00) {
      le = r.sw & 0xff || 256;
      continue;
    }
    if (r.sw !== SW_OK && r.sw !== 0x6282) throw cardError(`to read file ${pathHex}`, r.sw);
    if (r.data.length > le) throw new CardError('CARD_ERROR', `The card answered more than asked reading file ${pathHex}.`);
    chunks.push(r.data);
    offset += r.data.length;
    if (r.data.length < le || r.sw === 0x6282) break;
    if (offset === r.data.length && lengthOf) target = Math.min(MAX_FILE, lengthOf(r.data) ?? MAX_FILE);
    le = Math.min(256, target - offset);
  }
  const all = Buffer.concat(chunks);
  return target < all.length ? all.subarray(0, target) : all;
}

/** Length of a DER element from its first bytes (0 for an all-zero, absent certificate). */
export function derLength(head: Buffer): number | undefined {
  if (head[0] === 0x00) return head.length;
  if (head[0] !== 0x30 || head.length < 2) return undefined;
  const first = head[1]!;
  if (first < 0x80) return 2 + first;
  const n = first & 0x7f;
  if (n < 1 || n > 3 || head.length < 2 + n) return undefined;
  let len = 0;
  for (let i = 0; i < n; i++) len = (len << 8) | head[2 + i]!;
  return 2 + n + len;
}
