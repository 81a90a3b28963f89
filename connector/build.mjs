// Bundle the connector into one ESM file (smaller, faster start, what updates ship).
// Native modules stay external: they are compiled for the machine.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/connector.mjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  minify: false,
  sourcemap: true,
  external: ['better-sqlite3', 'pcsclite', 'pkcs11js'],
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
});
