import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectorError } from '../../src/errors.js';
import { folderPlace, openDirectory, openFileIn, openFolder, openRegularFile } from '../../src/files/confined-open.js';
import { hasProcFd } from '../../src/fs/descriptor.js';

// The primitives every file and folder the connector touches goes through, tried directly with
// paths that a swap on disk would produce (the parent a link, the file a link or a FIFO): the
// check on the opened descriptor is what refuses them, whatever any earlier look at the path said.

let root: string;
let outside: string;

beforeAll(() => {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'cardlink-confined-')));
  root = join(base, 'mapped');
  outside = join(base, 'outside');
  mkdirSync(join(root, 'sub'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(root, 'sub', 'inside.txt'), 'inside');
  writeFileSync(join(outside, 'inside.txt'), 'SECRET from outside');
  symlinkSync(outside, join(root, 'parent-link'));
  symlinkSync(join(outside, 'inside.txt'), join(root, 'file-link.txt'));
  execFileSync('mkfifo', [join(root, 'fifo')]);
  symlinkSync(join(root, 'sub'), join(root, 'link-in'));
});
afterAll(() => rmSync(join(root, '..'), { recursive: true, force: true }));

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ConnectorError);
    return (e as ConnectorError).code;
  }
  throw new Error('expected a refusal');
}

describe('confined-open', () => {
  it('runs where descriptors have a kernel name (the Linux guarantee these tests check)', () => {
    expect(hasProcFd()).toBe(true);
  });

  it('opens a regular file inside and reads it from the descriptor', async () => {
    const f = await openRegularFile(root, join(root, 'sub', 'inside.txt'));
    try {
      expect(f.stats.isFile()).toBe(true);
      expect((await f.handle.readFile()).toString()).toBe('inside');
    } finally {
      await f.close();
    }
  });

  it('refuses a file reached through a parent that is a link to outside (the descriptor is checked, not the path)', async () => {
    expect(await code(openRegularFile(root, join(root, 'parent-link', 'inside.txt')))).toBe('PATH_NOT_ALLOWED');
    expect(await code(openDirectory(root, join(root, 'parent-link')))).toBe('PATH_NOT_ALLOWED');
  });

  it('refuses a final link (O_NOFOLLOW), even one that stays inside', async () => {
    expect(await code(openRegularFile(root, join(root, 'file-link.txt')))).toBe('PATH_NOT_ALLOWED');
    expect(await code(openDirectory(root, join(root, 'link-in')))).toBe('PATH_NOT_ALLOWED');
  });

  it('a FIFO is refused at once: opened without waiting, then found not to be a regular file', async () => {
    const t0 = Date.now();
    expect(await code(openRegularFile(root, join(root, 'fifo')))).toBe('FILE_NOT_FOUND');
    expect(Date.now() - t0).toBeLessThan(1000);
    // And by name inside a folder, where it is refused before anything opens it.
    const folder = await openFolder(root, [], { create: false });
    try {
      expect(await code(openFileIn(root, folder, 'fifo'))).toBe('FILE_NOT_FOUND');
    } finally {
      await folder.close();
    }
  });

  it('follows links that stay inside and refuses those that lead out, by name in an opened folder', async () => {
    const folder = await openFolder(root, ['link-in'], { create: false });
    try {
      const f = await openFileIn(root, folder, 'inside.txt');
      expect((await f.handle.readFile()).toString()).toBe('inside');
      await f.close();
    } finally {
      await folder.close();
    }
    const top = await openFolder(root, [], { create: false });
    try {
      expect(await code(openFileIn(root, top, 'file-link.txt'))).toBe('PATH_NOT_ALLOWED');
    } finally {
      await top.close();
    }
    expect(await code(openFolder(root, ['parent-link'], { create: false }))).toBe('PATH_NOT_ALLOWED');
  });

  it('makes missing folders only inside: a link to outside on the way is refused and nothing is made outside', async () => {
    expect(await code(openFolder(root, ['parent-link', 'made', 'here'], { create: true }))).toBe('PATH_NOT_ALLOWED');
    expect(existsSync(join(outside, 'made'))).toBe(false);
    const made = await openFolder(root, ['new', 'deep'], { create: true });
    await made.close();
    expect(existsSync(join(root, 'new', 'deep'))).toBe(true);
  });

  it('an opened folder keeps naming the same folder when its path is swapped for a link to outside', async () => {
    mkdirSync(join(root, 'swap'));
    const folder = await openFolder(root, ['swap'], { create: false });
    try {
      renameSync(join(root, 'swap'), join(root, 'swap-moved'));
      symlinkSync(outside, join(root, 'swap'));
      writeFileSync(join(folder.at, 'written.txt'), 'through the descriptor');
      expect(await readFile(join(root, 'swap-moved', 'written.txt'), 'utf8')).toBe('through the descriptor');
      expect(existsSync(join(outside, 'written.txt'))).toBe(false);
      expect(await folderPlace(root, folder)).toBe('inside');
      // Moved out of the mapped folder altogether: the re-check says so.
      renameSync(join(root, 'swap-moved'), join(outside, 'moved-out'));
      expect(await folderPlace(root, folder)).toBe('outside');
      expect(readdirSync(join(outside, 'moved-out'))).toEqual(['written.txt']);
      rmSync(join(outside, 'moved-out'), { recursive: true });
      expect(await folderPlace(root, folder)).toBe('gone');
    } finally {
      await folder.close();
    }
  });
});
