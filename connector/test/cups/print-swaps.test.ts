import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, realpathSync, renameSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { startTestConnector, APP_LABEL, APP_ORIGIN, type TestConnector } from '../helpers/test-connector.js';
import { writeFileTypes } from '../../src/files/file-types.js';
import { ConnectorError } from '../../src/errors.js';
import { OP, TAG, encodeRequest, findCupsServer, ippRequest, operationAttributes } from '../../src/printing/ipp.js';
import { cupsPdfOutputDir, tinyPdf, waitForPdf } from './cups-pdf.js';
import { multipart } from '../files/file-client.js';

// Printing a mapped file that is swapped on disk after it was checked: CUPS gets the bytes of
// the descriptor the connector opened and checked, so a link, a FIFO or another file swapped
// in is refused and nothing reaches the printer.

const PRINT = 'mutation P($i: PrintInput!) { print(input: $i) { id printer state } }';

let t: TestConnector;
let folder: string;

beforeAll(async () => {
  folder = realpathSync(mkdtempSync(join(tmpdir(), 'cardlink-print-swaps-')));
  t = await startTestConnector();
  writeFileTypes(t.dataDir, [{ name: 'letters', folder, labels: [APP_LABEL], maxSize: 1024 * 1024 }]);
});
afterAll(() => t?.close());

/** The highest job id CUPS has given (finished jobs included; job names are private in CUPS). */
async function lastJobId(): Promise<number> {
  const res = await ippRequest(
    findCupsServer(),
    encodeRequest(
      OP.GET_JOBS,
      1,
      operationAttributes([
        { tag: TAG.URI, name: 'printer-uri', values: ['ipp://localhost/'] },
        { tag: TAG.NAME, name: 'requesting-user-name', values: [userInfo().username] },
        { tag: TAG.KEYWORD, name: 'which-jobs', values: ['all'] },
        { tag: TAG.KEYWORD, name: 'requested-attributes', values: ['job-id'] },
      ]),
    ),
  );
  expect(res.status).toBeLessThan(0x0100);
  return Math.max(0, ...res.groups.filter((g) => g.tag === TAG.JOB).map((g) => Number(g.attributes.get('job-id')?.[0] ?? 0)));
}

const pdfsNamed = (token: string) => (existsSync(cupsPdfOutputDir()) ? readdirSync(cupsPdfOutputDir()).filter((n) => n.includes(token)) : []);

async function refusal(p: Promise<unknown>): Promise<ConnectorError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ConnectorError);
    return e as ConnectorError;
  }
  throw new Error('expected a refusal');
}

/**
 * Proves that nothing reached CUPS since `before` (the last job id then): a good job printed
 * now gets the very next id (CUPS numbers jobs in order; the CUPS tests run alone), and once
 * its PDF is there, a job queued before it would have been printed too.
 */
async function expectNoJobSince(before: number): Promise<void> {
  const token = `cardlinkcontrol${randomBytes(4).toString('hex')}`;
  writeFileSync(join(folder, 'control.txt'), `control ${token}\n`);
  const r = await t.query(PRINT, { i: { printer: 'PDF', type: 'letters', name: 'control.txt', title: token } });
  expect(r.json.errors).toBeUndefined();
  expect(r.json.data.print.id).toBe(`PDF-${before + 1}`);
  expect(await lastJobId()).toBe(before + 1);
  await waitForPdf(token);
}

describe('print of a mapped file swapped after its check', () => {
  it('for a link to /etc/passwd: PATH_NOT_ALLOWED, no job in CUPS, no PDF', async () => {
    const token = `cardlinkswap${randomBytes(4).toString('hex')}`;
    const before = await lastJobId();
    writeFileSync(join(folder, 'swap.txt'), 'to print');
    const { service } = t.c.services.files;
    const checked = await service.resolveFile(APP_LABEL, 'letters', 'swap.txt', null);
    symlinkSync('/etc/passwd', join(folder, '.swap'));
    renameSync(join(folder, '.swap'), join(folder, 'swap.txt'));
    const e = await refusal(t.c.services.printing.printFile(APP_LABEL, 'PDF', checked, token));
    expect(e.code).toBe('PATH_NOT_ALLOWED');
    // The same through GraphQL, with the link already in place.
    const r = await t.query(PRINT, { i: { printer: 'PDF', type: 'letters', name: 'swap.txt', title: token } });
    expect(r.json.errors[0].extensions.code).toBe('PATH_NOT_ALLOWED');
    await expectNoJobSince(before);
    expect(pdfsNamed(token)).toEqual([]);
  });

  it('for a link in place of its folder: PATH_NOT_ALLOWED, nothing printed', async () => {
    const token = `cardlinkdir${randomBytes(4).toString('hex')}`;
    const before = await lastJobId();
    execFileSync('mkdir', ['-p', join(folder, 'sub'), join(folder, '..', `${token}-out`)]);
    writeFileSync(join(folder, 'sub', 'a.txt'), 'inside');
    writeFileSync(join(folder, '..', `${token}-out`, 'a.txt'), 'outside');
    const checked = await t.c.services.files.service.resolveFile(APP_LABEL, 'letters', 'a.txt', 'sub');
    renameSync(join(folder, 'sub'), join(folder, 'sub-away'));
    symlinkSync(join(folder, '..', `${token}-out`), join(folder, 'sub'));
    const e = await refusal(t.c.services.printing.printFile(APP_LABEL, 'PDF', checked, token));
    expect(e.code).toBe('PATH_NOT_ALLOWED');
    await expectNoJobSince(before);
  });

  it('for another file: refused as replaced, nothing printed', async () => {
    const token = `cardlinkrepl${randomBytes(4).toString('hex')}`;
    const before = await lastJobId();
    writeFileSync(join(folder, 'repl.txt'), 'first');
    const checked = await t.c.services.files.service.resolveFile(APP_LABEL, 'letters', 'repl.txt', null);
    writeFileSync(join(folder, '.new'), 'second');
    renameSync(join(folder, '.new'), join(folder, 'repl.txt'));
    const e = await refusal(t.c.services.printing.printFile(APP_LABEL, 'PDF', checked, token));
    expect(e.code).toBe('FILE_NOT_FOUND');
    expect(e.extensions.replaced).toBe(true);
    await expectNoJobSince(before);
  });

  it('for a FIFO: a typed error at once (no writer ever comes), nothing printed', async () => {
    const token = `cardlinkfifo${randomBytes(4).toString('hex')}`;
    const before = await lastJobId();
    writeFileSync(join(folder, 'pipe.txt'), 'x');
    const checked = await t.c.services.files.service.resolveFile(APP_LABEL, 'letters', 'pipe.txt', null);
    unlinkSync(join(folder, 'pipe.txt'));
    execFileSync('mkfifo', [join(folder, 'pipe.txt')]);
    try {
      const t0 = Date.now();
      const e = await refusal(t.c.services.printing.printFile(APP_LABEL, 'PDF', checked, token));
      expect(e.code).toBe('FILE_NOT_FOUND');
      const r = await t.query(PRINT, { i: { printer: 'PDF', type: 'letters', name: 'pipe.txt', title: token } });
      expect(r.json.errors[0].extensions.code).toBe('FILE_NOT_FOUND');
      expect(Date.now() - t0).toBeLessThan(5000);
    } finally {
      unlinkSync(join(folder, 'pipe.txt'));
    }
    await expectNoJobSince(before);
  });
});

describe('print of a document sent by the page', () => {
  it('a client that goes away midway: nothing printed, nothing left in the spool folder', async () => {
    const token = `cardlinkaborted${randomBytes(4).toString('hex')}`;
    const before = await lastJobId();
    const pdf = tinyPdf(token);
    let go!: (v: boolean) => void;
    const gate = new Promise<boolean>((r) => (go = r));
    async function* chunks() {
      yield pdf.subarray(0, 100);
      if (!(await gate)) throw new Error('client went away');
      yield pdf.subarray(100);
    }
    const reply = multipart(t.port, t.ca, {
      operations: { query: PRINT, variables: { i: { printer: 'PDF', title: token, file: null } } },
      map: { '0': ['variables.i.file'] },
      files: [{ field: '0', filename: 'a.pdf', content: { chunks: chunks(), size: pdf.length }, contentType: 'application/pdf' }],
      headers: { origin: APP_ORIGIN, 'graphql-require-preflight': '1' },
    }).catch(() => null);
    const spool = join(t.dataDir, 'print-spool');
    // The spool folder exists once the connector has started on the document; its file has no name.
    const deadline = Date.now() + 5000;
    while (!existsSync(spool) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(readdirSync(spool)).toEqual([]);
    go(false);
    await reply;
    await expectNoJobSince(before);
    expect(readdirSync(spool)).toEqual([]);
  });
});
