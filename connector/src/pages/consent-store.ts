import type { Db } from '../store/database.js';

export interface OriginActivity {
  origin: string;
  label: string;
  /** When the user allowed this origin to read the card (ONCE_PER_ORIGIN), or null. */
  consentAt: string | null;
  /** When a page of this origin last used the card, or null. */
  lastUsedAt: string | null;
}

/**
 * Per origin, on this machine: the user's consent to identity reads and the last use of the
 * card, for the settings page. Origins and labels only: nothing about the citizen.
 * Consent "every session" lives in memory and is dropped when the card is removed.
 */
export class ConsentStore {
  private readonly grantStmt;
  private readonly usedStmt;
  private readonly forgetStmt;
  private readonly getStmt;
  private readonly allStmt;
  private readonly session = new Set<string>();
  private readonly lastWrite = new Map<string, number>();

  constructor(db: Db, private readonly now = () => new Date().toISOString()) {
    this.grantStmt = db.prepare(
      `INSERT INTO origin_activity (origin, label, consent_at) VALUES (?, ?, ?)
       ON CONFLICT(origin) DO UPDATE SET label = excluded.label, consent_at = excluded.consent_at`,
    );
    this.usedStmt = db.prepare(
      `INSERT INTO origin_activity (origin, label, last_used_at) VALUES (?, ?, ?)
       ON CONFLICT(origin) DO UPDATE SET label = excluded.label, last_used_at = excluded.last_used_at`,
    );
    this.forgetStmt = db.prepare('DELETE FROM origin_activity WHERE origin = ?');
    this.getStmt = db.prepare<[string], { consentAt: string | null }>('SELECT consent_at AS consentAt FROM origin_activity WHERE origin = ?');
    this.allStmt = db.prepare<[], OriginActivity>(
      'SELECT origin, label, consent_at AS consentAt, last_used_at AS lastUsedAt FROM origin_activity ORDER BY origin LIMIT 1000',
    );
  }

  /** Whether `origin` may read identity data under `mode` without asking. */
  allowed(origin: string, mode: 'OFF' | 'ONCE_PER_ORIGIN' | 'EVERY_SESSION'): boolean {
    if (mode === 'OFF') return true;
    if (mode === 'EVERY_SESSION') return this.session.has(origin);
    return this.getStmt.get(origin)?.consentAt != null;
  }

  grant(origin: string, label: string, mode: 'ONCE_PER_ORIGIN' | 'EVERY_SESSION'): void {
    if (mode === 'EVERY_SESSION') {
      if (this.session.size > 1000) this.session.clear();
      this.session.add(origin);
    } else {
      this.grantStmt.run(origin, label, this.now());
    }
  }

  /** The card left: consents given "for this session" end. */
  endSession(): void {
    this.session.clear();
  }

  /** Record a use of the card; written at most once a minute per origin (a page may call often). */
  usedCard(origin: string, label: string, at = Date.now()): void {
    if ((this.lastWrite.get(origin) ?? -Infinity) > at - 60_000) return;
    if (this.lastWrite.size > 1000) this.lastWrite.clear();
    this.lastWrite.set(origin, at);
    this.usedStmt.run(origin, label, this.now());
  }

  /** Forget everything about `origin` (consent and last use). */
  forget(origin: string): boolean {
    this.session.delete(origin);
    this.lastWrite.delete(origin);
    return this.forgetStmt.run(origin).changes > 0;
  }

  list(): OriginActivity[] {
    return this.allStmt.all();
  }
}
