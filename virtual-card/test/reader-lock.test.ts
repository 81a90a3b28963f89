import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireReaderLock, readerLockPath } from '../src/transport/reader-lock.js';

// Reader indexes far from the real ones (0, 1) so this never blocks a PC/SC suite.
describe('vpcd reader lock', () => {
  it('serialises holders and is released', async () => {
    const first = await acquireReaderLock(90);
    let secondGot = false;
    const second = acquireReaderLock(90, 10_000).then((l) => {
      secondGot = true;
      return l;
    });
    await new Promise((r) => setTimeout(r, 600));
    expect(secondGot).toBe(false);
    first.release();
    const l2 = await second;
    expect(secondGot).toBe(true);
    l2.release();
    expect(existsSync(readerLockPath(90))).toBe(false);
  });

  it('takes over a lock left by a dead process, and times out on a live one', async () => {
    const path = readerLockPath(91);
    mkdirSync(path, { recursive: true });
    writeFileSync(join(path, 'pid'), '999999999');
    const l = await acquireReaderLock(91, 2_000);
    await expect(acquireReaderLock(91, 600)).rejects.toThrow(/timed out/);
    l.release();
  });
});
