import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The bundle's external (native) modules: see build.mjs. */
export const NATIVE_MODULES = ['better-sqlite3', 'pcsclite', 'pkcs11js'] as const;

/**
 * The development card emulator, also external (build.mjs): installed in a development checkout
 * only, never by a release. A staged version resolves it when the running connector does, so
 * `--virtual-card` keeps working across updates there.
 */
export const DEV_ONLY_MODULES = ['@cardlink/virtual-card'] as const;

/** Directory of an installed package, as the running connector resolves it. */
function packageDir(name: string): string | undefined {
  let file: string;
  try {
    file = createRequire(import.meta.url).resolve(name);
  } catch {
    return undefined;
  }
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        if ((JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name === name) return dir;
      } catch {
        /* keep walking */
      }
    }
  }
  return undefined;
}

/**
 * A package carries the JavaScript bundle only. Native modules are compiled for this machine's
 * Node; a staged version links to the ones the running connector uses
 * (`versions/<v>/node_modules/<name>`), which ESM resolution finds beside its connector.mjs.
 * Modules this installation does not have (the dev-only emulator in a release) are skipped.
 */
export function linkNativeModules(versionDir: string): string[] {
  const linked: string[] = [];
  const nm = join(versionDir, 'node_modules');
  mkdirSync(nm, { recursive: true });
  for (const name of [...NATIVE_MODULES, ...DEV_ONLY_MODULES]) {
    const dir = packageDir(name);
    if (!dir) continue;
    mkdirSync(dirname(join(nm, name)), { recursive: true });
    symlinkSync(dir, join(nm, name), 'junction');
    linked.push(name);
  }
  return linked;
}
