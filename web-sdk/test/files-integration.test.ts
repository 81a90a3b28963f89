// File exchange through the SDK against a real connector started in-process (HTTPS with its
// CA, the full guarded request path) with a type mapped to a temp folder: bytes go page → disk
// → page unchanged, and every refusal arrives as its typed code. (Printing for real runs in
// the e2e suite, in the group that may use CUPS; here only the paths that never reach CUPS.)
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, FormData as UndiciFormData, fetch as undiciFetch } from 'undici';
import { APP_LABEL, APP_ORIGIN, startTestConnector, type TestConnector } from '../../connector/test/helpers/test-connector.js';
import { writeFileTypes } from '../../connector/src/files/file-types.js';
import { createConnector, type Connector } from '../src/index.js';
import { rejection } from './helpers/rejection.js';

const OTHER_ORIGIN = 'https://other.example.net';
const MAX = 1024 * 1024;

/**
 * undici's fetch with the CA trusted and the page's Origin header (Node has no CORS). The
 * SDK's FormData is Node's global one, which this undici does not take as a form: its
 * entries are copied into one of undici's own (the parts, names and bytes unchanged).
 */
function browserLikeFetch(ca: string, origin: string): typeof fetch {
  const dispatcher = new Agent({ connect: { ca } });
  return ((input: RequestInfo | URL, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set('origin', origin);
    let body: unknown = init.body;
    if (body instanceof FormData) {
      const form = new UndiciFormData();
      for (const [k, v] of body) form.append(k, v as never);
      body = form;
    }
    return undiciFetch(input as string, { ...(init as object), body, headers, dispatcher } as never);
  }) as unknown as typeof fetch;
}

const sha256 = (b: Uint8Array | ArrayBuffer) => createHash('sha256').update(new Uint8Array(b as ArrayBuffer)).digest('hex');

const failure = rejection;

let t: TestConnector;
let folder: string;
let sdk: (opts?: { tag?: string; origin?: string }) => Connector;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'cardlink-sdk-files-'));
  t = await startTestConnector({
    virtualCard: '1.8', // the in-process reader: never pcscd
    origins: [
      { origin: APP_ORIGIN, label: APP_LABEL },
      { origin: OTHER_ORIGIN, label: 'other-app' },
    ],
  });
  writeFileTypes(t.dataDir, [{ name: 'invoices', folder, labels: [APP_LABEL], maxSize: MAX }]);
  sdk = ({ tag, origin = APP_ORIGIN } = {}) => createConnector({ url: `https://localhost:${t.port}`, fetch: browserLikeFetch(t.ca, origin), tag: tag ?? null });
});
afterAll(() => t?.close());

describe('round trip page → disk → page', () => {
  it.each([
    ['text', new File(['Hello, disk!\nLine two: é ü ñ 漢字\n'], 'hello.txt', { type: 'text/plain' })],
    ['binary', new File([randomBytes(MAX)], 'blob.bin')],
    ['empty', new File([], 'empty.dat')],
  ])('%s: stored byte-identical, listed, fetched back byte-identical', async (_kind, file) => {
    const c = sdk({ tag: 'sdk-files' });
    const bytes = new Uint8Array(await file.arrayBuffer());
    const entry = await c.files.download('invoices', file, { subfolder: 'round/trip' });
    expect(entry).toEqual({ name: file.name, path: `round/trip/${file.name}`, size: bytes.length, modifiedAt: expect.any(String), directory: false });
    expect(sha256(readFileSync(join(folder, 'round', 'trip', file.name)))).toBe(sha256(bytes));

    expect(await c.files.list('invoices', { subfolder: 'round/trip' })).toContainEqual(entry);

    const back = await c.files.upload('invoices', file.name, { subfolder: 'round/trip' });
    expect(back.size).toBe(bytes.length);
    expect(sha256(await back.arrayBuffer())).toBe(sha256(bytes));
  });

  it('a Blob under a name, overwrite only when asked (FILE_EXISTS otherwise)', async () => {
    const c = sdk();
    await c.files.download('invoices', new Blob(['first']), { name: 'once.txt' });
    expect((await failure(c.files.download('invoices', new Blob(['second']), { name: 'once.txt' }))).code).toBe('FILE_EXISTS');
    expect(readFileSync(join(folder, 'once.txt'), 'utf8')).toBe('first');
    const e = await c.files.download('invoices', new Blob(['second']), { name: 'once.txt', overwrite: true });
    expect(e.size).toBe(6);
    expect(await (await c.files.upload('invoices', 'once.txt')).text()).toBe('second');
  });

  it('uploadStream(): the bytes as they arrive, with the size', async () => {
    const content = randomBytes(600_000);
    writeFileSync(join(folder, 'stream.bin'), content);
    const { stream, size } = await sdk().files.uploadStream('invoices', 'stream.bin');
    expect(size).toBe(content.length);
    let chunks = 0;
    const hash = createHash('sha256');
    for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
      chunks++;
      hash.update(chunk);
    }
    expect(hash.digest('hex')).toBe(sha256(content));
    expect(chunks).toBeGreaterThan(1);
  });

  it('types(): only the types of this label, never a folder path', async () => {
    expect(await sdk().files.types()).toEqual([{ name: 'invoices', maxSize: MAX }]);
    expect(await sdk({ origin: OTHER_ORIGIN }).files.types()).toEqual([]);
  });
});

describe('typed refusals', () => {
  it('FILE_TOO_LARGE past the type\'s maxSize (checked while streaming; nothing stored)', async () => {
    const e = await failure(sdk().files.download('invoices', new File([randomBytes(MAX + 1)], 'big.bin')));
    expect(e.code).toBe('FILE_TOO_LARGE');
    expect(existsSync(join(folder, 'big.bin'))).toBe(false);
  });

  it('PATH_NOT_ALLOWED for names and sub-folders that would leave the folder', async () => {
    const c = sdk();
    for (const opts of [{ name: '../escape.txt' }, { name: 'a\\b.txt' }, { subfolder: '../..' }, { subfolder: '/etc' }]) {
      expect((await failure(c.files.download('invoices', new File(['x'], 'ok.txt'), opts))).code).toBe('PATH_NOT_ALLOWED');
    }
    expect((await failure(c.files.upload('invoices', '../secret.txt'))).code).toBe('PATH_NOT_ALLOWED');
    expect((await failure(c.files.list('invoices', { subfolder: '..' }))).code).toBe('PATH_NOT_ALLOWED');
  });

  it('FILE_TYPE_NOT_FOUND for an unknown type and for a type of another label', async () => {
    writeFileSync(join(folder, 'private.txt'), 'mine');
    const other = sdk({ origin: OTHER_ORIGIN });
    expect((await failure(other.files.list('invoices'))).code).toBe('FILE_TYPE_NOT_FOUND');
    expect((await failure(other.files.upload('invoices', 'private.txt'))).code).toBe('FILE_TYPE_NOT_FOUND');
    expect((await failure(other.files.download('invoices', new File(['x'], 'intruder.txt')))).code).toBe('FILE_TYPE_NOT_FOUND');
    expect((await failure(sdk().files.list('nope'))).code).toBe('FILE_TYPE_NOT_FOUND');
  });

  it('FILE_NOT_FOUND for a missing file and for a one-time URL used twice', async () => {
    const c = sdk();
    expect((await failure(c.files.upload('invoices', 'missing.txt'))).code).toBe('FILE_NOT_FOUND');
    writeFileSync(join(folder, 'twice.txt'), 'once');
    const { url, size, expiresAt } = await c.files.uploadUrl('invoices', 'twice.txt');
    expect(url).toMatch(new RegExp(`^https://localhost:${t.port}/files/`));
    expect(size).toBe(4);
    expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now() + 30_000);
    const f = browserLikeFetch(t.ca, APP_ORIGIN);
    expect(await (await f(url)).text()).toBe('once');
    const again = await f(url);
    expect(again.status).toBe(404);
  });

  it('printing without CUPS involved: a missing mapped file, an unknown type, a job of nobody', async () => {
    const c = sdk();
    expect((await failure(c.print({ printer: 'PDF', type: 'invoices', name: 'missing.txt' }))).code).toBe('FILE_NOT_FOUND');
    expect((await failure(c.print({ printer: 'PDF', type: 'nope', name: 'x.txt' }))).code).toBe('FILE_TYPE_NOT_FOUND');
    expect((await failure(c.print({ printer: 'PDF', type: 'invoices', name: '../x.txt' }))).code).toBe('PATH_NOT_ALLOWED');
    expect(await c.printJob('PDF-999999')).toBeNull();
  });

  it('a page file to print goes as multipart with the preflight header (else it would be BAD_REQUEST)', async () => {
    // With no such printer the connector refuses before reading the document: the request
    // shape is right (a multipart request without the preflight header would be BAD_REQUEST).
    const e = await failure(sdk().print({ printer: 'NoSuchPrinter', file: new File(['%PDF-1.4'], 'doc.pdf') }));
    expect(['PRINTER_NOT_FOUND', 'PRINT_FAILED']).toContain(e.code); // PRINT_FAILED when no CUPS answers here
  });
});

describe('usage records', () => {
  it('FILE_DOWNLOAD and FILE_UPLOAD counted for the label under the tag', async () => {
    const c = sdk({ tag: 'sdk-usage' });
    await c.files.download('invoices', new File(['u'], 'usage.txt'), { overwrite: true });
    await c.files.upload('invoices', 'usage.txt');
    const summary = await c.transactions({ from: new Date(Date.now() - 60_000) });
    expect(summary.label).toBe(APP_LABEL);
    expect(summary.counts).toContainEqual({ useCase: 'FILE_DOWNLOAD', tag: 'sdk-usage', count: 1 });
    expect(summary.counts).toContainEqual({ useCase: 'FILE_UPLOAD', tag: 'sdk-usage', count: 1 });
  });
});
