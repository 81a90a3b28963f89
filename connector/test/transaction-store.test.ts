import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/store/database.js';
import { TransactionStore } from '../src/transactions/transaction-store.js';

const fresh = () => {
  const path = join(mkdtempSync(join(tmpdir(), 'cardlink-tx-')), 'c.db');
  return { path, db: openDatabase(path) };
};

describe('transaction store (SQLite)', () => {
  it('records with a random id and keeps records in an outbox until acknowledged', () => {
    const { db } = fresh();
    const s = new TransactionStore(db);
    const a = s.record({ useCase: 'IDENTITY_READ', module: 'beid', result: 'OK', label: 'app', tag: 'page-1' });
    const b = s.record({ useCase: 'SIGNATURE', module: 'beid', result: 'PIN_INCORRECT', label: 'app', tag: null });
    expect(a.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.id).not.toBe(b.id);
    expect(s.pending(10).map((t) => t.id)).toEqual([a.id, b.id]);
    expect(s.acknowledge([a.id, 'unknown-id'])).toBe(1);
    expect(s.pending(10).map((t) => t.id)).toEqual([b.id]);
    expect(s.acknowledge([a.id])).toBe(0);
  });

  it('survives reopening (WAL, migrations run once)', () => {
    const { path, db } = fresh();
    new TransactionStore(db).record({ useCase: 'FILE_PRINT', module: 'files', result: 'OK', label: 'x', tag: 't' });
    db.close();
    const again = openDatabase(path);
    expect(again.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(again.pragma('user_version', { simple: true })).toBe(2);
    expect(new TransactionStore(again).pendingCount()).toBe(1);
  });

  it('refuses an unknown use case at the database level', () => {
    const { db } = fresh();
    const s = new TransactionStore(db);
    expect(() => s.record({ useCase: 'NAME_LOOKUP' as never, module: 'x', result: 'OK', label: 'a', tag: null })).toThrow(/CHECK/);
  });

  it('summarises per use case and tag for one label and time range', () => {
    const { db } = fresh();
    const s = new TransactionStore(db);
    const at = (d: string) => `${d}T10:00:00.000Z`;
    s.record({ useCase: 'IDENTITY_READ', module: 'beid', result: 'OK', label: 'a', tag: 't1', occurredAt: at('2026-01-01') });
    s.record({ useCase: 'IDENTITY_READ', module: 'beid', result: 'OK', label: 'a', tag: 't1', occurredAt: at('2026-01-02') });
    s.record({ useCase: 'IDENTITY_READ', module: 'beid', result: 'OK', label: 'a', tag: null, occurredAt: at('2026-01-02') });
    s.record({ useCase: 'SIGNATURE', module: 'beid', result: 'OK', label: 'b', tag: 't1', occurredAt: at('2026-01-02') });
    s.record({ useCase: 'IDENTITY_READ', module: 'beid', result: 'OK', label: 'a', tag: 't1', occurredAt: at('2026-03-01') });
    expect(s.summary('a', at('2026-01-01'), at('2026-02-01'))).toEqual([
      { useCase: 'IDENTITY_READ', tag: null, count: 1 },
      { useCase: 'IDENTITY_READ', tag: 't1', count: 2 },
    ]);
  });
});
