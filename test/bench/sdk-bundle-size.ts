/**
 * Benchmark: what the web SDK costs a page. esbuild bundles the SDK entry the way a page's
 * bundler would (minified, browser, ES module, every dependency included, production
 * defines; web-sdk/test/helpers/bundle.ts, shared with the byte-budget test), then gzip -9.
 * Printed next to the Trust1Connector JS SDK 3.6.1 (95.6 KB gzipped) and the target
 * (< 15 KB), with the share of each package. Figures only: the budget of 15,000 bytes is
 * asserted by web-sdk/test/bundle-size.test.ts.
 */
import { BUNDLE_NAME, bundleSdk } from '../../web-sdk/test/helpers/bundle.js';

const T1C_GZIP_KB = 95.6;
const TARGET_KB = 15;
const KB = 1024;

export interface SdkBundleSize {
  minifiedBytes: number;
  gzipBytes: number;
  gzipKb: number;
  ratioToT1c: number;
  byPackage: { name: string; minifiedBytes: number }[];
}

export async function benchSdkBundleSize(): Promise<SdkBundleSize> {
  const { code, gzipBytes, metafile } = await bundleSdk();
  const byPackage = new Map<string, number>();
  for (const [path, input] of Object.entries(metafile.outputs[BUNDLE_NAME]!.inputs)) {
    const m = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(path);
    const name = m ? m[1]! : '@cardlink/web-sdk (own code + generated documents)';
    byPackage.set(name, (byPackage.get(name) ?? 0) + input.bytesInOutput);
  }
  const r: SdkBundleSize = {
    minifiedBytes: code.length,
    gzipBytes,
    gzipKb: gzipBytes / KB,
    ratioToT1c: gzipBytes / KB / T1C_GZIP_KB,
    byPackage: [...byPackage].map(([name, minifiedBytes]) => ({ name, minifiedBytes })).sort((a, b) => b.minifiedBytes - a.minifiedBytes),
  };
  print(r);
  return r;
}

function print(r: SdkBundleSize): void {
  const kb = (b: number) => `${(b / KB).toFixed(1)} KB`;
  const out = ['', 'Web SDK bundle size (esbuild: minified, browser ESM, all dependencies; gzip -9; 1 KB = 1024 bytes)', ''];
  out.push('bundle                              minified     gzip');
  out.push(`@cardlink/web-sdk                 ${kb(r.minifiedBytes).padStart(10)} ${kb(r.gzipBytes).padStart(9)}   (${r.gzipBytes} bytes)`);
  out.push(`Trust1Connector JS SDK 3.6.1                 ${`${T1C_GZIP_KB.toFixed(1)} KB`.padStart(9)}`);
  out.push('');
  out.push(`ratio web-sdk / T1C SDK: ${r.ratioToT1c.toFixed(3)} (${(1 / r.ratioToT1c).toFixed(1)}x smaller)`);
  out.push(`target: < ${TARGET_KB} KB gzipped -> ${r.gzipKb < TARGET_KB ? 'met' : 'NOT met'} (${r.gzipKb.toFixed(1)} KB)`);
  out.push('', 'minified bytes by package:');
  for (const p of r.byPackage) out.push(`  ${p.name.padEnd(52)} ${String(p.minifiedBytes).padStart(7)}`);
  out.push('');
  process.stdout.write(out.join('\n'));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchSdkBundleSize();
}
