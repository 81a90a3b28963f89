import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { STATE, type DsStatus } from './ds-state.js';

/** DS part of `connector status`, read straight from the data dir's database (read-only). */
export function readDsStatus(dataDir: string): (DsStatus & { deviceId?: string }) | undefined {
  const path = join(dataDir, 'connector.db');
  if (!existsSync(path)) return undefined;
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const get = (k: string) => {
      const row = db.prepare<[string], { value: string }>('SELECT value FROM state WHERE key = ?').get(k);
      return row ? JSON.parse(row.value) : undefined;
    };
    const status = get(STATE.status) as DsStatus | undefined;
    const deviceId = get(STATE.deviceId) as string | undefined;
    if (!status && !deviceId) return undefined;
    return { ...(status ?? { url: '' }), ...(deviceId ? { deviceId } : {}) };
  } finally {
    db.close();
  }
}
