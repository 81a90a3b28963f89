import { join } from 'node:path';
import type { Logger } from 'pino';
import { InProcessReaders } from './in-process-readers.js';

/** `--virtual-card` in an installation without the development emulator (every release). */
export class VirtualCardUnavailableError extends Error {
  readonly code = 'VIRTUAL_CARD_UNAVAILABLE';
  constructor() {
    super(
      '--virtual-card needs the development card emulator (@cardlink/virtual-card), which release installations do not include; ' +
        'in a development checkout, build the connector (pnpm --filter @cardlink/connector run build) or run it from source',
    );
    this.name = 'VirtualCardUnavailableError';
  }
}

/**
 * `--virtual-card`: a software eID card in an in-process reader (card material kept in the data
 * dir). The emulator is a devDependency: loaded only here, on demand, and left out of release
 * bundles (build.mjs), where this fails with VirtualCardUnavailableError.
 */
export async function virtualCardReaders(profile: '1.7' | '1.8', dataDir: string, log: Logger): Promise<InProcessReaders> {
  let emulator: typeof import('@cardlink/virtual-card');
  try {
    emulator = await import('@cardlink/virtual-card');
  } catch (e) {
    const err = e as { code?: string; message?: string };
    if (err.code === 'ERR_MODULE_NOT_FOUND' && err.message?.includes('virtual-card')) throw new VirtualCardUnavailableError();
    throw e;
  }
  const readers = new InProcessReaders(log);
  readers.insert(await emulator.createVirtualCard({ profile, dataDir: join(dataDir, 'virtual-card') }));
  log.warn({ profile }, 'using an in-process virtual eID card instead of PC/SC');
  return readers;
}
