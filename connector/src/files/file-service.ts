import { link, lstat, open, readdir, realpath, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { ConnectorError } from '../errors.js';
import { CREATE_FLAGS } from '../fs/descriptor.js';
import type { FileTypeMapping, FileTypeRegistry } from './file-types.js';
import { holdErrors, writeAll } from './write-file.js';
import { folderPlace, openFileIn, openFolder, type OpenedFile } from './confined-open.js';
import { fileName, fsError, isInside, mappedRoot, relativePath, resolveInside, subfolderSegments } from './safe-path.js';

export interface FileEntryValue {
  name: string;
  path: string;
  size: number;
  modifiedAt: string;
  directory: boolean;
}

/** A mapped file that was checked; `open()` gives its descriptor, once more checked. */
export interface CheckedFile {
  name: string;
  size: number;
  open(): Promise<OpenedFile>;
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

  /**
   * Content of a type's folder or one of its sub-folders (not recursive). Entries are only
   * looked at (lstat/stat), never opened: a FIFO in the folder cannot make a listing wait.
   */
  async list(label: string, type: string, subfolder: string | null | undefined): Promise<FileEntryValue[]> {
    const t = this.types.get(label, type);
    const segments = subfolderSegments(subfolder);
    const realRoot = await mappedRoot(t.folder);
    const folder = await openFolder(realRoot, segments, { create: false });
    try {
      let names: string[];
      try {
        names = await readdir(folder.at);
      } catch (e) {
        throw fsError(e);
      }
      const out: FileEntryValue[] = [];
      for (const name of names.sort()) {
        if (name.startsWith(TEMP_PREFIX)) continue;
        try {
          let st = await lstat(join(folder.at, name));
          if (st.isSymbolicLink()) {
            // Links are shown only when they stay inside the type's folder.
            const target = await realpath(join(folder.at, name));
            if (!isInside(realRoot, target)) continue;
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
    } finally {
      await folder.close();
    }
  }

  /**
   * Store a file from the page: streamed into a temp file next to its final place, then
   * renamed atomically. Without `overwrite`, an existing file is never replaced (FILE_EXISTS),
   * not even by a race: the final step is a hard link, which fails if the name exists.
   * Everything happens inside the descriptor of the target folder (made inside the mapped
   * folder, checked once opened and again once the file is placed), so a folder or a name
   * swapped for a link meanwhile can never make it write outside; the temp file is removed on
   * any failure.
   */
  async receive(
    label: string,
    type: string,
    opts: { name?: string | null; subfolder?: string | null; overwrite?: boolean | null },
    file: () => Promise<IncomingFile>,
  ): Promise<FileEntryValue> {
    const t = this.types.get(label, type);
    const segments = subfolderSegments(opts.subfolder);
    const overwrite = !!opts.overwrite;
    // A name asked for is checked before any byte is read; else the browser's file name is.
    const asked = opts.name === null || opts.name === undefined ? undefined : fileName(opts.name);
    await this.precheck(t, segments, asked, overwrite);
    const incoming = await file();
    holdErrors(incoming.stream);
    const name = asked ?? fileName(incoming.filename);
    if (!asked) await this.precheck(t, segments, name, overwrite);

    const realRoot = await mappedRoot(t.folder);
    const folder = await openFolder(realRoot, segments, { create: true });
    const tmp = join(folder.at, `${TEMP_PREFIX}${randomBytes(8).toString('hex')}.part`);
    const final = join(folder.at, name);
    let tmpExists = false;
    try {
      let handle: FileHandle;
      try {
        handle = await open(tmp, CREATE_FLAGS, 0o644);
      } catch (e) {
        throw fsError(e);
      }
      tmpExists = true;
      let ino: number;
      try {
        ino = (await handle.stat()).ino;
        await writeAll(incoming.stream, sizeLimit(t.maxSize), handle);
      } finally {
        await handle.close();
      }
      await place(tmp, final, overwrite);
      tmpExists = false;
      const st = await lstat(final);
      const where = await folderPlace(realRoot, folder);
      if (where !== 'inside') {
        // The folder was moved out (or removed) while the file was written: take back what was put there.
        if (st.ino === ino) await unlink(final).catch(() => {});
        if (where === 'gone') throw new ConnectorError('FILE_NOT_FOUND', 'The folder was removed while the file was written.');
        throw new ConnectorError('PATH_NOT_ALLOWED', "The folder was moved out of the type's folder while the file was written.");
      }
      return { name, path: relativePath(segments, name), size: st.size, modifiedAt: st.mtime.toISOString(), directory: false };
    } catch (e) {
      if (tmpExists) await unlink(tmp).catch(() => {});
      throw fsError(e);
    } finally {
      await folder.close();
    }
  }

  /**
   * A regular file of a type, checked by opening it (for `upload` and `print`). Nothing is
   * kept open; `open()` opens it again, through the same checks, and only if it is still the
   * very file that was checked (same device and inode), so a file swapped meanwhile (for a
   * link, a FIFO, another file) is refused rather than used.
   */
  async resolveFile(label: string, type: string, name: string, subfolder: string | null | undefined): Promise<CheckedFile> {
    const checked = fileName(name);
    const first = await this.openFile(label, type, checked, subfolder);
    const { size, dev, ino } = first.stats;
    await first.close();
    return {
      name: checked,
      size,
      open: async () => {
        const again = await this.openFile(label, type, checked, subfolder);
        if (again.stats.dev !== dev || again.stats.ino !== ino) {
          await again.close();
          throw new ConnectorError('FILE_NOT_FOUND', 'The file was replaced after it was checked.', { replaced: true });
        }
        return again;
      },
    };
  }

  /** Open a mapped file once, confined to its type's folder (see confined-open). */
  private async openFile(label: string, type: string, name: string, subfolder: string | null | undefined): Promise<OpenedFile> {
    const t = this.types.get(label, type);
    const segments = subfolderSegments(subfolder);
    const realRoot = await mappedRoot(t.folder);
    const folder = await openFolder(realRoot, segments, { create: false });
    try {
      return await openFileIn(realRoot, folder, name);
    } finally {
      await folder.close();
    }
  }

  /** Early answers (before any byte is read); the write itself does not rely on them. */
  private async precheck(t: FileTypeMapping, segments: string[], name: string | undefined, overwrite: boolean): Promise<void> {
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
  }
}

/** Publish the temp file under its final name (both inside the same opened folder). */
async function place(tmp: string, final: string, overwrite: boolean): Promise<void> {
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
