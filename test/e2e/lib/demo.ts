// The demo site for the e2e suite: built when missing or older than its sources.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createServer } from 'node:net';

export const ROOT = resolve(import.meta.dirname, '../../..');
export const DEMO_DIST = join(ROOT, 'demo-site/dist');
export const SCREENSHOTS = join(ROOT, 'artifacts/screenshots');

function newest(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((n) => newest(join(path, n))));
}

/** Build demo-site (and the SDK it uses) unless dist/ is newer than every source. */
export function ensureDemoBuilt(): void {
  const index = join(DEMO_DIST, 'index.html');
  const sources = ['demo-site/src', 'demo-site/index.html', 'demo-site/vite.config.ts', 'web-sdk/src'].map((p) => join(ROOT, p));
  const sdkDist = join(ROOT, 'web-sdk/dist/index.js');
  if (existsSync(index) && existsSync(sdkDist) && statSync(index).mtimeMs >= Math.max(...sources.map(newest))) return;
  execFileSync('pnpm', ['--filter', '@cardlink/demo-site...', 'run', 'build'], { cwd: ROOT, stdio: 'inherit' });
}

/** A TCP port on 127.0.0.1 where nothing listens (for the "not running" state). */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** Trust a connector's CA as its user would: `connector trust` with the browser's HOME. */
export function connectorTrust(dataDir: string, home: string): string {
  return execFileSync(process.execPath, [join(ROOT, 'connector/bin/connector.mjs'), 'trust', '--data-dir', dataDir], {
    env: { ...process.env, HOME: home },
    encoding: 'utf8',
  });
}
