// Bundle the connector into one ESM file (smaller, faster start, what updates ship).
// Native modules stay external: they are compiled for the machine.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// The version is baked into the bundle (and written to VERSION beside it): a release package
// really is the version its signed manifest names. CARDLINK_BUILD_VERSION overrides package.json;
// CARDLINK_BUILD_OUTDIR builds elsewhere (release builds, update tests).
const version = process.env.CARDLINK_BUILD_VERSION || JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')).version;
const outdir = process.env.CARDLINK_BUILD_OUTDIR || 'dist';

// Chunk names carry a content hash: drop the previous build's, or they pile up (and ship).
rmSync(join(outdir, 'chunks'), { recursive: true, force: true });

await build({
  entryPoints: { connector: 'src/cli/main.ts' },
  outdir,
  define: { __CARDLINK_BUILD_VERSION__: JSON.stringify(version) },
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
// The PKCS#11 host runs in its own process (a bad library must not take the connector down):
// a bundle of its own beside connector.mjs, found by pkcs11/host-client.ts.
await build({
  entryPoints: { 'pkcs11-host': 'src/card/modules/pkcs11/pkcs11-host.ts' },
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  minify: true,
  sourcemap: true,
  external: ['pkcs11js'],
  logLevel: 'warning',
});
mkdirSync(outdir, { recursive: true });
writeFileSync(join(outdir, 'VERSION'), `${version}\n`);
