import { GraphQLError } from 'graphql';
import type { ErrorCode } from './graphql/generated/resolvers.js';

export type { ErrorCode };

/**
 * Build an error without capturing a stack trace. Expected outcomes (no card, wrong PIN, a
 * refused origin) are values for the page, not bugs: their stacks are never read, and
 * capturing and formatting one costs more than the rest of such a request (measured: an
 * error answer (READER_NOT_FOUND) went from ~190 to ~120 us of CPU per request).
 */
export function withoutStack<T>(make: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return make();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * The one error type the connector throws on purpose. Its `code` is one of the schema's
 * ErrorCode values; `details` become GraphQL error extensions (never personal data).
 * Stackless (see withoutStack): where it was thrown is told by its code and message.
 */
export class ConnectorError extends GraphQLError {
  declare readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(message, { extensions: { code, ...details } });
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.code = code;
    this.name = 'ConnectorError';
  }
}

export const isConnectorError = (e: unknown): e is ConnectorError => e instanceof ConnectorError;

/** HTTP status for errors that stop a request before GraphQL runs. */
export const httpStatusOf: Partial<Record<ErrorCode, number>> = {
  HOST_NOT_ALLOWED: 421,
  ORIGIN_NOT_ALLOWED: 403,
  INVALID_TAG: 400,
  BODY_TOO_LARGE: 413,
  BAD_REQUEST: 400,
  QUERY_TOO_COMPLEX: 400,
  RATE_LIMITED: 429,
};
