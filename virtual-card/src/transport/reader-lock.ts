import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A machine-wide, cross-process lock on one vpcd reader, so that test suites of different
 * packages (or developers) sharing one pcscd never drive the same virtual reader at once.
 * Convention: the directory `$TMPDIR/cardlink-vpcd-<readerIndex>.lock` holds the owner's
 * pid; a lock whose owner is dead is taken over.
 */
export interface ReaderLock {
  readonly path: string;
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readerLockPath(readerIndex: number): string {
  return join(tmpdir(), `cardlink-vpcd-${readerIndex}.lock`);
}

function tryTake(path: string): boolean {
  try {
    mkdirSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    let owner = NaN;
    try {
      owner = Number(readFileSync(join(path, 'pid'), 'utf8'));
    } catch {
      // Being created right now, or a crash between mkdir and the pid write.
    }
    if (Number.isInteger(owner) && owner > 0 && !alive(owner)) {
      rmSync(path, { recursive: true, force: true });
      return tryTake(path);
    }
    return false;
  }
  writeFileSync(join(path, 'pid'), String(process.pid));
  return true;
}

/** Waits (polling) until the reader is ours; rejects after `timeoutMs`. */
export async function acquireReaderLock(readerIndex: number, timeoutMs = 300_000): Promise<ReaderLock> {
  const path = readerLockPath(readerIndex);
  const deadline = Date.now() + timeoutMs;
  while (!tryTake(path)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${path}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  let released = false;
  return {
    path,
    release() {
      if (released) return;
      released = true;
      rmSync(path, { recursive: true, force: true });
    },
  };
}
