import { createHash } from 'node:crypto';

/**
 * Ways a broken card (or contact) answers, for tests of the readers that talk to it:
 * - `garbage`: an answer of the right length whose bytes (status word included) are noise;
 * - `truncated`: only the first byte of the answer (not even a status word);
 * - `overlong`: the answer followed by 300 filler bytes (longer than any short R-APDU);
 * - `hang`: no answer for `hangMs` (then the real one), or never while the card stays in.
 */
export type MisbehaviourMode = 'garbage' | 'truncated' | 'overlong' | 'hang';

export interface Misbehaviour {
  mode: MisbehaviourMode;
  /** Only APDUs with this INS byte (e.g. 0xb0 READ BINARY); default: any APDU. */
  ins?: number;
  /** Let this many matching APDUs through first (default 0). */
  skip?: number;
  /** How many matching APDUs misbehave (default 1). */
  count?: number;
  /** `hang` only: answer after this many milliseconds; default never. */
  hangMs?: number;
}

/** What to send for one APDU: the reply, and how long to hold it back (Infinity: never). */
export interface PlannedReply {
  reply: Buffer;
  delayMs: number;
}

const OVERLONG_EXTRA = 300;

/** Noise of `length` bytes derived from the command, so a failing run can be replayed. */
function noise(apdu: Uint8Array, length: number): Buffer {
  const out = Buffer.alloc(length);
  let block = createHash('sha256').update(apdu).digest();
  for (let i = 0; i < length; i++) {
    if (i > 0 && i % block.length === 0) block = createHash('sha256').update(block).digest();
    out[i] = block[i % block.length]!;
  }
  // Never a valid status word by accident (SW1 is 6x or 9x on a working card).
  if (length >= 2) out[length - 2] = 0x0f;
  return out;
}

/** The misbehaviours armed on a card, consumed as matching APDUs arrive. */
export class MisbehaviourPlan {
  private readonly armed: { m: Misbehaviour; skip: number; left: number }[] = [];

  arm(m: Misbehaviour): void {
    const count = m.count ?? 1;
    if (!Number.isInteger(count) || count < 1) throw new RangeError('count must be a positive integer');
    this.armed.push({ m, skip: m.skip ?? 0, left: count });
  }

  clear(): void {
    this.armed.length = 0;
  }

  get pending(): number {
    return this.armed.length;
  }

  /** Apply the first armed misbehaviour matching `apdu` to the card's real `reply`. */
  apply(apdu: Uint8Array, reply: Buffer): PlannedReply {
    const i = this.armed.findIndex((a) => a.m.ins === undefined || a.m.ins === apdu[1]);
    if (i < 0) return { reply, delayMs: 0 };
    const a = this.armed[i]!;
    if (a.skip > 0) {
      a.skip--;
      return { reply, delayMs: 0 };
    }
    if (--a.left === 0) this.armed.splice(i, 1);
    switch (a.m.mode) {
      case 'garbage':
        return { reply: noise(apdu, reply.length), delayMs: 0 };
      case 'truncated':
        return { reply: reply.subarray(0, 1), delayMs: 0 };
      case 'overlong':
        return { reply: Buffer.concat([reply, Buffer.alloc(OVERLONG_EXTRA, 0xa5)]), delayMs: 0 };
      case 'hang':
        return { reply, delayMs: a.m.hangMs ?? Infinity };
    }
  }
}
