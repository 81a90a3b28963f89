import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DocumentLengthError, OP, TAG, decodeResponse, encodeRequest, ippRequest, operationAttributes } from '../../src/printing/ipp.js';

// Fast checks of how a Print-Job body is framed (the real path is test/cups against cupsd):
// an in-process IPP endpoint on a Unix socket records what arrives.

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

function endpoint(onRequest: (req: IncomingMessage, body: Buffer, complete: boolean) => void): Promise<string> {
  const socketPath = join(mkdtempSync(join(tmpdir(), 'cardlink-ipp-')), 'ipp.sock');
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      onRequest(req, Buffer.concat(chunks), true);
      const ok = encodeRequest(0x0000, 1, [{ tag: TAG.CHARSET, name: 'attributes-charset', values: ['utf-8'] }]);
      // A job group with its id, as CUPS answers Print-Job.
      res.writeHead(200, { 'Content-Type': 'application/ipp' });
      res.end(Buffer.concat([ok.subarray(0, ok.length - 1), Buffer.from([TAG.JOB, TAG.INTEGER, 0, 6]), Buffer.from('job-id'), Buffer.from([0, 4, 0, 0, 0, 42, TAG.END])]));
    });
    req.on('aborted', () => onRequest(req, Buffer.concat(chunks), false));
    req.on('error', () => {});
  });
  return new Promise((resolve) => server!.listen(socketPath, () => resolve(socketPath)));
}

const printJob = () =>
  encodeRequest(OP.PRINT_JOB, 7, operationAttributes([{ tag: TAG.URI, name: 'printer-uri', values: ['ipp://localhost/printers/PDF'] }]));

describe('IPP Print-Job framing', () => {
  it('sends the attributes, then exactly the document bytes, under one Content-Length', async () => {
    let seen: { body: Buffer; length: string | undefined; path: string | undefined; complete: boolean } | undefined;
    const socketPath = await endpoint((req, body, complete) => (seen = { body, length: req.headers['content-length'], path: req.url, complete }));
    const head = printJob();
    const doc = Buffer.from('%PDF-1.4 the document bytes');
    const res = await ippRequest({ socketPath }, head, { path: '/printers/PDF', document: { stream: Readable.from([doc.subarray(0, 5), doc.subarray(5)]), size: doc.length } });
    expect(res.status).toBe(0);
    expect(res.groups.find((g) => g.tag === TAG.JOB)?.attributes.get('job-id')).toEqual([42]);
    expect(seen?.complete).toBe(true);
    expect(seen?.path).toBe('/printers/PDF');
    expect(seen?.length).toBe(String(head.length + doc.length));
    expect(seen?.body.equals(Buffer.concat([head, doc]))).toBe(true);
    // The attributes part decodes as sent (the document follows the end tag).
    expect(decodeResponse(seen!.body.subarray(0, head.length)).groups[0]!.attributes.get('printer-uri')).toEqual(['ipp://localhost/printers/PDF']);
  });

  it('a document that ends short of its size (a file that shrank) aborts the request: no complete job reaches the server', async () => {
    const outcomes: boolean[] = [];
    const socketPath = await endpoint((_req, _body, complete) => outcomes.push(complete));
    const doc = Buffer.alloc(1000, 1);
    await expect(ippRequest({ socketPath }, printJob(), { document: { stream: Readable.from([doc.subarray(0, 600)]), size: doc.length } })).rejects.toThrow(DocumentLengthError);
    await new Promise((r) => setTimeout(r, 100));
    expect(outcomes).not.toContain(true);
  });

  it('a document longer than announced is cut off with an error, not sent past Content-Length', async () => {
    const outcomes: boolean[] = [];
    const socketPath = await endpoint((_req, _body, complete) => outcomes.push(complete));
    await expect(ippRequest({ socketPath }, printJob(), { document: { stream: Readable.from([Buffer.alloc(10), Buffer.alloc(10)]), size: 15 } })).rejects.toThrow(DocumentLengthError);
    await new Promise((r) => setTimeout(r, 100));
    expect(outcomes).not.toContain(true);
  });
});
