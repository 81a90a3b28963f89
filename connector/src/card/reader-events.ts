import type { ReaderEvent } from './reader-types.js';

/** Fan-out of reader events to subscribers (the SSE subscription, caches). */
export class ReaderEvents {
  private readonly listeners = new Set<(e: ReaderEvent) => void>();

  subscribe(listener: (e: ReaderEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(e: ReaderEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        // One broken subscriber must not starve the others.
      }
    }
  }
}
