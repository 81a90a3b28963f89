// `pnpm bench`: every benchmark, one after the other, each printing its figures.
import { benchHttpPipeline } from './http-pipeline.js';
import { benchCardRead } from './card-read.js';

await benchHttpPipeline();
await benchCardRead();
await (await import('./sdk-bundle-size.js')).benchSdkBundleSize();
process.exit(0); // pcsclite keeps a status thread alive
