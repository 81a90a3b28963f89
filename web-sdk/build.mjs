// Build: dist/index.js (ESM for bundlers, @urql/core left as a dependency), dist/cardlink-web-sdk.min.js
// (one self-contained minified ES module for a plain <script type="module">),
// dist/cardlink-web-sdk.iife.js (the same for a classic <script>: a global `Cardlink`), and .d.ts files.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';

const here = new URL('.', import.meta.url).pathname;
rmSync(`${here}dist`, { recursive: true, force: true });

const common = {
  absWorkingDir: here,
  entryPoints: ['src/index.ts'],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2020',
  legalComments: 'none',
  logLevel: 'warning',
};
await build({ ...common, outfile: 'dist/index.js', external: ['@urql/core'] });
// PKCS#11 tokens: an entry of its own, so eID-only pages do not carry it.
await build({ ...common, entryPoints: ['src/tokens.ts'], outfile: 'dist/tokens.js', external: ['@urql/core'] });
await build({
  ...common,
  outfile: 'dist/cardlink-web-sdk.min.js',
  minify: true,
  define: { 'process.env.NODE_ENV': '"production"' },
});

await build({
  ...common,
  format: 'iife',
  globalName: 'Cardlink',
  outfile: 'dist/cardlink-web-sdk.iife.js',
  minify: true,
  define: { 'process.env.NODE_ENV': '"production"' },
});

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: here, stdio: 'inherit' });
