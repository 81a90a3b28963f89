import { isLabel } from '@cardlink/ds-protocol';
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { ConnectorError } from '../errors.js';

/** What an administrator mapped: a named type → a local folder, for some application labels. */
export interface FileTypeMapping {
  name: string;
  /** Absolute path of the folder; never shown to pages. */
  folder: string;
  /** Application labels (from the origin allow-list) that may use this type. */
  labels: string[];
  /** Largest file a download may store, in bytes. */
  maxSize: number;
}

interface FileTypesFile {
  version: 1;
  types: Record<string, Omit<FileTypeMapping, 'name'>>;
}

export const DEFAULT_MAX_SIZE = 50 * 1024 * 1024;
export const TYPE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const fileTypesPath = (dataDir: string) => join(dataDir, 'file-types.json');

/** "50MB", "512k", "1.5 GiB", "1048576" → bytes (binary multiples). */
export function parseSize(value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b)?\s*$/i.exec(value);
  if (!m) throw new Error(`size must look like 50MB, 512KB or 1048576, got "${value}"`);
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  const n = Math.floor(Number(m[1]) * unit);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`size must be at least 1 byte, got "${value}"`);
  return n;
}

export function formatSize(n: number): string {
  for (const [u, f] of [['GB', 1024 ** 3], ['MB', 1024 ** 2], ['KB', 1024]] as const) {
    if (n >= f && n % f === 0) return `${n / f}${u}`;
  }
  return `${n}B`;
}

function validate(name: string, entry: unknown): FileTypeMapping {
  const e = entry as Partial<FileTypeMapping> | null;
  if (!TYPE_NAME.test(name)) throw new Error(`invalid type name "${name}"`);
  if (typeof e?.folder !== 'string' || !isAbsolute(e.folder)) throw new Error(`type "${name}": folder must be an absolute path`);
  if (!Array.isArray(e.labels) || e.labels.length === 0 || !e.labels.every((l) => isLabel(l))) {
    throw new Error(`type "${name}": labels must be a non-empty list of labels`);
  }
  if (typeof e.maxSize !== 'number' || !Number.isSafeInteger(e.maxSize) || e.maxSize < 1) throw new Error(`type "${name}": maxSize must be a positive integer`);
  return { name, folder: e.folder, labels: [...e.labels], maxSize: e.maxSize };
}

/** Read `<data-dir>/file-types.json`; a missing file means no types. */
export function readFileTypes(dataDir: string): FileTypeMapping[] {
  let raw: string;
  try {
    raw = readFileSync(fileTypesPath(dataDir), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  let parsed: Partial<FileTypesFile>;
  try {
    parsed = JSON.parse(raw) as Partial<FileTypesFile>;
  } catch {
    // Not the parser's message: it quotes the file, and folder names stay out of logs.
    throw new Error('file-types.json is not valid JSON');
  }
  if (parsed?.version !== 1 || typeof parsed.types !== 'object' || parsed.types === null) throw new Error('file-types.json: unknown format');
  return Object.entries(parsed.types).map(([name, e]) => validate(name, e));
}

/** Replace the whole mapping file atomically (CLI). */
export function writeFileTypes(dataDir: string, types: readonly FileTypeMapping[]): void {
  const file: FileTypesFile = { version: 1, types: {} };
  for (const t of [...types].sort((a, b) => a.name.localeCompare(b.name))) {
    const v = validate(t.name, t);
    file.types[t.name] = { folder: v.folder, labels: v.labels, maxSize: v.maxSize };
  }
  writeFileAtomic(fileTypesPath(dataDir), `${JSON.stringify(file, null, 2)}\n`, 0o600);
}

/**
 * The running connector's view of the mappings. The file is re-read whenever it changed
 * (one stat per request: the CLI edits it while the connector runs). A file that does not
 * parse keeps the last good mapping and logs once.
 */
export class FileTypeRegistry {
  private cache: FileTypeMapping[] = [];
  private stamp = '';

  constructor(
    private readonly dataDir: string,
    private readonly onError: (e: unknown) => void = () => {},
  ) {}

  all(): FileTypeMapping[] {
    let stamp: string;
    try {
      const st = statSync(fileTypesPath(this.dataDir), { bigint: true });
      stamp = `${st.ino}:${st.size}:${st.mtimeNs}`;
    } catch {
      stamp = 'none';
    }
    if (stamp !== this.stamp) {
      try {
        this.cache = stamp === 'none' ? [] : readFileTypes(this.dataDir);
      } catch (e) {
        this.onError(e);
      }
      this.stamp = stamp;
    }
    return this.cache;
  }

  /** Types the label may use. */
  forLabel(label: string): FileTypeMapping[] {
    return this.all().filter((t) => t.labels.includes(label));
  }

  /** The type, if this label may use it; otherwise the same error as for an unknown type. */
  get(label: string, name: unknown): FileTypeMapping {
    const t = typeof name === 'string' ? this.all().find((x) => x.name === name && x.labels.includes(label)) : undefined;
    if (!t) throw new ConnectorError('FILE_TYPE_NOT_FOUND', 'No file type with this name is available to this application.');
    return t;
  }
}
