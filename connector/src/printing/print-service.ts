import { execFile } from 'node:child_process';
import { mkdir, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { ConnectorError } from '../errors.js';
import { sizeLimit } from '../files/file-service.js';
import { streamToNewFile } from '../files/write-file.js';
import { OP, TAG, encodeRequest, findCupsServer, ippRequest, operationAttributes, type CupsServer, type IppResponse } from './ipp.js';

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
  /** Folder for documents sent by pages, kept only until `lp` has handed them to CUPS. */
  spoolDir: string;
  /** Largest document a page may send for printing. */
  maxBytes?: number;
  server?: CupsServer;
  lpCommand?: string;
  /** Extra environment for `lp` (tests). */
  env?: NodeJS.ProcessEnv;
}

const unavailable = () => new ConnectorError('PRINT_FAILED', 'The print system (CUPS) is not reachable.');

/**
 * Printing through the local CUPS: printers and job states over IPP, submission with `lp`
 * (execFile, never a shell). A page can ask only about jobs it started itself.
 */
export class PrintService {
  readonly maxBytes: number;
  private readonly server: CupsServer;
  private readonly jobs = new Map<string, { printer: string; label: string; number: number }>();
  private requestId = 1;

  constructor(private readonly opts: PrintServiceOptions) {
    this.maxBytes = opts.maxBytes ?? DEFAULT_PRINT_MAX_BYTES;
    this.server = opts.server ?? findCupsServer();
  }

  private async ipp(operation: number, extra: Parameters<typeof operationAttributes>[0]): Promise<IppResponse> {
    let res: IppResponse;
    try {
      res = await ippRequest(this.server, encodeRequest(operation, this.requestId++ & 0x7fffffff, operationAttributes(extra)));
    } catch {
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

  /** Print a file already on disk (a mapped file, checked by the file service). */
  async printFile(label: string, printer: string, path: string, title: string): Promise<PrintJobValue> {
    await this.requirePrinter(printer);
    const { id, number } = await this.lp(printer, path, cleanTitle(title));
    this.remember(id, { printer, label, number });
    return { id, printer, state: await this.stateOf(number) };
  }

  /** Print a document the page sent: spooled to a private temp file until `lp` has it. */
  async printStream(
    label: string,
    printer: string,
    document: () => Promise<{ stream: Readable; filename: string }>,
    title: string | null | undefined,
  ): Promise<PrintJobValue> {
    // The printer is checked before a byte of the document is read.
    await this.requirePrinter(printer);
    const { stream, filename } = await document();
    await mkdir(this.opts.spoolDir, { recursive: true, mode: 0o700 });
    const tmp = join(this.opts.spoolDir, `${randomBytes(8).toString('hex')}.print`);
    try {
      await streamToNewFile(
        stream,
        sizeLimit(this.maxBytes, () => new ConnectorError('FILE_TOO_LARGE', `The document is larger than this connector prints (${this.maxBytes} bytes).`, { maxSize: this.maxBytes })),
        tmp,
        0o600,
      );
      const { id, number } = await this.lp(printer, tmp, cleanTitle(title ?? filename));
      this.remember(id, { printer, label, number });
      return { id, printer, state: await this.stateOf(number) };
    } catch (e) {
      if (e instanceof ConnectorError) throw e;
      throw new ConnectorError('PRINT_FAILED', 'The document could not be spooled for printing.');
    } finally {
      await unlink(tmp).catch(() => {});
    }
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

  /** `lp -d PRINTER -t TITLE FILE` → "request id is PRINTER-12 (1 file(s))". */
  private lp(printer: string, path: string, title: string): Promise<{ id: string; number: number }> {
    const args = ['-d', printer, '-t', title, path];
    return new Promise((resolve, reject) => {
      execFile(
        this.opts.lpCommand ?? 'lp',
        args,
        { env: { ...process.env, ...this.opts.env, LC_ALL: 'C', LANG: 'C' }, timeout: 60_000, maxBuffer: 64 * 1024 },
        (err, stdout) => {
          const m = /request id is (.+)-(\d+) \(/.exec(stdout ?? '');
          if (err || !m) {
            // lp's own message may name the file: never passed on or logged.
            const code = (err as { code?: unknown } | null)?.code;
            reject(new ConnectorError('PRINT_FAILED', 'The print system refused the job.', typeof code === 'number' ? { exitCode: code } : {}));
            return;
          }
          resolve({ id: `${m[1]}-${m[2]}`, number: Number(m[2]) });
        },
      );
    });
  }
}

/** Job titles: no control characters, at most 255 characters, never empty. */
export function cleanTitle(title: string | null | undefined): string {
  // eslint-disable-next-line no-control-regex
  const t = (title ?? '').replace(/[\u0000-\u001f\u007f]/g, ' ').trim().slice(0, 255);
  return t.length > 0 ? t : 'Document';
}
