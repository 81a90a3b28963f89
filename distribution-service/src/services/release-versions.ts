/**
 * Release manifests as the DS reads them. The DS never holds the release key, so it cannot
 * (and need not) check signatures: connectors do, with the key pinned at install. The DS
 * checks the shape and that the package is the one the manifest describes.
 */
import { createHash } from 'node:crypto';
import { DsError } from '../errors.js';
import type { ReleaseFlag } from '../store/release-store.js';

const SEMVER = /^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;
export const RELEASE_FLAGS: readonly ReleaseFlag[] = ['recommended', 'mandatory', 'allowed'];

export const isVersion = (v: unknown): v is string => typeof v === 'string' && v.length <= 64 && SEMVER.test(v);

/** Semantic-version order; build metadata ignored. Throws on a non-version. */
export function compareVersions(a: string, b: string): number {
  const pa = SEMVER.exec(a);
  const pb = SEMVER.exec(b);
  if (!pa || !pb) throw new DsError('INVALID_ARGUMENT', `not a version: ${!pa ? a : b}`);
  for (let i = 1; i <= 3; i++) {
    const d = Number(pa[i]) - Number(pb[i]);
    if (d !== 0) return d;
  }
  const ra = pa[4];
  const rb = pb[4];
  if (ra === undefined || rb === undefined) return ra === rb ? 0 : ra === undefined ? 1 : -1;
  const xa = ra.split('.');
  const xb = rb.split('.');
  for (let i = 0; i < Math.max(xa.length, xb.length); i++) {
    const x = xa[i];
    const y = xb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d;
    } else if (nx !== ny) return nx ? -1 : 1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** `a > b`, false when either is not a version (a device may report anything). */
export function newer(a: string, b: string): boolean {
  return isVersion(a) && isVersion(b) && compareVersions(a, b) > 0;
}

export interface ManifestFields {
  version: string;
  sha256: string;
  size: number;
  minimumVersion: string;
  flag: ReleaseFlag;
  createdAt: string;
}

export function parseManifest(manifest: string): ManifestFields {
  let m: Partial<ManifestFields>;
  try {
    m = JSON.parse(manifest) as Partial<ManifestFields>;
  } catch {
    throw new DsError('INVALID_ARGUMENT', 'the release manifest is not JSON');
  }
  if (
    !m || typeof m !== 'object' || !isVersion(m.version) || !isVersion(m.minimumVersion) ||
    typeof m.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(m.sha256) ||
    !Number.isSafeInteger(m.size) || (m.size as number) <= 0 ||
    !RELEASE_FLAGS.includes(m.flag as ReleaseFlag) || typeof m.createdAt !== 'string'
  ) {
    throw new DsError('INVALID_ARGUMENT', 'the release manifest lacks a field or has a malformed one (version, sha256, size, minimumVersion, flag, createdAt)');
  }
  return m as ManifestFields;
}

export function checkPackageMatches(m: ManifestFields, pkg: Buffer): void {
  if (pkg.length !== m.size) throw new DsError('INVALID_ARGUMENT', `the package is ${pkg.length} bytes, the manifest says ${m.size}`);
  if (createHash('sha256').update(pkg).digest('hex') !== m.sha256) {
    throw new DsError('INVALID_ARGUMENT', 'the package SHA-256 does not match the manifest: wrong package for this release.json');
  }
}
