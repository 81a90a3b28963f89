// The emulator as plain JavaScript, for a built connector started with `--virtual-card` in a
// development checkout. The connector's release bundle leaves `@cardlink/virtual-card/bundle`
// external (connector/build.mjs) and ships without it; this file is never in a release.
// Its own dependencies stay external: they resolve from this package's node_modules.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

await build({
  entryPoints: [here('./src/index.ts')],
  outfile: here('./dist/virtual-card.mjs'),
  bundle: true,
  packages: 'external',
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  logLevel: 'warning',
});
