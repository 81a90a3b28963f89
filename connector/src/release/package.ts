import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isPackageName, packFiles, unpackFiles, type PackageFile } from './tar.js';
import { ReleaseError } from './manifest.js';

/** The bundle's entry and the file build.mjs writes with the version baked into it. */
export const ENTRY = 'connector.mjs';
export const VERSION_FILE = 'VERSION';

/** Pack a built bundle (connector/dist): connector.mjs, VERSION, chunks/*; source maps unless told not to. */
export function packDist(distDir: string, version: string, o: { sourceMaps?: boolean } = {}): Buffer {
  const files: PackageFile[] = [];
  const add = (rel: string) => {
    if (!o.sourceMaps && rel.endsWith('.map')) return;
    files.push({ name: rel, data: readFileSync(join(distDir, rel)) });
  };
  if (!existsSync(join(distDir, ENTRY))) throw new ReleaseError('BAD_PACKAGE', `${distDir} has no ${ENTRY}: build first`);
  const baked = existsSync(join(distDir, VERSION_FILE)) ? readFileSync(join(distDir, VERSION_FILE), 'utf8').trim() : undefined;
  if (baked !== version) {
    throw new ReleaseError('BAD_PACKAGE', `${distDir} was built as version ${baked ?? '(unknown)'}, not ${version}: build with CARDLINK_BUILD_VERSION=${version}`);
  }
  for (const f of readdirSync(distDir)) if (statSync(join(distDir, f)).isFile() && isPackageName(f)) add(f);
  const chunks = join(distDir, 'chunks');
  if (existsSync(chunks)) for (const f of readdirSync(chunks)) if (isPackageName(`chunks/${f}`)) add(`chunks/${f}`);
  return packFiles(files);
}

/** Unpack and check the layout: an entry, and a VERSION that is the signed version. */
export function readPackage(pkg: Buffer, version: string): PackageFile[] {
  let files: PackageFile[];
  try {
    files = unpackFiles(pkg);
  } catch (e) {
    throw new ReleaseError('BAD_PACKAGE', (e as Error).message);
  }
  if (!files.some((f) => f.name === ENTRY)) throw new ReleaseError('BAD_PACKAGE', `package has no ${ENTRY}`);
  const v = files.find((f) => f.name === VERSION_FILE)?.data.toString('utf8').trim();
  if (v !== version) throw new ReleaseError('BAD_PACKAGE', `package holds version ${v ?? '(none)'}, the manifest says ${version}`);
  return files;
}
