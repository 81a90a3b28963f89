// The SDK's byte budget: what a page ships when it bundles the SDK with every dependency,
// minified and gzipped. Deterministic for fixed sources and dependency versions.
import { describe, expect, it } from 'vitest';
import { bundleSdk } from './helpers/bundle.js';

// The product target is "< 15 KB" (15 KiB) for the core SDK; PKCS#11 tokens are an entry of their own
// (`@cardlink/web-sdk/tokens`) and are not in it.
const BUDGET_GZIP_BYTES = 15 * 1024;

describe('bundle size', () => {
  it(`the SDK with all its dependencies is at most ${BUDGET_GZIP_BYTES} bytes minified + gzipped`, async () => {
    const { code, gzipBytes, metafile } = await bundleSdk();
    process.stdout.write(`web-sdk bundle: ${code.length} bytes minified, ${gzipBytes} bytes gzip -9 (budget ${BUDGET_GZIP_BYTES})\n`);
    // The whole SDK and @urql/core are in (not an empty or externalised entry).
    const inputs = Object.keys(metafile.inputs).join('\n');
    expect(inputs).toMatch(/@urql\/core/);
    expect(inputs).toMatch(/src\/connector\.ts/);
    expect(gzipBytes).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
  });
});
