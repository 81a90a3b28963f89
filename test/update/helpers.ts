import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, symlinkSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, request } from 'node:https';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { generateKeyPairSync } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { manifestFor, signManifest, type ReleaseFlag, type SignedRelease } from '../../connector/src/release/manifest.js';
import { packDist } from '../../connector/src/release/package.js';
import { packFiles } from '../../connector/src/release/tar.js';

const CONNECTOR = fileURLToPath(new URL('../../connector/', import.meta.url));

/**
 * A scratch root for built bundles; its node_modules points at the connector's, so bundles
 * built here resolve their native modules the way an installed connector does.
 */
export function buildRoot(dir: string): string {
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, 'node_modules'))) symlinkSync(join(CONNECTOR, 'node_modules'), join(dir, 'node_modules'), 'junction');
  return dir;
}

/** `node build.mjs` with the version baked in (what a release build does). */
export async function buildVersion(root: string, version: string): Promise<string> {
  const out = join(root, `b-${version}`);
  await promisify(execFile)(process.execPath, ['build.mjs'], {
    cwd: CONNECTOR,
    env: { ...process.env, CARDLINK_BUILD_VERSION: version, CARDLINK_BUILD_OUTDIR: out },
  });
  return out;
}

export function releaseKeys(dir: string): { privatePem: string; publicPem: string; publicFile: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
  mkdirSync(dir, { recursive: true });
  const publicFile = join(dir, `release-key-${Math.random().toString(36).slice(2)}.pub.pem`);
  writeFileSync(publicFile, publicPem);
  return { privatePem, publicPem, publicFile };
}

export function signed(pkg: Buffer, version: string, privatePem: string, flag: ReleaseFlag = 'mandatory', minimumVersion = '1.0.0'): SignedRelease {
  return signManifest(manifestFor(pkg, { version, minimumVersion, flag }), privatePem);
}

export const packBuilt = (dist: string, version: string) => packDist(dist, version);

/** A package of arbitrary files (VERSION added). */
export const packRaw = (version: string, files: Record<string, string>) =>
  packFiles([{ name: 'VERSION', data: Buffer.from(`${version}\n`) }, ...Object.entries(files).map(([name, s]) => ({ name, data: Buffer.from(s) }))]);

export interface Supervised {
  child: ChildProcess;
  port: number;
  out: () => string;
  exited: Promise<number | string | null>;
  stop(): Promise<void>;
}

/** `connector start --supervise` from a built bundle, resolved once it serves. */
export function startSupervised(bundle: string, args: string[]): Promise<Supervised> {
  const env = { ...process.env };
  delete env.CARDLINK_FROM_SOURCE;
  delete env.CARDLINK_VERSION_OVERRIDE;
  const child = spawn(process.execPath, [join(bundle, 'connector.mjs'), 'start', '--supervise', '--port', '0', ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | string | null>((r) => child.on('exit', (code, signal) => r(signal ?? code)));
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  return new Promise((resolve, reject) => {
    const onData = () => {
      const m = /ready on https:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        child.stdout!.off('data', onData);
        resolve({
          child,
          port: Number(m[1]),
          out: () => out,
          exited,
          async stop() {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            const t = setTimeout(() => child.kill('SIGKILL'), 20_000);
            await exited;
            clearTimeout(t);
          },
        });
      }
    };
    child.stdout!.on('data', onData);
    void exited.then((c) => reject(new Error(`supervisor exited ${c}: ${out.slice(-3000)}`)));
  });
}

export async function until(cond: () => Promise<boolean> | boolean, ms = 60_000, every = 200): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, every));
  }
}

export interface Outcome {
  ok: boolean;
  version?: string;
  error?: string;
  reused: boolean;
}

/** One `{ info { version } }` from an allowed origin, verifying the server against `ca`. */
export function infoRequest(port: number, ca: string, origin: string, agent: Agent | false): Promise<Outcome> {
  return new Promise<Outcome>((resolve) => {
    const body = JSON.stringify({ query: '{ info { version } }' });
    const req = request(
      {
        host: '127.0.0.1', port, path: '/graphql', method: 'POST', servername: 'localhost', ca, agent,
        headers: { host: `localhost:${port}`, origin, 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        const reused = (res.socket as TLSSocket).isSessionReused() || (agent !== false && (req as unknown as { reusedSocket: boolean }).reusedSocket);
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          let version: string | undefined;
          try {
            version = JSON.parse(text).data?.info?.version;
          } catch {
            /* not JSON */
          }
          resolve({ ok: res.statusCode === 200 && typeof version === 'string', ...(version ? { version } : {}), reused, ...(res.statusCode !== 200 ? { error: `${res.statusCode} ${text.slice(0, 200)}` } : {}) });
        });
        res.on('error', (e) => resolve({ ok: false, error: e.message, reused }));
      },
    );
    req.on('error', (e) => resolve({ ok: false, error: e.message, reused: false }));
    // A hang counts as a failure (and never stalls the suite).
    req.setTimeout(30_000, () => req.destroy(new Error('no answer within 30 s')));
    req.end(body);
  });
}
