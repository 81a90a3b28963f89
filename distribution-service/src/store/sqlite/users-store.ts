import { DsError } from '../../errors.js';
import type { AuditEntry } from '../audit.js';
import type { DashboardSession, LoginThrottle, Role, User, UserStore } from '../users.js';
import { isUniqueViolation, type Row, type SqliteDb } from './sqlite-db.js';
import { toUser, toSession } from '../users-rows.js';

export class SqliteUserStore implements UserStore {
  constructor(private readonly s: SqliteDb) {}

  async createUser(user: User, audit?: AuditEntry): Promise<User> {
    try {
      this.s.write(() => {
        this.s.stmt(
          `INSERT INTO users (id, email, role, org_id, password_hash, created_at, password_changed_at, disabled)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(user.id, user.email, user.role, user.orgId, user.passwordHash, user.createdAt, user.passwordChangedAt, user.disabled ? 1 : 0);
        this.s.writeAudit(audit);
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new DsError('CONFLICT', `a user ${user.email} already exists`);
      throw e;
    }
    return user;
  }

  async findUser(id: string): Promise<User | undefined> {
    const r = this.s.stmt('SELECT * FROM users WHERE id = ?').get(id) as Row | undefined;
    return r && toUser(r);
  }

  async findUserByEmail(email: string): Promise<User | undefined> {
    const r = this.s.stmt('SELECT * FROM users WHERE email = ?').get(email) as Row | undefined;
    return r && toUser(r);
  }

  async listUsers(): Promise<User[]> {
    return (this.s.stmt('SELECT * FROM users ORDER BY email').all() as Row[]).map(toUser);
  }

  async updateUser(
    id: string,
    patch: { passwordHash?: string; passwordChangedAt?: string; role?: Role; orgId?: string | null; disabled?: boolean },
    audit?: AuditEntry,
  ): Promise<User> {
    this.s.write(() => {
      if (!this.s.stmt('SELECT 1 FROM users WHERE id = ?').get(id)) throw new DsError('NOT_FOUND', 'no such user');
      if (patch.passwordHash !== undefined) {
        this.s.stmt('UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?').run(patch.passwordHash, patch.passwordChangedAt ?? null, id);
      }
      if (patch.role !== undefined) this.s.stmt('UPDATE users SET role = ? WHERE id = ?').run(patch.role, id);
      if (patch.orgId !== undefined) this.s.stmt('UPDATE users SET org_id = ? WHERE id = ?').run(patch.orgId, id);
      if (patch.disabled !== undefined) this.s.stmt('UPDATE users SET disabled = ? WHERE id = ?').run(patch.disabled ? 1 : 0, id);
      // Whoever held a session under the old password or before the change loses it.
      if (patch.passwordHash !== undefined || patch.disabled || patch.role !== undefined || patch.orgId !== undefined) {
        this.s.stmt('DELETE FROM dashboard_sessions WHERE user_id = ?').run(id);
      }
      this.s.writeAudit(audit);
    });
    return (await this.findUser(id))!;
  }

  async deleteUser(id: string, audit?: AuditEntry): Promise<boolean> {
    return this.s.write(() => {
      this.s.stmt('DELETE FROM dashboard_sessions WHERE user_id = ?').run(id);
      const r = this.s.stmt('DELETE FROM users WHERE id = ?').run(id);
      if (r.changes > 0) this.s.writeAudit(audit);
      return r.changes > 0;
    });
  }

  async createSession(x: DashboardSession): Promise<void> {
    this.s.stmt('INSERT INTO dashboard_sessions (id_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)')
      .run(x.idHash, x.userId, x.createdAt, x.lastSeenAt, x.expiresAt);
  }

  async findSession(idHash: string): Promise<DashboardSession | undefined> {
    const r = this.s.stmt('SELECT * FROM dashboard_sessions WHERE id_hash = ?').get(idHash) as Row | undefined;
    return r && toSession(r);
  }

  async touchSession(idHash: string, lastSeenAt: string): Promise<void> {
    this.s.stmt('UPDATE dashboard_sessions SET last_seen_at = ? WHERE id_hash = ?').run(lastSeenAt, idHash);
  }

  async deleteSession(idHash: string): Promise<void> {
    this.s.stmt('DELETE FROM dashboard_sessions WHERE id_hash = ?').run(idHash);
  }

  async pruneSessions(at: string): Promise<number> {
    return this.s.stmt('DELETE FROM dashboard_sessions WHERE expires_at <= ?').run(at).changes;
  }

  async getLoginThrottle(key: string): Promise<LoginThrottle | undefined> {
    const r = this.s.stmt('SELECT * FROM login_throttle WHERE key = ?').get(key) as Row | undefined;
    return (
      r && {
        key: r.key as string,
        failures: r.failures as number,
        lastFailureAt: r.last_failure_at as string,
        lockedUntil: (r.locked_until as string | null) ?? null,
      }
    );
  }

  async recordLoginFailure(key: string, at: string): Promise<number> {
    return this.s.stmt(
      `INSERT INTO login_throttle (key, failures, last_failure_at) VALUES (?, 1, ?)
       ON CONFLICT (key) DO UPDATE SET failures = failures + 1, last_failure_at = excluded.last_failure_at
       RETURNING failures`,
    )
      .pluck()
      .get(key, at) as number;
  }

  async setLoginLock(key: string, lockedUntil: string | null): Promise<void> {
    this.s.stmt('UPDATE login_throttle SET locked_until = ? WHERE key = ?').run(lockedUntil, key);
  }

  async clearLoginFailures(key: string): Promise<void> {
    this.s.stmt('DELETE FROM login_throttle WHERE key = ?').run(key);
  }

  async getOrCreateSecret(name: string, create: () => string, at: string): Promise<string> {
    // Two instances starting at once: the first insert wins and both read it back.
    this.s.stmt('INSERT INTO secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING').run(name, create(), at);
    return this.s.stmt('SELECT value FROM secrets WHERE name = ?').pluck().get(name) as string;
  }
}
