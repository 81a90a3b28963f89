import { existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { writeFileAtomic } from './fs/atomic-write.js';

/**
 * The secret a local non-browser client (CLI, scripts, the update supervisor) presents as
 * `Authorization: Bearer <token>` instead of an Origin. Readable only by the user.
 */
export function localTokenPath(dataDir: string): string {
  return join(dataDir, 'local-client.token');
}

export function ensureLocalToken(dataDir: string): Buffer {
  const path = localTokenPath(dataDir);
  if (existsSync(path)) {
    const t = readFileSync(path, 'utf8').trim();
    if (t.length >= 32) return Buffer.from(t);
  }
  const token = randomBytes(32).toString('base64url');
  writeFileAtomic(path, `${token}\n`, 0o600);
  return Buffer.from(token);
}
