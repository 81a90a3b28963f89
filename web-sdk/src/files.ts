// File exchange and printing. Directions are named from the device's side: a download stores
// a file from the page on the user's disk, an upload reads a file from disk for the page.
import {
  DownloadDocument,
  FilesDocument,
  FileTypesDocument,
  PrintDocument,
  PrintersDocument,
  PrintJobDocument,
  UploadDocument,
  type TypedDocumentString,
} from './generated/graphql.js';
import { ConnectorError, errorFromBody, fromFetchFailure } from './errors.js';
import type { FileEntry, FileTransfer, FileType, Printer, PrintJob } from './types.js';

export interface SubfolderOption {
  /** A folder inside the type's folder, `/`-separated (e.g. `2026/03`). */
  subfolder?: string;
}

export interface DownloadOptions extends SubfolderOption {
  /** The name to store under (default: the File's name; required for a plain Blob). */
  name?: string;
  /** Replace an existing file (default: refuse with FILE_EXISTS). */
  overwrite?: boolean;
}

/** What `print()` prints: a file in a mapped folder, or a file from the page. */
export type PrintRequest = {
  /** A printer's `name` from `printers()`. */
  printer: string;
  /** The job's title in the print queue (default: the file's name). */
  title?: string;
} & (
  | { type: string; name: string; subfolder?: string; file?: never }
  | { file: Blob; type?: never; name?: never; subfolder?: never }
);

/** Files in the folders mapped on the user's machine (`connector files map`). */
export interface Files {
  /** The file types (named folders) this page's application may use. */
  types(): Promise<FileType[]>;
  /** A type's folder (or a sub-folder of it): names, sizes, dates; not recursive. */
  list(type: string, opts?: SubfolderOption): Promise<FileEntry[]>;
  /**
   * Store a file from the page on the user's disk (sent as a GraphQL multipart request,
   * streamed by the connector). FILE_EXISTS unless `overwrite`, FILE_TOO_LARGE past the
   * type's `maxSize`, PATH_NOT_ALLOWED for a name or sub-folder that would leave the folder.
   */
  download(type: string, file: Blob, opts?: DownloadOptions): Promise<FileEntry>;
  /** Read a file from the user's disk: its bytes, fetched once from a one-time URL. */
  upload(type: string, name: string, opts?: SubfolderOption): Promise<Blob>;
  /** Like `upload()`, for large files: the bytes as a stream, as they arrive. */
  uploadStream(type: string, name: string, opts?: SubfolderOption): Promise<{ stream: ReadableStream<Uint8Array>; size: number }>;
  /**
   * Only the one-time URL: one GET from this page (same origin, `credentials: 'omit'`)
   * within `expiresAt` (60 s) returns the bytes.
   */
  uploadUrl(type: string, name: string, opts?: SubfolderOption): Promise<FileTransfer>;
}

/** What the connector's client gives the file calls. */
export interface FilesContext {
  baseUrl: string;
  query<R, V extends Record<string, unknown>>(doc: TypedDocumentString<R, V>, vars: V): Promise<R>;
  /** A mutation; with `withFile` sent as multipart with `GraphQL-Require-Preflight: 1`. */
  mutate<R, V extends Record<string, unknown>>(doc: TypedDocumentString<R, V>, vars: V, withFile?: boolean): Promise<R>;
  fetch: typeof fetch;
  headers(): Record<string, string>;
  probe(): Promise<boolean>;
}

const invalid = (message: string) => new ConnectorError('INVALID_INPUT', message);

function text(v: unknown, what: string): string {
  if (typeof v !== 'string' || v === '') throw invalid(`${what} must be a non-empty string.`);
  return v;
}

function blob(v: unknown): Blob {
  if (typeof Blob === 'undefined' || !(v instanceof Blob)) throw invalid('file must be a Blob or a File.');
  return v;
}

const originOf = (u: string): string | undefined => {
  try {
    return new URL(u).origin;
  } catch {
    return undefined;
  }
};

const opt = (v: unknown, what: string): string | null => (v === undefined || v === null ? null : text(v, what));

/** A body over the label's overall limit (413 before the file is read) is a file too large, too. */
const tooLarge = (e: unknown): unknown =>
  e instanceof ConnectorError && e.code === 'BODY_TOO_LARGE'
    ? new ConnectorError('FILE_TOO_LARGE', 'The file is larger than the connector accepts.', { status: e.status, details: e.details, cause: e })
    : e;

export function createFiles(c: FilesContext): Files {
  const transfer = async (type: string, name: string, opts: SubfolderOption = {}): Promise<FileTransfer> => {
    const input = { type: text(type, 'type'), name: text(name, 'name'), subfolder: opt(opts.subfolder, 'subfolder') };
    const t = (await c.mutate(UploadDocument, { input })).upload;
    // Only ever fetch from the connector itself.
    const origin = originOf(t.url);
    if (!origin || origin !== originOf(c.baseUrl)) throw new ConnectorError('INVALID_RESPONSE', 'The connector gave a file URL on another origin.');
    return t;
  };

  const open = async (type: string, name: string, opts?: SubfolderOption): Promise<[Response, FileTransfer]> => {
    const t = await transfer(type, name, opts);
    let res: Response;
    try {
      res = await c.fetch(t.url, { headers: c.headers(), credentials: 'omit', cache: 'no-store' });
    } catch (e) {
      throw await fromFetchFailure(e, c.baseUrl, c.probe);
    }
    if (!res.ok) throw await errorFromBody(res);
    return [res, t];
  };

  return {
    types: async () => (await c.query(FileTypesDocument, {})).fileTypes,
    list: async (type, opts = {}) => (await c.query(FilesDocument, { type: text(type, 'type'), subfolder: opt(opts.subfolder, 'subfolder') })).files,
    async download(type, file, opts = {}) {
      const f = blob(file);
      const input = {
        type: text(type, 'type'),
        file: f,
        // A File's own name goes along as the part's file name; a Blob has none.
        name: opts.name !== undefined || typeof (f as File).name !== 'string' ? text(opts.name, 'name (required for a Blob that is not a File)') : null,
        subfolder: opt(opts.subfolder, 'subfolder'),
        overwrite: opts.overwrite === true,
      };
      try {
        return (await c.mutate(DownloadDocument, { input }, true)).download;
      } catch (e) {
        throw tooLarge(e);
      }
    },
    async upload(type, name, opts) {
      const [res] = await open(type, name, opts);
      try {
        return await res.blob();
      } catch (e) {
        throw new ConnectorError('NETWORK', 'The connection broke while the file was read.', { status: res.status, cause: e });
      }
    },
    async uploadStream(type, name, opts) {
      const [res, t] = await open(type, name, opts);
      const length = Number(res.headers.get('content-length') ?? NaN);
      return { stream: res.body ?? new Blob().stream(), size: Number.isFinite(length) ? length : t.size };
    },
    uploadUrl: transfer,
  };
}

/** Printing: the printers of the local print system (CUPS), jobs and their states. */
export interface Printing {
  printers(): Promise<Printer[]>;
  /** Print a mapped file (`type` + `name`) or a file from the page (`file`). Returns the job. */
  print(req: PrintRequest): Promise<PrintJob>;
  /** A job this application started (null for any other id). Poll until a final state. */
  printJob(id: string): Promise<PrintJob | null>;
}

export function createPrinting(c: FilesContext): Printing {
  return {
    printers: async () => (await c.query(PrintersDocument, {})).printers,
    async print(req) {
      const file = req?.file === undefined ? null : blob(req.file);
      if ((file !== null) === (req?.type !== undefined || req?.name !== undefined)) throw invalid('Give either type and name (a mapped file) or file (a file from the page).');
      const input = {
        printer: text(req.printer, 'printer'),
        type: file ? null : text(req.type, 'type'),
        name: file ? null : text(req.name, 'name'),
        subfolder: file ? null : opt(req.subfolder, 'subfolder'),
        file,
        title: opt(req.title, 'title'),
      };
      try {
        return (await c.mutate(PrintDocument, { input }, file !== null)).print;
      } catch (e) {
        throw tooLarge(e);
      }
    },
    printJob: async (id) => (await c.query(PrintJobDocument, { id: text(id, 'id') })).printJob,
  };
}
