/**
 * Test-only failure switches (PROTOCOL.md, "Fault injection"). Mutable on purpose: tests and
 * the /v1/test/faults endpoint change them while the DS runs.
 */
export class Faults {
  /** The next n syncs commit, then their socket is destroyed without an answer. */
  dropSyncResponsesAfterCommit: number;
  /** How many responses were dropped so far. */
  dropped = 0;

  constructor(initial: { dropSyncResponsesAfterCommit: number }) {
    this.dropSyncResponsesAfterCommit = initial.dropSyncResponsesAfterCommit;
  }

  /** True (and counts down) when this committed sync must lose its response. */
  takeSyncDrop(): boolean {
    if (this.dropSyncResponsesAfterCommit <= 0) return false;
    this.dropSyncResponsesAfterCommit--;
    this.dropped++;
    return true;
  }
}
