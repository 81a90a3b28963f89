/**
 * Every error the DS produces on purpose carries a stable `code` that clients branch on
 * (PROTOCOL.md lists them) and the HTTP status it maps to. Messages are for people and logs.
 */
export type DsErrorCode =
  | 'INVALID_JSON'
  | 'JSON_TOO_DEEP'
  | 'INVALID_REQUEST'
  | 'INVALID_CSR'
  | 'CSR_KEY_NOT_ALLOWED'
  | 'CSR_NAMES_NOT_ALLOWED'
  | 'CSR_KEY_REUSED'
  | 'RENEWAL_NOT_DUE'
  | 'INVALID_TOKEN'
  | 'AUTH_MISSING'
  | 'AUTH_UNKNOWN_DEVICE'
  | 'AUTH_CLOCK_SKEW'
  | 'AUTH_BAD_SIGNATURE'
  | 'AUTH_REPLAY'
  | 'NOT_FOUND'
  | 'KEY_ALREADY_REGISTERED'
  | 'CONFLICT'
  | 'BODY_TOO_LARGE'
  | 'BATCH_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'INVALID_ORIGIN'
  | 'INVALID_ARGUMENT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  | 'STORE_UNAVAILABLE'
  | 'INTERNAL';

export const httpStatusOf: Record<DsErrorCode, number> = {
  INVALID_JSON: 400,
  JSON_TOO_DEEP: 400,
  INVALID_REQUEST: 400,
  INVALID_CSR: 400,
  CSR_KEY_NOT_ALLOWED: 400,
  CSR_NAMES_NOT_ALLOWED: 400,
  CSR_KEY_REUSED: 400,
  RENEWAL_NOT_DUE: 400,
  INVALID_TOKEN: 401,
  AUTH_MISSING: 401,
  AUTH_UNKNOWN_DEVICE: 401,
  AUTH_CLOCK_SKEW: 401,
  AUTH_BAD_SIGNATURE: 401,
  AUTH_REPLAY: 401,
  NOT_FOUND: 404,
  KEY_ALREADY_REGISTERED: 409,
  CONFLICT: 409,
  BODY_TOO_LARGE: 413,
  BATCH_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INVALID_ORIGIN: 400,
  INVALID_ARGUMENT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  STORE_UNAVAILABLE: 503,
  INTERNAL: 500,
};

export class DsError extends Error {
  readonly code: DsErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: DsErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'DsError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return httpStatusOf[this.code];
  }

  /** The wire shape: `{ error: { code, message, details? } }`. */
  toBody(): { error: { code: DsErrorCode; message: string; details?: Record<string, unknown> } } {
    return { error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } };
  }
}

export const isDsError = (e: unknown): e is DsError => e instanceof DsError;

/** For checks whose failure is an ordinary outcome (a refused CSR during sync), not a throw. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: DsError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(code: DsErrorCode, message: string, details?: Record<string, unknown>): Result<T> => ({
  ok: false,
  error: new DsError(code, message, details),
});
