import { constants, existsSync } from 'node:fs';
import { readlink, realpath, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Open-once helpers: flags that never follow a final link nor wait on a FIFO, and the real
 * place of an opened descriptor. Checking a path and then opening it is a race (the path can
 * be swapped in between); checking what the descriptor is, after opening, is not.
 */

const flag = (name: string): number => (constants as Record<string, number | undefined>)[name] ?? 0;

/** Read an existing file: never through a final link, never blocking on a FIFO or a device. */
export const READ_FLAGS = constants.O_RDONLY | flag('O_NOFOLLOW') | flag('O_NONBLOCK') | flag('O_NOCTTY');
/** Open a directory (to list it or to work inside it): never through a final link. */
export const DIRECTORY_FLAGS = constants.O_RDONLY | flag('O_DIRECTORY') | flag('O_NOFOLLOW') | flag('O_NONBLOCK');
/** Create a new file that did not exist (never reuses a name, never writes through a link). */
export const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | flag('O_NOFOLLOW');
/** As CREATE_FLAGS, and readable back through the same descriptor (spool files). */
export const CREATE_RW_FLAGS = constants.O_RDWR | constants.O_CREAT | constants.O_EXCL | flag('O_NOFOLLOW');

const PROC_FD = '/proc/self/fd';
let procFd: boolean | undefined;

/** Whether the kernel names descriptors (Linux /proc): then no path needs re-resolving. */
export function hasProcFd(): boolean {
  procFd ??= process.platform === 'linux' && existsSync(PROC_FD);
  return procFd;
}

/**
 * The absolute path the opened file or directory has now, or null if it has none any more
 * (deleted) or, without /proc, if `openedAs` no longer names this very file (dev + inode).
 */
export async function whereIs(fh: FileHandle, openedAs: string): Promise<string | null> {
  const st = await fh.stat();
  if (st.nlink === 0) return null;
  if (hasProcFd()) {
    try {
      return await readlink(join(PROC_FD, String(fh.fd)));
    } catch {
      return null;
    }
  }
  try {
    const real = await realpath(openedAs);
    const now = await stat(real);
    return now.dev === st.dev && now.ino === st.ino ? real : null;
  } catch {
    return null;
  }
}

/**
 * A path prefix through which names resolve inside the opened directory itself: on Linux
 * `/proc/self/fd/N` (the descriptor, whatever happens to the path it was opened by, like
 * openat(2)); elsewhere its checked real path, the best that remains without *at calls.
 */
export function insideOf(dir: FileHandle, realPath: string): string {
  return hasProcFd() ? join(PROC_FD, String(dir.fd)) : realPath;
}
