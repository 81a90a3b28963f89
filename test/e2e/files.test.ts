// The demo's Files and Print pages in a real Chromium against a real connector over HTTPS
// (its CA trusted with `connector trust`), a real mapped folder and the real CUPS with the
// cups-pdf printer. Directions are named from the device's side: a download stores a file
// from the page on disk, an upload reads one from disk for the page. Screenshots go to
// artifacts/screenshots/.
import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { startTestConnector, type TestConnector } from '../../connector/test/helpers/test-connector.js';
import { tinyPdf, waitForPdf } from '../../connector/test/cups/cups-pdf.js';
import { writeFileTypes } from '../../connector/src/files/file-types.js';
import { launchTrustedChromium, type TrustedChromium } from './lib/browser.js';
import { connectorTrust, ensureDemoBuilt, DEMO_DIST, ROOT, SCREENSHOTS } from './lib/demo.js';
import { serveStatic, type StaticServer } from './lib/static-server.js';

const LABEL = 'demo';
const OTHER_LABEL = 'elsewhere';
const TYPE = 'documents';

let site: StaticServer;
let origin: string;
let otherOrigin: string;
let folder: string;
let t: TestConnector;
let chrome: TrustedChromium;
let context: BrowserContext;

const url = (page: string, pageOrigin = origin) => `${pageOrigin}/?connector=https://localhost:${t.port}#/${page}`;

async function open(page: string, pageOrigin = origin): Promise<Page> {
  const p = await context.newPage();
  await p.goto(url(page, pageOrigin));
  return p;
}

const shot = (p: Page, name: string) => p.screenshot({ path: join(SCREENSHOTS, name), fullPage: true });
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** The value next to a term in a definition list inside a test id. */
const term = async (p: Page, scope: string, name: string) => ((await p.getByTestId(scope).locator(`dt:text-is("${name}") + dd`).textContent()) ?? '').trim();

/** The Files page, once its type chooser and folder listing are there. */
async function openFiles(): Promise<Page> {
  const p = await open('files');
  await p.getByLabel('File type').waitFor();
  await p.locator('[data-testid=files-table], [data-testid=files-empty]').first().waitFor();
  return p;
}

/** Choose a file in the download form and send it; resolves when the page shows an outcome. */
async function downloadFrom(p: Page, file: { name: string; mimeType: string; buffer: Buffer }, opts: { subfolder?: string; overwrite?: boolean } = {}) {
  await p.getByLabel('File to store').setInputFiles(file);
  await p.getByLabel('Sub-folder (optional)').fill(opts.subfolder ?? '');
  await p.getByLabel('Replace a file with the same name').setChecked(opts.overwrite === true);
  await p.getByRole('button', { name: 'Download to this computer' }).click();
  await p.getByTestId('download').locator('[data-testid=verdict], .notice').first().waitFor();
}

beforeAll(async () => {
  ensureDemoBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  site = await serveStatic(DEMO_DIST);
  origin = `http://localhost:${site.port}`;
  otherOrigin = `http://127.0.0.1:${site.port}`; // the same files as another application
  folder = mkdtempSync(join(tmpdir(), 'cardlink-e2e-files-'));
  t = await startTestConnector({
    origins: [
      { origin, label: LABEL },
      { origin: otherOrigin, label: OTHER_LABEL },
    ],
    virtualCard: '1.7',
  });
  writeFileTypes(t.dataDir, [{ name: TYPE, folder, labels: [LABEL], maxSize: 8 * 1024 * 1024 }]);
  chrome = await launchTrustedChromium({
    trust: (home) => expect(connectorTrust(t.dataDir, home)).toMatch(/trusted in NSS database/),
  });
  context = await chrome.browser.newContext({ viewport: { width: 1200, height: 900 }, acceptDownloads: true });
});

afterAll(async () => {
  await context?.close();
  await chrome?.close();
  await t?.close();
  await site?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

describe('Files page: download (page → disk) and upload (disk → page)', () => {
  const text = Buffer.from('Meeting notes\nÇa marche — 漢字 ✓\n', 'utf8');
  // Every byte value, then random bytes: more than one multipart chunk.
  const binary = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(1_500_000)]);

  it('shows the type, says which way is which, and the empty folder', async () => {
    const p = await openFiles();
    expect(await p.getByLabel('File type').locator('option').allTextContents()).toEqual([`${TYPE} — files up to 8 MB`]);
    expect(await p.getByTestId('directions').textContent()).toBe(
      'Named from the device’s side: download = this page → this computer’s disk, upload = this computer’s disk → this page.',
    );
    expect(await p.getByTestId('folder').textContent()).toBe(`Folder: ${TYPE}`);
    await p.getByTestId('files-empty').waitFor();
    await p.close();
  });

  it('downloads a text file and a binary file (into a new sub-folder): the bytes on disk are identical', async () => {
    const p = await openFiles();
    await downloadFrom(p, { name: 'notes.txt', mimeType: 'text/plain', buffer: text });
    expect(await p.getByTestId('download').getByTestId('verdict').textContent()).toBe('✓ Stored on this computer');
    expect(await term(p, 'download-fields', 'Stored as')).toBe(`${TYPE}/notes.txt`);
    expect(await term(p, 'download-fields', 'Size')).toBe(`${text.length} bytes`);
    expect(await term(p, 'download-fields', 'SHA-256 of the file sent')).toBe(sha256(text));
    expect(readFileSync(join(folder, 'notes.txt')).equals(text)).toBe(true);

    await downloadFrom(p, { name: 'scan.bin', mimeType: 'application/octet-stream', buffer: binary }, { subfolder: '2026/03' });
    expect(await p.getByTestId('download').getByTestId('verdict').textContent()).toBe('✓ Stored on this computer');
    expect(await term(p, 'download-fields', 'Stored as')).toBe(`${TYPE}/2026/03/scan.bin`);
    expect(await term(p, 'download-fields', 'Size')).toBe(`1.4 MB (${binary.length} bytes)`);
    expect(await term(p, 'download-fields', 'SHA-256 of the file sent')).toBe(sha256(binary));
    const onDisk = readFileSync(join(folder, '2026/03/scan.bin'));
    expect(onDisk.length).toBe(binary.length);
    expect(onDisk.equals(binary)).toBe(true);

    // The listing follows: the new sub-folder first, then the file, with its size and date.
    const rows = p.getByTestId('files-table').locator('tbody tr');
    await expect.poll(() => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-name')))).toEqual(['2026', 'notes.txt']);
    const notes = p.locator('tr[data-name="notes.txt"] td');
    expect(await notes.nth(1).textContent()).toBe(`${text.length} bytes`);
    expect(await notes.nth(2).locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await p.locator('tr[data-name="2026"] td').first().textContent()).toBe('2026/');
    // Into the sub-folders and back.
    await p.getByRole('button', { name: 'Open the folder 2026' }).click();
    await p.getByRole('button', { name: 'Open the folder 03' }).click();
    await expect.poll(() => p.getByTestId('folder').textContent()).toBe(`Folder: ${TYPE}/2026/03 Up one folder`);
    expect(await p.locator('tr[data-name="scan.bin"] td').nth(1).textContent()).toBe('1.4 MB');
    await p.getByRole('button', { name: 'Up one folder' }).click();
    await p.getByRole('button', { name: 'Up one folder' }).click();
    await p.locator('tr[data-name="notes.txt"]').waitFor();
    await shot(p, 'demo-files.png');
    await p.close();
  });

  it('refuses a second download of the same name without "replace" (FILE_EXISTS state), replaces it with', async () => {
    const p = await openFiles();
    const other = Buffer.from('Other notes\n');
    await downloadFrom(p, { name: 'notes.txt', mimeType: 'text/plain', buffer: other });
    const refused = p.getByTestId('download').locator('[data-state=file-exists]');
    await refused.waitFor();
    expect(await refused.getAttribute('role')).toBe('alert');
    expect(await refused.locator('.notice-title').textContent()).toBe('A file with this name is already there');
    expect(await refused.textContent()).toContain('Tick "Replace a file with the same name"');
    expect(await refused.locator('.notice-code').textContent()).toBe('Error code: FILE_EXISTS');
    expect(readFileSync(join(folder, 'notes.txt')).equals(text)).toBe(true); // untouched
    await shot(p, 'demo-files-exists.png');

    await downloadFrom(p, { name: 'notes.txt', mimeType: 'text/plain', buffer: other }, { overwrite: true });
    expect(await p.getByTestId('download').getByTestId('verdict').textContent()).toBe('✓ Stored on this computer');
    expect(readFileSync(join(folder, 'notes.txt')).equals(other)).toBe(true);
    writeFileSync(join(folder, 'notes.txt'), text); // as it was, for the logs check below
    await p.close();
  });

  it('refuses names leaving the folder and files over the size limit, with their own states', async () => {
    const p = await openFiles();
    await downloadFrom(p, { name: 'x.txt', mimeType: 'text/plain', buffer: Buffer.from('x') }, { subfolder: '../outside' });
    const path = p.getByTestId('download').locator('[data-state=path-not-allowed]');
    await path.waitFor();
    expect(await path.locator('.notice-title').textContent()).toBe('This name or sub-folder is not allowed');

    await downloadFrom(p, { name: 'huge.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(8 * 1024 * 1024 + 1) });
    const big = p.getByTestId('download').locator('[data-state=file-too-large]');
    await big.waitFor();
    expect(await big.locator('.notice-title').textContent()).toBe('This file is too large');
    expect(await big.textContent()).toContain('up to 8 MB');
    expect(readFileSync(join(folder, 'notes.txt')).equals(text)).toBe(true);
    expect(() => readFileSync(join(folder, 'huge.bin'))).toThrow();
    await p.close();
  });

  it('uploads a file written on disk: the page shows its size and SHA-256, and "Save" gives the same bytes', async () => {
    const report = Buffer.concat([tinyPdf('Quarterly report'), randomBytes(200_000)]);
    writeFileSync(join(folder, 'report.pdf'), report);
    const p = await openFiles();
    await p.getByRole('button', { name: 'Upload report.pdf to this page' }).click();
    await p.getByTestId('upload').getByTestId('verdict').waitFor();
    expect(await p.getByTestId('upload').getByTestId('verdict').textContent()).toBe('✓ Read from this computer');
    expect(await term(p, 'upload-fields', 'File')).toBe(`${TYPE}/report.pdf`);
    expect(await term(p, 'upload-fields', 'Size')).toBe(`${Math.round(report.length / 1024)} KB (${report.length} bytes)`);
    expect(await term(p, 'upload-fields', 'SHA-256')).toBe(sha256(report));
    expect(await term(p, 'upload-fields', 'First bytes')).toBe(
      [...report.subarray(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join(' '),
    ); // starts with "%PDF-" (25 50 44 46 2d)
    await shot(p, 'demo-files-upload.png');

    const [saved] = await Promise.all([p.waitForEvent('download'), p.getByTestId('save').click()]);
    expect(saved.suggestedFilename()).toBe('report.pdf');
    expect(readFileSync(await saved.path()).equals(report)).toBe(true);

    // A file in a sub-folder, read the same way.
    await p.getByRole('button', { name: 'Open the folder 2026' }).click();
    await p.getByRole('button', { name: 'Open the folder 03' }).click();
    await p.getByRole('button', { name: 'Upload scan.bin to this page' }).click();
    await expect.poll(() => term(p, 'upload-fields', 'File')).toBe(`${TYPE}/2026/03/scan.bin`);
    expect(await term(p, 'upload-fields', 'SHA-256')).toBe(sha256(binary));
    await p.close();
  });
});

describe('Print page: through CUPS to the cups-pdf printer', () => {
  beforeAll(() => {
    // What scripts/test.sh and CI start first (idempotent): cupsd with the PDF printer.
    execFileSync('bash', [join(ROOT, 'scripts/services.sh'), 'cupsd'], { stdio: 'ignore' });
  });

  /** The Print page once its printers are listed. */
  async function openPrint(pageOrigin = origin): Promise<Page> {
    const p = await open('print', pageOrigin);
    await p.getByLabel('Printer').waitFor();
    await p.getByLabel('Printer').selectOption('PDF');
    return p;
  }

  async function completed(p: Page): Promise<string> {
    await p.getByTestId('print').locator('[data-testid=job], .notice').first().waitFor();
    expect(await p.getByTestId('print').locator('.notice').count(), (await p.getByTestId('print').textContent()) ?? '').toBe(0);
    const id = ((await p.getByTestId('job-id').textContent()) ?? '').trim();
    expect(id).toMatch(/^PDF-\d+$/);
    await expect.poll(() => p.getByTestId('job').getAttribute('data-job-state'), { timeout: 60_000 }).toBe('COMPLETED');
    expect(await p.getByTestId('job-state').textContent()).toBe('Completed');
    expect(await p.getByTestId('print').getByTestId('verdict').textContent()).toBe('✓ Printed');
    return id;
  }

  it('prints a file of the mapped folder: job id, followed to "Completed", a PDF in the cups-pdf folder', async () => {
    const token = `cardlinkdemo${randomBytes(4).toString('hex')}`;
    const letter = `Dear user,\nthis letter is ${token}.\n`;
    writeFileSync(join(folder, 'letter.txt'), letter);
    const p = await openPrint();
    expect(await p.getByLabel('A file from a shared folder').isChecked()).toBe(true);
    await p.getByLabel('File type').selectOption(TYPE);
    await expect.poll(() => p.getByLabel('File', { exact: true }).locator('option').allTextContents()).toContain(`letter.txt (${Buffer.byteLength(letter)} bytes)`);
    await p.getByLabel('File', { exact: true }).selectOption('letter.txt');
    await p.getByLabel('Title in the print queue (optional)').fill(token);
    await p.getByRole('button', { name: 'Print', exact: true }).click();
    await completed(p);
    const pdf = await waitForPdf(token);
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    await shot(p, 'demo-print.png');
    await p.close();
  });

  it('prints a file chosen in the page (its name is the job title): "Completed", a PDF in the cups-pdf folder', async () => {
    const token = `cardlinkpage${randomBytes(4).toString('hex')}`;
    const p = await openPrint();
    await p.getByLabel('A file from this computer').check();
    await p.getByLabel('File to print').setInputFiles({ name: `${token}.pdf`, mimeType: 'application/pdf', buffer: tinyPdf(`Printed from the demo ${token}`) });
    await p.getByRole('button', { name: 'Print', exact: true }).click();
    await completed(p);
    const pdf = await waitForPdf(token);
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    await p.close();
  });
});

describe('an application with no mapped file type', () => {
  it('Files shows "no folder shared" with the command that maps one; Print offers only a file from the computer', async () => {
    const p = await open('files', otherOrigin);
    const none = p.locator('[data-state=no-file-type]');
    await none.waitFor();
    expect(await none.locator('.notice-title').textContent()).toBe('No folder is shared with this site');
    expect(await none.textContent()).toContain(`for the application ${OTHER_LABEL}.`);
    expect(await none.locator('li code').first().textContent()).toBe(`connector files map <type> <folder> --labels ${OTHER_LABEL}`);
    expect(await p.getByLabel('File to store').count()).toBe(0);
    await shot(p, 'demo-files-none.png');

    await p.goto(url('print', otherOrigin));
    await p.getByLabel('Printer').waitFor();
    expect(await p.getByLabel('A file from a shared folder').isDisabled()).toBe(true);
    expect(await p.getByLabel('A file from this computer').isChecked()).toBe(true);
    await p.locator('[data-state=no-file-type]').waitFor();
    await p.close();
  });
});

describe('what the connector kept', () => {
  it('usage counted under each page tag; no file name or folder in its logs', async () => {
    const p = await open('usage');
    await p.getByTestId('usage-table').waitFor();
    const count = (useCase: string, tag: string) => p.locator(`[data-use-case=${useCase}][data-tag="${tag}"] td.num`).textContent();
    expect(Number(await count('FILE_DOWNLOAD', 'demo:files'))).toBeGreaterThanOrEqual(3);
    expect(Number(await count('FILE_UPLOAD', 'demo:files'))).toBeGreaterThanOrEqual(2);
    expect(Number(await count('FILE_PRINT', 'demo:print'))).toBeGreaterThanOrEqual(2);
    await p.close();

    t.c.log.flush();
    const logs = t.logs();
    for (const secret of ['notes.txt', 'scan.bin', 'report.pdf', 'letter.txt', 'cardlinkdemo', 'cardlinkpage', folder]) expect(logs).not.toContain(secret);
  });
});
