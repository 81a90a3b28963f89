// File exchange and printing against a scripted fetch: request shapes (JSON, GraphQL multipart
// with the preflight header, the one-time URL GET) and the mapping of every failure.
import { describe, expect, it } from 'vitest';
import { ConnectorError, createConnector, type FileEntry, type PrintJob } from '../src/index.js';
import { fakeFetch, gqlError, json, type FakeRequest, type Handler } from './helpers/fake-fetch.js';
import { rejection } from './helpers/rejection.js';

const BASE = 'https://localhost:51983';
const ENTRY: FileEntry = { name: 'a.txt', path: 'sub/a.txt', size: 5, modifiedAt: '2026-03-01T10:00:00.000Z', directory: false };
const JOB: PrintJob = { id: 'PDF-7', printer: 'PDF', state: 'PENDING' };
const TOKEN_URL = `${BASE}/files/${'T'.repeat(32)}`;

/** The GraphQL operation of a request, JSON or multipart. */
function operation(req: FakeRequest): { operationName: string; query: string; variables: any } {
  if (req.body instanceof FormData) return JSON.parse(String(req.body.get('operations')));
  return req.body;
}

/** A fake connector: GraphQL answers by operation name, anything else (the file URL) by `get`. */
function connectorFake(ops: Record<string, (vars: any, req: FakeRequest) => Response | unknown>, get?: Handler) {
  return fakeFetch(async (req) => {
    if (req.mode === 'no-cors') throw new TypeError('Failed to fetch');
    if (req.method === 'GET') {
      if (!get) throw new Error(`unexpected GET ${req.url}`);
      return get(req);
    }
    const op = operation(req);
    const make = ops[op.operationName];
    if (!make) return json(gqlError('BAD_REQUEST', `unexpected ${op.operationName}`), 400);
    const out = await make(op.variables, req);
    return out instanceof Response ? out : json({ data: out });
  });
}

const rejected = rejection;

const file = (text: string, name = 'hello.txt') => new File([text], name, { type: 'text/plain' });

describe('listing', () => {
  it('types() and list(): JSON queries, the sub-folder null when absent', async () => {
    const f = connectorFake({ FileTypes: () => ({ fileTypes: [{ name: 'invoices', maxSize: 1024 }] }), Files: () => ({ files: [ENTRY] }) });
    const c = createConnector({ fetch: f.fetch, tag: 'files' });
    expect(await c.files.types()).toEqual([{ name: 'invoices', maxSize: 1024 }]);
    expect(await c.files.list('invoices')).toEqual([ENTRY]);
    expect(await c.files.list('invoices', { subfolder: 'sub' })).toEqual([ENTRY]);
    expect(f.calls.map((r) => [r.headers['content-type'], r.headers['t1c-tag'], r.headers['graphql-require-preflight']])).toEqual([
      ['application/json', 'files', undefined],
      ['application/json', 'files', undefined],
      ['application/json', 'files', undefined],
    ]);
    expect(f.calls.slice(1).map((r) => operation(r).variables)).toEqual([
      { type: 'invoices', subfolder: null },
      { type: 'invoices', subfolder: 'sub' },
    ]);
  });

  it('refuses an empty type or sub-folder before sending (INVALID_INPUT)', async () => {
    const f = connectorFake({});
    const c = createConnector({ fetch: f.fetch });
    expect((await rejected(c.files.list(''))).code).toBe('INVALID_INPUT');
    expect((await rejected(c.files.list('x', { subfolder: '' }))).code).toBe('INVALID_INPUT');
    expect(f.calls).toHaveLength(0);
  });
});

describe('download (page → disk)', () => {
  it('is a GraphQL multipart request: operations (file null), map, then the file part; with GraphQL-Require-Preflight and the tag', async () => {
    const f = connectorFake({ Download: (vars) => ({ download: { ...ENTRY, name: vars.input.name ?? 'hello.txt' } }) });
    const c = createConnector({ fetch: f.fetch, tag: 'checkout' });
    const entry = await c.files.download('invoices', file('Hello, disk!'), { subfolder: '2026' });
    expect(entry.name).toBe('hello.txt');

    const [req] = f.calls;
    expect(req).toMatchObject({ url: `${BASE}/graphql`, method: 'POST' });
    expect(req!.headers['graphql-require-preflight']).toBe('1');
    expect(req!.headers['t1c-tag']).toBe('checkout');
    expect(req!.headers['content-type']).toBeUndefined(); // fetch sets multipart/form-data with its boundary
    const form = req!.body as FormData;
    expect(form).toBeInstanceOf(FormData);
    expect([...form.keys()]).toEqual(['operations', 'map', '0']); // the order the spec requires
    const ops = operation(req!);
    expect(ops.operationName).toBe('Download');
    expect(ops.query).toMatch(/^mutation Download\(\$input: DownloadInput!\)/);
    expect(ops.variables).toEqual({ input: { type: 'invoices', file: null, name: null, subfolder: '2026', overwrite: false } });
    expect(JSON.parse(String(form.get('map')))).toEqual({ 0: ['variables.input.file'] });
    const part = form.get('0') as File;
    expect(part.name).toBe('hello.txt');
    expect(await part.text()).toBe('Hello, disk!');
  });

  it('a name and overwrite go along; a Blob needs a name (checked before sending)', async () => {
    const f = connectorFake({ Download: (vars) => ({ download: { ...ENTRY, name: vars.input.name } }) });
    const c = createConnector({ fetch: f.fetch });
    await c.files.download('invoices', file('x'), { name: 'renamed.txt', overwrite: true });
    expect(operation(f.calls[0]!).variables.input).toMatchObject({ name: 'renamed.txt', overwrite: true });
    await c.files.download('invoices', new Blob([new Uint8Array([0, 1, 2])]), { name: 'bytes.bin' });
    expect(operation(f.calls[1]!).variables.input.name).toBe('bytes.bin');
    expect(await ((f.calls[1]!.body as FormData).get('0') as Blob).bytes()).toEqual(new Uint8Array([0, 1, 2]));

    expect((await rejected(c.files.download('invoices', new Blob(['x'])))).code).toBe('INVALID_INPUT');
    expect((await rejected(c.files.download('invoices', 'not a file' as never))).code).toBe('INVALID_INPUT');
    expect((await rejected(c.files.download('', file('x')))).code).toBe('INVALID_INPUT');
    expect(f.calls).toHaveLength(2);
  });

  it.each(['FILE_EXISTS', 'FILE_TOO_LARGE', 'PATH_NOT_ALLOWED', 'FILE_TYPE_NOT_FOUND', 'INVALID_INPUT'])('%s from the connector is the ConnectorError code', async (code) => {
    const f = connectorFake({ Download: () => json({ data: null, errors: [{ message: `says ${code}`, path: ['download'], extensions: { code } }] }) });
    const e = await rejected(createConnector({ fetch: f.fetch }).files.download('invoices', file('x')));
    expect(e).toMatchObject({ code, message: `says ${code}`, status: 200 });
  });

  it('a body refused at once for its size (413 BODY_TOO_LARGE) is FILE_TOO_LARGE, with the limit', async () => {
    const f = connectorFake({ Download: () => json(gqlError('BODY_TOO_LARGE', 'Request body exceeds 1049600 bytes.', { limit: 1_049_600 }), 413) });
    const e = await rejected(createConnector({ fetch: f.fetch }).files.download('invoices', file('x')));
    expect(e).toMatchObject({ code: 'FILE_TOO_LARGE', status: 413, details: { limit: 1_049_600 } });
    expect((e.cause as ConnectorError).code).toBe('BODY_TOO_LARGE');
  });

  it('a missing preflight header would be 400 BAD_REQUEST (mapped like any refusal)', async () => {
    const f = connectorFake({ Download: () => json(gqlError('BAD_REQUEST', 'GraphQL-Require-Preflight missing'), 400) });
    expect(await rejected(createConnector({ fetch: f.fetch }).files.download('invoices', file('x')))).toMatchObject({ code: 'BAD_REQUEST', status: 400 });
  });

  it('fetch rejects: the no-cors probe decides between ORIGIN_NOT_ALLOWED and CONNECTOR_UNREACHABLE', async () => {
    for (const [answer, code] of [[true, 'ORIGIN_NOT_ALLOWED'], [false, 'CONNECTOR_UNREACHABLE']] as const) {
      const f = fakeFetch((req) => {
        if (req.mode === 'no-cors' && answer) return new Response(null);
        throw new TypeError('Failed to fetch');
      });
      expect((await rejected(createConnector({ fetch: f.fetch }).files.download('invoices', file('x')))).code).toBe(code);
      expect(f.probes).toHaveLength(1);
    }
  });
});

describe('upload (disk → page)', () => {
  const transfer = (url = TOKEN_URL) => ({ upload: { url, size: 12, expiresAt: '2026-03-01T10:01:00.000Z' } });

  it('asks for a one-time URL, then GETs it once with the tag and without credentials: the bytes as a Blob', async () => {
    const f = connectorFake({ Upload: () => transfer() }, () => new Response('Hello, page!', { headers: { 'content-type': 'application/octet-stream', 'content-length': '12' } }));
    const c = createConnector({ fetch: f.fetch, tag: 'profile' });
    const blob = await c.files.upload('invoices', 'hello.txt', { subfolder: 'sub' });
    expect(blob).toBeInstanceOf(Blob);
    expect(await blob.text()).toBe('Hello, page!');
    expect(f.calls).toHaveLength(2);
    expect(operation(f.calls[0]!)).toMatchObject({ operationName: 'Upload', variables: { input: { type: 'invoices', name: 'hello.txt', subfolder: 'sub' } } });
    expect(f.calls[0]!.headers['graphql-require-preflight']).toBeUndefined();
    expect(f.calls[1]).toMatchObject({ url: TOKEN_URL, method: 'GET', body: undefined });
    expect(f.calls[1]!.headers['t1c-tag']).toBe('profile');
  });

  it('uploadStream() gives the body as a stream with its size; uploadUrl() only the URL', async () => {
    const bytes = new Uint8Array(100_000).map((_, i) => i % 251);
    const f = connectorFake({ Upload: () => transfer() }, () => new Response(bytes, { headers: { 'content-length': String(bytes.length) } }));
    const c = createConnector({ fetch: f.fetch });
    const { stream, size } = await c.files.uploadStream('invoices', 'big.bin');
    expect(size).toBe(100_000);
    expect(new Uint8Array(await new Response(stream).arrayBuffer())).toEqual(bytes);
    expect(await c.files.uploadUrl('invoices', 'big.bin')).toEqual(transfer().upload);
    expect(f.calls.filter((r) => r.method === 'GET')).toHaveLength(1);
  });

  it('mutation errors: FILE_NOT_FOUND, PATH_NOT_ALLOWED, FILE_TYPE_NOT_FOUND, and no GET', async () => {
    for (const code of ['FILE_NOT_FOUND', 'PATH_NOT_ALLOWED', 'FILE_TYPE_NOT_FOUND']) {
      const f = connectorFake({ Upload: () => json({ data: null, errors: [{ message: code, extensions: { code } }] }) });
      expect((await rejected(createConnector({ fetch: f.fetch }).files.upload('invoices', 'x'))).code).toBe(code);
      expect(f.calls).toHaveLength(1);
    }
  });

  it('a used or unknown URL (404) and an expired one (410) are FILE_NOT_FOUND, the latter with details.expired', async () => {
    const used = connectorFake({ Upload: () => transfer() }, () => json(gqlError('FILE_NOT_FOUND', 'Unknown or already used file URL.'), 404));
    expect(await rejected(createConnector({ fetch: used.fetch }).files.upload('invoices', 'x'))).toMatchObject({ code: 'FILE_NOT_FOUND', status: 404 });
    const late = connectorFake({ Upload: () => transfer() }, () => json(gqlError('FILE_NOT_FOUND', 'This file URL has expired.', { expired: true }), 410));
    expect(await rejected(createConnector({ fetch: late.fetch }).files.upload('invoices', 'x'))).toMatchObject({ code: 'FILE_NOT_FOUND', status: 410, details: { expired: true } });
    const broken = connectorFake({ Upload: () => transfer() }, () => new Response('oops', { status: 500 }));
    expect(await rejected(createConnector({ fetch: broken.fetch }).files.upload('invoices', 'x'))).toMatchObject({ code: 'INTERNAL', status: 500 });
  });

  it('never fetches a URL on another origin (INVALID_RESPONSE)', async () => {
    const f = connectorFake({ Upload: () => transfer('https://evil.example/files/abc') });
    expect((await rejected(createConnector({ fetch: f.fetch }).files.upload('invoices', 'x'))).code).toBe('INVALID_RESPONSE');
    expect(f.calls).toHaveLength(1);
  });

  it('the GET rejected: probed like any request; a body cut while read is NETWORK', async () => {
    const refused = connectorFake({ Upload: () => transfer() }, () => {
      throw new TypeError('Failed to fetch');
    });
    expect((await rejected(createConnector({ fetch: refused.fetch }).files.upload('invoices', 'x'))).code).toBe('CONNECTOR_UNREACHABLE');
    const cut = connectorFake(
      { Upload: () => transfer() },
      () =>
        new Response(
          new ReadableStream({
            start(ctl) {
              ctl.enqueue(new Uint8Array([1, 2, 3]));
              ctl.error(new TypeError('network error'));
            },
          }),
        ),
    );
    expect((await rejected(createConnector({ fetch: cut.fetch }).files.upload('invoices', 'x'))).code).toBe('NETWORK');
  });
});

describe('printing', () => {
  it('printers() and printJob(id)', async () => {
    const printer = { name: 'PDF', description: 'Virtual PDF Printer', isDefault: true, state: 'idle' };
    const f = connectorFake({ Printers: () => ({ printers: [printer] }), PrintJob: (v) => ({ printJob: v.id === 'PDF-7' ? { ...JOB, state: 'COMPLETED' } : null }) });
    const c = createConnector({ fetch: f.fetch });
    expect(await c.printers()).toEqual([printer]);
    expect(await c.printJob('PDF-7')).toEqual({ ...JOB, state: 'COMPLETED' });
    expect(await c.printJob('PDF-8')).toBeNull();
    expect((await rejected(c.printJob(''))).code).toBe('INVALID_INPUT');
  });

  it('print a mapped file: JSON, no file, no preflight header needed', async () => {
    const f = connectorFake({ Print: () => ({ print: JOB }) });
    const c = createConnector({ fetch: f.fetch, tag: 'print' });
    expect(await c.print({ printer: 'PDF', type: 'letters', name: 'letter.txt', title: 'Letter' })).toEqual(JOB);
    const [req] = f.calls;
    expect(req!.headers['content-type']).toBe('application/json');
    expect(operation(req!).variables).toEqual({ input: { printer: 'PDF', type: 'letters', name: 'letter.txt', subfolder: null, file: null, title: 'Letter' } });
  });

  it('print a file from the page: multipart with the preflight header', async () => {
    const f = connectorFake({ Print: () => ({ print: JOB }) });
    const c = createConnector({ fetch: f.fetch });
    await c.print({ printer: 'PDF', file: new File(['%PDF-1.4'], 'doc.pdf', { type: 'application/pdf' }) });
    const [req] = f.calls;
    expect(req!.headers['graphql-require-preflight']).toBe('1');
    expect(operation(req!).variables).toEqual({ input: { printer: 'PDF', type: null, name: null, subfolder: null, file: null, title: null } });
    expect(JSON.parse(String((req!.body as FormData).get('map')))).toEqual({ 0: ['variables.input.file'] });
    expect(((req!.body as FormData).get('0') as File).name).toBe('doc.pdf');
  });

  it('exactly one source, a printer name: checked before sending', async () => {
    const f = connectorFake({});
    const c = createConnector({ fetch: f.fetch });
    const bad = [
      { printer: 'PDF' },
      { printer: 'PDF', type: 'letters', name: 'x', file: new Blob(['x']) },
      { printer: 'PDF', type: 'letters' },
      { printer: '', type: 'letters', name: 'x' },
      { printer: 'PDF', file: 'x' },
    ];
    for (const req of bad) expect((await rejected(c.print(req as never))).code).toBe('INVALID_INPUT');
    expect(f.calls).toHaveLength(0);
  });

  it.each(['PRINTER_NOT_FOUND', 'PRINT_FAILED', 'FILE_NOT_FOUND', 'FILE_TYPE_NOT_FOUND'])('%s is the ConnectorError code', async (code) => {
    const f = connectorFake({ Print: () => json({ data: null, errors: [{ message: code, extensions: { code } }] }) });
    expect((await rejected(createConnector({ fetch: f.fetch }).print({ printer: 'PDF', type: 't', name: 'n' }))).code).toBe(code);
  });

  it('a page file over every limit (413) is FILE_TOO_LARGE', async () => {
    const f = connectorFake({ Print: () => json(gqlError('BODY_TOO_LARGE', 'too big', { limit: 64 }), 413) });
    expect(await rejected(createConnector({ fetch: f.fetch }).print({ printer: 'PDF', file: new Blob(['x']) }))).toMatchObject({ code: 'FILE_TOO_LARGE', details: { limit: 64 } });
  });
});
