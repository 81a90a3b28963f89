import { createHash } from 'node:crypto';

/** Stable, opaque reader id: the same reader name gives the same id across restarts. */
export function readerIdOf(name: string): string {
  return createHash('sha256').update(name).digest('hex').slice(0, 16);
}
