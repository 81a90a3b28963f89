/**
 * The release manifest is a contract between the connector (signs and verifies it) and the
 * DS (stores and offers it): one definition of its shape and of version order serves both,
 * so they cannot drift apart. Each side wraps failures in its own coded errors.
 */
import semver from 'semver';

/** Longest version string accepted (it names a directory and travels in every sync). */
const MAX_VERSION_LENGTH = 64;

/**
 * A strict semantic version, MAJOR.MINOR.PATCH[-pre][+build], exactly as written: no leading
 * `v` or `=`, no spaces (semver's parser would accept and clean those).
 */
export const isVersion = (v: unknown): v is string => {
  if (typeof v !== 'string' || v.length > MAX_VERSION_LENGTH) return false;
  const p = semver.parse(v);
  return p !== null && (p.build.length > 0 ? `${p.version}+${p.build.join('.')}` : p.version) === v;
};

export class NotAVersionError extends TypeError {
  constructor(readonly value: string) {
    super(`not a version: ${value}`);
    this.name = 'NotAVersionError';
  }
}

/** Semver precedence: negative when a < b, 0 when equal (build metadata ignored), positive when a > b. Throws NotAVersionError. */
export function compareVersions(a: string, b: string): number {
  if (!isVersion(a)) throw new NotAVersionError(a);
  if (!isVersion(b)) throw new NotAVersionError(b);
  return semver.compare(a, b);
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
