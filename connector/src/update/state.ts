import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { updatePaths } from './paths.js';

export interface FailedVersion {
  version: string;
  reason: string;
  at: string;
}

/**
 * Written by the supervisor only (one writer); workers read it to report failures to the DS.
 * `current` undefined means the installed version (the bundle the supervisor itself runs).
 */
export interface UpdateState {
  current?: string;
  previous?: string;
  failed: FailedVersion[];
}

/** Failures reported at every sync (the DS dedupes); older ones are dropped past this. */
export const MAX_FAILED = 20;

export function readUpdateState(dataDir: string): UpdateState {
  const p = updatePaths(dataDir).state;
  if (!existsSync(p)) return { failed: [] };
  try {
    const s = JSON.parse(readFileSync(p, 'utf8')) as Partial<UpdateState>;
    return { ...s, failed: Array.isArray(s.failed) ? s.failed : [] };
  } catch {
    return { failed: [] };
  }
}

export function writeUpdateState(dataDir: string, s: UpdateState): void {
  const p = updatePaths(dataDir).state;
  mkdirSync(dirname(p), { recursive: true, mode: 0o700 });
  writeFileAtomic(p, `${JSON.stringify({ ...s, failed: s.failed.slice(-MAX_FAILED) }, null, 2)}\n`);
}

export function hasFailed(s: UpdateState, version: string): boolean {
  return s.failed.some((f) => f.version === version);
}
