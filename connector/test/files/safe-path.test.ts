import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileName, resolveInside, subfolderSegments, MAX_SEGMENT_BYTES } from '../../src/files/safe-path.js';
import { parseSize, formatSize } from '../../src/files/file-types.js';

const refused = (f: () => unknown, message?: RegExp) => {
  try {
    f();
  } catch (e) {
    expect((e as { code: string }).code).toBe('PATH_NOT_ALLOWED');
    if (message) expect((e as Error).message).toMatch(message);
    return;
  }
  throw new Error('expected PATH_NOT_ALLOWED');
};

describe('safe-path: names', () => {
  it.each([
    ['..', /"\.\." segment/],
    ['.', /"\." segment/],
    ['', /empty/],
    ['a/b', /contains "\/"/],
    ['/etc/passwd', /absolute/],
    ['..\\..\\x', /backslash/],
    ['C:x', /drive letter/],
    ['c:\\x', /backslash|drive letter/],
    ['a\u0000b', /NUL/],
    ['a\u001fb', /control/],
    ['a\u007fb', /control/],
    ['a'.repeat(MAX_SEGMENT_BYTES + 1), /longer than 255 bytes/],
    ['€'.repeat(86), /longer than 255 bytes/], // 258 bytes in UTF-8, 86 characters
    ['file.txt:stream', /":"/],
    ['NUL', /reserved/],
    ['com1.txt', /reserved/],
    ['x.', /ends with a dot/],
    ['x ', /ends with a dot or a space/],
  ])('refuses %j', (name, message) => refused(() => fileName(name), message));

  it('refuses non-strings', () => refused(() => fileName(undefined)));

  it.each(['report.pdf', 'Ünïcødé 漢字.txt', '.hidden', 'a'.repeat(MAX_SEGMENT_BYTES), 'x..y', 'console.log'])('accepts %j', (name) => {
    expect(fileName(name)).toBe(name);
  });
});

describe('safe-path: sub-folders', () => {
  it.each([
    ['../x'],
    ['a/../../x'],
    ['a/./b'],
    ['/abs'],
    ['a//b'],
    ['a/'],
    ['a\\b'],
    ['D:/x'],
    ['a/\u0000'],
    [Array.from({ length: 17 }, () => 'x'.repeat(250)).join('/')],
  ])('refuses %j', (sub) => refused(() => subfolderSegments(sub)));

  it('splits good sub-folders, and null/empty mean the folder itself', () => {
    expect(subfolderSegments('2026/11')).toEqual(['2026', '11']);
    expect(subfolderSegments(null)).toEqual([]);
    expect(subfolderSegments('')).toEqual([]);
  });
});

describe('safe-path: symlinks', () => {
  const base = mkdtempSync(join(tmpdir(), 'cardlink-safepath-'));
  const root = join(base, 'root');
  const outside = join(base, 'outside');
  mkdirSync(join(root, 'in', 'deep'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret'), 's');
  symlinkSync(outside, join(root, 'out-dir'));
  symlinkSync(join(outside, 'secret'), join(root, 'out-file'));
  symlinkSync(join(root, 'in'), join(root, 'in-link'));
  symlinkSync(join(base, 'nowhere'), join(root, 'dangling'));
  symlinkSync('../../outside', join(root, 'in', 'relative-out'));

  it('refuses links that lead outside, at any depth, and dangling links', async () => {
    for (const segs of [['out-dir'], ['out-dir', 'secret'], ['out-dir', 'new', 'x'], ['out-file'], ['dangling'], ['in', 'relative-out', 'secret'], ['in-link', 'relative-out']]) {
      await expect(resolveInside(root, segs), segs.join('/')).rejects.toMatchObject({ code: 'PATH_NOT_ALLOWED' });
    }
  });

  it('follows links that stay inside and allows paths that do not exist yet', async () => {
    const r = await resolveInside(root, ['in-link', 'deep']);
    expect(r.exists).toBe(true);
    expect(r.path).toBe(join(r.realRoot, 'in', 'deep'));
    const n = await resolveInside(root, ['in', 'new', 'file.txt']);
    expect(n.exists).toBe(false);
    expect(n.path).toBe(join(n.realRoot, 'in', 'new', 'file.txt'));
  });

  it('a mapped folder that is missing is FILE_NOT_FOUND', async () => {
    await expect(resolveInside(join(base, 'gone'), ['x'])).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });
});

describe('sizes', () => {
  it.each([
    ['50MB', 50 * 1024 * 1024],
    ['512kb', 512 * 1024],
    ['1.5 GiB', 1.5 * 1024 ** 3],
    ['1048576', 1048576],
    ['10B', 10],
  ])('parses %s', (v, n) => expect(parseSize(v)).toBe(n));
  it.each(['', 'lots', '-5MB', '0', '5XB'])('refuses %j', (v) => expect(() => parseSize(v)).toThrow());
  it('formats', () => {
    expect(formatSize(50 * 1024 * 1024)).toBe('50MB');
    expect(formatSize(1000)).toBe('1000B');
  });
});
