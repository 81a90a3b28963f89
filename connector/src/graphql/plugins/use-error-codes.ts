import type { AfterValidateHook, Plugin } from '@envelop/core';
import { GraphQLError } from 'graphql';
import { ConnectorError, withoutStack } from '../../errors.js';
import { CardError } from '../../card/card-error.js';
import { connectorErrorOf } from '../card-errors.js';

/** HTTP status carried in `extensions.http` (yoga reads it and strips it from the body). */
const REQUEST_ERROR = { status: 400 };

/**
 * Every error leaving the connector carries an `extensions.code`. Errors thrown on purpose
 * (ConnectorError, and the card layer's CardError with the same code) pass through; anything unexpected is masked as INTERNAL so stack traces
 * and card or file details never reach a page. Syntax and validation errors are BAD_REQUEST,
 * answered with HTTP 400 (yoga would say 200 to an `application/json` client).
 */
export function createErrorMask(onUnexpected: (e: unknown) => void, codes: ReadonlySet<string> = new Set()): (error: unknown) => GraphQLError {
  return (error) => {
    if (!(error instanceof GraphQLError)) {
      onUnexpected(error);
      return new GraphQLError('Unexpected error.', { extensions: { code: 'INTERNAL' } });
    }
    let original = error.originalError;
    if (original instanceof CardError) original = connectorErrorOf(original);
    if (original instanceof ConnectorError) {
      // Already what the page should see (message, path, locations, the code's extensions):
      // answered as is, since each new GraphQLError costs ~10 us (measured).
      if (error.message === original.message && error.extensions === original.extensions) return withStatus(error);
      return withStatus(withoutStack(() => new GraphQLError(original!.message, { nodes: error.nodes, path: error.path, extensions: original.extensions })));
    }
    if (original && !(original instanceof GraphQLError)) {
      onUnexpected(original);
      return new GraphQLError('Unexpected error.', { nodes: error.nodes, path: error.path, extensions: { code: 'INTERNAL' } });
    }
    if (typeof error.extensions?.code === 'string' && codes.has(error.extensions.code) && !error.extensions.http) return withStatus(error);
    return requestError(error, codes);
  };
}

/** A ConnectorError refused before execution (no path) keeps its HTTP status. */
function withStatus(error: GraphQLError): GraphQLError {
  if (error.path || error.extensions.http) return error;
  const status = typeof error.extensions.httpStatus === 'number' ? error.extensions.httpStatus : error.extensions.code === 'BODY_TOO_LARGE' ? 413 : 400;
  return new GraphQLError(error.message, { nodes: error.nodes, positions: error.positions, source: error.source, extensions: { ...error.extensions, http: { status } } });
}

/** An error of the request itself (syntax, validation, method): BAD_REQUEST unless it has one of our codes. */
function requestError(error: GraphQLError, codes: ReadonlySet<string>): GraphQLError {
  const http = error.extensions?.http as { status?: number; headers?: Record<string, string> } | undefined;
  const own = typeof error.extensions?.code === 'string' && codes.has(error.extensions.code);
  const code = own ? error.extensions.code : error.path ? 'INTERNAL' : 'BAD_REQUEST';
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    path: error.path,
    positions: error.positions,
    source: error.source,
    extensions: {
      ...error.extensions,
      code,
      ...(error.path ? {} : { http: { ...(http?.headers ? { headers: http.headers } : {}), status: http?.status ?? REQUEST_ERROR.status } }),
    },
  });
}

/** Validation errors are returned, not thrown: they get their code and status here. */
export function useValidationErrorCodes(mask: (error: unknown) => GraphQLError): Plugin {
  // One hook for every request (no closure per validation).
  const afterValidate: AfterValidateHook<Record<string, unknown>> = ({ result, setResult }) => {
    if (result.length > 0) setResult(result.map((e) => mask(e)));
  };
  return {
    onValidate: () => afterValidate,
  };
}
