import { randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Single-use CSRF secrets for forms that are not tied to a pending operation (the settings
 * page): one per rendering, valid for `ttlMs`, at most `max` alive.
 */
export class FormTokens {
  private readonly tokens = new Map<string, number>();

  constructor(private readonly ttlMs = 10 * 60_000, private readonly max = 64) {}

  issue(now = Date.now()): string {
    for (const [t, exp] of this.tokens) if (exp < now || this.tokens.size >= this.max) this.tokens.delete(t);
    const token = randomBytes(32).toString('base64url');
    this.tokens.set(token, now + this.ttlMs);
    return token;
  }

  /** True once for a live token; the token is spent either way. */
  spend(given: string | null, now = Date.now()): boolean {
    if (!given || given.length !== 43) return false;
    for (const [t, exp] of this.tokens) {
      if (timingSafeEqual(Buffer.from(t), Buffer.from(given))) {
        this.tokens.delete(t);
        return exp >= now;
      }
    }
    return false;
  }
}
