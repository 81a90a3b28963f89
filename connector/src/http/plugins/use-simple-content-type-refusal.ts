import type { Plugin } from 'graphql-yoga';
import { ConnectorError } from '../../errors.js';
import type { NodeServerContext } from '../request-state.js';
import { guard } from './refuse.js';

/**
 * Content types a browser can send without a preflight ("simple" requests) never reach
 * GraphQL: a cross-site form or beacon could use them. multipart/form-data goes on to the
 * upload parser, which demands the GraphQL-Require-Preflight header instead.
 */
export function useSimpleContentTypeRefusal(graphqlPath = '/graphql'): Plugin<NodeServerContext, NodeServerContext> {
  return {
    onRequest({ serverContext: { req }, url, fetchAPI, endResponse }) {
      if (req.method !== 'POST' || url.pathname !== graphqlPath) return;
      const ct = mediaType(req.headers['content-type']);
      if (ct === '' || ct === 'text/plain' || ct === 'application/x-www-form-urlencoded') {
        guard(fetchAPI, endResponse, () => {
          throw new ConnectorError('BAD_REQUEST', 'Content-Type must be application/json.', { httpStatus: 415 });
        });
      }
    },
  };
}

export const mediaType = (value: string | undefined): string => (value ?? '').split(';')[0]!.trim().toLowerCase();
