import { request } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * A minimal IPP/1.1 client (RFC 8010 encoding) for what the connector asks the local CUPS:
 * which printers exist, which is the default, what state a job is in, and Print-Job, whose
 * document bytes follow the attributes in the same request, streamed from a descriptor the
 * caller opened (CUPS gets the bytes, never a path to open by itself).
 */

export const OP = {
  PRINT_JOB: 0x0002,
  GET_JOB_ATTRIBUTES: 0x0009,
  GET_JOBS: 0x000a,
  CUPS_GET_DEFAULT: 0x4001,
  CUPS_GET_PRINTERS: 0x4002,
} as const;

export const TAG = {
  OPERATION: 0x01,
  JOB: 0x02,
  END: 0x03,
  PRINTER: 0x04,
  UNSUPPORTED: 0x05,
  INTEGER: 0x21,
  BOOLEAN: 0x22,
  ENUM: 0x23,
  TEXT: 0x41,
  NAME: 0x42,
  KEYWORD: 0x44,
  URI: 0x45,
  CHARSET: 0x47,
  LANGUAGE: 0x48,
  MIME_MEDIA_TYPE: 0x49,
} as const;

/** Status codes below this are successes (RFC 8011 4.1.6). */
export const IPP_SUCCESS_LIMIT = 0x0100;

export type IppValue = string | number | boolean | Buffer;
export interface IppAttribute {
  tag: number;
  name: string;
  values: IppValue[];
}
export type IppGroup = { tag: number; attributes: Map<string, IppValue[]> };
export interface IppResponse {
  status: number;
  requestId: number;
  groups: IppGroup[];
}

export function encodeRequest(operation: number, requestId: number, attributes: IppAttribute[]): Buffer {
  const parts: Buffer[] = [];
  const head = Buffer.alloc(8);
  head.writeUInt8(1, 0);
  head.writeUInt8(1, 1);
  head.writeUInt16BE(operation, 2);
  head.writeUInt32BE(requestId, 4);
  parts.push(head, Buffer.from([TAG.OPERATION]));
  for (const a of attributes) {
    a.values.forEach((v, i) => {
      const name = Buffer.from(i === 0 ? a.name : '');
      let value: Buffer;
      if (a.tag === TAG.INTEGER || a.tag === TAG.ENUM) {
        value = Buffer.alloc(4);
        value.writeInt32BE(v as number);
      } else if (a.tag === TAG.BOOLEAN) {
        value = Buffer.from([v ? 1 : 0]);
      } else {
        value = Buffer.isBuffer(v) ? v : Buffer.from(String(v));
      }
      const h = Buffer.alloc(3);
      h.writeUInt8(a.tag, 0);
      h.writeUInt16BE(name.length, 1);
      const l = Buffer.alloc(2);
      l.writeUInt16BE(value.length);
      parts.push(h, name, l, value);
    });
  }
  parts.push(Buffer.from([TAG.END]));
  return Buffer.concat(parts);
}

export function decodeResponse(buf: Buffer): IppResponse {
  if (buf.length < 9) throw new Error('IPP response too short');
  const status = buf.readUInt16BE(2);
  const requestId = buf.readUInt32BE(4);
  const groups: IppGroup[] = [];
  let group: IppGroup | undefined;
  let last: IppValue[] | undefined;
  let i = 8;
  const need = (n: number) => {
    if (i + n > buf.length) throw new Error('IPP response truncated');
  };
  for (;;) {
    need(1);
    const tag = buf.readUInt8(i++);
    if (tag === TAG.END) break;
    if (tag < 0x10) {
      group = { tag, attributes: new Map() };
      groups.push(group);
      last = undefined;
      continue;
    }
    need(2);
    const nameLen = buf.readUInt16BE(i);
    i += 2;
    need(nameLen + 2);
    const name = buf.toString('utf8', i, i + nameLen);
    i += nameLen;
    const valueLen = buf.readUInt16BE(i);
    i += 2;
    need(valueLen);
    const raw = buf.subarray(i, i + valueLen);
    i += valueLen;
    let value: IppValue;
    if ((tag === TAG.INTEGER || tag === TAG.ENUM) && valueLen === 4) value = raw.readInt32BE(0);
    else if (tag === TAG.BOOLEAN && valueLen === 1) value = raw[0] !== 0;
    else if (tag >= 0x40 && tag < 0x50) value = raw.toString('utf8');
    else value = Buffer.from(raw);
    if (!group) {
      group = { tag: TAG.OPERATION, attributes: new Map() };
      groups.push(group);
    }
    if (nameLen === 0 && last) last.push(value);
    else {
      last = [value];
      group.attributes.set(name, last);
    }
  }
  return { status, requestId, groups };
}

export type CupsServer = { socketPath: string } | { host: string; port: number };

/**
 * Where the CUPS clients (lp, lpstat) would connect: CUPS_SERVER, else ServerName in the
 * user's or the system's client.conf, else the local domain socket, else localhost:631.
 */
export function findCupsServer(env: NodeJS.ProcessEnv = process.env): CupsServer {
  const parse = (v: string): CupsServer => {
    if (v.startsWith('/')) return { socketPath: v };
    const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(v);
    return { host: m ? m[1]!.replace(/^\[|\]$/g, '') : v, port: m?.[2] ? Number(m[2]) : 631 };
  };
  if (env.CUPS_SERVER) return parse(env.CUPS_SERVER);
  for (const conf of [join(homedir(), '.cups', 'client.conf'), '/etc/cups/client.conf']) {
    try {
      const m = /^\s*ServerName\s+(\S+)/m.exec(readFileSync(conf, 'utf8'));
      if (m) return parse(m[1]!);
    } catch {
      // no such file
    }
  }
  for (const s of ['/run/cups/cups.sock', '/var/run/cups/cups.sock', '/private/var/run/cupsd']) if (existsSync(s)) return { socketPath: s };
  return { host: 'localhost', port: 631 };
}

/** Document data sent after the attributes: exactly `size` bytes from `stream`. */
export interface IppDocument {
  stream: Readable;
  size: number;
}

/** A document whose bytes did not match the size announced (the file changed meanwhile). */
export class DocumentLengthError extends Error {}

/** Passes exactly `size` bytes on, and fails if the source ends short (a file that shrank). */
function exactly(size: number): Transform {
  let n = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      n += chunk.length;
      if (n > size) cb(new DocumentLengthError('document longer than announced'));
      else cb(null, chunk);
    },
    flush(cb) {
      cb(n === size ? null : new DocumentLengthError('document shorter than announced'));
    },
  });
}

/**
 * POST one IPP request to CUPS and decode the answer. With a document, its bytes follow the
 * encoded attributes in the same body (Content-Length covers both); a document that cannot be
 * read to its announced length aborts the request, so CUPS never queues a partial job.
 */
export function ippRequest(server: CupsServer, body: Buffer, opts: { timeoutMs?: number; path?: string; document?: IppDocument } = {}): Promise<IppResponse> {
  const { timeoutMs = 10_000, path = '/', document } = opts;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (e: Error) => {
      if (settled) return;
      settled = true;
      req.destroy();
      reject(e);
    };
    const req = request(
      {
        ...server,
        method: 'POST',
        path,
        headers: { 'Content-Type': 'application/ipp', 'Content-Length': body.length + (document?.size ?? 0), Host: 'localhost' },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > 4 * 1024 * 1024) {
            fail(new Error('IPP response too large'));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => {
          if (settled) return;
          if (res.statusCode !== 200) return fail(new Error(`CUPS answered HTTP ${res.statusCode}`));
          try {
            const decoded = decodeResponse(Buffer.concat(chunks));
            settled = true;
            resolve(decoded);
          } catch (e) {
            fail(e as Error);
          }
        });
        res.on('error', fail);
      },
    );
    req.on('timeout', () => fail(new Error('CUPS did not answer in time')));
    req.on('error', fail);
    if (!document) {
      req.end(body);
      return;
    }
    req.write(body);
    pipeline(document.stream, exactly(document.size), req).catch((e: Error) => {
      document.stream.destroy();
      fail(e);
    });
  });
}

/** The attributes every request starts with. */
export function operationAttributes(extra: IppAttribute[] = []): IppAttribute[] {
  return [
    { tag: TAG.CHARSET, name: 'attributes-charset', values: ['utf-8'] },
    { tag: TAG.LANGUAGE, name: 'attributes-natural-language', values: ['en'] },
    ...extra,
  ];
}
