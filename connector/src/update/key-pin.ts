import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { OptionError } from '../config/options.js';
import { publicKeyOf, ReleaseError } from '../release/manifest.js';
import { updatePaths } from './paths.js';

/** A start-up refusal: `connector start` prints it and exits 2. */
export class KeyPinError extends OptionError {}

/**
 * Pin the release public key at install: the first `--update.key` is copied into the data dir;
 * later starts may repeat the same key (installers do) but never change it, since whoever
 * can swap the key can ship any code. Returns the pinned key, or undefined (updates off).
 */
export function pinReleaseKey(dataDir: string, keyFile?: string): string | undefined {
  const pinned = updatePaths(dataDir).key;
  const current = existsSync(pinned) ? readFileSync(pinned, 'utf8') : undefined;
  if (!keyFile) return current;
  const text = readFileSync(keyFile, 'utf8');
  // A private key would yield its public key, but must never be copied onto a user's machine.
  if (/PRIVATE KEY/.test(text)) throw new KeyPinError(`--update.key ${keyFile} holds a private key; give the public key (release-key.pub.pem)`);
  let given: string;
  let fingerprint: string;
  try {
    const key = publicKeyOf(text);
    given = key.export({ type: 'spki', format: 'pem' }) as string;
    fingerprint = key.export({ type: 'spki', format: 'der' }).toString('base64');
  } catch (e) {
    throw new KeyPinError(`--update.key ${keyFile}: ${e instanceof ReleaseError ? e.message : 'unreadable'}`);
  }
  if (current !== undefined) {
    const pinnedFp = publicKeyOf(current).export({ type: 'spki', format: 'der' }).toString('base64');
    if (pinnedFp !== fingerprint) {
      throw new KeyPinError(
        `--update.key ${keyFile} differs from the release key pinned at install (${pinned}); refusing to start. ` +
          'A release key can only be changed by reinstalling with a fresh data dir.',
      );
    }
    return current;
  }
  mkdirSync(dirname(pinned), { recursive: true, mode: 0o700 });
  writeFileAtomic(pinned, given, 0o644);
  return given;
}
