import { ConnectorError } from '../../errors.js';

/**
 * Open subscription streams per caller (its allow-list entry): each holds a socket, a timer
 * and an iterator, so one page must not open thousands. Past the cap a new stream is refused
 * with RATE_LIMITED (429) until one closes.
 */
export function createStreamLimiter(maxPerCaller: number) {
  const open = new Map<string, number>();
  return {
    /** Count a new stream for `key`; returns the function that releases it (idempotent). */
    acquire(key: string): () => void {
      const n = open.get(key) ?? 0;
      if (n >= maxPerCaller) {
        throw new ConnectorError('RATE_LIMITED', `Too many open subscriptions from this origin (at most ${maxPerCaller}).`, {
          limit: maxPerCaller,
          retryAfterSeconds: 1,
        });
      }
      open.set(key, n + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (open.get(key) ?? 1) - 1;
        if (left <= 0) open.delete(key);
        else open.set(key, left);
      };
    },
    openFor: (key: string): number => open.get(key) ?? 0,
  };
}

export type StreamLimiter = ReturnType<typeof createStreamLimiter>;
