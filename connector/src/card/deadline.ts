import { CardError } from './card-error.js';

/** How long the card layer waits for a card. */
export interface CardTiming {
  /** One APDU (connects and resets are bounded by operationMs). */
  apduMs: number;
  /** One operation holding the reader (e.g. reading a file, a signature with its VERIFY). */
  operationMs: number;
}

export const DEFAULT_CARD_TIMING: CardTiming = { apduMs: 10_000, operationMs: 30_000 };

export const TIMED_OUT = Symbol('timed out');

/**
 * `p`, or TIMED_OUT when it has not settled within `ms`. `p` keeps running; a rejection it
 * gives after the deadline is swallowed (nobody waits for it any more).
 */
export function within<T>(p: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  p.catch(() => undefined);
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}

export const cardTimeout = (what: string, timeoutMs: number) =>
  new CardError('CARD_TIMEOUT', `The card did not answer ${what} within ${timeoutMs} ms.`, { timeoutMs });
