import type { Db } from './database.js';

/**
 * Small persistent key/value state (device id, last good DS config, sync status).
 * Reads come from memory (hot paths such as `info` ask for the device id); writes go through.
 */
export class StateStore {
  private readonly cache = new Map<string, unknown>();
  private readonly getStmt;
  private readonly setStmt;
  private readonly delStmt;

  constructor(db: Db) {
    this.getStmt = db.prepare<[string], { value: string }>('SELECT value FROM state WHERE key = ?');
    this.setStmt = db.prepare('INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
    this.delStmt = db.prepare('DELETE FROM state WHERE key = ?');
  }

  get<T>(key: string): T | undefined {
    if (this.cache.has(key)) return this.cache.get(key) as T | undefined;
    const row = this.getStmt.get(key);
    const value = row ? (JSON.parse(row.value) as T) : undefined;
    this.cache.set(key, value);
    return value;
  }

  set(key: string, value: unknown): void {
    this.setStmt.run(key, JSON.stringify(value));
    this.cache.set(key, structuredClone(value));
  }

  delete(key: string): void {
    this.delStmt.run(key);
    this.cache.set(key, undefined);
  }
}
