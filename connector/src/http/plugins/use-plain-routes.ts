import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import { ConnectorError, isConnectorError } from '../../errors.js';
import type { Caller } from '../guards/caller.js';
import { sendError } from '../error-body.js';
import { stateOf, type NodeServerContext } from '../request-state.js';
import { refusalResponse } from './refuse.js';

export type PlainRoute = (req: IncomingMessage, res: ServerResponse, caller: Caller, tag: string | null) => Promise<void> | void;

/**
 * Routes that stream to the socket themselves (the one-time file URLs), after every guard
 * above; any other path than the GraphQL endpoint is a 404 with an error body. A key ending
 * in "/" serves every path under it (e.g. "/files/" for "/files/<token>").
 */
export function usePlainRoutes(routes: Record<string, PlainRoute>, graphqlPath = '/graphql'): Plugin<NodeServerContext, NodeServerContext> {
  return {
    // Not async: a GraphQL request stays on yoga's synchronous path (no promise per request).
    onRequest({ serverContext: { req, res }, url, fetchAPI, endResponse }) {
      const path = url.pathname;
      if (path === graphqlPath) return;
      const route = routes[path] ?? routes[path.slice(0, path.lastIndexOf('/') + 1)];
      const state = stateOf(req);
      if (!route || !state.caller) {
        endResponse(refusalResponse(fetchAPI, new ConnectorError('BAD_REQUEST', 'Not found.', { httpStatus: 404 })));
        return;
      }
      return serve(route, req, res, state.caller, state.tag ?? null).then(() => {
        // Answered on the socket already: the adapter writes nothing more for an ended response.
        endResponse(new fetchAPI.Response(null, { status: res.statusCode }));
      });
    },
  };
}

async function serve(route: PlainRoute, req: IncomingMessage, res: ServerResponse, caller: Caller, tag: string | null): Promise<void> {
  try {
    await route(req, res, caller, tag);
  } catch (e) {
    if (!isConnectorError(e) || res.headersSent) throw e;
    sendError(res, e);
  }
}
