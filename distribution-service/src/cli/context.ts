import { join, resolve } from 'node:path';
import { systemClock } from '../clock.js';
import { resolveConfig } from '../config.js';
import type { ServiceContext } from '../services/context.js';
import { openSqliteRepository } from '../store/sqlite/sqlite-repository.js';

export interface StorageOptions {
  db?: string;
  dataDir?: string;
}

/** --data-dir (default $DS_DATA_DIR or ./.data/ds) holds the CA; --db defaults to <data-dir>/ds.sqlite. */
export function storagePaths(opts: StorageOptions): { dataDir: string; db: string } {
  const dataDir = resolve(opts.dataDir ?? process.env.DS_DATA_DIR ?? '.data/ds');
  return { dataDir, db: opts.db ? resolve(opts.db) : join(dataDir, 'ds.sqlite') };
}

/** A service context for one admin command; the caller closes `repo`. */
export function adminContext(opts: StorageOptions): ServiceContext {
  const { db } = storagePaths(opts);
  return { repo: openSqliteRepository(db), clock: systemClock, config: resolveConfig() };
}
