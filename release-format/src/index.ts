/**
 * The release manifest is a contract between the connector (signs and verifies it) and the
 * DS (stores and offers it): one definition of its shape and of version order serves both,
 * so they cannot drift apart. Each side wraps failures in its own coded errors.
 */

/** Semantic versions (MAJOR.MINOR.PATCH[-pre][+build]). */
const SEMVER = /^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

export const isVersion = (v: unknown): v is string => typeof v === 'string' && v.length <= 64 && SEMVER.test(v);

export class NotAVersionError extends TypeError {
  constructor(readonly value: string) {
    super(`not a version: ${value}`);
    this.name = 'NotAVersionError';
  }
}

/** Negative when a < b, 0 when equal (build metadata ignored), positive when a > b. Throws NotAVersionError. */
export function compareVersions(a: string, b: string): number {
  const pa = SEMVER.exec(a);
  const pb = SEMVER.exec(b);
  if (!pa || !pb) throw new NotAVersionError(!pa ? a : b);
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

export const RELEASE_FLAGS = ['recommended', 'mandatory', 'allowed'] as const;
export type ReleaseFlag = (typeof RELEASE_FLAGS)[number];

/** What the release key signs. The exact JSON string is what is signed and shipped. */
export interface ReleaseManifest {
  version: string;
  /** Lower-case hex SHA-256 of the package file. */
  sha256: string;
  /** Package size in bytes. */
  size: number;
  /** Only connectors at this version or newer may install it. */
  minimumVersion: string;
  flag: ReleaseFlag;
  createdAt: string;
}

/** Strict shape check of a manifest string: the manifest, or what is wrong with it. */
export function readManifest(manifest: string): { manifest: ReleaseManifest } | { problem: 'NOT_JSON' | 'MALFORMED' } {
  let m: Partial<ReleaseManifest>;
  try {
    m = JSON.parse(manifest) as Partial<ReleaseManifest>;
  } catch {
    return { problem: 'NOT_JSON' };
  }
  if (
    !m || typeof m !== 'object' || !isVersion(m.version) || !isVersion(m.minimumVersion) ||
    typeof m.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(m.sha256) ||
    !Number.isSafeInteger(m.size) || (m.size as number) <= 0 ||
    !RELEASE_FLAGS.includes(m.flag as ReleaseFlag) || typeof m.createdAt !== 'string'
  ) {
    return { problem: 'MALFORMED' };
  }
  return { manifest: m as ReleaseManifest };
}
