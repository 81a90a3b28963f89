import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * A release package is a plain gzipped ustar archive of regular files (readable with
 * `tar -tzf`). Written and read here, without a dependency: the reader runs only on a package
 * whose SHA-256 already matched a signed manifest, accepts regular files only, and refuses any
 * name outside the bundle's layout (no absolute paths, no `..`, no links).
 */
export interface PackageFile {
  name: string;
  data: Buffer;
}

const BLOCK = 512;
/** connector.mjs, VERSION, chunks/<name>.mjs, source maps. */
const NAME = /^(?:[A-Za-z0-9_.-]+|chunks\/[A-Za-z0-9_.-]+)$/;
export const MAX_PACKAGE_BYTES = 200 * 1024 * 1024;

export function isPackageName(name: string): boolean {
  return NAME.test(name) && !name.split('/').some((p) => p === '.' || p === '..' || p.startsWith('.'));
}

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

function header(name: string, size: number, mtime: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  let prefix = '';
  let base = name;
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/');
    prefix = name.slice(0, cut);
    base = name.slice(cut + 1);
    if (cut < 0 || Buffer.byteLength(base) > 100 || Buffer.byteLength(prefix) > 155) throw new Error(`name too long for ustar: ${name}`);
  }
  h.write(base, 0, 100, 'utf8');
  h.write(octal(0o644, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(mtime, 12), 136, 'ascii');
  h.fill(' ', 148, 156);
  h.write('0', 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(octal(sum, 7) + ' ', 148, 'ascii');
  return h;
}

/** Deterministic for given files and mtime (sorted names). */
export function packFiles(files: PackageFile[], mtime = 0): Buffer {
  const parts: Buffer[] = [];
  for (const f of [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (!isPackageName(f.name)) throw new Error(`refusing to pack ${f.name}`);
    parts.push(header(f.name, f.data.length, mtime), f.data);
    const pad = (BLOCK - (f.data.length % BLOCK)) % BLOCK;
    if (pad) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return gzipSync(Buffer.concat(parts), { level: 9 });
}

const str = (b: Buffer, from: number, len: number) => {
  const s = b.subarray(from, from + len);
  const nul = s.indexOf(0);
  return (nul < 0 ? s : s.subarray(0, nul)).toString('utf8');
};

export function unpackFiles(tgz: Buffer): PackageFile[] {
  let tar: Buffer;
  try {
    tar = gunzipSync(tgz, { maxOutputLength: MAX_PACKAGE_BYTES });
  } catch (e) {
    throw new Error(`package is not gzip: ${(e as Error).message}`);
  }
  const files: PackageFile[] = [];
  const seen = new Set<string>();
  let off = 0;
  while (off + BLOCK <= tar.length) {
    const h = tar.subarray(off, off + BLOCK);
    if (h.every((b) => b === 0)) break;
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
    if (parseInt(str(h, 148, 8).trim(), 8) !== sum) throw new Error('package has a corrupt tar header');
    const type = String.fromCharCode(h[156]!);
    if (type !== '0' && type !== '\0') throw new Error(`package holds something other than a regular file (type ${type})`);
    const prefix = str(h, 345, 155);
    const name = prefix ? `${prefix}/${str(h, 0, 100)}` : str(h, 0, 100);
    if (!isPackageName(name) || seen.has(name)) throw new Error(`package holds an unexpected name: ${JSON.stringify(name)}`);
    seen.add(name);
    const size = parseInt(str(h, 124, 12).trim(), 8);
    if (!Number.isSafeInteger(size) || size < 0 || off + BLOCK + size > tar.length) throw new Error('package has a truncated file');
    files.push({ name, data: Buffer.from(tar.subarray(off + BLOCK, off + BLOCK + size)) });
    off += BLOCK + size + ((BLOCK - (size % BLOCK)) % BLOCK);
  }
  return files;
}
