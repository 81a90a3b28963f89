import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { writeFileAtomic } from '../../../fs/atomic-write.js';

/** A PKCS#11 library the connector may load: a name pages see, and the .so path they never see. */
export interface Pkcs11Library {
  name: string;
  path: string;
  source: 'CONFIGURED' | 'DEFAULT';
}

interface LibrariesFile {
  version: 1;
  libraries: Record<string, { path: string }>;
  /** Debian defaults removed by the administrator (`connector pkcs11 remove opensc`). */
  disabledDefaults?: string[];
}

export interface LibrariesConfig {
  configured: Pkcs11Library[];
  disabledDefaults: string[];
}

export const LIBRARY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Debian's packaged libraries, used when present and not configured under another name. */
export const DEBIAN_DEFAULTS: readonly Omit<Pkcs11Library, 'source'>[] = [
  { name: 'opensc', path: '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so' },
  { name: 'softhsm2', path: '/usr/lib/softhsm/libsofthsm2.so' },
];

export const librariesPath = (dataDir: string) => join(dataDir, 'pkcs11-libraries.json');

/** The libraries configured with `connector pkcs11 add`; a missing file means none. */
export function readConfiguredLibraries(dataDir: string): LibrariesConfig {
  let raw: string;
  try {
    raw = readFileSync(librariesPath(dataDir), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { configured: [], disabledDefaults: [] };
    throw e;
  }
  let parsed: Partial<LibrariesFile>;
  try {
    parsed = JSON.parse(raw) as Partial<LibrariesFile>;
  } catch {
    throw new Error('pkcs11-libraries.json is not valid JSON');
  }
  if (parsed?.version !== 1 || typeof parsed.libraries !== 'object' || parsed.libraries === null) {
    throw new Error('pkcs11-libraries.json: unknown format');
  }
  const configured = Object.entries(parsed.libraries).map(([name, e]) => {
    if (!LIBRARY_NAME.test(name)) throw new Error(`pkcs11-libraries.json: invalid library name "${name}"`);
    if (typeof e?.path !== 'string' || !isAbsolute(e.path)) throw new Error(`pkcs11-libraries.json: library "${name}" needs an absolute path`);
    return { name, path: e.path, source: 'CONFIGURED' as const };
  });
  const disabled = parsed.disabledDefaults ?? [];
  if (!Array.isArray(disabled) || !disabled.every((n) => typeof n === 'string')) throw new Error('pkcs11-libraries.json: disabledDefaults must be a list of names');
  return { configured, disabledDefaults: disabled };
}

export function writeConfiguredLibraries(dataDir: string, libraries: readonly Pick<Pkcs11Library, 'name' | 'path'>[], disabledDefaults: readonly string[] = []): void {
  const file: LibrariesFile = { version: 1, libraries: {}, disabledDefaults: [...new Set(disabledDefaults)].sort() };
  for (const l of [...libraries].sort((a, b) => a.name.localeCompare(b.name))) file.libraries[l.name] = { path: l.path };
  writeFileAtomic(librariesPath(dataDir), `${JSON.stringify(file, null, 2)}\n`);
}

/**
 * What the connector loads: the configured libraries, then each Debian default whose file
 * exists, whose name and path are not configured already and which was not removed.
 */
export function effectiveLibraries({ configured, disabledDefaults }: LibrariesConfig, exists: (p: string) => boolean = existsSync): Pkcs11Library[] {
  const names = new Set([...configured.map((l) => l.name), ...disabledDefaults]);
  const paths = new Set(configured.map((l) => l.path));
  const defaults = DEBIAN_DEFAULTS.filter((d) => !names.has(d.name) && !paths.has(d.path) && exists(d.path)).map((d) => ({ ...d, source: 'DEFAULT' as const }));
  return [...configured, ...defaults];
}

/**
 * The effective list, re-read at each use (the CLI edits the file while the connector runs);
 * an invalid file keeps the last good list and is reported once per change.
 */
export function libraryRegistry(dataDir: string, onError: (e: Error) => void): () => Pkcs11Library[] {
  let lastGood: LibrariesConfig = { configured: [], disabledDefaults: [] };
  let lastError = '';
  return () => {
    try {
      lastGood = readConfiguredLibraries(dataDir);
      lastError = '';
    } catch (e) {
      if ((e as Error).message !== lastError) onError(e as Error);
      lastError = (e as Error).message;
    }
    return effectiveLibraries(lastGood);
  };
}
