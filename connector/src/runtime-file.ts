import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './fs/atomic-write.js';

/** What `connector status` reads to find a running connector. */
export interface RuntimeInfo {
  pid: number;
  host: string;
  port: number;
  version: string;
  startedAt: string;
}

const path = (dataDir: string) => join(dataDir, 'runtime.json');

export const writeRuntime = (dataDir: string, info: RuntimeInfo) => writeFileAtomic(path(dataDir), JSON.stringify(info, null, 2));
export const removeRuntime = (dataDir: string) => rmSync(path(dataDir), { force: true });
export function readRuntime(dataDir: string): RuntimeInfo | undefined {
  if (!existsSync(path(dataDir))) return undefined;
  try {
    return JSON.parse(readFileSync(path(dataDir), 'utf8')) as RuntimeInfo;
  } catch {
    return undefined;
  }
}
