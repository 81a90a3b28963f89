import { lstat, mkdir, open, realpath, type FileHandle } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import { ConnectorError } from '../errors.js';
import { DIRECTORY_FLAGS, READ_FLAGS, insideOf, whereIs } from '../fs/descriptor.js';
import { fsError, isInside } from './safe-path.js';

/**
 * Opens folders and files confined to a mapped folder (its real path, `realRoot`), so that a
 * name swapped on disk between a check and its use (a link, a FIFO, a parent folder replaced
 * by a link) can never make the connector read, list or write outside it:
 * - every folder is opened as a descriptor (never through a final link) and its real place
 *   is read back from the descriptor and checked to be inside;
 * - names are then resolved inside that descriptor (`OpenedFolder.at`), not along the path;
 * - a file is opened without following links and without waiting (FIFOs), and the opened
 *   descriptor must be a regular file whose real place is inside.
 * Links that stay inside the folder are followed on purpose (an administrator may use them).
 */

export interface OpenedFolder {
  handle: FileHandle;
  /** Path prefix resolving names inside this very folder (see fs/descriptor insideOf). */
  at: string;
  close(): Promise<void>;
}

export interface OpenedFile {
  /** The descriptor; a stream made from it owns it (closes it at its end). */
  handle: FileHandle;
  stats: Stats;
  close(): Promise<void>;
}

const refuse = (message: string) => new ConnectorError('PATH_NOT_ALLOWED', message);
const notRegular = () => new ConnectorError('FILE_NOT_FOUND', 'This name is not a regular file.');

async function closeQuietly(fh: FileHandle): Promise<void> {
  await fh.close().catch(() => {});
}

/** Where the descriptor really is; it must be inside the root, else it is closed and refused. */
async function placeInside(realRoot: string, fh: FileHandle, openedAs: string): Promise<string> {
  let where: string | null;
  try {
    where = await whereIs(fh, openedAs);
  } catch (e) {
    await closeQuietly(fh);
    throw fsError(e);
  }
  if (where === null) {
    await closeQuietly(fh);
    throw new ConnectorError('FILE_NOT_FOUND', 'The file was removed or moved while it was opened.');
  }
  if (!isInside(realRoot, where)) {
    await closeQuietly(fh);
    throw refuse("The path led outside the type's folder when it was opened (a link or folder was swapped in).");
  }
  return where;
}

/** Open `path` as a directory that must really be inside `realRoot`. */
export async function openDirectory(realRoot: string, path: string): Promise<OpenedFolder> {
  let fh: FileHandle;
  try {
    fh = await open(path, DIRECTORY_FLAGS);
  } catch (e) {
    throw fsError(e);
  }
  const real = await placeInside(realRoot, fh, path);
  const handle = fh;
  return { handle, at: insideOf(handle, real), close: () => closeQuietly(handle) };
}

/** Open `path` as a regular file that must really be inside `realRoot`. */
export async function openRegularFile(realRoot: string, path: string): Promise<OpenedFile> {
  let fh: FileHandle;
  try {
    fh = await open(path, READ_FLAGS);
  } catch (e) {
    // ENXIO: a socket. ELOOP (a link swapped in): fsError says PATH_NOT_ALLOWED.
    if ((e as NodeJS.ErrnoException).code === 'ENXIO') throw notRegular();
    throw fsError(e);
  }
  let stats: Stats;
  try {
    stats = await fh.stat();
  } catch (e) {
    await closeQuietly(fh);
    throw fsError(e);
  }
  if (!stats.isFile()) {
    await closeQuietly(fh);
    throw notRegular();
  }
  await placeInside(realRoot, fh, path);
  const handle = fh;
  return { handle, stats, close: () => closeQuietly(handle) };
}

/** A name inside an opened folder: a link is followed only if it stays inside the root. */
async function throughLink(realRoot: string, path: string): Promise<string> {
  let target: string;
  try {
    target = await realpath(path);
  } catch {
    throw refuse('The path goes through a link that points nowhere.');
  }
  if (!isInside(realRoot, target)) throw refuse("The path goes through a link that points outside the type's folder.");
  return target;
}

async function lstatOrNull(path: string): Promise<Stats | null> {
  try {
    return await lstat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw fsError(e);
  }
}

/**
 * The folder `segments` below the root, opened. With `create`, missing folders are made one
 * by one, each inside the descriptor of its parent (so never outside, whatever is swapped).
 */
export async function openFolder(realRoot: string, segments: readonly string[], opts: { create: boolean }): Promise<OpenedFolder> {
  let current = await openDirectory(realRoot, realRoot);
  try {
    for (const segment of segments) {
      const path = join(current.at, segment);
      let st = await lstatOrNull(path);
      if (st === null) {
        if (!opts.create) throw new ConnectorError('FILE_NOT_FOUND', 'The sub-folder does not exist.');
        await mkdir(path).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== 'EEXIST') throw fsError(e);
        });
        st = await lstatOrNull(path);
        if (st === null) throw new ConnectorError('FILE_NOT_FOUND', 'The sub-folder was removed while it was made.');
      }
      if (!st.isSymbolicLink() && !st.isDirectory()) throw refuse('A part of the sub-folder is a file, not a folder.');
      const next = await openDirectory(realRoot, st.isSymbolicLink() ? await throughLink(realRoot, path) : path);
      await current.close();
      current = next;
    }
    return current;
  } catch (e) {
    await current.close();
    throw e;
  }
}

/** The regular file `name` in an opened folder, opened (FILE_NOT_FOUND for anything else). */
export async function openFileIn(realRoot: string, folder: OpenedFolder, name: string): Promise<OpenedFile> {
  const path = join(folder.at, name);
  const st = await lstatOrNull(path);
  if (st === null) throw new ConnectorError('FILE_NOT_FOUND', 'The file does not exist.');
  // FIFOs, sockets and devices are refused before anything opens them; the descriptor's own
  // check below catches what is swapped in after this look.
  if (st.isSymbolicLink()) return openRegularFile(realRoot, await throughLink(realRoot, path));
  if (!st.isFile()) throw notRegular();
  return openRegularFile(realRoot, path);
}

/** Checked again after writing: is the folder written into still inside the root, or gone? */
export async function folderPlace(realRoot: string, folder: OpenedFolder): Promise<'inside' | 'outside' | 'gone'> {
  const where = await whereIs(folder.handle, folder.at).catch(() => null);
  if (where === null) return 'gone';
  return isInside(realRoot, where) ? 'inside' : 'outside';
}
