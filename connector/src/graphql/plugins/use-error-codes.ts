import { useMaskedErrors, type Plugin } from '@envelop/core';
import { GraphQLError } from 'graphql';
import { ConnectorError, withoutStack } from '../../errors.js';
import { CardError } from '../../card/card-error.js';
import { connectorErrorOf } from '../card-errors.js';

/**
 * Every error leaving the connector carries an `extensions.code`. Errors thrown on purpose
 * (ConnectorError, and the card layer's CardError with the same code) pass through; anything unexpected is masked as INTERNAL so stack traces
 * and card or file details never reach a page. Syntax and validation errors are BAD_REQUEST.
 */
export function createErrorMask(onUnexpected: (e: unknown) => void): (error: unknown) => GraphQLError {
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
      if (error.message === original.message && error.extensions === original.extensions) return error;
      return withoutStack(() => new GraphQLError(original.message, { nodes: error.nodes, path: error.path, extensions: original.extensions }));
    }
    if (original && !(original instanceof GraphQLError)) {
      onUnexpected(original);
      return new GraphQLError('Unexpected error.', { nodes: error.nodes, path: error.path, extensions: { code: 'INTERNAL' } });
    }
    if (error.extensions?.code) return error;
    return new GraphQLError(error.message, {
      nodes: error.nodes,
      path: error.path,
      positions: error.positions,
      extensions: { ...error.extensions, code: error.path ? 'INTERNAL' : 'BAD_REQUEST' },
    });
  };
}

/** The same mask as an envelop plugin, for what runs through the pipeline (subscriptions). */
export function useErrorCodes(mask: (error: unknown) => GraphQLError): Plugin {
  return useMaskedErrors({ maskError: (error) => mask(error) });
}
