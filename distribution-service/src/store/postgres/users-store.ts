import { DsError } from '../../errors.js';
import type { AuditEntry } from '../audit.js';
import type { DashboardSession, LoginThrottle, Role, User, UserStore } from '../users.js';
import { isUniqueViolation, num, type PgDb } from './pg-db.js';
import { toUser, toSession } from '../users-rows.js';

export class PgUserStore implements UserStore {
  constructor(private readonly p: PgDb) {}

  async createUser(user: User, audit?: AuditEntry): Promise<User> {
    try {
      await this.p.tx(async (c) => {
        await c.query(
          `INSERT INTO users (id, email, role, org_id, password_hash, created_at, password_changed_at, disabled)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [user.id, user.email, user.role, user.orgId, user.passwordHash, user.createdAt, user.passwordChangedAt, user.disabled],
        );
        await this.p.writeAudit(c, audit);
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new DsError('CONFLICT', `a user ${user.email} already exists`);
      throw e;
    }
    return user;
  }

  async findUser(id: string): Promise<User | undefined> {
    const r = await this.p.one('SELECT * FROM users WHERE id = $1', [id]);
    return r && toUser(r);
  }

  async findUserByEmail(email: string): Promise<User | undefined> {
    const r = await this.p.one('SELECT * FROM users WHERE email = $1', [email]);
    return r && toUser(r);
  }

  async listUsers(): Promise<User[]> {
    return (await this.p.rows('SELECT * FROM users ORDER BY email')).map(toUser);
  }

  async updateUser(
    id: string,
    patch: { passwordHash?: string; passwordChangedAt?: string; role?: Role; orgId?: string | null; disabled?: boolean },
    audit?: AuditEntry,
  ): Promise<User> {
    await this.p.tx(async (c) => {
      if (!(await c.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [id])).rowCount) throw new DsError('NOT_FOUND', 'no such user');
      if (patch.passwordHash !== undefined) {
        await c.query('UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3', [patch.passwordHash, patch.passwordChangedAt ?? null, id]);
      }
      if (patch.role !== undefined) await c.query('UPDATE users SET role = $1 WHERE id = $2', [patch.role, id]);
      if (patch.orgId !== undefined) await c.query('UPDATE users SET org_id = $1 WHERE id = $2', [patch.orgId, id]);
      if (patch.disabled !== undefined) await c.query('UPDATE users SET disabled = $1 WHERE id = $2', [patch.disabled, id]);
      // Whoever held a session under the old password or before the change loses it.
      if (patch.passwordHash !== undefined || patch.disabled || patch.role !== undefined || patch.orgId !== undefined) {
        await c.query('DELETE FROM dashboard_sessions WHERE user_id = $1', [id]);
      }
      await this.p.writeAudit(c, audit);
    });
    return (await this.findUser(id))!;
  }

  async deleteUser(id: string, audit?: AuditEntry): Promise<boolean> {
    return this.p.tx(async (c) => {
      await c.query('DELETE FROM dashboard_sessions WHERE user_id = $1', [id]);
      const r = await c.query('DELETE FROM users WHERE id = $1', [id]);
      if (r.rowCount) await this.p.writeAudit(c, audit);
      return Boolean(r.rowCount);
    });
  }

  async createSession(x: DashboardSession): Promise<void> {
    await this.p.pool.query('INSERT INTO dashboard_sessions (id_hash, user_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [
      x.idHash, x.userId, x.createdAt, x.lastSeenAt, x.expiresAt,
    ]);
  }

  async findSession(idHash: string): Promise<DashboardSession | undefined> {
    const r = await this.p.one('SELECT * FROM dashboard_sessions WHERE id_hash = $1', [idHash]);
    return r && toSession(r);
  }

  async touchSession(idHash: string, lastSeenAt: string): Promise<void> {
    await this.p.pool.query('UPDATE dashboard_sessions SET last_seen_at = $1 WHERE id_hash = $2', [lastSeenAt, idHash]);
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.p.pool.query('DELETE FROM dashboard_sessions WHERE id_hash = $1', [idHash]);
  }

  async pruneSessions(at: string): Promise<number> {
    return (await this.p.pool.query('DELETE FROM dashboard_sessions WHERE expires_at <= $1', [at])).rowCount ?? 0;
  }

  async getLoginThrottle(key: string): Promise<LoginThrottle | undefined> {
    const r = await this.p.one('SELECT * FROM login_throttle WHERE key = $1', [key]);
    return (
      r && {
        key: r.key as string,
        failures: num(r.failures),
        lastFailureAt: r.last_failure_at as string,
        lockedUntil: (r.locked_until as string | null) ?? null,
      }
    );
  }

  async recordLoginFailure(key: string, at: string): Promise<number> {
    const r = await this.p.one<{ failures: number }>(
      `INSERT INTO login_throttle (key, failures, last_failure_at) VALUES ($1, 1, $2)
       ON CONFLICT (key) DO UPDATE SET failures = login_throttle.failures + 1, last_failure_at = excluded.last_failure_at
       RETURNING failures`,
      [key, at],
    );
    return num(r!.failures);
  }

  async setLoginLock(key: string, lockedUntil: string | null): Promise<void> {
    await this.p.pool.query('UPDATE login_throttle SET locked_until = $1 WHERE key = $2', [lockedUntil, key]);
  }

  async clearLoginFailures(key: string): Promise<void> {
    await this.p.pool.query('DELETE FROM login_throttle WHERE key = $1', [key]);
  }

  async getOrCreateSecret(name: string, create: () => string, at: string): Promise<string> {
    // Replicas starting at once: the first insert wins and every one reads it back.
    await this.p.pool.query('INSERT INTO secrets (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING', [name, create(), at]);
    return (await this.p.one<{ value: string }>('SELECT value FROM secrets WHERE name = $1', [name]))!.value;
  }
}
