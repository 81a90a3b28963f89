// `pnpm bench`: every benchmark, one after the other, each printing its figures.
import { benchHttpPipeline } from './http-pipeline.js';
import { benchCardRead } from './card-read.js';

await benchHttpPipeline();
await benchCardRead();
await (await import('./sdk-bundle-size.js')).benchSdkBundleSize();
await (await import('./pkcs11-sign.js')).benchPkcs11Sign();

// The DS's sync throughput benchmark lives with the DS; run it as its own process.
const { spawnSync } = await import('node:child_process');
spawnSync('pnpm', ['--filter', '@cardlink/distribution-service', 'run', 'bench'], { stdio: 'inherit' });
process.exit(0); // pcsclite keeps a status thread alive
