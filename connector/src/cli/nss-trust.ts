import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The nickname `connector trust` used before it kept one entry per CA. */
export const LEGACY_NICKNAME = 'Cardlink connector CA';

/**
 * One nickname per CA, from its SHA-256 fingerprint, so trusting a second connector's CA
 * keeps the first one's and `untrust` removes exactly one.
 */
export function caNickname(caPem: string): string {
  return `${LEGACY_NICKNAME} ${caFingerprint(caPem).slice(0, 16)}`;
}

export function caFingerprint(caPem: string): string {
  return new X509Certificate(caPem).fingerprint256.replace(/:/g, '').toLowerCase();
}

export interface NssDatabase {
  path: string;
  browser: 'Chromium' | 'Firefox';
}

/** NSS databases of this user: Chromium's shared one and each Firefox profile that has one. */
export function nssDatabases(home: string): NssDatabase[] {
  const dbs: NssDatabase[] = [{ path: join(home, '.pki', 'nssdb'), browser: 'Chromium' }];
  for (const base of [join(home, '.mozilla', 'firefox'), join(home, 'snap', 'firefox', 'common', '.mozilla', 'firefox')]) {
    if (!existsSync(base)) continue;
    for (const d of readdirSync(base, { withFileTypes: true })) {
      if (d.isDirectory() && existsSync(join(base, d.name, 'cert9.db'))) dbs.push({ path: join(base, d.name), browser: 'Firefox' });
    }
  }
  return dbs;
}

export function certutilAvailable(): boolean {
  try {
    execFileSync('certutil', ['-H'], { stdio: 'ignore' });
    return true;
  } catch (e) {
    return (e as { code?: string }).code !== 'ENOENT';
  }
}

/** The PEM certificate stored under a nickname, or undefined when there is none. */
function certUnder(db: string, nickname: string): string | undefined {
  try {
    return execFileSync('certutil', ['-L', '-d', `sql:${db}`, '-n', nickname, '-a'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}

function remove(db: string, nickname: string): void {
  execFileSync('certutil', ['-D', '-d', `sql:${db}`, '-n', nickname], { stdio: 'ignore' });
}

/**
 * The legacy entry is ours to drop only when it holds this very CA and nothing else: certutil
 * lists every certificate sharing the entry's subject, which may be another connector's CA.
 */
function dropLegacyIfSame(db: string, caPem: string): boolean {
  const legacy = certUnder(db, LEGACY_NICKNAME);
  if (!legacy) return false;
  const blocks = legacy.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  try {
    if (blocks.length !== 1 || caFingerprint(blocks[0]!) !== caFingerprint(caPem)) return false;
  } catch {
    return false;
  }
  remove(db, LEGACY_NICKNAME);
  return true;
}

export type TrustChange = 'added' | 'already trusted';

/** Add the CA (trusted as a TLS issuer) under its own nickname; other CAs stay. */
export function trustCa(db: NssDatabase, caPem: string, caFile: string): TrustChange {
  if (!existsSync(join(db.path, 'cert9.db'))) {
    mkdirSync(db.path, { recursive: true, mode: 0o700 });
    execFileSync('certutil', ['-N', '-d', `sql:${db.path}`, '--empty-password']);
  }
  const nickname = caNickname(caPem);
  dropLegacyIfSame(db.path, caPem);
  const present = certUnder(db.path, nickname);
  // Re-adding refreshes the trust flags; the nickname is per certificate, so nothing else moves.
  execFileSync('certutil', ['-A', '-d', `sql:${db.path}`, '-n', nickname, '-t', 'C,,', '-i', caFile]);
  return present ? 'already trusted' : 'added';
}

export type UntrustChange = 'removed' | 'not present';

/** Remove this CA's entry (and a legacy entry holding the same CA). */
export function untrustCa(db: NssDatabase, caPem: string): UntrustChange {
  if (!existsSync(join(db.path, 'cert9.db'))) return 'not present';
  let removed = dropLegacyIfSame(db.path, caPem);
  const nickname = caNickname(caPem);
  // certutil -D removes one certificate per call; a nickname is unique to its certificate.
  while (certUnder(db.path, nickname)) {
    remove(db.path, nickname);
    removed = true;
  }
  return removed ? 'removed' : 'not present';
}
