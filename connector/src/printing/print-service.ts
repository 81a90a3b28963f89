import { mkdir, open, unlink, type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ConnectorError } from '../errors.js';
import { CREATE_RW_FLAGS } from '../fs/descriptor.js';
import { sizeLimit, type CheckedFile } from '../files/file-service.js';
import { fsError } from '../files/safe-path.js';
import { holdErrors, writeAll } from '../files/write-file.js';
import {
  DocumentLengthError,
  IPP_SUCCESS_LIMIT,
  OP,
  TAG,
  encodeRequest,
  findCupsServer,
  ippRequest,
  operationAttributes,
  type CupsServer,
  type IppAttribute,
  type IppDocument,
  type IppResponse,
} from './ipp.js';

export interface PrinterValue {
  name: string;
  description: string | null;
  isDefault: boolean;
  state: string;
}

export type PrintJobStateValue = 'PENDING' | 'HELD' | 'PROCESSING' | 'STOPPED' | 'CANCELED' | 'ABORTED' | 'COMPLETED' | 'UNKNOWN';

export interface PrintJobValue {
  id: string;
  printer: string;
  state: PrintJobStateValue;
}

/** IPP job-state enum (RFC 8011 5.3.7) → the schema's PrintJobState. */
const JOB_STATES: Record<number, PrintJobStateValue> = {
  3: 'PENDING',
  4: 'HELD',
  5: 'PROCESSING',
  6: 'STOPPED',
  7: 'CANCELED',
  8: 'ABORTED',
  9: 'COMPLETED',
};
const PRINTER_STATES: Record<number, string> = { 3: 'idle', 4: 'processing', 5: 'stopped' };

export const DEFAULT_PRINT_MAX_BYTES = 64 * 1024 * 1024;
const MAX_JOBS_REMEMBERED = 1000;

export interface PrintServiceOptions {
  /** Folder for documents sent by pages: each is unlinked as soon as it is spooled, and printed from its descriptor. */
  spoolDir: string;
  /** Largest document a page may send for printing. */
  maxBytes?: number;
  server?: CupsServer;
  /** requesting-user-name of the jobs (default: the user the connector runs as, as `lp` would send). */
  userName?: string;
}

/** How long CUPS may stay silent while a job is sent (a large document over a local socket). */
const PRINT_JOB_TIMEOUT_MS = 60_000;

const unavailable = () => new ConnectorError('PRINT_FAILED', 'The print system (CUPS) is not reachable.');

/**
 * Printing through the local CUPS over IPP: printers, job states, and Print-Job with the
 * document's bytes read from a descriptor the connector opened and checked (CUPS never gets
 * a path to open). A page can ask only about jobs it started itself.
 */
export class PrintService {
  readonly maxBytes: number;
  private readonly server: CupsServer;
  private readonly jobs = new Map<string, { printer: string; label: string; number: number }>();
  private readonly userName: string;
  private requestId = 1;

  constructor(private readonly opts: PrintServiceOptions) {
    this.maxBytes = opts.maxBytes ?? DEFAULT_PRINT_MAX_BYTES;
    this.server = opts.server ?? findCupsServer();
    this.userName = opts.userName ?? userInfo().username;
  }

  private async ipp(operation: number, extra: IppAttribute[], opts: Parameters<typeof ippRequest>[2] = {}): Promise<IppResponse> {
    let res: IppResponse;
    try {
      res = await ippRequest(this.server, encodeRequest(operation, this.requestId++ & 0x7fffffff, operationAttributes(extra)), opts);
    } catch (e) {
      if (e instanceof DocumentLengthError) throw new ConnectorError('PRINT_FAILED', 'The file changed size while it was sent to the printer; nothing was printed.');
      throw unavailable();
    }
    return res;
  }

  async printers(): Promise<PrinterValue[]> {
    const [list, def] = await Promise.all([
      this.ipp(OP.CUPS_GET_PRINTERS, [
        { tag: TAG.KEYWORD, name: 'requested-attributes', values: ['printer-name', 'printer-info', 'printer-state', 'printer-type'] },
      ]),
      this.ipp(OP.CUPS_GET_DEFAULT, [{ tag: TAG.KEYWORD, name: 'requested-attributes', values: ['printer-name'] }]),
    ]);
    // 0x0406 (not found) from CUPS-Get-Printers / -Default means "none".
    if (list.status >= 0x0400 && list.status !== 0x0406) throw unavailable();
    const defaultName = def.status < 0x0400 ? def.groups.find((g) => g.tag === TAG.PRINTER)?.attributes.get('printer-name')?.[0] : undefined;
    return list.groups
      .filter((g) => g.tag === TAG.PRINTER)
      .map((g) => {
        const name = String(g.attributes.get('printer-name')?.[0] ?? '');
        const info = g.attributes.get('printer-info')?.[0];
        const state = g.attributes.get('printer-state')?.[0];
        return {
          name,
          description: typeof info === 'string' && info.length > 0 ? info : null,
          isDefault: name === defaultName,
          state: typeof state === 'number' ? (PRINTER_STATES[state] ?? 'unknown') : 'unknown',
        };
      })
      .filter((p) => p.name.length > 0)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** PRINTER_NOT_FOUND unless CUPS knows this printer. */
  async requirePrinter(printer: string): Promise<void> {
    const known = await this.printers();
    if (!known.some((p) => p.name === printer)) throw new ConnectorError('PRINTER_NOT_FOUND', 'No printer with this name.');
  }

  /**
   * Print a mapped file, checked by the file service: opened (again checked) only once the
   * printer is known, and sent to CUPS from that descriptor.
   */
  async printFile(label: string, printer: string, file: Pick<CheckedFile, 'open'>, title: string): Promise<PrintJobValue> {
    await this.requirePrinter(printer);
    const opened = await file.open();
    try {
      return await this.submit(label, printer, cleanTitle(title), opened.handle, opened.stats.size);
    } finally {
      await opened.close();
    }
  }

  /**
   * Print a document the page sent: spooled to a private temp file (bounded in size, so CUPS
   * never sees a partial job), whose name is removed at once; printed from its descriptor.
   */
  async printStream(
    label: string,
    printer: string,
    document: () => Promise<{ stream: Readable; filename: string }>,
    title: string | null | undefined,
  ): Promise<PrintJobValue> {
    // The printer is checked before a byte of the document is read.
    await this.requirePrinter(printer);
    const { stream, filename } = await document();
    holdErrors(stream);
    const tmp = join(this.opts.spoolDir, `${randomBytes(8).toString('hex')}.print`);
    let spool: FileHandle | undefined;
    try {
      try {
        await mkdir(this.opts.spoolDir, { recursive: true, mode: 0o700 });
        spool = await open(tmp, CREATE_RW_FLAGS, 0o600);
      } catch (e) {
        throw fsError(e);
      } finally {
        // The name goes at once: the bytes live only behind this descriptor.
        await unlink(tmp).catch(() => {});
      }
      await writeAll(
        stream,
        sizeLimit(this.maxBytes, () => new ConnectorError('FILE_TOO_LARGE', `The document is larger than this connector prints (${this.maxBytes} bytes).`, { maxSize: this.maxBytes })),
        spool,
      );
      const size = (await spool.stat()).size;
      return await this.submit(label, printer, cleanTitle(title ?? filename), spool, size);
    } catch (e) {
      if (e instanceof ConnectorError) throw e;
      throw new ConnectorError('PRINT_FAILED', 'The document could not be spooled for printing.');
    } finally {
      await spool?.close().catch(() => {});
    }
  }

  /** IPP Print-Job: the attributes, then `size` bytes read from `handle`. */
  private async submit(label: string, printer: string, title: string, handle: FileHandle, size: number): Promise<PrintJobValue> {
    const printerPath = `/printers/${encodeURIComponent(printer)}`;
    // The read stream closes the descriptor at its end (the caller's close then does nothing).
    const document: IppDocument = {
      stream: size > 0 ? handle.createReadStream({ start: 0, end: size - 1, highWaterMark: 64 * 1024 }) : Readable.from([]),
      size,
    };
    const res = await this.ipp(
      OP.PRINT_JOB,
      [
        { tag: TAG.URI, name: 'printer-uri', values: [`ipp://localhost${printerPath}`] },
        { tag: TAG.NAME, name: 'requesting-user-name', values: [this.userName] },
        { tag: TAG.NAME, name: 'job-name', values: [title] },
        // CUPS types the document itself (as for `lp` without -o document-format).
        { tag: TAG.MIME_MEDIA_TYPE, name: 'document-format', values: ['application/octet-stream'] },
      ],
      { path: printerPath, timeoutMs: PRINT_JOB_TIMEOUT_MS, document },
    );
    const number = res.groups.find((g) => g.tag === TAG.JOB)?.attributes.get('job-id')?.[0];
    if (res.status >= IPP_SUCCESS_LIMIT || typeof number !== 'number') {
      // CUPS's status message may name the document: never passed on or logged.
      throw new ConnectorError('PRINT_FAILED', 'The print system refused the job.', { ippStatus: res.status });
    }
    const id = `${printer}-${number}`;
    this.remember(id, { printer, label, number });
    return { id, printer, state: await this.stateOf(number) };
  }

  /** State of a job this label started; null for any other id. */
  async job(label: string, id: string): Promise<PrintJobValue | null> {
    const j = this.jobs.get(id);
    if (!j || j.label !== label) return null;
    return { id, printer: j.printer, state: await this.stateOf(j.number) };
  }

  private remember(id: string, j: { printer: string; label: string; number: number }) {
    if (this.jobs.size >= MAX_JOBS_REMEMBERED) {
      const oldest = this.jobs.keys().next().value;
      if (oldest !== undefined) this.jobs.delete(oldest);
    }
    this.jobs.set(id, j);
  }

  private async stateOf(jobNumber: number): Promise<PrintJobStateValue> {
    const res = await this.ipp(OP.GET_JOB_ATTRIBUTES, [
      { tag: TAG.URI, name: 'job-uri', values: [`ipp://localhost/jobs/${jobNumber}`] },
      { tag: TAG.KEYWORD, name: 'requested-attributes', values: ['job-state'] },
    ]);
    if (res.status >= 0x0400) return 'UNKNOWN';
    const state = res.groups.find((g) => g.tag === TAG.JOB)?.attributes.get('job-state')?.[0];
    return typeof state === 'number' ? (JOB_STATES[state] ?? 'UNKNOWN') : 'UNKNOWN';
  }
}

/** Job titles: no control characters, at most 255 characters, never empty. */
export function cleanTitle(title: string | null | undefined): string {
  // eslint-disable-next-line no-control-regex
  const t = (title ?? '').replace(/[\u0000-\u001f\u007f]/g, ' ').trim().slice(0, 255);
  return t.length > 0 ? t : 'Document';
}
