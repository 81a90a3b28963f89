import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { isoAt } from '../clock.js';
import { DsError } from '../errors.js';
import type { DashboardSession, Role, User } from '../store/repository.js';
import { auditEntry, userActor, type Actor } from './audit-entry.js';
import type { ServiceContext } from './context.js';
import { requireOrganisation } from './organisations.js';
import { checkPasswordPolicy, dummyHash, hashPassword, verifyPassword } from './passwords.js';

export const ROLES: readonly Role[] = ['admin', 'business'];

/** Dashboard users: `admin` changes everything it sees; `business` only reads. */
export type PublicUser = Omit<User, 'passwordHash'>;

export const publicUser = ({ passwordHash: _h, ...u }: User): PublicUser => u;

const EMAIL_RE = /^[^\s@<>"']{1,64}@[^\s@<>"']{1,190}$/;

export function normaliseEmail(email: string): string {
  const e = email.trim().toLowerCase();
  if (!EMAIL_RE.test(e) || e.length > 254) throw new DsError('INVALID_ARGUMENT', `not an email address: ${email.slice(0, 100)}`);
  return e;
}

function checkPassword(password: string): void {
  const problem = checkPasswordPolicy(password);
  if (problem) throw new DsError('INVALID_ARGUMENT', problem);
}

export async function createUser(
  ctx: ServiceContext,
  input: { email: string; role: string; password: string; org?: string | undefined; actor?: Actor | undefined },
): Promise<PublicUser> {
  const email = normaliseEmail(input.email);
  if (!ROLES.includes(input.role as Role)) throw new DsError('INVALID_ARGUMENT', `role is one of ${ROLES.join(', ')}`);
  checkPassword(input.password);
  const orgId = input.org ? (await requireOrganisation(ctx, input.org)).id : null;
  const now = isoAt(ctx.clock.now());
  const user: User = {
    id: randomUUID(),
    email,
    role: input.role as Role,
    orgId,
    passwordHash: await hashPassword(input.password),
    createdAt: now,
    passwordChangedAt: now,
    disabled: false,
  };
  await ctx.repo.users.createUser(user, auditEntry(ctx, input.actor, { orgId, action: 'user.create', target: email, details: { role: user.role } }));
  return publicUser(user);
}

export async function requireUser(ctx: ServiceContext, email: string): Promise<User> {
  const user = await ctx.repo.users.findUserByEmail(normaliseEmail(email));
  if (!user) throw new DsError('NOT_FOUND', `no user ${email}`);
  return user;
}

/** A new password ends every session of the user. */
export async function setPassword(ctx: ServiceContext, input: { email: string; password: string; actor?: Actor | undefined }): Promise<void> {
  const user = await requireUser(ctx, input.email);
  checkPassword(input.password);
  await ctx.repo.users.updateUser(
    user.id,
    { passwordHash: await hashPassword(input.password), passwordChangedAt: isoAt(ctx.clock.now()) },
    auditEntry(ctx, input.actor, { orgId: user.orgId, action: 'user.password', target: user.email }),
  );
  await ctx.repo.users.clearLoginFailures(throttleKey(user.email));
}

export async function setDisabled(ctx: ServiceContext, input: { email: string; disabled: boolean; actor?: Actor | undefined }): Promise<void> {
  const user = await requireUser(ctx, input.email);
  await ctx.repo.users.updateUser(
    user.id,
    { disabled: input.disabled },
    auditEntry(ctx, input.actor, { orgId: user.orgId, action: input.disabled ? 'user.disable' : 'user.enable', target: user.email }),
  );
}

export async function removeUser(ctx: ServiceContext, input: { email: string; actor?: Actor | undefined }): Promise<void> {
  const user = await requireUser(ctx, input.email);
  await ctx.repo.users.deleteUser(user.id, auditEntry(ctx, input.actor, { orgId: user.orgId, action: 'user.remove', target: user.email }));
}

export const listUsers = async (ctx: ServiceContext): Promise<PublicUser[]> => (await ctx.repo.users.listUsers()).map(publicUser);

// ---------------------------------------------------------------------------------------------
// Login with brute-force protection

export type LoginResult =
  | { ok: true; user: User }
  /** Wrong email or password (never says which). `lockedForSeconds` when this failure locked the account. */
  | { ok: false; reason: 'invalid'; lockedForSeconds?: number }
  /** Too many failures: refused without looking at the password. */
  | { ok: false; reason: 'locked'; retryAfterSeconds: number };

/** The throttle key: per account, also for emails that have no account (no enumeration). */
const throttleKey = (email: string): string => `account:${email}`;

/** Lock length after `failures` consecutive failures: base × 2^(failures − free), capped. */
export function lockSeconds(ctx: ServiceContext, failures: number): number {
  const c = ctx.config.dashboard;
  if (failures < c.loginFreeFailures) return 0;
  return Math.min(c.loginLockBaseSeconds * 2 ** Math.min(failures - c.loginFreeFailures, 30), c.loginLockMaxSeconds);
}

/**
 * Attempts on one account run one after the other inside a process, so parallel guesses
 * cannot all slip past the lock check before the first failure is counted.
 */
const accountQueues = new Map<string, Promise<unknown>>();
function serialised<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const previous = accountQueues.get(key) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  accountQueues.set(key, settled);
  void settled.then(() => {
    if (accountQueues.get(key) === settled) accountQueues.delete(key);
  });
  return run;
}

/**
 * Email + password → user. After `loginFreeFailures` consecutive failures the account is locked
 * for `loginLockBaseSeconds`, doubling with every further failure up to `loginLockMaxSeconds`;
 * while locked every attempt is refused, even with the right password. Success clears the count.
 */
export async function login(ctx: ServiceContext, emailInput: string, password: string): Promise<LoginResult> {
  let email: string;
  try {
    email = normaliseEmail(emailInput);
  } catch {
    email = emailInput.trim().toLowerCase().slice(0, 254);
  }
  const key = throttleKey(email);
  return serialised(key, async (): Promise<LoginResult> => {
    const now = ctx.clock.now();
    const throttle = await ctx.repo.users.getLoginThrottle(key);
    if (throttle?.lockedUntil && Date.parse(throttle.lockedUntil) > now) {
      return { ok: false, reason: 'locked', retryAfterSeconds: Math.ceil((Date.parse(throttle.lockedUntil) - now) / 1000) };
    }
    const user = await ctx.repo.users.findUserByEmail(email);
    const valid = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
    if (user && valid && !user.disabled) {
      if (throttle) await ctx.repo.users.clearLoginFailures(key);
      const audit = auditEntry(ctx, userActor(user.email), { orgId: user.orgId, action: 'login', target: user.email });
      if (audit) await ctx.repo.audit.addAudit(audit);
      return { ok: true, user };
    }
    const failures = await ctx.repo.users.recordLoginFailure(key, isoAt(now));
    const lock = lockSeconds(ctx, failures);
    if (lock > 0) {
      await ctx.repo.users.setLoginLock(key, isoAt(now + lock * 1000));
      return { ok: false, reason: 'invalid', lockedForSeconds: lock };
    }
    return { ok: false, reason: 'invalid' };
  });
}

// ---------------------------------------------------------------------------------------------
// Sessions: a random 256-bit token in the cookie, only its SHA-256 in the database.

export const hashSessionToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

export async function startSession(ctx: ServiceContext, user: User): Promise<{ token: string; session: DashboardSession }> {
  const now = ctx.clock.now();
  const token = randomBytes(32).toString('base64url');
  const session: DashboardSession = {
    idHash: hashSessionToken(token),
    userId: user.id,
    createdAt: isoAt(now),
    lastSeenAt: isoAt(now),
    expiresAt: isoAt(now + ctx.config.dashboard.sessionMaxSeconds * 1000),
  };
  await ctx.repo.users.pruneSessions(isoAt(now));
  await ctx.repo.users.createSession(session);
  return { token, session };
}

/** The session and its user, or undefined when unknown, idle too long, expired, or the user is disabled. */
export async function resolveSession(ctx: ServiceContext, token: string): Promise<{ session: DashboardSession; user: User } | undefined> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  const idHash = hashSessionToken(token);
  const session = await ctx.repo.users.findSession(idHash);
  if (!session) return undefined;
  const now = ctx.clock.now();
  const idleEnd = Date.parse(session.lastSeenAt) + ctx.config.dashboard.sessionIdleSeconds * 1000;
  if (Date.parse(session.expiresAt) <= now || idleEnd <= now) {
    await ctx.repo.users.deleteSession(idHash);
    return undefined;
  }
  const user = await ctx.repo.users.findUser(session.userId);
  if (!user || user.disabled) return undefined;
  // Touch at most once a minute: a page view should not always cost a write.
  if (now - Date.parse(session.lastSeenAt) >= 60_000) await ctx.repo.users.touchSession(idHash, isoAt(now));
  return { session, user };
}

export async function endSession(ctx: ServiceContext, token: string): Promise<void> {
  await ctx.repo.users.deleteSession(hashSessionToken(token));
}

/** The dashboard's signing secret: generated once, kept in the database, shared by every DS instance on it. */
export const dashboardSecret = (ctx: ServiceContext): Promise<string> =>
  ctx.repo.users.getOrCreateSecret('dashboard', () => randomBytes(32).toString('base64url'), isoAt(ctx.clock.now()));
