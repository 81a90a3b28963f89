import { request } from 'node:https';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { readReply, type Reply } from '../helpers/https-client.js';

export interface Part {
  /** Form field name (the key in `map`). */
  field: string;
  filename: string;
  /** Bytes, a path streamed from disk, or chunks produced while the request runs (`size` in all). */
  content: Buffer | { path: string } | { chunks: AsyncIterable<Buffer>; size: number };
  contentType?: string;
}

export type MultipartReply = Reply;

const CRLF = '\r\n';

/**
 * A GraphQL multipart request (graphql-multipart-request-spec) as a browser's fetch with a
 * FormData body would send it, streamed: file contents given as paths are never loaded whole.
 */
export function multipart(
  port: number,
  ca: string,
  o: { operations: unknown; map: Record<string, string[]>; files: Part[]; headers?: Record<string, string>; fieldsAfterFiles?: boolean },
): Promise<MultipartReply> {
  const boundary = `----cardlinktest${randomBytes(8).toString('hex')}`;
  const field = (name: string, value: string) =>
    Buffer.from(`--${boundary}${CRLF}Content-Disposition: form-data; name="${name}"${CRLF}${CRLF}${value}${CRLF}`);
  const fileHead = (p: Part) =>
    Buffer.from(
      `--${boundary}${CRLF}Content-Disposition: form-data; name="${p.field}"; filename="${p.filename}"${CRLF}` +
        `Content-Type: ${p.contentType ?? 'application/octet-stream'}${CRLF}${CRLF}`,
    );
  const fields = [field('operations', JSON.stringify(o.operations)), field('map', JSON.stringify(o.map))];
  const tail = Buffer.from(`--${boundary}--${CRLF}`);
  const sizeOf = (p: Part) => (Buffer.isBuffer(p.content) ? p.content.length : 'size' in p.content ? p.content.size : statSync(p.content.path).size);
  const length =
    fields.reduce((n, b) => n + b.length, 0) + o.files.reduce((n, p) => n + fileHead(p).length + sizeOf(p) + 2, 0) + tail.length;

  async function* body() {
    if (!o.fieldsAfterFiles) yield* fields;
    for (const p of o.files) {
      yield fileHead(p);
      if (Buffer.isBuffer(p.content)) yield p.content;
      else if ('chunks' in p.content) yield* p.content.chunks;
      else for await (const chunk of createReadStream(p.content.path, { highWaterMark: 256 * 1024 })) yield chunk as Buffer;
      yield Buffer.from(CRLF);
    }
    if (o.fieldsAfterFiles) yield* fields;
    yield tail;
  }

  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        servername: 'localhost',
        path: '/graphql',
        method: 'POST',
        ca,
        agent: false,
        headers: {
          host: `localhost:${port}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': String(length),
          ...(o.headers ?? {}),
        },
      },
      (res) => readReply(res).then(resolve, reject),
    );
    req.on('error', reject);
    pipeline(Readable.from(body()), req).catch(() => {
      // the server may answer (and close) before the whole body is sent
    });
  });
}

/** The `download` mutation (page → disk) with one file. */
export function download(
  port: number,
  ca: string,
  input: { type: string; name?: string; subfolder?: string; overwrite?: boolean },
  file: Omit<Part, 'field'>,
  headers: Record<string, string>,
): Promise<MultipartReply> {
  return multipart(port, ca, {
    operations: {
      query: 'mutation D($input: DownloadInput!) { download(input: $input) { name path size modifiedAt directory } }',
      variables: { input: { ...input, file: null } },
    },
    map: { '0': ['variables.input.file'] },
    files: [{ field: '0', ...file }],
    headers,
  });
}

/** GET a one-time file URL, hashing the bytes as they stream (never holding them whole). */
export function fetchHashed(
  url: string,
  ca: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: IncomingHttpHeaders; sha256: string; size: number; text: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: Number(u.port), servername: 'localhost', path: u.pathname, method: 'GET', ca, agent: false, headers: { host: u.host, ...headers } },
      (res) => {
        const hash = createHash('sha256');
        let size = 0;
        let text = '';
        res.on('data', (c: Buffer) => {
          hash.update(c);
          size += c.length;
          if (text.length < 4096) text += c.toString('utf8');
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, sha256: hash.digest('hex'), size, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
