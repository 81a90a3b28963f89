import { link, lstat, mkdir, readdir, realpath, rename, stat, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { ConnectorError } from '../errors.js';
import type { FileTypeMapping, FileTypeRegistry } from './file-types.js';
import { streamToNewFile } from './write-file.js';
import { assertInside, fileName, fsError, relativePath, resolveInside, subfolderSegments } from './safe-path.js';

export interface FileEntryValue {
  name: string;
  path: string;
  size: number;
  modifiedAt: string;
  directory: boolean;
}

export interface IncomingFile {
  stream: Readable;
  /** Name the page's browser gave the file (used when no name is asked for). */
  filename: string;
}

/** Partial files being written carry this prefix; listings hide them. */
export const TEMP_PREFIX = '.cardlink-';

const tooLarge = (max: number) => new ConnectorError('FILE_TOO_LARGE', `The file is larger than this type allows (${max} bytes).`, { maxSize: max });

/** Counts bytes on their way to disk and fails the copy as soon as `max` is passed. */
export function sizeLimit(max: number, onTooLarge: () => Error = () => tooLarge(max)): Transform {
  let n = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      n += chunk.length;
      if (n > max) cb(onTooLarge());
      else cb(null, chunk);
    },
  });
}

/**
 * Files in mapped folders, for the labels allowed to use them. Every name a page sends goes
 * through safe-path; file names and contents are never logged or recorded here.
 */
export class FileService {
  constructor(readonly types: FileTypeRegistry) {}

  /** Types the label may use (name and limit only: never the folder). */
  typesFor(label: string): { name: string; maxSize: number }[] {
    return this.types.forLabel(label).map((t) => ({ name: t.name, maxSize: t.maxSize }));
  }

  /** Largest file this label could store (bounds a multipart body before the type is known). */
  largestFor(label: string): number {
    return this.types.forLabel(label).reduce((m, t) => Math.max(m, t.maxSize), 0);
  }

  /** Content of a type's folder or one of its sub-folders (not recursive). */
  async list(label: string, type: string, subfolder: string | null | undefined): Promise<FileEntryValue[]> {
    const t = this.types.get(label, type);
    const segments = subfolderSegments(subfolder);
    const { realRoot, path, exists } = await resolveInside(t.folder, segments);
    if (!exists) throw new ConnectorError('FILE_NOT_FOUND', 'The sub-folder does not exist.');
    let names: string[];
    try {
      names = await readdir(path);
    } catch (e) {
      throw fsError(e);
    }
    const out: FileEntryValue[] = [];
    for (const name of names.sort()) {
      if (name.startsWith(TEMP_PREFIX)) continue;
      try {
        let st = await lstat(join(path, name));
        if (st.isSymbolicLink()) {
          // Links are shown only when they stay inside the type's folder.
          const target = await realpath(join(path, name));
          if (target !== realRoot && !target.startsWith(`${realRoot}/`) && !target.startsWith(`${realRoot}\\`)) continue;
          st = await stat(target);
        }
        if (!st.isFile() && !st.isDirectory()) continue;
        out.push({
          name,
          path: relativePath(segments, name),
          size: st.isFile() ? st.size : 0,
          modifiedAt: st.mtime.toISOString(),
          directory: st.isDirectory(),
        });
      } catch {
        // Vanished or unreadable while listing: leave it out.
      }
    }
    return out;
  }

  /**
   * Store a file from the page: streamed into a temp file next to its final place, then
   * renamed atomically. Without `overwrite`, an existing file is never replaced (FILE_EXISTS),
   * not even by a race: the final step is a hard link, which fails if the name exists.
   */
  async receive(
    label: string,
    type: string,
    opts: { name?: string | null; subfolder?: string | null; overwrite?: boolean | null },
    file: () => Promise<IncomingFile>,
  ): Promise<FileEntryValue> {
    const t = this.types.get(label, type);
    const segments = subfolderSegments(opts.subfolder);
    // A name asked for is checked before any byte is read; else the browser's file name is.
    const asked = opts.name === null || opts.name === undefined ? undefined : fileName(opts.name);
    let target = await this.target(t, segments, asked, !!opts.overwrite);
    const incoming = await file();
    const name = asked ?? fileName(incoming.filename);
    if (!asked) target = await this.target(t, segments, name, !!opts.overwrite);
    const { realRoot, dir } = target;

    try {
      await mkdir(dir, { recursive: true });
    } catch (e) {
      throw fsError(e);
    }
    // The folders just made (or found) must still be inside: no link swapped in meanwhile.
    const realDir = await assertInside(realRoot, dir);
    const tmp = join(realDir, `${TEMP_PREFIX}${randomBytes(8).toString('hex')}.part`);
    const final = join(realDir, name);
    try {
      await streamToNewFile(incoming.stream, sizeLimit(t.maxSize), tmp, 0o644);
      await this.place(tmp, final, !!opts.overwrite);
    } catch (e) {
      await unlink(tmp).catch(() => {});
      throw fsError(e);
    }
    const st = await stat(final).catch((e) => {
      throw fsError(e);
    });
    return { name, path: relativePath(segments, name), size: st.size, modifiedAt: st.mtime.toISOString(), directory: false };
  }

  /** A regular file of a type, checked and resolved to its real path (for sending or printing). */
  async resolveFile(label: string, type: string, name: string, subfolder: string | null | undefined): Promise<{ path: string; size: number; name: string }> {
    const t = this.types.get(label, type);
    const segments = subfolderSegments(subfolder);
    const checked = fileName(name);
    const { path, exists } = await resolveInside(t.folder, [...segments, checked]);
    if (!exists) throw new ConnectorError('FILE_NOT_FOUND', 'The file does not exist.');
    const st = await stat(path).catch((e) => {
      throw fsError(e);
    });
    if (!st.isFile()) throw new ConnectorError('FILE_NOT_FOUND', 'This name is not a regular file.');
    return { path, size: st.size, name: checked };
  }

  private async target(t: FileTypeMapping, segments: string[], name: string | undefined, overwrite: boolean) {
    const dirInfo = await resolveInside(t.folder, segments);
    if (dirInfo.exists) {
      const st = await stat(dirInfo.path).catch((e) => {
        throw fsError(e);
      });
      if (!st.isDirectory()) throw new ConnectorError('PATH_NOT_ALLOWED', 'A part of the sub-folder is a file, not a folder.');
    }
    if (name !== undefined) {
      const fileInfo = await resolveInside(t.folder, [...segments, name]);
      if (fileInfo.exists) {
        const st = await lstat(fileInfo.path).catch((e) => {
          throw fsError(e);
        });
        if (st.isDirectory()) throw new ConnectorError('PATH_NOT_ALLOWED', 'A folder has this name.');
        if (!overwrite) throw new ConnectorError('FILE_EXISTS', 'A file with this name exists and overwrite was not requested.');
      }
    }
    return { realRoot: dirInfo.realRoot, dir: dirInfo.path };
  }

  private async place(tmp: string, final: string, overwrite: boolean): Promise<void> {
    if (overwrite) {
      await rename(tmp, final);
      return;
    }
    try {
      await link(tmp, final);
      await unlink(tmp);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new ConnectorError('FILE_EXISTS', 'A file with this name exists and overwrite was not requested.');
      // File systems without hard links (FAT, some network shares): check, then rename.
      if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'EXDEV') {
        const exists = await lstat(final).then(() => true, () => false);
        if (exists) throw new ConnectorError('FILE_EXISTS', 'A file with this name exists and overwrite was not requested.');
        await rename(tmp, final);
        return;
      }
      throw e;
    }
  }
}
