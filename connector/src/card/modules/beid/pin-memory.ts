import { createHash } from 'node:crypto';
import type { KeyValueStore } from '../card-module.js';

/** What the connector remembers of a card's PIN counter across restarts (no personal data). */
export interface PinMemory {
  /** Tries left as last seen (3 after a successful verify). */
  triesLeft: number;
}

/** Persistent per-card memory, keyed by `cardKey` (SHA-256 of the chip serial). */
export interface PinMemoryStore {
  get(cardKey: string): PinMemory | undefined;
  set(cardKey: string, memory: PinMemory): void;
}

/** PIN memory kept in `kv` under `card.pin-tries.<cardKey>`. */
export function pinMemoryIn(kv: KeyValueStore): PinMemoryStore {
  const key = (cardKey: string) => `card.pin-tries.${cardKey}`;
  return {
    get: (cardKey) => {
      const v = kv.get<PinMemory>(key(cardKey));
      return v && Number.isInteger(v.triesLeft) ? v : undefined;
    },
    set: (cardKey, memory) => kv.set(key(cardKey), { triesLeft: memory.triesLeft }),
  };
}

export const cardKeyOf = (chipSerial: Buffer): string => createHash('sha256').update(chipSerial).digest('hex');

/**
 * The tries left to assume before spending one, when the card cannot tell (applet 1.7):
 * - what this card session saw (exact, the connector watched every try since insertion);
 * - else what a previous run saw: any value below the maximum (a wrong PIN seen, no success
 *   since) counts as "maybe one left", since tries may have been spent meanwhile unseen;
 * - else nothing is known (a card never seen wrong): no guard, or a fresh card would be
 *   unusable without allowLastTry.
 */
export function assumedTries(session: number | undefined, remembered: PinMemory | undefined, maxTries: number): number | undefined {
  if (session !== undefined) return session;
  if (remembered === undefined || remembered.triesLeft >= maxTries) return undefined;
  // Even "blocked" (0) may have been unblocked elsewhere: trying costs nothing then, but
  // only with allowLastTry.
  return 1;
}
