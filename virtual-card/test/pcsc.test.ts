/**
 * Through the real PC/SC stack: pcscd + Debian's vpcd driver + OpenSC 0.23 tools and its
 * PKCS#11 module + openssl, all independent of this package. All PC/SC checks live in this
 * one file so they never run at the same time (see vitest.config.ts).
 *
 * The card answers from this process, so every tool runs asynchronously (never *Sync).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BelpicCard, BelpicCardOptions } from '../src/card/belpic-card.js';
import { acquireReaderLock, type ReaderLock } from '../src/transport/reader-lock.js';
import { insertIntoVpcd, type VpcdInsertion } from '../src/transport/vpcd.js';
import type { Profile } from '../src/material/types.js';
import { MaterialFixture } from './helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');
const PKCS11 = '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so';
const READER = 0;

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], timeoutMs = 30_000): Promise<RunResult> {
  return new Promise((res) => {
    execFile(cmd, args, { timeout: timeoutMs, encoding: 'utf8', maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      res({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

async function cardPresent(reader: number): Promise<boolean> {
  const r = await run('opensc-tool', ['--list-readers'], 10_000);
  return r.stdout.split('\n').some((l) => new RegExp(`^${reader}\\s+Yes\\s+Virtual PCD`).test(l));
}

async function waitFor(what: string, pred: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await pred()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const fx = new MaterialFixture();
const work = mkdtempSync(join(tmpdir(), 'vcard-pcsc-'));
let current: VpcdInsertion | undefined;
let lock: ReaderLock | undefined;

async function insert(profile: Profile, opts: Omit<BelpicCardOptions, 'material'> = {}): Promise<BelpicCard> {
  const card = await fx.card(profile, opts);
  current = await insertIntoVpcd(card, { readerIndex: READER });
  await waitFor('pcscd to see the card', () => cardPresent(READER));
  return card;
}

async function removeCard(): Promise<void> {
  if (current) {
    await current.remove();
    current = undefined;
  }
  await waitFor('pcscd to see the removal', async () => !(await cardPresent(READER)));
}

beforeAll(async () => {
  // Other suites (the connector's) may drive the same pcscd: take the reader first.
  lock = await acquireReaderLock(READER);
  const services = await run('bash', [join(repoRoot, 'scripts', 'services.sh'), 'pcscd'], 30_000);
  expect(services.code, services.stderr).toBe(0);
  await waitFor('the vpcd readers', async () => (await run('opensc-tool', ['--list-readers'])).stdout.includes('Virtual PCD 00 00'));
  expect(await cardPresent(READER), 'another card already sits in Virtual PCD 00 00').toBe(false);
  // Generate the material before any card is inserted (it takes a moment).
  await fx.material('1.7');
  await fx.material('1.8');
});

afterEach(async () => {
  if (current) await removeCard();
});

afterAll(() => {
  lock?.release();
  fx.cleanup();
  rmSync(work, { recursive: true, force: true });
});

describe('PC/SC through vpcd and OpenSC', () => {
  it('shows the applet 1.7 ATR and OpenSC picks its Belpic driver', async () => {
    await insert('1.7');
    const atr = await run('opensc-tool', ['--reader', String(READER), '--atr']);
    expect(atr.code, atr.stderr).toBe(0);
    expect(atr.stdout.trim()).toBe('3b:98:13:40:0a:a5:03:01:01:01:ad:13:11');
    const name = await run('opensc-tool', ['--reader', String(READER), '--name']);
    expect(name.stdout.trim()).toBe('Belpic cards');
  });

  it('pkcs15-tool lists the card certificates and reads them back unchanged', async () => {
    const card = await insert('1.7');
    const list = await run('pkcs15-tool', ['--reader', String(READER), '--list-certificates']);
    expect(list.code, list.stderr).toBe(0);
    for (const label of ['Authentication', 'Signature', 'CA', 'Root', 'RRN']) {
      expect(list.stdout).toContain(`X.509 Certificate [${label}]`);
    }
    expect(list.stdout).toMatch(/Path\s+: 3f00df005038\s+ID\s+: 02/);
    const read = await run('pkcs15-tool', ['--reader', String(READER), '--read-certificate', '02']);
    expect(read.code, read.stderr).toBe(0);
    const pem = read.stdout.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/)?.[0];
    expect(pem).toBeDefined();
    const der = Buffer.from(pem!.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    expect(der.equals(card.material.certs.auth)).toBe(true);
    const info = await run('pkcs15-tool', ['--reader', String(READER), '--list-keys', '--list-pins']);
    expect(info.stdout).toMatch(/Private RSA Key \[Authentication\][\s\S]*ModLength\s+: 2048[\s\S]*Key ref\s+: 130 \(0x82\)/);
    expect(info.stdout).toMatch(/PIN \[Basic PIN\][\s\S]*min_len:4, max_len:12, stored_len:8[\s\S]*Pad char\s+: 0xFF[\s\S]*Reference\s+: 1/);
  });

  it('pkcs11-tool signs with the authentication key; openssl verifies with the certificate', async () => {
    const card = await insert('1.7');
    const data = join(work, 'data.txt');
    const sig = join(work, 'sig.bin');
    const certPem = join(work, 'auth.pem');
    const pubPem = join(work, 'auth.pub.pem');
    writeFileSync(data, `to be signed by the virtual card ${Date.now()}\n`);
    writeFileSync(certPem, `-----BEGIN CERTIFICATE-----\n${card.material.certs.auth.toString('base64')}\n-----END CERTIFICATE-----\n`);
    const pub = await run('openssl', ['x509', '-in', certPem, '-pubkey', '-noout', '-out', pubPem]);
    expect(pub.code, pub.stderr).toBe(0);
    const slots = await run('pkcs11-tool', ['--module', PKCS11, '--list-slots']);
    expect(slots.stdout).toMatch(/Slot 0 .*Virtual PCD 00 00[\s\S]*token label\s+: BELPIC/);
    const before = card.apduCount;
    const signRes = await run('pkcs11-tool', [
      '--module', PKCS11, '--slot-index', '0', '--login', '--pin', card.material.manifest.initialPin,
      '--sign', '--id', '02', '--mechanism', 'SHA256-RSA-PKCS', '--input-file', data, '--output-file', sig,
    ]);
    expect(signRes.code, signRes.stderr + signRes.stdout).toBe(0);
    expect(card.apduCount).toBeGreaterThan(before);
    expect(existsSync(sig)).toBe(true);
    const ok = await run('openssl', ['dgst', '-sha256', '-verify', pubPem, '-signature', sig, data]);
    expect(ok.stdout.trim()).toBe('Verified OK');
    // Tampered data must not verify (the check can fail).
    writeFileSync(data, 'something else\n');
    const bad = await run('openssl', ['dgst', '-sha256', '-verify', pubPem, '-signature', sig, data]);
    expect(bad.code).not.toBe(0);
  });

  it('a wrong PIN through PKCS#11 costs a try on the card; the right one restores them', async () => {
    const card = await insert('1.7');
    const wrong = await run('pkcs11-tool', ['--module', PKCS11, '--slot-index', '0', '--login', '--pin', '0000', '--list-objects']);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr + wrong.stdout).toMatch(/CKR_PIN_INCORRECT/);
    expect(card.pinTriesLeft).toBe(2);
    const right = await run('pkcs11-tool', ['--module', PKCS11, '--slot-index', '0', '--login', '--pin', '1234', '--list-objects']);
    expect(right.code, right.stderr).toBe(0);
    expect(right.stdout).toMatch(/Private Key Object; RSA[\s\S]*label:\s+Authentication/);
    expect(card.pinTriesLeft).toBe(3);
  });

  it('closing the socket removes the card: opensc-tool --atr then fails', async () => {
    await insert('1.7');
    expect((await run('opensc-tool', ['--reader', String(READER), '--atr'])).code).toBe(0);
    await removeCard();
    const atr = await run('opensc-tool', ['--reader', String(READER), '--atr']);
    expect(atr.code).not.toBe(0);
    expect(atr.stderr + atr.stdout).toMatch(/not present|No card/i);
  });

  it('a card pulled mid-read (removeAfterApdus) makes pkcs15-tool fail and leaves the reader empty', async () => {
    // First a clean run, recording the APDUs, to find where the certificate 5038 is read.
    const apdus: string[] = [];
    const card = await fx.card('1.7');
    current = await insertIntoVpcd(card, {
      readerIndex: READER,
      trace: (dir, f) => {
        if (dir === 'in' && f.length > 1) apdus.push(f.toString('hex').toUpperCase());
      },
    });
    await waitFor('pcscd to see the card', () => cardPresent(READER));
    const clean = await run('pkcs15-tool', ['--reader', String(READER), '--read-certificate', '02']);
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stdout).toContain('-----BEGIN CERTIFICATE-----');
    await removeCard();
    const select5038 = apdus.indexOf('00A4080C063F00DF005038');
    expect(select5038).toBeGreaterThan(0);
    // Pulled right after the second READ BINARY of the certificate (offset 0x0100).
    const pullAfter = apdus.indexOf('00B0010000', select5038) + 1;
    expect(pullAfter).toBeGreaterThan(select5038 + 1);

    const pulled = await insert('1.7', { removeAfterApdus: pullAfter });
    const res = await run('pkcs15-tool', ['--reader', String(READER), '--read-certificate', '02']);
    expect(pulled.removed).toBe(true);
    expect(pulled.apduCount).toBe(pullAfter);
    expect(res.code).not.toBe(0);
    expect(res.stdout).not.toContain('-----BEGIN CERTIFICATE-----');
    await current!.closed;
    current = undefined;
    await waitFor('pcscd to see the removal', async () => !(await cardPresent(READER)));
  });

  it('applet 1.8 answers through the same stack (ATR, GET CARD DATA, identity file)', async () => {
    const card = await insert('1.8');
    const atr = await run('opensc-tool', ['--reader', String(READER), '--atr']);
    expect(atr.stdout.trim()).toBe('3b:7f:96:00:00:80:31:80:65:b0:85:04:01:20:12:0f:ff:82:90:00');
    const r = await run('opensc-tool', [
      '--reader', String(READER),
      '--send-apdu', '80:E4:00:00:1C',
      '--send-apdu', '00:A4:08:0C:06:3F:00:DF:01:40:31',
      '--send-apdu', '00:B0:00:00:10',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const replies = [...r.stdout.matchAll(/Received \(SW1=0x([0-9a-f]{2}), SW2=0x([0-9a-f]{2})\)(?::\n((?:[0-9A-F]{2} [^\n]*\n?)+))?/gi)];
    expect(replies.map((m) => m[1]! + m[2]!)).toEqual(['9000', '9000', '9000']);
    const hexOf = (block: string | undefined) =>
      Buffer.from((block ?? '').split('\n').map((l) => l.slice(0, 48)).join(' ').replace(/[^0-9A-Fa-f]/g, ''), 'hex');
    const cardData = hexOf(replies[0]![3]);
    expect(cardData.length).toBe(28);
    expect(cardData[21]).toBe(0x18);
    expect(cardData.subarray(0, 16).equals(card.material.chipSerial)).toBe(true);
    expect(hexOf(replies[2]![3]).equals(card.material.files.identity.subarray(0, 16))).toBe(true);
  });
});
