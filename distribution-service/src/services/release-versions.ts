/**
 * Release manifests as the DS reads them. The DS never holds the release key, so it cannot
 * (and need not) check signatures: connectors do, with the key pinned at install. The DS
 * checks the shape and that the package is the one the manifest describes.
 */
import { createHash } from 'node:crypto';
import { compareVersions as compare, isVersion, readManifest, RELEASE_FLAGS, type ReleaseManifest } from '@cardlink/release-format';
import { DsError } from '../errors.js';

export { isVersion, RELEASE_FLAGS };
export type ManifestFields = ReleaseManifest;

/** Semantic-version order; build metadata ignored. Throws INVALID_ARGUMENT on a non-version. */
export function compareVersions(a: string, b: string): number {
  if (!isVersion(a) || !isVersion(b)) throw new DsError('INVALID_ARGUMENT', `not a version: ${!isVersion(a) ? a : b}`);
  return compare(a, b);
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Display order of versions devices report (they may report anything): semantic versions by
 * precedence, oldest first (equal precedence: by text), then whatever is not a version, by text.
 */
export function versionsAscending(a: string, b: string): number {
  const va = isVersion(a);
  const vb = isVersion(b);
  if (va && vb) return compare(a, b) || byText(a, b);
  return va !== vb ? (va ? -1 : 1) : byText(a, b);
}

/** As versionsAscending, newest version first; what is not a version still comes last. */
export function versionsNewestFirst(a: string, b: string): number {
  const va = isVersion(a);
  const vb = isVersion(b);
  if (va && vb) return compare(b, a) || byText(a, b);
  return va !== vb ? (va ? -1 : 1) : byText(a, b);
}

/** `a > b`, false when either is not a version (a device may report anything). */
export function newer(a: string, b: string): boolean {
  return isVersion(a) && isVersion(b) && compare(a, b) > 0;
}

export function parseManifest(manifest: string): ManifestFields {
  const r = readManifest(manifest);
  if ('manifest' in r) return r.manifest;
  throw new DsError(
    'INVALID_ARGUMENT',
    r.problem === 'NOT_JSON'
      ? 'the release manifest is not JSON'
      : 'the release manifest lacks a field or has a malformed one (version, sha256, size, minimumVersion, flag, createdAt)',
  );
}

export function checkPackageMatches(m: ManifestFields, pkg: Buffer): void {
  if (pkg.length !== m.size) throw new DsError('INVALID_ARGUMENT', `the package is ${pkg.length} bytes, the manifest says ${m.size}`);
  if (createHash('sha256').update(pkg).digest('hex') !== m.sha256) {
    throw new DsError('INVALID_ARGUMENT', 'the package SHA-256 does not match the manifest: wrong package for this release.json');
  }
}
