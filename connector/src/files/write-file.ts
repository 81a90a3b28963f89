import type { FileHandle } from 'node:fs/promises';
import type { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Write `source` (through `limit`) into the open file `handle`, then flush it to disk, so that
 * a rename or link that follows publishes complete contents even across a crash. Memory use is
 * one chunk, whatever the size. The caller keeps the handle (and closes it); on failure the
 * partial file is left for the caller to remove (it knows where it made it).
 */
export async function writeAll(source: Readable, limit: Transform, handle: FileHandle): Promise<void> {
  await pipeline(source, limit, async (chunks: AsyncIterable<Buffer>) => {
    for await (const chunk of chunks) {
      // FileHandle.write may write less than asked; loop until the chunk is down.
      for (let off = 0; off < chunk.length; ) off += (await handle.write(chunk, off)).bytesWritten;
    }
  });
  await handle.sync();
}

/**
 * A source handed over before its consumer is ready (folders and files are opened first)
 * must not take the process down if it fails meanwhile: its error is kept by the stream and
 * reported by the pipeline of `writeAll` once it runs.
 */
export function holdErrors<T extends Readable>(source: T): T {
  source.on('error', () => {});
  return source;
}
