/**
 * Token bucket per key (the caller's allow-list entry, see Caller.limitKey, so sub-domains of
 * a wildcard entry share one bucket and the number of keys stays the size of the list):
 * `ratePerSecond` refill, `burst` capacity.
 * Returns 0 when the request may go, else the seconds to wait.
 */
export function createRateLimiter(ratePerSecond: number, burst = Math.max(1, Math.ceil(ratePerSecond * 2)), now = () => performance.now()) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return (key: string): number => {
    const t = now();
    let b = buckets.get(key);
    if (!b) {
      if (buckets.size > 10_000) buckets.clear();
      b = { tokens: burst, at: t };
      buckets.set(key, b);
    } else {
      b.tokens = Math.min(burst, b.tokens + ((t - b.at) / 1000) * ratePerSecond);
      b.at = t;
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - b.tokens) / ratePerSecond);
  };
}
