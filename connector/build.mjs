// Bundle the connector into one ESM file (smaller, faster start, what updates ship).
// Native modules stay external: they are compiled for the machine.
import { build } from 'esbuild';

await build({
  entryPoints: { connector: 'src/cli/main.ts' },
  outdir: 'dist',
  // Dynamic imports (DS client, certificate minting, virtual card) become chunks loaded on
  // demand, so an idle connector parses and keeps only what it uses.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  minify: true,
  sourcemap: true,
  external: ['better-sqlite3', 'pcsclite', 'pkcs11js'],
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
});
