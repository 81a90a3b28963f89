// The web SDK as a web developer gets it: `pnpm pack` of web-sdk, installed from the tarball
// into a fresh Vite app made here (offline, from the local pnpm store), type-checked and built
// with the workspace's Vite and TypeScript. No file of the monorepo is copied into the app.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './demo.js';

/** Run a step; a failure carries the step's own output. */
function step(cmd: string, args: string[], cwd: string): void {
  try {
    execFileSync(cmd, args, { cwd, stdio: 'pipe', encoding: 'utf8' });
  } catch (e) {
    const x = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${[cmd, ...args].join(' ')} failed:\n${x.stdout ?? ''}${x.stderr ?? ''}`);
  }
}

const VITE = join(ROOT, 'demo-site/node_modules/vite/bin/vite.js');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

/** Build web-sdk and pack it into `dir`; returns the tarball's path. */
export function packSdk(dir: string): string {
  step('pnpm', ['--filter', '@cardlink/web-sdk', 'run', 'build'], ROOT);
  step('pnpm', ['pack', '--pack-destination', dir], join(ROOT, 'web-sdk'));
  const tgz = readdirSync(dir).find((f) => /^cardlink-web-sdk-.*\.tgz$/.test(f));
  if (!tgz) throw new Error(`no tarball in ${dir}`);
  return join(dir, tgz);
}

/**
 * A fresh app in `dir` with the tarball as its dependency and these source files (paths
 * relative to the app); type-checked (`tsc --noEmit`, strict) and built with Vite. Returns
 * the built site's folder.
 */
export function buildSdkApp(dir: string, tarball: string, files: Record<string, string>): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'fresh-app', private: true, type: 'module' }));
  // Offline from the local store: no peer auto-install (graphql is an optional peer of urql's parser).
  writeFileSync(join(dir, 'pnpm-workspace.yaml'), 'autoInstallPeers: false\n');
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      // As Vite's own TypeScript template: library .d.ts files are not re-checked.
      compilerOptions: { target: 'es2022', module: 'esnext', moduleResolution: 'bundler', strict: true, noEmit: true, lib: ['es2022', 'dom'], skipLibCheck: true },
      include: ['src'],
    }),
  );
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  step('pnpm', ['add', '--offline', tarball], dir);
  step(process.execPath, [TSC, '-p', dir], dir);
  step(process.execPath, [VITE, 'build', '--logLevel', 'warn'], dir);
  return join(dir, 'dist');
}
