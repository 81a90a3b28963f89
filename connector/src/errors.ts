import { GraphQLError } from 'graphql';
import type { ErrorCode } from './graphql/generated/resolvers.js';

export type { ErrorCode };

/**
 * The one error type the connector throws on purpose. Its `code` is one of the schema's
 * ErrorCode values; `details` become GraphQL error extensions (never personal data).
 */
export class ConnectorError extends GraphQLError {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...details } });
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
