import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { compareVersions, isVersion, readManifest, RELEASE_FLAGS, type ReleaseFlag, type ReleaseManifest } from '@cardlink/release-format';

export { RELEASE_FLAGS };
export type { ReleaseFlag, ReleaseManifest };

/** A signed release: `signature` is base64 Ed25519 over the UTF-8 bytes of `manifest`. */
export interface SignedRelease {
  manifest: string;
  signature: string;
}

export class ReleaseError extends Error {
  constructor(
    readonly code: 'BAD_MANIFEST' | 'BAD_SIGNATURE' | 'BAD_DIGEST' | 'BAD_SIZE' | 'DOWNGRADE' | 'TOO_OLD' | 'BAD_PACKAGE' | 'BAD_KEY',
    message: string,
  ) {
    super(message);
    this.name = 'ReleaseError';
  }
}

export const sha256Hex = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

export function manifestFor(pkg: Buffer, o: { version: string; minimumVersion: string; flag: ReleaseFlag; createdAt?: string }): string {
  if (!isVersion(o.version)) throw new ReleaseError('BAD_MANIFEST', `version "${o.version}" is not MAJOR.MINOR.PATCH`);
  if (!isVersion(o.minimumVersion)) throw new ReleaseError('BAD_MANIFEST', `minimum version "${o.minimumVersion}" is not MAJOR.MINOR.PATCH`);
  if (compareVersions(o.minimumVersion, o.version) > 0) throw new ReleaseError('BAD_MANIFEST', 'minimum version is newer than the version');
  if (!RELEASE_FLAGS.includes(o.flag)) throw new ReleaseError('BAD_MANIFEST', `flag must be one of ${RELEASE_FLAGS.join(', ')}`);
  const m: ReleaseManifest = {
    version: o.version,
    sha256: sha256Hex(pkg),
    size: pkg.length,
    minimumVersion: o.minimumVersion,
    flag: o.flag,
    createdAt: o.createdAt ?? new Date().toISOString(),
  };
  return JSON.stringify(m);
}

export function signManifest(manifest: string, privateKeyPem: string): SignedRelease {
  const key = createPrivateKey(privateKeyPem);
  if (key.asymmetricKeyType !== 'ed25519') throw new ReleaseError('BAD_KEY', 'the release key must be an Ed25519 private key');
  parseManifest(manifest);
  return { manifest, signature: sign(null, Buffer.from(manifest, 'utf8'), key).toString('base64') };
}

/** Strict shape check of a manifest string (after, or without, the signature check). */
export function parseManifest(manifest: string): ReleaseManifest {
  const r = readManifest(manifest);
  if ('manifest' in r) return r.manifest;
  throw new ReleaseError('BAD_MANIFEST', r.problem === 'NOT_JSON' ? 'manifest is not JSON' : 'manifest is missing a field or has a malformed one');
}

export function publicKeyOf(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new ReleaseError('BAD_KEY', 'not a PEM public key');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new ReleaseError('BAD_KEY', 'the release key must be an Ed25519 public key');
  return key;
}

/** Signature first (nothing else is read from an unauthenticated manifest), then the shape. */
export function verifyRelease(release: SignedRelease, publicKeyPem: string): ReleaseManifest {
  if (!release || typeof release.manifest !== 'string' || typeof release.signature !== 'string') {
    throw new ReleaseError('BAD_MANIFEST', 'release is not {manifest, signature}');
  }
  const sig = Buffer.from(release.signature, 'base64');
  if (sig.length !== 64 || !verify(null, Buffer.from(release.manifest, 'utf8'), publicKeyOf(publicKeyPem), sig)) {
    throw new ReleaseError('BAD_SIGNATURE', 'the manifest signature does not verify with the pinned release key');
  }
  return parseManifest(release.manifest);
}

/** The package must be exactly what the manifest describes. */
export function checkPackage(m: ReleaseManifest, pkg: Buffer): void {
  if (pkg.length !== m.size) throw new ReleaseError('BAD_SIZE', `package is ${pkg.length} bytes, the manifest says ${m.size}`);
  if (sha256Hex(pkg) !== m.sha256) throw new ReleaseError('BAD_DIGEST', 'package SHA-256 does not match the manifest');
}

/** Installable on a connector at `current`: strictly newer, and current meets the minimum. */
export function checkInstallable(m: ReleaseManifest, current: string): void {
  if (compareVersions(m.version, current) <= 0) {
    throw new ReleaseError('DOWNGRADE', `release ${m.version} is not newer than the running ${current}`);
  }
  if (compareVersions(current, m.minimumVersion) < 0) {
    throw new ReleaseError('TOO_OLD', `release ${m.version} needs at least ${m.minimumVersion}, running ${current}`);
  }
}
