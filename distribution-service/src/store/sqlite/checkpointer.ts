import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Runs SQLite WAL checkpoints on a worker thread with its own connection. A checkpoint copies
 * the WAL back into the database file and fsyncs it: done by the writing connection (the
 * default), that stalls the event loop, and with it every sync in flight, for the length of
 * an fsync. Here the server thread only appends to the WAL.
 *
 * The worker is plain CommonJS evaluated from a string, so it needs no TypeScript loader.
 */
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
const checkpoint = () => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy: next tick */ } };
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

export class BackgroundCheckpointer {
  private readonly worker: Worker;
  /** Settles when the worker thread has ended, for whatever reason (so stop never waits on a dead worker). */
  private readonly exited: Promise<void>;
  private stopped: Promise<void> | undefined;

  constructor(path: string, intervalMs = 200) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, path, intervalMs } });
    this.exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    // A failed checkpoint thread costs throughput, not data: commits fall back to the WAL.
    this.worker.on('error', () => undefined);
    // A checkpointer must never keep the process alive on its own.
    this.worker.unref();
  }

  /** Idempotent: the last checkpoint runs once, every caller waits for the same end. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      // Unref'd, the worker would not keep the process alive while we wait for its last
      // checkpoint: the event loop would empty and the process end mid-close (exit code 13).
      this.worker.ref();
      this.worker.postMessage('stop');
      await this.exited;
    })();
    return this.stopped;
  }
}
