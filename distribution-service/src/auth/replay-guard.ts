/**
 * Remembers which (device, timestamp) pairs were used while their timestamp is still
 * acceptable, so a captured request cannot be sent again. Keyed on the timestamp rather than
 * the signature bytes: ECDSA signatures are malleable, timestamps are not.
 *
 * In memory, per process: the cheap first check before the body is parsed. The durable one
 * is in the store: recordSync refuses a (device, timestamp) pair it has seen within the skew
 * window (table seen_requests), so a replay after a restart, or at another instance on the same
 * database, changes nothing either.
 */
export interface ReplayGuard {
  /** True if first use (and records it); false if this pair was seen before. */
  claim(deviceId: string, timestamp: number, now: number): boolean;
}

export class MemoryReplayGuard implements ReplayGuard {
  /** key → time (ms) after which the timestamp would be refused as stale anyway. */
  private readonly seen = new Map<string, number>();

  constructor(private readonly windowMs: number) {}

  claim(deviceId: string, timestamp: number, now: number): boolean {
    this.prune(now);
    const key = `${deviceId}\n${timestamp}`;
    if (this.seen.has(key)) return false;
    this.seen.set(key, timestamp + this.windowMs);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  private prune(now: number): void {
    // Insertion order is close to time order; stop at the first entry still needed.
    for (const [key, expires] of this.seen) {
      if (expires >= now) break;
      this.seen.delete(key);
    }
  }
}
