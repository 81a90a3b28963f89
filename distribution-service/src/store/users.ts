import type { AuditEntry } from './audit.js';

export type Role = 'admin' | 'business';

export interface User {
  id: string;
  /** Lowercase. */
  email: string;
  role: Role;
  /** null: every organisation; otherwise the only one this user sees. */
  orgId: string | null;
  /** scrypt$N$r$p$salt$hash (see services/passwords.ts). */
  passwordHash: string;
  createdAt: string;
  passwordChangedAt: string;
  disabled: boolean;
}

export interface DashboardSession {
  /** SHA-256 of the cookie value: a database leak yields no usable session. */
  idHash: string;
  userId: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
}

export interface LoginThrottle {
  key: string;
  failures: number;
  lastFailureAt: string;
  lockedUntil: string | null;
}

/**
 * Dashboard users, their sessions, login throttling counters and the dashboard's shared
 * secrets: all in the database, so every DS instance on it sees the same.
 */
export interface UserStore {
  /** CONFLICT when the email exists. */
  createUser(user: User, audit?: AuditEntry): Promise<User>;
  findUser(id: string): Promise<User | undefined>;
  findUserByEmail(email: string): Promise<User | undefined>;
  listUsers(): Promise<User[]>;
  /** A new password, a new role or organisation, or disabling the user also ends all of the user's sessions. */
  updateUser(
    id: string,
    patch: { passwordHash?: string; passwordChangedAt?: string; role?: Role; orgId?: string | null; disabled?: boolean },
    audit?: AuditEntry,
  ): Promise<User>;
  deleteUser(id: string, audit?: AuditEntry): Promise<boolean>;
  createSession(session: DashboardSession): Promise<void>;
  findSession(idHash: string): Promise<DashboardSession | undefined>;
  touchSession(idHash: string, lastSeenAt: string): Promise<void>;
  deleteSession(idHash: string): Promise<void>;
  /** Drops sessions that expired before `at`; returns how many. */
  pruneSessions(at: string): Promise<number>;

  // login throttling (per account key)
  getLoginThrottle(key: string): Promise<LoginThrottle | undefined>;
  /** Atomically counts one more failure; returns the new count. */
  recordLoginFailure(key: string, at: string): Promise<number>;
  setLoginLock(key: string, lockedUntil: string | null): Promise<void>;
  clearLoginFailures(key: string): Promise<void>;

  /** A named random secret, created once and then shared by every DS instance on this database. */
  getOrCreateSecret(name: string, create: () => string, at: string): Promise<string>;
}
