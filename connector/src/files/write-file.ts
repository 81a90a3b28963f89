import { createWriteStream } from 'node:fs';
import type { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Stream `source` (through `limit`) into a new file `path` (created exclusively, `wx`) and
 * flush it to disk before closing, so a rename that follows publishes complete contents even
 * across a crash. Memory use is one stream buffer, whatever the size. On failure the partial
 * file is left for the caller to remove.
 */
export async function streamToNewFile(source: Readable, limit: Transform, path: string, mode: number): Promise<void> {
  // pipeline resolves once the file stream has flushed and closed its descriptor.
  await pipeline(source, limit, createWriteStream(path, { flags: 'wx', mode, flush: true }));
}
