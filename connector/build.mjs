// Bundle the connector into one ESM file (smaller, faster start, what updates ship).
import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

// The version is baked into the bundle (and written to VERSION beside it): a release package
// really is the version its signed manifest names. CARDLINK_BUILD_VERSION overrides package.json;
// CARDLINK_BUILD_OUTDIR builds elsewhere (release builds, update tests).
const version = process.env.CARDLINK_BUILD_VERSION || JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')).version;
const outdir = process.env.CARDLINK_BUILD_OUTDIR || 'dist';

// Chunk names carry a content hash: drop the previous build's, or they pile up (and ship).
rmSync(join(outdir, 'chunks'), { recursive: true, force: true });

// The card emulator is a development tool (a devDependency): never in a release bundle.
// `--virtual-card` imports it at run time as `@cardlink/virtual-card/bundle`, which only a
// development checkout has (virtual-card/build.mjs, run below); a release install says so.
const VIRTUAL_CARD_BUNDLE = '@cardlink/virtual-card/bundle';
const devOnlyVirtualCard = {
  name: 'dev-only-virtual-card',
  setup(b) {
    b.onResolve({ filter: /^@cardlink\/virtual-card(\/.*)?$/ }, () => ({ path: VIRTUAL_CARD_BUNDLE, external: true }));
  },
};

/** Every declared external must really be imported by the bundle: an unused one is a stale entry. */
function checkExternals(result, declared, what) {
  const used = new Set();
  for (const out of Object.values(result.metafile.outputs)) for (const i of out.imports) if (i.external) used.add(i.path);
  const stale = declared.filter((name) => !used.has(name));
  if (stale.length) throw new Error(`${what}: external ${stale.join(', ')} is imported by nothing: remove it from build.mjs`);
}

// Native modules are compiled for the machine. (pcsclite is loaded through createRequire at
// run time, which esbuild leaves alone; pkcs11js only by the PKCS#11 host below.)
const MAIN_EXTERNALS = ['better-sqlite3'];
const main = await build({
  entryPoints: { connector: 'src/cli/main.ts' },
  outdir,
  define: { __CARDLINK_BUILD_VERSION__: JSON.stringify(version) },
  // Dynamic imports (DS client, certificate minting) become chunks loaded on
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
  external: MAIN_EXTERNALS,
  plugins: [devOnlyVirtualCard],
  metafile: true,
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
});
// The PKCS#11 host runs in its own process (a bad library must not take the connector down):
// a bundle of its own beside connector.mjs, found by pkcs11/host-client.ts.
checkExternals(main, [...MAIN_EXTERNALS, VIRTUAL_CARD_BUNDLE], 'connector.mjs');
const host = await build({
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
  metafile: true,
  logLevel: 'warning',
});
checkExternals(host, ['pkcs11js'], 'pkcs11-host.mjs');
mkdirSync(outdir, { recursive: true });
writeFileSync(join(outdir, 'VERSION'), `${version}\n`);

// A development checkout (devDependencies installed) also gets the emulator's own bundle.
let virtualCardDir;
try {
  virtualCardDir = dirname(createRequire(import.meta.url).resolve('@cardlink/virtual-card/package.json'));
} catch {
  virtualCardDir = undefined;
}
if (virtualCardDir && existsSync(join(virtualCardDir, 'build.mjs'))) await import(pathToFileURL(join(virtualCardDir, 'build.mjs')).href);
