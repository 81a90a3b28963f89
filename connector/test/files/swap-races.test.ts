import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestConnector, APP_ORIGIN, APP_LABEL, type TestConnector } from '../helpers/test-connector.js';
import { writeFileTypes } from '../../src/files/file-types.js';
import { download, fetchHashed } from './file-client.js';

// Check-then-use races, with real swaps on disk: a file or folder that `upload` (or `download`)
// checked is swapped for a link, a FIFO or another folder before it is used. The connector
// must serve, list and write only inside the mapped folder, answer with a typed error in
// bounded time, and leave no temp file behind.

const OTHER_ORIGIN = 'https://other.example.net';
const OTHER_LABEL = 'other-app';
const PREFLIGHT = { 'graphql-require-preflight': '1' };
const page = { origin: APP_ORIGIN, ...PREFLIGHT };
/** What a swapped-in link points at: the file the hostile review got served. */
const PASSWD = '/etc/passwd';
const PASSWD_MARK = 'root:x:0:0';
const SECRET = 'SECRET-outside-the-mapped-folder';

let t: TestConnector;
let docs: string;
let theirs: string;
let outside: string;

beforeAll(async () => {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'cardlink-swaps-')));
  docs = join(base, 'docs');
  theirs = join(base, 'theirs');
  outside = join(base, 'outside');
  for (const d of [docs, theirs, outside]) mkdirSync(d);
  writeFileSync(join(theirs, 'theirs.txt'), 'theirs');
  expect(readFileSync(PASSWD, 'utf8')).toContain(PASSWD_MARK);
  t = await startTestConnector({
    origins: [
      { origin: APP_ORIGIN, label: APP_LABEL },
      { origin: OTHER_ORIGIN, label: OTHER_LABEL },
    ],
  });
  writeFileTypes(t.dataDir, [
    { name: 'docs', folder: docs, labels: [APP_LABEL], maxSize: 1024 * 1024 },
    { name: 'theirs', folder: theirs, labels: [OTHER_LABEL], maxSize: 1024 },
  ]);
});
afterAll(async () => {
  await t?.close();
  rmSync(join(docs, '..'), { recursive: true, force: true });
});

const upload = (input: Record<string, unknown>) =>
  t.query('mutation U($i: UploadInput!) { upload(input: $i) { url size } }', { i: input }, { origin: APP_ORIGIN });

async function urlFor(input: Record<string, unknown>): Promise<string> {
  const u = await upload(input);
  expect(u.json.errors).toBeUndefined();
  return u.json.data.upload.url as string;
}

const errorCode = (text: string) => JSON.parse(text).errors[0].extensions.code as string;

/** Every temp file left anywhere below `dir`. */
function partsBelow(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.name.endsWith('.part') || e.name.startsWith('.cardlink-')) out.push(e.name);
  return out;
}

/** A file body whose rest is sent only once `release()` is called (or never: `abort()` drops the connection). */
function gated(size = 64 * 1024) {
  let release!: (go: boolean) => void;
  const gate = new Promise<boolean>((r) => (release = r));
  async function* chunks() {
    yield Buffer.alloc(1024, 'a');
    if (!(await gate)) throw new Error('client went away');
    yield Buffer.alloc(size - 1024, 'b');
  }
  return { content: { chunks: chunks(), size }, release: () => release(true), abort: () => release(false) };
}

async function until(what: string, cond: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const hasPart = (dir: string) => existsSync(dir) && readdirSync(dir).some((n) => n.startsWith('.cardlink-'));

describe('upload URL: the file is swapped between the check and the GET', () => {
  it('for a link to /etc/passwd: PATH_NOT_ALLOWED (403), never its content', async () => {
    writeFileSync(join(docs, 'report.txt'), 'report');
    const url = await urlFor({ type: 'docs', name: 'report.txt' });
    symlinkSync(PASSWD, join(docs, '.swap'));
    renameSync(join(docs, '.swap'), join(docs, 'report.txt'));
    const got = await fetchHashed(url, t.ca, { origin: APP_ORIGIN });
    expect(got.status).toBe(403);
    expect(errorCode(got.text)).toBe('PATH_NOT_ALLOWED');
    expect(got.text).not.toContain(PASSWD_MARK);
  });

  it('with its parent folder swapped for a link to outside: PATH_NOT_ALLOWED, never the outside file', async () => {
    mkdirSync(join(docs, 'sub'));
    writeFileSync(join(docs, 'sub', 'r.txt'), 'inside');
    writeFileSync(join(outside, 'r.txt'), SECRET);
    const url = await urlFor({ type: 'docs', name: 'r.txt', subfolder: 'sub' });
    renameSync(join(docs, 'sub'), join(docs, 'sub-away'));
    symlinkSync(outside, join(docs, 'sub'));
    const got = await fetchHashed(url, t.ca, { origin: APP_ORIGIN });
    expect(got.status).toBe(403);
    expect(errorCode(got.text)).toBe('PATH_NOT_ALLOWED');
    expect(got.text).not.toContain(SECRET);
  });

  it('for another regular file: refused as replaced (the URL is for the file that was checked)', async () => {
    writeFileSync(join(docs, 'first.txt'), 'first');
    const url = await urlFor({ type: 'docs', name: 'first.txt' });
    writeFileSync(join(docs, '.other'), 'second');
    renameSync(join(docs, '.other'), join(docs, 'first.txt'));
    const got = await fetchHashed(url, t.ca, { origin: APP_ORIGIN });
    expect(got.status).toBe(404);
    expect(JSON.parse(got.text).errors[0].extensions).toMatchObject({ code: 'FILE_NOT_FOUND', replaced: true });
  });

  it('for a FIFO: every GET fails fast with a typed error, and listings for this and another caller still answer', async () => {
    writeFileSync(join(docs, 'piped.txt'), 'piped');
    // More GETs at once than libuv has threads: a blocking open on each would stall every file operation.
    const urls = await Promise.all(Array.from({ length: 6 }, () => urlFor({ type: 'docs', name: 'piped.txt' })));
    unlinkSync(join(docs, 'piped.txt'));
    execFileSync('mkfifo', [join(docs, 'piped.txt')]);
    try {
      const t0 = Date.now();
      const [gets, mine, other] = await Promise.all([
        Promise.all(urls.map((u) => fetchHashed(u, t.ca, { origin: APP_ORIGIN }))),
        t.query('{ files(type: "docs") { name } }'),
        t.query('{ files(type: "theirs") { name } }', undefined, { origin: OTHER_ORIGIN }),
      ]);
      const elapsed = Date.now() - t0;
      console.log(`6 GETs on a FIFO + 2 listings answered in ${elapsed} ms`);
      expect(elapsed).toBeLessThan(3000);
      for (const g of gets) {
        expect(g.status).toBe(404);
        expect(errorCode(g.text)).toBe('FILE_NOT_FOUND');
      }
      expect(other.json.data.files).toEqual([{ name: 'theirs.txt' }]);
      // The FIFO itself is not listed (listings look, they never open).
      expect(mine.json.errors).toBeUndefined();
      expect(mine.json.data.files.map((f: { name: string }) => f.name)).not.toContain('piped.txt');
      const direct = await upload({ type: 'docs', name: 'piped.txt' });
      expect(direct.json.errors[0].extensions.code).toBe('FILE_NOT_FOUND');
    } finally {
      unlinkSync(join(docs, 'piped.txt'));
    }
  });
});

/**
 * Runs `script` (a loop of swaps) in another process for `ms` while `work` runs here, so the
 * swaps land at any point of the connector's checks and opens.
 */
async function whileSwapping<T>(script: string, args: string[], ms: number, work: (running: () => boolean) => Promise<T>): Promise<{ result: T; swaps: number }> {
  const child = spawn(process.execPath, ['-e', script, ms.toString(), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  let running = true;
  const exited = new Promise<void>((resolve) => child.on('exit', () => ((running = false), resolve())));
  const result = await work(() => running);
  await exited;
  return { result, swaps: Number(out.trim()) };
}

/** Swaps `dir/name` between a hard link of `dir/.keep` (same inode each time) and a link to `target`. */
const SWAP_FILE = `
const fs = require('fs'); const [ms, dir, name, target] = process.argv.slice(1);
const end = Date.now() + Number(ms); let n = 0;
while (Date.now() < end) {
  fs.linkSync(dir + '/.keep', dir + '/.g'); fs.renameSync(dir + '/.g', dir + '/' + name);
  fs.symlinkSync(target, dir + '/.l'); fs.renameSync(dir + '/.l', dir + '/' + name);
  n++;
}
fs.linkSync(dir + '/.keep', dir + '/.g'); fs.renameSync(dir + '/.g', dir + '/' + name);
console.log(n);`;

/**
 * Swaps the folder `dir/name` with a link to `target` (and back), over and over. A folder the
 * connector makes under that name in a gap between two renames is moved aside (`.made-N`).
 */
const SWAP_FOLDER = `
const fs = require('fs'); const [ms, dir, name, target] = process.argv.slice(1);
const p = dir + '/' + name; const end = Date.now() + Number(ms); let n = 0; let made = 0;
const aside = () => fs.renameSync(p, dir + '/.made-' + made++);
const retry = (f) => { try { f(); } catch (e) { if (!['EEXIST', 'ENOTEMPTY'].includes(e.code)) throw e; aside(); f(); } };
while (Date.now() < end) {
  fs.renameSync(p, dir + '/.real');
  retry(() => fs.symlinkSync(target, p));
  fs.unlinkSync(p);
  retry(() => fs.renameSync(dir + '/.real', p));
  n++;
}
console.log(n);`;

describe('under a swapping process (real races, bounded in time)', () => {
  it('upload + GET while the file flips between itself and a link to /etc/passwd: only its own bytes or a typed error', async () => {
    writeFileSync(join(docs, '.keep'), 'good content');
    const { result, swaps } = await whileSwapping(SWAP_FILE, [docs, 'race.txt', PASSWD], 4000, async (running) => {
      const seen: Record<string, number> = {};
      while (running()) {
        const u = await upload({ type: 'docs', name: 'race.txt' });
        if (u.json.errors) {
          seen[`upload ${u.json.errors[0].extensions.code}`] = (seen[`upload ${u.json.errors[0].extensions.code}`] ?? 0) + 1;
          continue;
        }
        const got = await fetchHashed(u.json.data.upload.url, t.ca, { origin: APP_ORIGIN });
        expect(got.text).not.toContain(PASSWD_MARK);
        const key = got.status === 200 ? 'GET 200' : `GET ${got.status} ${errorCode(got.text)}`;
        if (got.status === 200) expect(got.text).toBe('good content');
        seen[key] = (seen[key] ?? 0) + 1;
      }
      return seen;
    });
    console.log(`file swapped ${swaps} times; outcomes ${JSON.stringify(result)}`);
    expect(swaps).toBeGreaterThan(100);
    for (const k of Object.keys(result)) expect(k).toMatch(/^(GET 200|(upload|GET( 40[34])?) (PATH_NOT_ALLOWED|FILE_NOT_FOUND))$/);
  });

  it('upload + GET while the parent folder flips with a link to outside: never the outside file', async () => {
    mkdirSync(join(docs, 'flip'));
    writeFileSync(join(docs, 'flip', 'f.txt'), 'flip inside');
    mkdirSync(join(outside, 'flip'));
    writeFileSync(join(outside, 'flip', 'f.txt'), SECRET);
    const { result, swaps } = await whileSwapping(SWAP_FOLDER, [docs, 'flip', join(outside, 'flip')], 4000, async (running) => {
      const seen: Record<string, number> = {};
      while (running()) {
        const u = await upload({ type: 'docs', name: 'f.txt', subfolder: 'flip' });
        if (u.json.errors) {
          seen[`upload ${u.json.errors[0].extensions.code}`] = (seen[`upload ${u.json.errors[0].extensions.code}`] ?? 0) + 1;
          continue;
        }
        const got = await fetchHashed(u.json.data.upload.url, t.ca, { origin: APP_ORIGIN });
        expect(got.text).not.toContain(SECRET);
        if (got.status === 200) expect(got.text).toBe('flip inside');
        const key = got.status === 200 ? 'GET 200' : `GET ${got.status} ${errorCode(got.text)}`;
        seen[key] = (seen[key] ?? 0) + 1;
      }
      return seen;
    });
    console.log(`folder swapped ${swaps} times; outcomes ${JSON.stringify(result)}`);
    expect(swaps).toBeGreaterThan(100);
    for (const k of Object.keys(result)) expect(k).toMatch(/^(GET 200|(upload|GET( 40[34])?) (PATH_NOT_ALLOWED|FILE_NOT_FOUND))$/);
  });

  it('downloads while the target folder flips with a link to outside: nothing written outside, no temp file left', async () => {
    mkdirSync(join(docs, 'drop'));
    mkdirSync(join(outside, 'drop'));
    const { result, swaps } = await whileSwapping(SWAP_FOLDER, [docs, 'drop', join(outside, 'drop')], 4000, async (running) => {
      const seen: Record<string, number> = {};
      for (let i = 0; running(); i++) {
        const d = await download(t.port, t.ca, { type: 'docs', name: `dlrace-${i}.txt`, subfolder: i % 2 ? 'drop' : `drop/deeper${i % 3}` }, { filename: 'x', content: Buffer.from(`n${i}`) }, page);
        const key = d.json.errors ? d.json.errors[0].extensions.code : 'OK';
        seen[key] = (seen[key] ?? 0) + 1;
      }
      return seen;
    });
    console.log(`folder swapped ${swaps} times; download outcomes ${JSON.stringify(result)}`);
    expect(swaps).toBeGreaterThan(100);
    expect(readdirSync(join(outside, 'drop'))).toEqual([]);
    expect(partsBelow(docs)).toEqual([]);
    for (const k of Object.keys(result)) expect(['OK', 'PATH_NOT_ALLOWED', 'FILE_NOT_FOUND']).toContain(k);
    expect(result.OK).toBeGreaterThan(0);
    // Every download that said OK is inside (where it said, or in a folder the swapper moved aside).
    const stored = readdirSync(docs, { recursive: true }).filter((n) => /(^|\/)dlrace-\d+\.txt$/.test(String(n)));
    expect(stored.length).toBe(result.OK ?? 0);
  });
});

describe('download: the target is swapped while the file is being written', () => {
  it('the folder moved out of the mapped folder: PATH_NOT_ALLOWED, the file taken back, no temp file anywhere', async () => {
    mkdirSync(join(docs, 'mv'));
    const body = gated();
    const reply = download(t.port, t.ca, { type: 'docs', name: 'moved.txt', subfolder: 'mv' }, { filename: 'x', content: body.content }, page);
    await until('the temp file', () => hasPart(join(docs, 'mv')));
    renameSync(join(docs, 'mv'), join(outside, 'mv'));
    body.release();
    const r = await reply;
    expect(r.json.errors[0].extensions.code).toBe('PATH_NOT_ALLOWED');
    expect(readdirSync(join(outside, 'mv'))).toEqual([]);
    expect(partsBelow(docs)).toEqual([]);
  });

  it('the folder swapped for a link to outside: the file lands in the folder that was opened, nothing outside', async () => {
    mkdirSync(join(docs, 'sw'));
    mkdirSync(join(outside, 'sw'));
    const body = gated();
    const reply = download(t.port, t.ca, { type: 'docs', name: 'kept.txt', subfolder: 'sw' }, { filename: 'x', content: body.content }, page);
    await until('the temp file', () => hasPart(join(docs, 'sw')));
    renameSync(join(docs, 'sw'), join(docs, 'sw-real'));
    symlinkSync(join(outside, 'sw'), join(docs, 'sw'));
    body.release();
    const r = await reply;
    expect(r.json.errors).toBeUndefined();
    expect(readFileSync(join(docs, 'sw-real', 'kept.txt')).length).toBe(64 * 1024);
    expect(readdirSync(join(outside, 'sw'))).toEqual([]);
    expect(partsBelow(docs)).toEqual([]);
  });

  it('the name replaced by a link to an outside file, with overwrite: the link is replaced, the outside file untouched', async () => {
    writeFileSync(join(docs, 'victim.txt'), 'old');
    writeFileSync(join(outside, 'victim.txt'), SECRET);
    const body = gated();
    const reply = download(t.port, t.ca, { type: 'docs', name: 'victim.txt', overwrite: true }, { filename: 'x', content: body.content }, page);
    await until('the temp file', () => hasPart(docs));
    symlinkSync(join(outside, 'victim.txt'), join(docs, '.swap'));
    renameSync(join(docs, '.swap'), join(docs, 'victim.txt'));
    body.release();
    const r = await reply;
    expect(r.json.errors).toBeUndefined();
    expect(readFileSync(join(outside, 'victim.txt'), 'utf8')).toBe(SECRET);
    expect(lstatSync(join(docs, 'victim.txt')).isFile()).toBe(true);
    expect(readFileSync(join(docs, 'victim.txt')).length).toBe(64 * 1024);
    expect(partsBelow(docs)).toEqual([]);
  });

  it('a link to outside planted under the name, without overwrite: FILE_EXISTS, nothing created outside, no temp file', async () => {
    const body = gated();
    const reply = download(t.port, t.ca, { type: 'docs', name: 'planted.txt' }, { filename: 'x', content: body.content }, page);
    await until('the temp file', () => hasPart(docs));
    symlinkSync(join(outside, 'planted.txt'), join(docs, 'planted.txt'));
    body.release();
    const r = await reply;
    expect(r.json.errors[0].extensions.code).toBe('FILE_EXISTS');
    expect(existsSync(join(outside, 'planted.txt'))).toBe(false);
    expect(partsBelow(docs)).toEqual([]);
  });

  it('a client that goes away midway leaves no temp file and no file', async () => {
    const body = gated();
    const reply = download(t.port, t.ca, { type: 'docs', name: 'never.txt', subfolder: 'gone' }, { filename: 'x', content: body.content }, page).catch(() => null);
    await until('the temp file', () => hasPart(join(docs, 'gone')));
    body.abort();
    await reply;
    await until('the temp file to go', () => !hasPart(join(docs, 'gone')));
    expect(readdirSync(join(docs, 'gone'))).toEqual([]);
  });
});
