// Debian's Chromium driven by playwright-core, with CAs trusted the way a user trusts them:
// an NSS database in a temporary HOME (what `connector trust` writes to), never
// `ignoreHTTPSErrors`. No browser download: the system's Chromium is used.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

export interface TrustedChromium {
  browser: Browser;
  /** The temporary HOME the browser runs with (its NSS database is `.pki/nssdb`). */
  home: string;
  /** Close the browser and delete the temporary HOME. */
  close(): Promise<void>;
}

export interface LaunchTrustedOptions {
  /** PEM CA files to trust (certutil -t C,,). */
  caFiles?: string[];
  /** PEM CA certificates to trust, as text. */
  caPems?: string[];
  /** Anything else to do with the HOME before the browser starts (e.g. run `connector trust`). */
  trust?: (home: string) => void | Promise<void>;
  /** Run with this existing HOME (kept on close) instead of a fresh one, e.g. to restart a browser. */
  home?: string;
  /** More Chromium flags. */
  args?: string[];
  launch?: LaunchOptions;
}

/** A temporary HOME with an empty NSS database, as Chromium creates on first start. */
export function createNssHome(): { home: string; nssdb: string } {
  const home = mkdtempSync(join(tmpdir(), 'cardlink-chromium-'));
  const nssdb = join(home, '.pki', 'nssdb');
  mkdirSync(nssdb, { recursive: true, mode: 0o700 });
  execFileSync('certutil', ['-N', '-d', `sql:${nssdb}`, '--empty-password'], { stdio: 'ignore' });
  return { home, nssdb };
}

/** Trust a PEM CA file in an NSS database as a TLS issuer. */
export function trustCa(nssdb: string, caFile: string, nickname: string): void {
  execFileSync('certutil', ['-A', '-d', `sql:${nssdb}`, '-n', nickname, '-t', 'C,,', '-i', caFile], { stdio: 'ignore' });
}

export async function launchTrustedChromium(opts: LaunchTrustedOptions = {}): Promise<TrustedChromium> {
  const own = !opts.home;
  const { home, nssdb } = opts.home ? { home: opts.home, nssdb: join(opts.home, '.pki', 'nssdb') } : createNssHome();
  const cleanup = () => own && rmSync(home, { recursive: true, force: true });
  try {
    (opts.caFiles ?? []).forEach((file, i) => trustCa(nssdb, file, `cardlink-test-ca-${i}`));
    (opts.caPems ?? []).forEach((pem, i) => {
      const file = join(home, `ca-${i}.pem`);
      writeFileSync(file, pem);
      trustCa(nssdb, file, `cardlink-test-pem-${i}`);
    });
    await opts.trust?.(home);
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      ...opts.launch,
      args: [...CHROMIUM_ARGS, ...(opts.args ?? []), ...(opts.launch?.args ?? [])],
      env: { ...process.env, ...opts.launch?.env, HOME: home },
    });
    return {
      browser,
      home,
      async close() {
        await browser.close().catch(() => {});
        cleanup();
      },
    };
  } catch (e) {
    cleanup();
    throw e;
  }
}
