// `pnpm bench`: every benchmark, one after the other, each printing its figures.
import { benchHttpPipeline } from './http-pipeline.js';

await benchHttpPipeline();
