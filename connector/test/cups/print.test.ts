import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startTestConnector, APP_ORIGIN, APP_LABEL, type TestConnector } from '../helpers/test-connector.js';
import { writeFileTypes } from '../../src/files/file-types.js';
import { multipart } from '../files/file-client.js';
import { cupsPdfOutputDir, tinyPdf, waitForPdf } from './cups-pdf.js';

const OTHER_ORIGIN = 'https://other.example.net';
const OTHER_LABEL = 'other-app';
const PRINT = 'mutation P($i: PrintInput!) { print(input: $i) { id printer state } }';
const JOB = 'query J($id: ID!) { printJob(id: $id) { id printer state } }';

let t: TestConnector;
let folder: string;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'cardlink-print-'));
  t = await startTestConnector({
    origins: [
      { origin: APP_ORIGIN, label: APP_LABEL },
      { origin: OTHER_ORIGIN, label: OTHER_LABEL },
    ],
  });
  writeFileTypes(t.dataDir, [{ name: 'letters', folder, labels: [APP_LABEL], maxSize: 1024 * 1024 }]);
});
afterAll(() => t?.close());

/** Poll printJob until it reaches a final state. */
async function finalState(id: string, headers: Record<string, string> = {}): Promise<string> {
  const deadline = Date.now() + 45_000;
  for (;;) {
    const r = await t.query(JOB, { id }, headers);
    expect(r.json.errors).toBeUndefined();
    const state = r.json.data.printJob.state as string;
    if (['COMPLETED', 'CANCELED', 'ABORTED'].includes(state)) return state;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${state}`);
    await new Promise((res) => setTimeout(res, 200));
  }
}

function printPageFile(input: Record<string, unknown>, file: { filename: string; content: Buffer }, headers: Record<string, string> = {}) {
  return multipart(t.port, t.ca, {
    operations: { query: PRINT, variables: { i: { ...input, file: null } } },
    map: { '0': ['variables.i.file'] },
    files: [{ field: '0', filename: file.filename, content: file.content, contentType: 'application/pdf' }],
    headers: { origin: APP_ORIGIN, 'graphql-require-preflight': '1', ...headers },
  });
}

describe('printing through CUPS and cups-pdf', () => {
  it('lists the printers, including PDF', async () => {
    const r = await t.query('{ printers { name description isDefault state } }');
    expect(r.json.errors).toBeUndefined();
    const pdf = r.json.data.printers.find((p: { name: string }) => p.name === 'PDF');
    expect(pdf).toBeDefined();
    expect(['idle', 'processing', 'stopped']).toContain(pdf.state);
    expect(typeof pdf.isDefault).toBe('boolean');
  });

  it('prints a mapped file: job id, COMPLETED, and a PDF in the cups-pdf folder', async () => {
    const token = `cardlinkmapped${randomBytes(4).toString('hex')}`;
    writeFileSync(join(folder, 'letter.txt'), `Dear user,\nthis is ${token}.\n`);
    const r = await t.query(PRINT, { i: { printer: 'PDF', type: 'letters', name: 'letter.txt', title: token } }, { 't1c-tag': 'print-test' });
    expect(r.json.errors).toBeUndefined();
    expect(r.json.data.print.id).toMatch(/^PDF-\d+$/);
    expect(r.json.data.print.printer).toBe('PDF');
    expect(await finalState(r.json.data.print.id)).toBe('COMPLETED');
    const pdf = await waitForPdf(token);
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    console.log(`mapped file printed as job ${r.json.data.print.id} -> ${pdf}`);
  });

  it('prints a file sent by the page (multipart): job id, COMPLETED, PDF in the folder', async () => {
    const token = `cardlinkpage${randomBytes(4).toString('hex')}`;
    const r = await printPageFile({ printer: 'PDF', title: token }, { filename: 'from-page.pdf', content: tinyPdf(`Printed from the page ${token}`) }, { 't1c-tag': 'print-test' });
    expect(r.json.errors).toBeUndefined();
    expect(r.json.data.print.id).toMatch(/^PDF-\d+$/);
    expect(await finalState(r.json.data.print.id)).toBe('COMPLETED');
    const pdf = await waitForPdf(token);
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    // The page's document was only spooled until lp had it.
    expect(readdirSync(join(t.dataDir, 'print-spool'))).toEqual([]);
  });

  it('unknown printer → PRINTER_NOT_FOUND, for a mapped file and for a page file', async () => {
    writeFileSync(join(folder, 'x.txt'), 'x');
    const mapped = await t.query(PRINT, { i: { printer: 'NoSuchPrinter', type: 'letters', name: 'x.txt' } });
    expect(mapped.json.errors[0].extensions.code).toBe('PRINTER_NOT_FOUND');
    const page = await printPageFile({ printer: 'NoSuchPrinter' }, { filename: 'x.pdf', content: tinyPdf('x') });
    expect(page.json.errors[0].extensions.code).toBe('PRINTER_NOT_FOUND');
    const weird = await t.query(PRINT, { i: { printer: '-o evil', type: 'letters', name: 'x.txt' } });
    expect(weird.json.errors[0].extensions.code).toBe('PRINTER_NOT_FOUND');
  });

  it('checks the input: exactly one source, mapped files through the same path rules and labels', async () => {
    const none = await t.query(PRINT, { i: { printer: 'PDF' } });
    expect(none.json.errors[0].extensions.code).toBe('INVALID_INPUT');
    const escape = await t.query(PRINT, { i: { printer: 'PDF', type: 'letters', name: 'x.txt', subfolder: '../..' } });
    expect(escape.json.errors[0].extensions.code).toBe('PATH_NOT_ALLOWED');
    const other = await t.query(PRINT, { i: { printer: 'PDF', type: 'letters', name: 'x.txt' } }, { origin: OTHER_ORIGIN });
    expect(other.json.errors[0].extensions.code).toBe('FILE_TYPE_NOT_FOUND');
    const missing = await t.query(PRINT, { i: { printer: 'PDF', type: 'letters', name: 'missing.txt' } });
    expect(missing.json.errors[0].extensions.code).toBe('FILE_NOT_FOUND');
  });

  it('printJob answers only for jobs the same application started', async () => {
    writeFileSync(join(folder, 'mine.txt'), 'mine');
    const r = await t.query(PRINT, { i: { printer: 'PDF', type: 'letters', name: 'mine.txt', title: `cardlinkmine${randomBytes(3).toString('hex')}` } });
    const id = r.json.data.print.id;
    const other = await t.query(JOB, { id }, { origin: OTHER_ORIGIN });
    expect(other.json.data.printJob).toBeNull();
    const unknown = await t.query(JOB, { id: 'PDF-999999' });
    expect(unknown.json.data.printJob).toBeNull();
    expect(await finalState(id)).toBe('COMPLETED');
  });

  it('records FILE_PRINT with label and tag, and no file name or title in the DB', async () => {
    const db = new Database(join(t.dataDir, 'connector.db'), { readonly: true });
    try {
      const rows = db.prepare("SELECT use_case, module, result, label, tag FROM transactions WHERE tag = 'print-test' ORDER BY seq").all();
      expect(rows).toEqual([
        { use_case: 'FILE_PRINT', module: 'cups', result: 'OK', label: APP_LABEL, tag: 'print-test' },
        { use_case: 'FILE_PRINT', module: 'cups', result: 'OK', label: APP_LABEL, tag: 'print-test' },
      ]);
      const dump = JSON.stringify(db.prepare('SELECT * FROM transactions').all());
      expect(dump).not.toContain('letter.txt');
      expect(dump).not.toContain('cardlinkmapped');
      expect(dump).not.toContain('from-page.pdf');
    } finally {
      db.close();
    }
    t.c.log.flush();
    expect(t.logs()).not.toContain('letter.txt');
    expect(t.logs()).not.toContain(folder);
  });

  it('the cups-pdf folder is the one services.sh configured', () => {
    expect(cupsPdfOutputDir()).toMatch(/^\/var\/spool\/cups-pdf\//);
  });
});
