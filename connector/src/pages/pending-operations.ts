import { randomBytes, timingSafeEqual } from 'node:crypto';
import { ConnectorError } from '../errors.js';

/** What the user is asked to do on the connector's page. */
export type OperationKind = 'verify' | 'authenticate' | 'sign' | 'change' | 'consent';

/** The PIN(s) the user typed on the connector page; they live only for one attempt. */
export interface PinAttempt {
  pin: string;
  newPin?: string | undefined;
  allowLastTry: boolean;
}

/** What the page shows about the operation; every value is bounded and none is personal. */
export interface OperationView {
  kind: OperationKind;
  label: string;
  origin: string;
  readerId?: string | undefined;
  algorithm?: string | undefined;
  /** The digest to sign, hex (sign / authenticate). */
  digestHex?: string | undefined;
  /** The document name as the page gave it (sign). */
  documentName?: string | undefined;
}

export interface OperationSpec<T> extends OperationView {
  /** Run the card operation with what the user typed (PIN operations). */
  attempt?: (a: PinAttempt) => Promise<T>;
  /** The consent answer (consent operations). */
  answer?: (granted: boolean) => T;
}

export interface PendingOperation extends OperationView {
  readonly id: string;
  readonly csrf: string;
  readonly expiresAt: number;
  /** One attempt at a time: a second submit while the card works is refused. */
  busy: boolean;
  /** Last outcome the page must show (wrong PIN, last try refused), reset on every attempt. */
  attempt(a: PinAttempt): Promise<void>;
  answer(granted: boolean): void;
  cancel(): void;
}

/** An operation id: made by the SDK in the page (random, base64url), claimed by one GraphQL request. */
export const OPERATION_ID = /^[A-Za-z0-9_-]{16,64}$/;

export interface PendingOperationsOptions {
  /** How long the user has to finish, in ms. @default 180_000 */
  timeoutMs?: number;
  /** Most operations waiting at once (all applications together). @default 16 */
  maxPending?: number;
  /** Most operations waiting at once for one origin, so that one page cannot take every slot. @default 3 */
  maxPerOrigin?: number;
}

/**
 * Operations waiting for the user on the connector's own pages. A GraphQL request claims an
 * id the page made and waits; the page opened as a popup (/pin?op=<id>) finds it here, and its
 * same-origin form posts the PIN (or the consent answer) with the operation's CSRF secret.
 * The card work runs inside the connector: the host page receives only the outcome.
 */
export class PendingOperations {
  private readonly ops = new Map<string, PendingOperation>();
  /** Ids ever claimed (bounded): an id is single-use even after its operation ended. */
  private readonly used = new Set<string>();
  private readonly waiters = new Map<string, Set<() => void>>();
  private readonly timeoutMs: number;
  private readonly maxPending: number;
  private readonly maxPerOrigin: number;

  constructor({ timeoutMs = 180_000, maxPending = 16, maxPerOrigin = 3 }: PendingOperationsOptions = {}) {
    this.timeoutMs = timeoutMs;
    this.maxPending = maxPending;
    this.maxPerOrigin = maxPerOrigin;
  }

  /**
   * Claim `id` for an operation and wait for the user. Resolves with the operation's result;
   * rejects with USER_CANCELLED (cancel, timeout, the page went away) or the card's final error.
   */
  run<T>(id: string, spec: OperationSpec<T>, signal?: AbortSignal): Promise<T> {
    if (!OPERATION_ID.test(id)) throw new ConnectorError('INVALID_INPUT', 'operation must be 16-64 characters of A-Z a-z 0-9 _ -.');
    if (this.used.has(id)) throw new ConnectorError('OPERATION_NOT_FOUND', 'This operation id was already used.');
    const sameOrigin = [...this.ops.values()].filter((o) => o.origin === spec.origin).length;
    if (this.ops.size >= this.maxPending || sameOrigin >= this.maxPerOrigin) {
      throw new ConnectorError('RATE_LIMITED', 'Too many operations are waiting for the user.', { retryAfterSeconds: 5 });
    }
    if (this.used.size > 10_000) this.used.clear();
    this.used.add(id);

    return new Promise<T>((resolve, reject) => {
      let over = false;
      const finish = (f: () => void) => {
        if (over) return;
        over = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.ops.delete(id);
        f();
      };
      const cancelled = (reason: string) => finish(() => reject(new ConnectorError('USER_CANCELLED', 'The user cancelled.', { reason })));
      const onAbort = () => cancelled('request-closed');
      const timer = setTimeout(() => cancelled('timeout'), this.timeoutMs);
      timer.unref?.();
      signal?.addEventListener('abort', onAbort, { once: true });

      const { attempt, answer, ...view } = spec;
      const op: PendingOperation = {
        ...view,
        id,
        csrf: randomBytes(32).toString('base64url'),
        expiresAt: Date.now() + this.timeoutMs,
        busy: false,
        attempt: async (a) => {
          if (!attempt || over) throw new ConnectorError('OPERATION_NOT_FOUND', 'This operation does not take a PIN.');
          if (op.busy) throw new ConnectorError('RATE_LIMITED', 'The card is still working on the previous try.', { retryAfterSeconds: 1 });
          op.busy = true;
          try {
            const value = await attempt(a);
            finish(() => resolve(value));
          } catch (e) {
            // A wrong PIN, or the last try refused: the user may try again on the page.
            const code = (e as { code?: string }).code;
            if (code !== 'PIN_INCORRECT' && code !== 'PIN_LAST_TRY_REFUSED' && code !== 'INVALID_INPUT') finish(() => reject(e));
            throw e;
          } finally {
            op.busy = false;
          }
        },
        answer: (granted) => {
          if (!answer || over) throw new ConnectorError('OPERATION_NOT_FOUND', 'This operation does not ask for consent.');
          finish(() => resolve(answer(granted)));
        },
        cancel: () => cancelled('user'),
      };
      this.ops.set(id, op);
      for (const wake of this.waiters.get(id) ?? []) wake();
      this.waiters.delete(id);
      if (signal?.aborted) onAbort();
    });
  }

  get(id: string): PendingOperation | undefined {
    return this.ops.get(id);
  }

  /**
   * The operation `id`, waiting up to `ms` for its GraphQL request: the SDK opens the popup
   * first (inside the user's click) and sends the request right after, so the page may come first.
   */
  async waitFor(id: string, ms: number): Promise<PendingOperation | undefined> {
    if (!OPERATION_ID.test(id)) return undefined;
    const now = this.ops.get(id);
    if (now || this.used.has(id)) return now;
    if (this.waiters.size > 64) return undefined;
    await new Promise<void>((resolve) => {
      let set = this.waiters.get(id);
      if (!set) this.waiters.set(id, (set = new Set()));
      const wake = () => {
        clearTimeout(t);
        resolve();
      };
      const t = setTimeout(() => {
        set.delete(wake);
        if (set.size === 0) this.waiters.delete(id);
        resolve();
      }, ms);
      set.add(wake);
    });
    return this.ops.get(id);
  }

  /** Whether `given` is this operation's CSRF secret (constant time). */
  static csrfMatches(op: PendingOperation, given: string | null | undefined): boolean {
    if (typeof given !== 'string') return false;
    const a = Buffer.from(op.csrf);
    const b = Buffer.from(given);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  get size(): number {
    return this.ops.size;
  }
}
