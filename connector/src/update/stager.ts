import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { checkInstallable, checkPackage, ReleaseError, verifyRelease, type ReleaseManifest, type SignedRelease } from '../release/manifest.js';
import { ENTRY, readPackage } from '../release/package.js';
import { linkNativeModules } from './native-links.js';
import { updatePaths } from './paths.js';

/** The `update` member of a sync answer (PROTOCOL.md, "Updates"). */
export interface UpdateOffer {
  release: SignedRelease;
  url: string;
  flag: string;
}

export interface StageDeps {
  dataDir: string;
  /** The pinned release public key (PEM). */
  publicKey: string;
  /** The running version. */
  current: string;
  /** Base URL of the DS (the offer's url is a path on it). */
  dsUrl: string;
  download(url: string, maxBytes: number): Promise<Buffer>;
}

export const RELEASE_FILE = 'release.json';
export const PACKAGE_FILE = 'package.tgz';

/**
 * Check an offer and stage it in `versions/<version>/` beside the current version:
 * signature over the manifest with the pinned key first (an unsigned offer costs no
 * download), then newer-than-running and minimum version, then the download's size and
 * SHA-256, then the package layout and the version inside it. Anything wrong throws a
 * ReleaseError and nothing is staged. Returns the verified manifest.
 */
export async function stageOffer(offer: UpdateOffer, d: StageDeps): Promise<ReleaseManifest> {
  const m = verifyRelease(offer.release, d.publicKey);
  checkInstallable(m, d.current);
  const dir = updatePaths(d.dataDir).version(m.version);
  if (existsSync(join(dir, RELEASE_FILE))) {
    // Staged before (e.g. waiting for an idle moment): same signed manifest, nothing to do.
    const prior = JSON.parse(readFileSync(join(dir, RELEASE_FILE), 'utf8')) as SignedRelease;
    if (prior.manifest === offer.release.manifest && prior.signature === offer.release.signature) return m;
    rmSync(dir, { recursive: true, force: true });
  }
  let pkg: Buffer;
  try {
    pkg = await d.download(new URL(offer.url, `${d.dsUrl}/`).toString(), m.size);
  } catch (e) {
    throw new ReleaseError('BAD_PACKAGE', `download failed: ${(e as Error).message}`);
  }
  checkPackage(m, pkg);
  const files = readPackage(pkg, m.version);
  const tmp = join(dirname(dir), `.staging-${m.version}-${randomBytes(4).toString('hex')}`);
  try {
    for (const f of files) {
      const p = join(tmp, f.name);
      mkdirSync(dirname(p), { recursive: true, mode: 0o700 });
      writeFileSync(p, f.data, { mode: 0o644 });
    }
    writeFileSync(join(tmp, PACKAGE_FILE), pkg);
    writeFileSync(join(tmp, RELEASE_FILE), JSON.stringify(offer.release));
    linkNativeModules(tmp);
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return m;
}

/**
 * The supervisor's check before it starts a staged version: the stored signed manifest still
 * verifies with the pinned key, names this version, and the stored package still matches it.
 */
export function checkStaged(dataDir: string, version: string, publicKey: string): { entry: string; manifest: ReleaseManifest } {
  const dir = updatePaths(dataDir).version(version);
  let signed: SignedRelease;
  let pkg: Buffer;
  try {
    signed = JSON.parse(readFileSync(join(dir, RELEASE_FILE), 'utf8')) as SignedRelease;
    pkg = readFileSync(join(dir, PACKAGE_FILE));
  } catch {
    throw new ReleaseError('BAD_PACKAGE', `version ${version} is not staged`);
  }
  const m = verifyRelease(signed, publicKey);
  if (m.version !== version) throw new ReleaseError('BAD_MANIFEST', `staged manifest names ${m.version}, not ${version}`);
  checkPackage(m, pkg);
  const entry = join(dir, ENTRY);
  if (!existsSync(entry)) throw new ReleaseError('BAD_PACKAGE', `staged ${version} has no ${ENTRY}`);
  return { entry, manifest: m };
}
