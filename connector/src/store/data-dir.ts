import { chmodSync, lstatSync, mkdirSync } from 'node:fs';

export class DataDirError extends Error {
  readonly code = 'DATA_DIR_UNSAFE';
}

/**
 * The data dir holds keys, the local token and the transaction store: only its user may enter
 * it. Created 0700; one that already exists is tightened to 0700 when it is ours and looser,
 * and refused when it is a symlink, not a directory or owned by someone else (whoever owns it
 * could swap what we read).
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  if (st.isSymbolicLink() || !st.isDirectory()) throw new DataDirError(`data dir ${dir} is not a directory`);
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) throw new DataDirError(`data dir ${dir} belongs to uid ${st.uid}, not to this user (${uid})`);
  if ((st.mode & 0o077) !== 0) chmodSync(dir, 0o700);
}
