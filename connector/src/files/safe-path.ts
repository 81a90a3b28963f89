import { lstat, realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { ConnectorError } from '../errors.js';

/**
 * The one place that turns page-supplied names into paths. Everything a page sends (file
 * names, sub-folders) goes through `fileName` / `subfolderSegments`, and every file or folder
 * the connector opens is opened through confined-open (descriptors checked to be inside), so
 * no request can reach outside the folder mapped to its type. Refusals are PATH_NOT_ALLOWED with a message that says what was wrong
 * but never echoes the name itself (names are personal data: never logged, never recorded).
 */

export const MAX_SEGMENT_BYTES = 255;
export const MAX_PATH_BYTES = 4096;

/** Device names Windows reserves in any folder, with or without an extension. */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

const refuse = (message: string) => new ConnectorError('PATH_NOT_ALLOWED', message);

function checkText(value: string, what: string): void {
  if (value.includes('\0')) throw refuse(`The ${what} contains a NUL byte.`);
  if (CONTROL.test(value)) throw refuse(`The ${what} contains control characters.`);
  if (value.includes('\\')) throw refuse(`The ${what} contains a backslash; use / to separate folders.`);
  if (/^[a-zA-Z]:/.test(value)) throw refuse(`The ${what} starts with a drive letter; names are relative to the type's folder.`);
  if (value.startsWith('/')) throw refuse(`The ${what} is an absolute path; names are relative to the type's folder.`);
  if (Buffer.byteLength(value) > MAX_PATH_BYTES) throw refuse(`The ${what} is longer than ${MAX_PATH_BYTES} bytes.`);
}

function checkSegment(segment: string, what: string): void {
  if (segment.length === 0) throw refuse(`The ${what} has an empty path segment.`);
  if (segment === '.' || segment === '..') throw refuse(`The ${what} contains a "${segment}" segment.`);
  if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES) throw refuse(`A segment of the ${what} is longer than ${MAX_SEGMENT_BYTES} bytes.`);
  if (segment.includes(':')) throw refuse(`The ${what} contains ":" (drive letters and alternate streams are not allowed).`);
  if (WINDOWS_RESERVED.test(segment)) throw refuse(`The ${what} uses a reserved device name.`);
  if (/[. ]$/.test(segment)) throw refuse(`A segment of the ${what} ends with a dot or a space.`);
}

/** A single file name: one segment, no separators. */
export function fileName(name: unknown): string {
  if (typeof name !== 'string' || name.length === 0) throw refuse('The file name is empty.');
  checkText(name, 'file name');
  if (name.includes('/')) throw refuse('The file name contains "/"; put folders in `subfolder`.');
  checkSegment(name, 'file name');
  return name;
}

/** A sub-folder relative to the type's folder ("a/b"); null, undefined or "" mean the folder itself. */
export function subfolderSegments(subfolder: unknown): string[] {
  if (subfolder === null || subfolder === undefined || subfolder === '') return [];
  if (typeof subfolder !== 'string') throw refuse('The sub-folder must be a string.');
  checkText(subfolder, 'sub-folder');
  const segments = subfolder.split('/');
  for (const s of segments) checkSegment(s, 'sub-folder');
  return segments;
}

/** Relative path with / separators, as shown to pages (`FileEntry.path`). */
export function relativePath(segments: readonly string[], name?: string): string {
  return [...segments, ...(name === undefined ? [] : [name])].join('/');
}

/** Whether the absolute path `p` is `root` or below it. */
export const isInside = (root: string, p: string): boolean => p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);

/** The real path of a type's folder (FILE_NOT_FOUND if it is missing). */
export async function mappedRoot(root: string): Promise<string> {
  try {
    return await realpath(root);
  } catch {
    throw new ConnectorError('FILE_NOT_FOUND', 'The folder mapped to this type does not exist on this machine.');
  }
}

/**
 * The real path of `root`/`segments...`, refused if it or any existing parent resolves
 * (through symlinks) outside the real path of `root`. Parts that do not exist yet are fine:
 * they cannot be links. Returns the real root and the checked target path (real for the
 * existing part, joined for the rest). A check of paths only, for early answers: what is
 * opened goes through confined-open, which checks the descriptors themselves.
 */
export async function resolveInside(root: string, segments: readonly string[]): Promise<{ realRoot: string; path: string; exists: boolean }> {
  const realRoot = await mappedRoot(root);
  let current = realRoot;
  for (let i = 0; i < segments.length; i++) {
    const next = join(current, segments[i]!);
    let st;
    try {
      st = await lstat(next);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') {
        return { realRoot, path: join(next, ...segments.slice(i + 1)), exists: false };
      }
      throw fsError(e);
    }
    if (st.isSymbolicLink()) {
      let target: string;
      try {
        target = await realpath(next);
      } catch {
        // A dangling link: whatever it names is not ours to create through.
        throw refuse('The path goes through a link that points nowhere.');
      }
      if (!isInside(realRoot, target)) throw refuse("The path goes through a link that points outside the type's folder.");
      current = target;
    } else {
      current = next;
    }
  }
  return { realRoot, path: current, exists: true };
}

/**
 * File system errors carry the path in their message; this keeps only the errno code so
 * that neither pages nor logs ever see a name.
 */
export function fsError(e: unknown): ConnectorError {
  if (e instanceof ConnectorError) return e;
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return new ConnectorError('FILE_NOT_FOUND', 'The file does not exist.');
    case 'EEXIST':
      return new ConnectorError('FILE_EXISTS', 'A file with this name exists and overwrite was not requested.');
    case 'ENOTDIR':
      return new ConnectorError('PATH_NOT_ALLOWED', 'A part of the sub-folder is a file, not a folder.');
    case 'EISDIR':
      return new ConnectorError('PATH_NOT_ALLOWED', 'A folder has this name.');
    case 'ELOOP':
      return new ConnectorError('PATH_NOT_ALLOWED', 'The path goes through a link where none is allowed (it was swapped in).');
    case 'ENXIO':
      return new ConnectorError('FILE_NOT_FOUND', 'This name is not a regular file.');
    case 'ENAMETOOLONG':
      return new ConnectorError('PATH_NOT_ALLOWED', 'The path is too long for this file system.');
    case 'EACCES':
    case 'EPERM':
      return new ConnectorError('PATH_NOT_ALLOWED', 'The connector may not access this path (permissions).');
    case 'ENOSPC':
    case 'EDQUOT':
      return new ConnectorError('INTERNAL', 'The disk is full.', { errno: code });
    default:
      return new ConnectorError('INTERNAL', 'File system error.', code ? { errno: code } : {});
  }
}
