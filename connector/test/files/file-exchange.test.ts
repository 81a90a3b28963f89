import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startTestConnector, APP_ORIGIN, APP_LABEL, type TestConnector } from '../helpers/test-connector.js';
import { writeFileTypes, type FileTypeMapping } from '../../src/files/file-types.js';
import { download, fetchHashed, multipart, sha256 } from './file-client.js';

const OTHER_ORIGIN = 'https://other.example.net';
const OTHER_LABEL = 'other-app';
const PREFLIGHT = { 'graphql-require-preflight': '1' };
const page = (extra: Record<string, string> = {}) => ({ origin: APP_ORIGIN, ...PREFLIGHT, ...extra });

let t: TestConnector;
let invoices: string;
let reports: string;
let outside: string;

function mapTypes(types: Omit<FileTypeMapping, 'name'> & { name: string }[] | FileTypeMapping[]) {
  writeFileTypes(t.dataDir, types as FileTypeMapping[]);
}

beforeAll(async () => {
  const base = mkdtempSync(join(tmpdir(), 'cardlink-files-'));
  invoices = join(base, 'invoices');
  reports = join(base, 'reports');
  outside = join(base, 'outside');
  for (const d of [invoices, reports, outside]) mkdirSync(d);
  writeFileSync(join(outside, 'secret.txt'), 'outside the mapped folder');
  t = await startTestConnector({
    origins: [
      { origin: APP_ORIGIN, label: APP_LABEL },
      { origin: OTHER_ORIGIN, label: OTHER_LABEL },
    ],
  });
  mapTypes([
    { name: 'invoices', folder: invoices, labels: [APP_LABEL], maxSize: 1024 * 1024 },
    { name: 'reports', folder: reports, labels: [OTHER_LABEL], maxSize: 1024 },
  ]);
});
afterAll(() => t?.close());

const upload = (input: Record<string, unknown>, headers: Record<string, string> = { origin: APP_ORIGIN }) =>
  t.query('mutation U($i: UploadInput!) { upload(input: $i) { url size expiresAt } }', { i: input }, headers);

describe('file types', () => {
  it('lists only the types of the caller\'s label, with name and max size, never the folder', async () => {
    const mine = await t.query('{ fileTypes { name maxSize } }');
    expect(mine.json.data.fileTypes).toEqual([{ name: 'invoices', maxSize: 1024 * 1024 }]);
    expect(mine.text).not.toContain(invoices);
    const theirs = await t.query('{ fileTypes { name maxSize } }', undefined, { origin: OTHER_ORIGIN });
    expect(theirs.json.data.fileTypes).toEqual([{ name: 'reports', maxSize: 1024 }]);
  });
});

describe('round trip (download page → disk, then upload disk → page)', () => {
  it.each([
    ['text', 'hello.txt', Buffer.from('Hello, disk!\nLine two: é ü ñ 漢字\n')],
    ['binary', 'blob.bin', randomBytes(300_000)],
    ['empty', 'empty.dat', Buffer.alloc(0)],
  ])('%s file comes back byte-identical', async (_kind, name, content) => {
    const d = await download(t.port, t.ca, { type: 'invoices', subfolder: 'round/trip' }, { filename: name, content }, page({ 't1c-tag': 'rt' }));
    expect(d.json.errors).toBeUndefined();
    expect(d.json.data.download).toMatchObject({ name, path: `round/trip/${name}`, size: content.length, directory: false });
    expect(sha256(readFileSync(join(invoices, 'round', 'trip', name)))).toBe(sha256(content));

    const u = await upload({ type: 'invoices', name, subfolder: 'round/trip' });
    expect(u.json.errors).toBeUndefined();
    expect(u.json.data.upload.size).toBe(content.length);
    expect(u.json.data.upload.url).toMatch(new RegExp(`^https://localhost:${t.port}/files/[A-Za-z0-9_-]{32}$`));
    expect(Date.parse(u.json.data.upload.expiresAt) - Date.now()).toBeGreaterThan(30_000);
    const got = await fetchHashed(u.json.data.upload.url, t.ca, { origin: APP_ORIGIN });
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('application/octet-stream');
    expect(got.headers['content-length']).toBe(String(content.length));
    expect(got.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
    expect(got.sha256).toBe(sha256(content));
  });

  it('stores under the name asked for and lists names, sizes and dates without absolute paths', async () => {
    const d = await download(t.port, t.ca, { type: 'invoices', name: 'renamed.txt', subfolder: 'listing' }, { filename: 'original.txt', content: Buffer.from('12345') }, page());
    expect(d.json.data.download.name).toBe('renamed.txt');
    mkdirSync(join(invoices, 'listing', 'inner'), { recursive: true });
    const l = await t.query('query L($s: String) { files(type: "invoices", subfolder: $s) { name path size modifiedAt directory } }', { s: 'listing' });
    expect(l.json.errors).toBeUndefined();
    expect(l.json.data.files).toEqual([
      { name: 'inner', path: 'listing/inner', size: 0, modifiedAt: expect.any(String), directory: true },
      { name: 'renamed.txt', path: 'listing/renamed.txt', size: 5, modifiedAt: expect.any(String), directory: false },
    ]);
    expect(Math.abs(Date.parse(l.json.data.files[1].modifiedAt) - Date.now())).toBeLessThan(60_000);
    expect(l.text).not.toContain(invoices);
    // No temp files are left behind.
    expect(readdirSync(join(invoices, 'listing')).filter((n) => n.startsWith('.cardlink-'))).toEqual([]);
  });
});

describe('download rules', () => {
  it('refuses to overwrite unless asked (FILE_EXISTS), then overwrites', async () => {
    const first = await download(t.port, t.ca, { type: 'invoices', name: 'once.txt' }, { filename: 'x', content: Buffer.from('first') }, page());
    expect(first.json.errors).toBeUndefined();
    const again = await download(t.port, t.ca, { type: 'invoices', name: 'once.txt' }, { filename: 'x', content: Buffer.from('second') }, page());
    expect(again.json.errors[0].extensions.code).toBe('FILE_EXISTS');
    expect(readFileSync(join(invoices, 'once.txt'), 'utf8')).toBe('first');
    const forced = await download(t.port, t.ca, { type: 'invoices', name: 'once.txt', overwrite: true }, { filename: 'x', content: Buffer.from('second') }, page());
    expect(forced.json.errors).toBeUndefined();
    expect(readFileSync(join(invoices, 'once.txt'), 'utf8')).toBe('second');
  });

  it('enforces the type\'s size limit while streaming (FILE_TOO_LARGE, no file, no temp left)', async () => {
    // `reports` allows 1024 bytes for other-app.
    const ok = await download(t.port, t.ca, { type: 'reports', name: 'exact.bin' }, { filename: 'x', content: randomBytes(1024) }, { origin: OTHER_ORIGIN, ...PREFLIGHT });
    expect(ok.json.errors).toBeUndefined();
    const big = await download(t.port, t.ca, { type: 'reports', name: 'big.bin' }, { filename: 'x', content: randomBytes(1025) }, { origin: OTHER_ORIGIN, ...PREFLIGHT });
    expect(big.json.errors[0].extensions.code).toBe('FILE_TOO_LARGE');
    expect(existsSync(join(reports, 'big.bin'))).toBe(false);
    expect(readdirSync(reports)).toEqual(['exact.bin']);
    // Far beyond every limit of the label: refused from Content-Length before reading.
    const huge = await download(t.port, t.ca, { type: 'invoices', name: 'huge.bin' }, { filename: 'x', content: randomBytes(70 * 1024 * 1024) }, page());
    expect(huge.status).toBe(413);
    expect(huge.json.errors[0].extensions.code).toBe('BODY_TOO_LARGE');
    expect(readdirSync(invoices).some((n) => n.startsWith('huge') || n.startsWith('.cardlink-'))).toBe(false);
  });

  it('refuses multipart without the GraphQL-Require-Preflight header (CSRF), 400 BAD_REQUEST', async () => {
    const r = await download(t.port, t.ca, { type: 'invoices', name: 'csrf.txt' }, { filename: 'x', content: Buffer.from('form post') }, { origin: APP_ORIGIN });
    expect(r.status).toBe(400);
    expect(r.json.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(r.json.errors[0].message).toMatch(/GraphQL-Require-Preflight/);
    expect(existsSync(join(invoices, 'csrf.txt'))).toBe(false);
  });

  it('runs the origin guard first: a foreign origin gets 403 and no CORS headers', async () => {
    const r = await download(t.port, t.ca, { type: 'invoices', name: 'evil.txt' }, { filename: 'x', content: Buffer.from('x') }, { origin: 'https://evil.example', ...PREFLIGHT });
    expect(r.status).toBe(403);
    expect(r.json.errors[0].extensions.code).toBe('ORIGIN_NOT_ALLOWED');
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
    expect(existsSync(join(invoices, 'evil.txt'))).toBe(false);
  });

  it('refuses a file sent as JSON instead of a multipart upload (INVALID_INPUT)', async () => {
    const r = await t.query('mutation D($i: DownloadInput!) { download(input: $i) { name } }', { i: { type: 'invoices', file: 'aGVsbG8=' } });
    expect(r.json.errors[0].extensions.code).toBe('INVALID_INPUT');
  });

  it('refuses file parts before operations/map and malformed maps', async () => {
    const early = await multipart(t.port, t.ca, {
      operations: { query: 'mutation D($input: DownloadInput!) { download(input: $input) { name } }', variables: { input: { type: 'invoices', name: 'early.txt', file: null } } },
      map: { '0': ['variables.input.file'] },
      files: [{ field: '0', filename: 'x', content: Buffer.from('x') }],
      headers: page(),
      fieldsAfterFiles: true,
    });
    expect(early.json.errors[0].extensions.code).toBe('BAD_REQUEST');
    const badMap = await multipart(t.port, t.ca, {
      operations: { query: 'mutation D($input: DownloadInput!) { download(input: $input) { name } }', variables: { input: { type: 'invoices', name: 'm.txt', file: null } } },
      map: { '0': ['variables.__proto__.polluted'] },
      files: [{ field: '0', filename: 'x', content: Buffer.from('x') }],
      headers: page(),
    });
    expect(badMap.json.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(existsSync(join(invoices, 'early.txt'))).toBe(false);
  });

  it('stores two files of one request in order (aliases), and the connection stays usable', async () => {
    const r = await multipart(t.port, t.ca, {
      operations: {
        query: 'mutation D($a: DownloadInput!, $b: DownloadInput!) { a: download(input: $a) { name size } b: download(input: $b) { name size } }',
        variables: { a: { type: 'invoices', name: 'two-a.txt', file: null }, b: { type: 'invoices', name: 'two-b.txt', file: null } },
      },
      map: { '0': ['variables.a.file'], '1': ['variables.b.file'] },
      files: [
        { field: '0', filename: 'a', content: Buffer.from('aaa') },
        { field: '1', filename: 'b', content: Buffer.from('bbbb') },
      ],
      headers: page(),
    });
    expect(r.json.errors).toBeUndefined();
    expect(r.json.data).toEqual({ a: { name: 'two-a.txt', size: 3 }, b: { name: 'two-b.txt', size: 4 } });
  });
});

describe('broken and misordered requests', () => {
  it('parts sent in another order than the operation uses them fail cleanly, without hanging', async () => {
    const r = await multipart(t.port, t.ca, {
      operations: {
        query: 'mutation D($a: DownloadInput!, $b: DownloadInput!) { a: download(input: $a) { name } b: download(input: $b) { name } }',
        variables: { a: { type: 'invoices', name: 'order-a.bin', file: null }, b: { type: 'invoices', name: 'order-b.bin', file: null } },
      },
      map: { '0': ['variables.a.file'], '1': ['variables.b.file'] },
      // b's part first, and big enough (1 MB) that it cannot sit in a buffer unread.
      files: [
        { field: '1', filename: 'b', content: randomBytes(1024 * 1024) },
        { field: '0', filename: 'a', content: randomBytes(1024 * 1024) },
      ],
      headers: page(),
    });
    expect(r.status).toBe(200);
    const codes = (r.json.errors ?? []).map((e: { extensions: { code: string } }) => e.extensions.code);
    expect(codes).toContain('BAD_REQUEST');
    expect(readdirSync(invoices).filter((n) => n.startsWith('.cardlink-'))).toEqual([]);
  });

  it('a client that goes away mid-file leaves no partial file and the connector keeps serving', async () => {
    const { request } = await import('node:https');
    const boundary = 'abortboundary';
    const head =
      `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n` +
      JSON.stringify({ query: 'mutation D($input: DownloadInput!) { download(input: $input) { name } }', variables: { input: { type: 'invoices', name: 'aborted.bin', file: null } } }) +
      `\r\n--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n{"0":["variables.input.file"]}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="a.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`;
    const req = request({
      host: '127.0.0.1', port: t.port, servername: 'localhost', path: '/graphql', method: 'POST', ca: t.ca, agent: false,
      headers: { host: `localhost:${t.port}`, origin: APP_ORIGIN, 'graphql-require-preflight': '1', 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(head.length + 900_000) },
    });
    req.on('error', () => {});
    req.write(head);
    req.write(randomBytes(300_000));
    // Wait until the connector has started writing the temp file, then vanish.
    const deadline = Date.now() + 5000;
    while (!readdirSync(invoices).some((n) => n.startsWith('.cardlink-')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(readdirSync(invoices).some((n) => n.startsWith('.cardlink-'))).toBe(true);
    req.destroy();
    const gone = Date.now() + 5000;
    while (readdirSync(invoices).some((n) => n.startsWith('.cardlink-')) && Date.now() < gone) await new Promise((r) => setTimeout(r, 20));
    expect(readdirSync(invoices).filter((n) => n.startsWith('.cardlink-') || n === 'aborted.bin')).toEqual([]);
    const still = await t.query('{ fileTypes { name } }');
    expect(still.json.data.fileTypes).toEqual([{ name: 'invoices' }]);
  });
});

describe('escape attempts are refused with PATH_NOT_ALLOWED', () => {
  const cases: [string, { name?: string; subfolder?: string }][] = [
    ['.. in the name', { name: '..' }],
    ['.. in the sub-folder', { subfolder: '../outside' }],
    ['.. deeper in the sub-folder', { subfolder: 'a/../../outside' }],
    ['. segment', { subfolder: './a' }],
    ['absolute sub-folder', { subfolder: '/etc' }],
    ['slash in the name', { name: '../outside/x.txt' }],
    ['absolute name', { name: '/etc/passwd' }],
    ['Windows separator', { name: '..\\outside\\x.txt' }],
    ['Windows separator in sub-folder', { subfolder: 'a\\b' }],
    ['drive letter', { subfolder: 'C:/Windows' }],
    ['drive-relative name', { name: 'C:x.txt' }],
    ['NUL byte', { name: 'a\u0000.txt' }],
    ['control character', { name: 'a\nb.txt' }],
    ['overlong segment', { name: `${'a'.repeat(256)}.txt` }],
    ['overlong multibyte segment', { name: 'é'.repeat(128) }],
    ['overlong path', { subfolder: Array.from({ length: 20 }, () => 'b'.repeat(250)).join('/') }],
    ['empty name', { name: '' }],
    ['empty segment', { subfolder: 'a//b' }],
    ['reserved device name', { name: 'CON.txt' }],
    ['trailing dot', { name: 'x.txt.' }],
  ];

  it.each(cases)('download: %s', async (_what, input) => {
    const r = await download(t.port, t.ca, { type: 'invoices', name: 'ok.txt', ...input }, { filename: 'x.txt', content: Buffer.from('nope') }, page());
    expect(r.json.errors?.[0]?.extensions.code).toBe('PATH_NOT_ALLOWED');
    expect(r.json.errors[0].message.length).toBeGreaterThan(10);
  });

  it.each(cases)('upload: %s', async (_what, input) => {
    const r = await upload({ type: 'invoices', name: 'ok.txt', ...input });
    expect(r.json.errors?.[0]?.extensions.code).toBe('PATH_NOT_ALLOWED');
  });

  it.each(cases.filter(([, i]) => i.subfolder !== undefined))('files listing: %s', async (_what, input) => {
    const r = await t.query('query L($s: String) { files(type: "invoices", subfolder: $s) { name } }', { s: input.subfolder });
    expect(r.json.errors?.[0]?.extensions.code).toBe('PATH_NOT_ALLOWED');
  });

  it('checks the browser-supplied file name when no name is given', async () => {
    // The multipart parser keeps only the last segment of a file name with folders ...
    const r = await download(t.port, t.ca, { type: 'invoices' }, { filename: '../outside/x.txt', content: Buffer.from('kept inside') }, page());
    expect(r.json.data.download.path).toBe('x.txt');
    expect(existsSync(join(outside, 'x.txt'))).toBe(false);
    expect(readFileSync(join(invoices, 'x.txt'), 'utf8')).toBe('kept inside');
    // ... and what is left goes through the same checks as a name asked for.
    for (const filename of ['..', 'CON', 'a:b', 'trailing.']) {
      const bad = await download(t.port, t.ca, { type: 'invoices' }, { filename, content: Buffer.from('nope') }, page());
      expect(bad.json.errors?.[0]?.extensions.code, filename).toBe('PATH_NOT_ALLOWED');
    }
  });

  it('refuses symlinks that point outside (folder and file links), allows links that stay inside', async () => {
    symlinkSync(outside, join(invoices, 'link-out'));
    symlinkSync(join(outside, 'secret.txt'), join(invoices, 'secret-link.txt'));
    mkdirSync(join(invoices, 'real-in'));
    writeFileSync(join(invoices, 'real-in', 'inside.txt'), 'inside');
    symlinkSync(join(invoices, 'real-in'), join(invoices, 'link-in'));

    const d = await download(t.port, t.ca, { type: 'invoices', name: 'planted.txt', subfolder: 'link-out' }, { filename: 'x', content: Buffer.from('planted') }, page());
    expect(d.json.errors[0].extensions.code).toBe('PATH_NOT_ALLOWED');
    expect(existsSync(join(outside, 'planted.txt'))).toBe(false);
    const deeper = await download(t.port, t.ca, { type: 'invoices', name: 'p.txt', subfolder: 'link-out/new/dir' }, { filename: 'x', content: Buffer.from('p') }, page());
    expect(deeper.json.errors[0].extensions.code).toBe('PATH_NOT_ALLOWED');
    expect(existsSync(join(outside, 'new'))).toBe(false);

    const u = await upload({ type: 'invoices', name: 'secret-link.txt' });
    expect(u.json.errors[0].extensions.code).toBe('PATH_NOT_ALLOWED');
    const u2 = await upload({ type: 'invoices', name: 'secret.txt', subfolder: 'link-out' });
    expect(u2.json.errors[0].extensions.code).toBe('PATH_NOT_ALLOWED');
    const l = await t.query('{ files(type: "invoices", subfolder: "link-out") { name } }');
    expect(l.json.errors[0].extensions.code).toBe('PATH_NOT_ALLOWED');
    // The listing of the root hides links that lead out.
    const root = await t.query('{ files(type: "invoices") { name } }');
    const names = root.json.data.files.map((f: { name: string }) => f.name);
    expect(names).toContain('link-in');
    expect(names).not.toContain('link-out');
    expect(names).not.toContain('secret-link.txt');

    const inside = await upload({ type: 'invoices', name: 'inside.txt', subfolder: 'link-in' });
    expect(inside.json.errors).toBeUndefined();
    const got = await fetchHashed(inside.json.data.upload.url, t.ca, { origin: APP_ORIGIN });
    expect(got.text).toBe('inside');
  });
});

describe('labels scope the types', () => {
  it('another label can neither see nor use the type (same error as an unknown type)', async () => {
    writeFileSync(join(invoices, 'private.txt'), 'for demo-app only');
    const other = { origin: OTHER_ORIGIN };
    const l = await t.query('{ files(type: "invoices") { name } }', undefined, other);
    expect(l.json.errors[0].extensions.code).toBe('FILE_TYPE_NOT_FOUND');
    const u = await upload({ type: 'invoices', name: 'private.txt' }, other);
    expect(u.json.errors[0].extensions.code).toBe('FILE_TYPE_NOT_FOUND');
    const d = await download(t.port, t.ca, { type: 'invoices', name: 'intruder.txt' }, { filename: 'x', content: Buffer.from('x') }, { ...other, ...PREFLIGHT });
    expect(d.json.errors[0].extensions.code).toBe('FILE_TYPE_NOT_FOUND');
    expect(existsSync(join(invoices, 'intruder.txt'))).toBe(false);
    const unknown = await t.query('{ files(type: "nope") { name } }');
    expect(unknown.json.errors[0].extensions.code).toBe('FILE_TYPE_NOT_FOUND');
  });

  it('a one-time URL is useless to another origin and is not consumed by its attempt', async () => {
    writeFileSync(join(invoices, 'mine.txt'), 'mine');
    const u = await upload({ type: 'invoices', name: 'mine.txt' });
    const stolen = await fetchHashed(u.json.data.upload.url, t.ca, { origin: OTHER_ORIGIN });
    expect(stolen.status).toBe(404);
    const noOrigin = await fetchHashed(u.json.data.upload.url, t.ca, {});
    expect(noOrigin.status).toBe(403);
    const mine = await fetchHashed(u.json.data.upload.url, t.ca, { origin: APP_ORIGIN });
    expect(mine.status).toBe(200);
    expect(mine.text).toBe('mine');
  });
});

describe('one-time URLs', () => {
  it('work once: the second GET is 404 with a typed error', async () => {
    writeFileSync(join(invoices, 'once-url.txt'), 'only once');
    const u = await upload({ type: 'invoices', name: 'once-url.txt' });
    const first = await fetchHashed(u.json.data.upload.url, t.ca, { origin: APP_ORIGIN });
    expect(first.status).toBe(200);
    const second = await fetchHashed(u.json.data.upload.url, t.ca, { origin: APP_ORIGIN });
    expect(second.status).toBe(404);
    expect(JSON.parse(second.text).errors[0].extensions.code).toBe('FILE_NOT_FOUND');
  });

  it('expire: after expiresAt the GET is 410 with a typed error', async () => {
    writeFileSync(join(invoices, 'late.txt'), 'too late');
    const u = await upload({ type: 'invoices', name: 'late.txt' });
    const transfers = t.c.services.files.transfers as unknown as { now: () => number };
    const realNow = transfers.now;
    transfers.now = () => Date.now() + 61_000;
    try {
      const late = await fetchHashed(u.json.data.upload.url, t.ca, { origin: APP_ORIGIN });
      expect(late.status).toBe(410);
      const body = JSON.parse(late.text);
      expect(body.errors[0].extensions).toMatchObject({ code: 'FILE_NOT_FOUND', expired: true });
    } finally {
      transfers.now = realNow;
    }
  });

  it('unknown tokens and other methods are refused', async () => {
    const r = await fetchHashed(`https://localhost:${t.port}/files/${'A'.repeat(32)}`, t.ca, { origin: APP_ORIGIN });
    expect(r.status).toBe(404);
    const post = await t.call({ path: `/files/${'A'.repeat(32)}`, method: 'POST', headers: { origin: APP_ORIGIN } });
    expect(post.status).toBe(405);
  });

  it('a missing file is FILE_NOT_FOUND; a folder is not a file', async () => {
    const r = await upload({ type: 'invoices', name: 'no-such-file.txt' });
    expect(r.json.errors[0].extensions.code).toBe('FILE_NOT_FOUND');
    mkdirSync(join(invoices, 'a-folder'), { recursive: true });
    const f = await upload({ type: 'invoices', name: 'a-folder' });
    expect(f.json.errors[0].extensions.code).toBe('FILE_NOT_FOUND');
  });
});

describe('usage records and privacy', () => {
  it('records FILE_DOWNLOAD and FILE_UPLOAD with label and tag, and no file name anywhere in the DB or logs', async () => {
    const secretName = `secret-name-${randomBytes(4).toString('hex')}.txt`;
    const secretSub = `secret-sub-${randomBytes(4).toString('hex')}`;
    const content = Buffer.from(`secret-content-${randomBytes(8).toString('hex')}`);
    const d = await download(t.port, t.ca, { type: 'invoices', name: secretName, subfolder: secretSub }, { filename: secretName, content }, page({ 't1c-tag': 'tx-test' }));
    expect(d.json.errors).toBeUndefined();
    const refused = await download(t.port, t.ca, { type: 'invoices', name: secretName, subfolder: secretSub }, { filename: secretName, content }, page({ 't1c-tag': 'tx-test' }));
    expect(refused.json.errors[0].extensions.code).toBe('FILE_EXISTS');
    const u = await upload({ type: 'invoices', name: secretName, subfolder: secretSub }, { origin: APP_ORIGIN, 't1c-tag': 'tx-test' });
    await fetchHashed(u.json.data.upload.url, t.ca, { origin: APP_ORIGIN });

    const db = new Database(join(t.dataDir, 'connector.db'), { readonly: true });
    try {
      const rows = db
        .prepare("SELECT use_case, module, result, label, tag FROM transactions WHERE tag = 'tx-test' ORDER BY seq")
        .all();
      expect(rows).toEqual([
        { use_case: 'FILE_DOWNLOAD', module: 'files', result: 'OK', label: APP_LABEL, tag: 'tx-test' },
        { use_case: 'FILE_DOWNLOAD', module: 'files', result: 'FILE_EXISTS', label: APP_LABEL, tag: 'tx-test' },
        { use_case: 'FILE_UPLOAD', module: 'files', result: 'OK', label: APP_LABEL, tag: 'tx-test' },
      ]);
      // Nothing in any table holds the name, the sub-folder or the content.
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
      for (const { name } of tables) {
        const dump = JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all());
        expect(dump).not.toContain(secretName);
        expect(dump).not.toContain(secretSub);
        expect(dump).not.toContain(content.toString());
      }
    } finally {
      db.close();
    }
    t.c.log.flush();
    const logs = t.logs();
    expect(logs).toContain('"status":200');
    expect(logs).not.toContain(secretName);
    expect(logs).not.toContain(secretSub);
    expect(logs).not.toContain(content.toString());
    expect(logs).not.toContain(invoices);
  });

  it('the summary counts the file use cases per tag', async () => {
    const r = await t.query('{ transactions { label counts { useCase tag count } } }');
    const counts = r.json.data.transactions.counts.filter((c: { tag: string }) => c.tag === 'tx-test');
    expect(counts).toEqual([
      { useCase: 'FILE_DOWNLOAD', tag: 'tx-test', count: 2 },
      { useCase: 'FILE_UPLOAD', tag: 'tx-test', count: 1 },
    ]);
  });
});

describe('mapping changes while running', () => {
  it('picks up a new mapping and an unmapping without restart', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'cardlink-files-fresh-'));
    mapTypes([
      { name: 'invoices', folder: invoices, labels: [APP_LABEL], maxSize: 1024 * 1024 },
      { name: 'reports', folder: reports, labels: [OTHER_LABEL], maxSize: 1024 },
      { name: 'scans', folder: fresh, labels: [APP_LABEL, OTHER_LABEL], maxSize: 2048 },
    ]);
    const r = await t.query('{ fileTypes { name maxSize } }');
    expect(r.json.data.fileTypes).toEqual([
      { name: 'invoices', maxSize: 1024 * 1024 },
      { name: 'scans', maxSize: 2048 },
    ]);
    mapTypes([{ name: 'invoices', folder: invoices, labels: [APP_LABEL], maxSize: 1024 * 1024 }]);
    const after = await t.query('{ fileTypes { name } }');
    expect(after.json.data.fileTypes).toEqual([{ name: 'invoices' }]);
    const gone = await t.query('{ files(type: "reports") { name } }', undefined, { origin: OTHER_ORIGIN });
    expect(gone.json.errors[0].extensions.code).toBe('FILE_TYPE_NOT_FOUND');
  });
});
