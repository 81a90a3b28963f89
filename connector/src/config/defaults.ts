import { homedir } from 'node:os';
import { join } from 'node:path';

export const DEFAULT_PORT = 51983;
export const DEFAULT_HOST = '127.0.0.1';
/** One DS sync every 8 hours unless the CLI or the DS says otherwise. */
export const DEFAULT_DS_CYCLE_SECONDS = 28_800;

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(base, 'cardlink', 'connector');
}
