/**
 * Runs tasks one after another: the guarantee that APDUs from two pages never interleave
 * on one card. A failing task does not block the ones behind it.
 */
export class ExclusiveQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  run<T>(task: () => Promise<T>): Promise<T> {
    this.pending++;
    const next = this.tail.then(task, task);
    this.tail = next.then(
      () => this.pending--,
      () => this.pending--,
    );
    return next;
  }

  get size(): number {
    return this.pending;
  }
}
