import { v7 as uuidv7 } from 'uuid';
import type { Db } from '../store/database.js';
import type { UseCase as ProtocolUseCase } from '@cardlink/ds-protocol';
import type { UseCase } from '../graphql/generated/resolvers.js';

export type { UseCase };

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** The GraphQL schema's use cases are the DS protocol's (they are billed by name): a drift fails the type check. */
export const USE_CASES_MATCH_THE_DS_PROTOCOL: Same<UseCase, ProtocolUseCase> = true;

/**
 * One anonymised usage record. By construction it holds no personal data: no names,
 * numbers, PINs, file names or contents - only what billing needs.
 */
export interface Transaction {
  id: string;
  useCase: UseCase;
  module: string;
  /** 'OK' or the ErrorCode the operation ended with. */
  result: string;
  occurredAt: string;
  label: string;
  tag: string | null;
}

export interface UsageRow {
  useCase: UseCase;
  tag: string | null;
  count: number;
}

/** The single writer of transactions; resolvers call `record`, never SQL. */
export class TransactionStore {
  private readonly insert;
  private readonly pendingStmt;
  private readonly ackStmt;
  private readonly summaryStmt;
  private readonly countPendingStmt;

  constructor(private readonly db: Db) {
    this.insert = db.prepare(
      `INSERT INTO transactions (id, use_case, module, result, occurred_at, label, tag)
       VALUES (@id, @useCase, @module, @result, @occurredAt, @label, @tag)`,
    );
    this.pendingStmt = db.prepare<[number], Record<string, unknown>>(
      `SELECT id, use_case AS useCase, module, result, occurred_at AS occurredAt, label, tag
       FROM transactions WHERE synced_at IS NULL ORDER BY seq LIMIT ?`,
    );
    this.ackStmt = db.prepare('UPDATE transactions SET synced_at = ? WHERE id = ? AND synced_at IS NULL');
    this.summaryStmt = db.prepare<[string, string, string], UsageRow>(
      `SELECT use_case AS useCase, tag, COUNT(*) AS count FROM transactions
       WHERE label = ? AND occurred_at >= ? AND occurred_at < ?
       GROUP BY use_case, tag ORDER BY use_case, tag`,
    );
    this.countPendingStmt = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM transactions WHERE synced_at IS NULL');
  }

  /** Write one record (synchronously, so it is durable before the response goes out). */
  record(t: Omit<Transaction, 'id' | 'occurredAt'> & Partial<Pick<Transaction, 'id' | 'occurredAt'>>): Transaction {
    // Time-ordered ids (UUIDv7): the DS's (device, id) index takes them in order, much faster than random ones.
    const tx: Transaction = { id: t.id ?? uuidv7(), occurredAt: t.occurredAt ?? new Date().toISOString(), ...t } as Transaction;
    this.insert.run(tx);
    return tx;
  }

  /** Oldest records not yet acknowledged by the DS (the outbox). */
  pending(limit: number): Transaction[] {
    return this.pendingStmt.all(limit) as unknown as Transaction[];
  }

  pendingCount(): number {
    return this.countPendingStmt.get()!.n;
  }

  /** Mark acknowledged ids as synced; unknown ids are ignored. */
  acknowledge(ids: readonly string[], at = new Date().toISOString()): number {
    let n = 0;
    this.db.transaction(() => {
      for (const id of ids) n += this.ackStmt.run(at, id).changes;
    })();
    return n;
  }

  summary(label: string, from: string, to: string): UsageRow[] {
    return this.summaryStmt.all(label, from, to);
  }
}
