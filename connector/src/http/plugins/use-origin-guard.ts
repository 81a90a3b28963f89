import type { Plugin } from 'graphql-yoga';
import { ConnectorError } from '../../errors.js';
import type { OriginPolicy } from '../../origins/origin-policy.js';
import { identifyCaller } from '../guards/caller.js';
import { stateOf, type NodeServerContext } from '../request-state.js';
import { guard } from './refuse.js';

const ALLOW_HEADERS = 'content-type, accept, t1c-tag, t1c-session, graphql-require-preflight, authorization';
const ALLOW_METHODS = 'GET, POST, OPTIONS';

/**
 * Who is calling (an allowed origin, or the local client with the data-dir token), CORS for
 * that origin, and preflights with Chrome's Private Network Access: yoga's `cors` cannot
 * refuse a preflight with our error body, say yes to PNA, or reuse the allow-list's decision.
 * CORS headers echo the exact origin (never `*`), also on refusals after this guard.
 */
export function useOriginGuard(origins: OriginPolicy, localToken: Buffer | undefined): Plugin<NodeServerContext, NodeServerContext> {
  return {
    onRequest({ serverContext: { req, res }, fetchAPI, endResponse }) {
      const allowList = origins.current();
      if (req.method === 'OPTIONS') {
        const origin = req.headers.origin;
        if (!guard(fetchAPI, endResponse, () => {
          if (origin === undefined || allowList.match(origin) === undefined) {
            throw new ConnectorError('ORIGIN_NOT_ALLOWED', 'This web origin is not allowed to use the connector.');
          }
        })) return;
        const headers: Record<string, string> = {
          ...corsHeaders(origin!),
          'Access-Control-Allow-Methods': ALLOW_METHODS,
          'Access-Control-Allow-Headers': ALLOW_HEADERS,
          'Access-Control-Max-Age': '600',
        };
        if (req.headers['access-control-request-private-network'] === 'true') headers['Access-Control-Allow-Private-Network'] = 'true';
        endResponse(new fetchAPI.Response(null, { status: 204, headers }));
        return;
      }
      guard(fetchAPI, endResponse, () => {
        const caller = identifyCaller(req.headers, allowList, localToken);
        stateOf(req).caller = caller;
        // On the socket's response: every answer after this guard carries them (refusals,
        // GraphQL results, plain routes), and yoga's fetch Response stays untouched (its
        // headers are then written in one writeHead).
        if (caller.origin) {
          res.setHeader('Access-Control-Allow-Origin', caller.origin);
          res.setHeader('Vary', 'Origin');
          res.setHeader('Access-Control-Expose-Headers', 'Retry-After');
        }
      });
    },
  };
}

/** CORS headers for an allowed origin: echo it exactly, never `*`. */
export function corsHeaders(origin: string): Record<string, string> {
  return { 'Access-Control-Allow-Origin': origin, Vary: 'Origin', 'Access-Control-Expose-Headers': 'Retry-After' };
}
