import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';
import busboy from 'busboy';
import { ConnectorError } from '../errors.js';
import type { GraphQLParams } from 'graphql-yoga';
import { toParams } from './plugins/use-json-body.js';

/**
 * GraphQL multipart requests (graphql-multipart-request-spec): a `multipart/form-data` body
 * with an `operations` field (the GraphQL request as JSON), a `map` field (which file part
 * goes to which variable) and then the file parts.
 *
 * Nothing is buffered: the operation starts as soon as `operations` and `map` are in, and
 * each `Upload` variable is a `FileUpload` whose `open()` hands its resolver the part's bytes
 * as a stream while they arrive. Parts must come in the order the operation uses them
 * (mutations run one after the other); a part nobody claims is read and thrown away.
 *
 * multipart/form-data is a "simple" content type: a cross-site form could send one without
 * asking. The caller must therefore send the `GraphQL-Require-Preflight` header, which no
 * form can set, so the browser always asks (CORS preflight) before sending the bytes.
 */

export interface MultipartLimits {
  /** Largest `operations` / `map` field, in bytes. */
  maxFieldBytes: number;
  /** Largest file part, in bytes (the largest type the caller may use). */
  maxFileBytes: number;
  /** File parts per request. */
  maxFiles: number;
}

export interface OpenedUpload {
  stream: Readable;
  /** Name the browser gave the file (untrusted: validate before use). */
  filename: string;
  mimeType: string;
}

type UploadState = 'waiting' | 'arrived' | 'claimed' | 'discarded' | 'failed';

/** The value of an `Upload` variable: one file part of the current request. */
export class FileUpload {
  private state: UploadState = 'waiting';
  private part: { source: Readable; filename: string; mimeType: string } | undefined;
  private failure: ConnectorError | undefined;
  private waiters: { resolve: (u: OpenedUpload) => void; reject: (e: unknown) => void }[] = [];
  private tooLarge = false;

  constructor(
    private readonly request: MultipartRequest,
    readonly field: string,
  ) {}

  /** The part's bytes as a stream. One call per upload; the bytes flow while the caller reads. */
  open(): Promise<OpenedUpload> {
    if (this.state === 'claimed') return Promise.reject(new ConnectorError('BAD_REQUEST', 'This file was already used by the operation.'));
    if (this.state === 'discarded') {
      return Promise.reject(new ConnectorError('BAD_REQUEST', 'Send the file parts in the order the operation uses them.'));
    }
    if (this.state === 'failed') return Promise.reject(this.failure);
    if (this.state === 'arrived') return Promise.resolve(this.claim());
    this.request.beforeWait(this);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Throw the part away (no-op once claimed): its bytes are read and dropped. */
  discard(): void {
    if (this.state === 'arrived') {
      this.part!.source.resume();
      this.state = 'discarded';
    } else if (this.state === 'waiting') {
      this.state = 'discarded';
      this.request.dropOnArrival(this.field);
      this.rejectWaiters(new ConnectorError('BAD_REQUEST', 'The file was discarded.'));
    }
  }

  get pendingUnclaimed(): boolean {
    return this.state === 'arrived';
  }

  /** @internal busboy announced the part. */
  arrive(source: Readable, filename: string, mimeType: string): void {
    if (this.state === 'discarded' || this.state === 'failed') {
      source.resume();
      return;
    }
    this.part = { source, filename, mimeType };
    source.once('limit', () => (this.tooLarge = true));
    this.state = 'arrived';
    const w = this.waiters.shift();
    this.waiters = [];
    if (w) w.resolve(this.claim());
  }

  /** @internal the request ended or broke before this part came. */
  fail(error: ConnectorError): void {
    if (this.state !== 'waiting') return;
    this.state = 'failed';
    this.failure = error;
    this.rejectWaiters(error);
  }

  private rejectWaiters(e: unknown) {
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w.reject(e);
  }

  /**
   * Hand out a PassThrough fed by busboy's part stream. Busboy must never see its own stream
   * destroyed (it would stall the whole body), so when the consumer gives up, the part is
   * unpiped and drained instead; when the part goes wrong, the consumer's stream errors.
   */
  private claim(): OpenedUpload {
    this.state = 'claimed';
    const { source, filename, mimeType } = this.part!;
    const out = new PassThrough();
    const drain = () => {
      source.unpipe(out);
      source.resume();
    };
    source.once('limit', () => {
      out.destroy(new ConnectorError('FILE_TOO_LARGE', 'The file is larger than this connector accepts.'));
    });
    const interrupted = (e?: unknown) => {
      if (!out.destroyed) out.destroy(e instanceof ConnectorError ? e : new ConnectorError('BAD_REQUEST', 'The upload was interrupted.'));
    };
    source.once('error', interrupted);
    source.once('close', () => {
      if (!source.readableEnded) interrupted();
    });
    out.once('close', () => {
      if (!source.readableEnded) drain();
    });
    if (this.tooLarge) out.destroy(new ConnectorError('FILE_TOO_LARGE', 'The file is larger than this connector accepts.'));
    else source.pipe(out);
    return { stream: out, filename, mimeType };
  }
}

/** One multipart request: its parsed parameters and its file parts. */
export class MultipartRequest {
  readonly uploads = new Map<string, FileUpload>();
  private readonly dropped = new Set<string>();
  private finished = false;

  /** @internal */
  beforeWait(waiting: FileUpload): void {
    // A part that arrived and was not taken can block every later part (busboy waits for it
    // to be read): the operation wants a later one first, so the earlier one is dropped.
    for (const u of this.uploads.values()) if (u !== waiting && u.pendingUnclaimed) u.discard();
  }

  /** @internal */
  dropOnArrival(field: string): void {
    this.dropped.add(field);
  }

  /** @internal */
  failPending(error: ConnectorError): void {
    this.finished = true;
    for (const u of this.uploads.values()) u.fail(error);
  }

  get done(): boolean {
    return this.finished;
  }

  /** After the operation ran: parts nobody used are read and dropped. */
  finish(): void {
    for (const u of this.uploads.values()) u.discard();
  }
}

export function isMultipart(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase() === 'multipart/form-data';
}

const bad = (message: string, details: Record<string, unknown> = {}) => new ConnectorError('BAD_REQUEST', message, details);

/**
 * Start parsing a multipart GraphQL request. Resolves once `operations` and `map` are read,
 * with the parameters (Upload variables replaced by FileUpload values); the file parts
 * stream on while the operation runs.
 */
export function readMultipart(req: IncomingMessage, res: ServerResponse, limits: MultipartLimits): Promise<{ params: GraphQLParams; request: MultipartRequest }> {
  const preflight = req.headers['graphql-require-preflight'];
  if (preflight === undefined || preflight === '') {
    return Promise.reject(bad('Multipart requests must carry the GraphQL-Require-Preflight header.', { httpStatus: 400 }));
  }
  // The whole body: the largest file this caller may send, the two fields and the framing.
  const ceiling = limits.maxFileBytes + 2 * limits.maxFieldBytes + 64 * 1024;
  const tooLarge = () => new ConnectorError('BODY_TOO_LARGE', `Request body exceeds ${ceiling} bytes.`, { limit: ceiling });
  if (Number(req.headers['content-length']) > ceiling) return Promise.reject(tooLarge());

  let bb: busboy.Busboy;
  try {
    bb = busboy({
      headers: req.headers,
      defParamCharset: 'utf8',
      limits: { fieldSize: limits.maxFieldBytes, fields: 2, files: limits.maxFiles, fileSize: limits.maxFileBytes + 1, parts: limits.maxFiles + 2 },
    });
  } catch {
    return Promise.reject(bad('Malformed multipart/form-data request (boundary missing?).'));
  }

  const mp = new MultipartRequest();
  return new Promise((resolve, reject) => {
    let operations: unknown;
    let params: GraphQLParams | undefined;
    let settled = false;
    let failed = false;
    const fail = (e: ConnectorError) => {
      if (failed) return;
      failed = true;
      mp.failPending(e);
      // A part being read ends with this error (busboy destroys it with the parser).
      bb.destroy(e);
      // Stop parsing: the rest of the body is of no use. It is read and dropped (never kept),
      // and the connection closes after the answer.
      req.unpipe(bb);
      req.resume();
      if (!res.headersSent) res.setHeader('Connection', 'close');
      if (!settled) {
        settled = true;
        reject(e);
      }
    };

    bb.on('field', (name, value, info) => {
      if (info.valueTruncated) return fail(new ConnectorError('BODY_TOO_LARGE', `The "${name}" field exceeds ${limits.maxFieldBytes} bytes.`, { limit: limits.maxFieldBytes }));
      if (name === 'operations' && operations === undefined && params === undefined) {
        try {
          operations = JSON.parse(value);
        } catch {
          return fail(bad('"operations" is not valid JSON.'));
        }
        if (Array.isArray(operations)) return fail(bad('Batched operations are not supported.'));
        return;
      }
      if (name === 'map' && operations !== undefined && params === undefined) {
        let map: unknown;
        try {
          map = JSON.parse(value);
        } catch {
          return fail(bad('"map" is not valid JSON.'));
        }
        try {
          params = toParams(operations);
          applyMap(params, map, mp, limits.maxFiles);
        } catch (e) {
          return fail(e instanceof ConnectorError ? e : bad('Invalid "map".'));
        }
        settled = true;
        resolve({ params, request: mp });
        return;
      }
      fail(bad('Expected the "operations" field, then "map", then the files.'));
    });

    bb.on('file', (name, stream, info) => {
      // Parts end with an error when the request breaks; whoever reads one hears it through
      // its own stream (see claim()), an unread one must not take the process down.
      stream.on('error', () => {});
      if (!params) {
        stream.resume();
        return fail(bad('File parts must come after the "operations" and "map" fields.'));
      }
      const upload = mp.uploads.get(name);
      if (!upload) {
        stream.resume();
        return;
      }
      upload.arrive(stream, info.filename ?? '', info.mimeType);
    });

    bb.on('fieldsLimit', () => fail(bad('Only the "operations" and "map" fields are allowed.')));
    bb.on('filesLimit', () => fail(bad(`At most ${limits.maxFiles} files per request.`)));
    bb.on('partsLimit', () => fail(bad('Too many parts.')));
    bb.on('error', () => fail(bad('Malformed multipart/form-data body.')));
    bb.on('close', () => {
      if (!params) fail(bad('The multipart request has no "operations" and "map".'));
      mp.failPending(bad('A file named in "map" was not sent.'));
    });
    // Chunked bodies announce no length: count while reading.
    let received = 0;
    req.on('data', (c: Buffer) => {
      received += c.length;
      if (received > ceiling) fail(tooLarge());
    });
    req.once('close', () => {
      if (!req.complete) fail(bad('The client went away during the upload.'));
    });
    req.pipe(bb);
  });
}

/**
 * Put a FileUpload at each path the map names ("variables.input.file" or
 * "variables.files.0"); only paths under `variables` are meaningful to a single operation.
 */
function applyMap(params: GraphQLParams, map: unknown, mp: MultipartRequest, maxFiles: number): void {
  if (typeof map !== 'object' || map === null || Array.isArray(map)) throw bad('"map" must be an object.');
  const entries = Object.entries(map as Record<string, unknown>);
  if (entries.length > maxFiles) throw bad(`At most ${maxFiles} files per request.`);
  for (const [field, paths] of entries) {
    if (!Array.isArray(paths) || paths.length === 0 || !paths.every((p) => typeof p === 'string')) {
      throw bad('Each "map" entry must be a non-empty list of paths.');
    }
    const upload = new FileUpload(mp, field);
    mp.uploads.set(field, upload);
    for (const path of paths as string[]) {
      const keys = path.split('.');
      if (keys[0] !== 'variables' || keys.length < 2) throw bad('"map" paths must start with "variables.".');
      if (!params.variables) params.variables = {};
      let target: Record<string, unknown> = params.variables;
      for (let i = 1; i < keys.length - 1; i++) {
        const k = keys[i]!;
        if (k === '__proto__' || k === 'constructor' || k === 'prototype') throw bad('Invalid "map" path.');
        const next = target[k];
        if (typeof next !== 'object' || next === null) throw bad('A "map" path does not exist in the variables.');
        target = next as Record<string, unknown>;
      }
      const last = keys[keys.length - 1]!;
      if (last === '__proto__' || last === 'constructor' || last === 'prototype') throw bad('Invalid "map" path.');
      if (!(last in target) || (target[last] !== null && target[last] !== undefined)) throw bad('A "map" path must point at a null variable value.');
      target[last] = upload;
    }
  }
}

export const isFileUpload = (v: unknown): v is FileUpload => v instanceof FileUpload;
