import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import { isConnectorError } from '../../errors.js';
import { sendError } from '../error-body.js';
import type { NodeServerContext } from '../request-state.js';

export type PageRoute = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

/**
 * The connector's own pages (PIN entry, consent, settings), by exact path: the user's
 * navigations, so after the host guard and before the origin guard (they carry no Origin to
 * check; their forms check their own). They write to the socket themselves.
 */
export function useConnectorPages(pages: Record<string, PageRoute>): Plugin<NodeServerContext, NodeServerContext> {
  return {
    // Not async: a request for any other path stays on yoga's synchronous path (no promise per request).
    onRequest({ serverContext: { req, res }, url, fetchAPI, endResponse }) {
      const page = Object.hasOwn(pages, url.pathname) ? pages[url.pathname] : undefined;
      if (!page) return;
      return serve(page, req, res).then(() => {
        // Answered on the socket already: the adapter writes nothing more for an ended response.
        endResponse(new fetchAPI.Response(null, { status: res.statusCode }));
      });
    },
  };
}

async function serve(page: PageRoute, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    await page(req, res);
  } catch (e) {
    if (!isConnectorError(e) || res.headersSent) throw e;
    sendError(res, e);
  }
}
