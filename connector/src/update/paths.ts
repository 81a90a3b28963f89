import { join } from 'node:path';

/** Where updates live in the data dir. */
export const updatePaths = (dataDir: string) => ({
  /** The release public key pinned at install (`--update.key`). */
  key: join(dataDir, 'release-key.pem'),
  /** Supervisor-owned: the version in service, the one before it, versions that failed here. */
  state: join(dataDir, 'update', 'state.json'),
  versions: join(dataDir, 'versions'),
  version: (v: string) => join(dataDir, 'versions', v),
});
