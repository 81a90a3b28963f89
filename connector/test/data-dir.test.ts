import { describe, expect, it } from 'vitest';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestConnector } from './helpers/test-connector.js';
import { ensurePrivateDir } from '../src/store/data-dir.js';
import { openDatabase } from '../src/store/database.js';

const mode = (p: string) => statSync(p).mode & 0o777;

describe('data dir permissions', () => {
  it('tightens a data dir made beforehand with loose permissions to 0700, and the store to 0600', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'cardlink-perm-')), 'data');
    mkdirSync(dir, { mode: 0o777 });
    chmodSync(dir, 0o777);
    // A store left readable by a previous version.
    writeFileSync(join(dir, 'connector.db'), '');
    chmodSync(join(dir, 'connector.db'), 0o644);
    const t = await startTestConnector({ dataDir: dir });
    try {
      expect(mode(dir)).toBe(0o700);
      // A write makes sure the WAL exists; -shm exists while the store is open.
      await t.query('{ info { version } }');
      t.c.state.set('probe', 1);
      for (const f of ['connector.db', 'connector.db-wal', 'connector.db-shm']) expect({ f, mode: mode(join(dir, f)) }).toEqual({ f, mode: 0o600 });
    } finally {
      await t.close();
    }
  });

  it('creates a new store 0600 in a new 0700 dir', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'cardlink-perm-')), 'a', 'b');
    ensurePrivateDir(dir);
    const db = openDatabase(join(dir, 'connector.db'));
    try {
      db.exec("INSERT INTO state (key, value) VALUES ('probe', '1')");
      expect(mode(dir)).toBe(0o700);
      for (const f of ['connector.db', 'connector.db-wal', 'connector.db-shm']) expect({ f, mode: mode(join(dir, f)) }).toEqual({ f, mode: 0o600 });
    } finally {
      db.close();
    }
  });

  it('refuses a data dir owned by another user, and a symlink', () => {
    const base = mkdtempSync(join(tmpdir(), 'cardlink-perm-'));
    const theirs = join(base, 'theirs');
    mkdirSync(theirs, { mode: 0o700 });
    // The tests run as root here: root can give the dir away; as another user chown would fail.
    expect(process.getuid?.(), 'this test needs to chown a directory (run as root)').toBe(0);
    chownSync(theirs, 4242, 4242);
    expect(() => ensurePrivateDir(theirs)).toThrow(expect.objectContaining({ code: 'DATA_DIR_UNSAFE' }));
    expect(mode(theirs)).toBe(0o700);
    const link = join(base, 'link');
    const real = join(base, 'real');
    mkdirSync(real, { mode: 0o700 });
    symlinkSync(real, link);
    expect(() => ensurePrivateDir(link)).toThrow(expect.objectContaining({ code: 'DATA_DIR_UNSAFE' }));
  });
});
