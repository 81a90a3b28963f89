// The SDK bundled the way a page's bundler would: esbuild, minified, browser ESM, every
// dependency included, production defines; then gzip -9. Used by the size budget test
// (test/bundle-size.test.ts) and the size benchmark (test/bench/sdk-bundle-size.ts).
import { build, type Metafile } from 'esbuild';
import { gzipSync } from 'node:zlib';

export const BUNDLE_NAME = 'sdk.min.js';

export async function bundleSdk(): Promise<{ code: Uint8Array; gzipBytes: number; metafile: Metafile }> {
  const result = await build({
    absWorkingDir: new URL('../..', import.meta.url).pathname,
    entryPoints: ['src/index.ts'],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    define: { 'process.env.NODE_ENV': '"production"' },
    legalComments: 'none',
    metafile: true,
    write: false,
    outfile: BUNDLE_NAME,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  return { code, gzipBytes: gzipSync(code, { level: 9 }).length, metafile: result.metafile };
}
