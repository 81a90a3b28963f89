import type { Plugin } from 'graphql-yoga';
import { ConnectorError } from '../../errors.js';
import { createRateLimiter } from '../guards/rate-limit.js';
import { stateOf, type NodeServerContext } from '../request-state.js';
import { guard } from './refuse.js';

/** Requests per second per allow-list entry (all sub-domains of a wildcard entry share one budget). */
export function useRateLimit(ratePerSecond: number): Plugin<NodeServerContext, NodeServerContext> {
  const rateLimited = createRateLimiter(ratePerSecond);
  return {
    onRequest({ serverContext: { req }, fetchAPI, endResponse }) {
      const caller = stateOf(req).caller;
      if (!caller) return;
      guard(fetchAPI, endResponse, () => {
        const wait = rateLimited(caller.limitKey);
        if (wait > 0) throw new ConnectorError('RATE_LIMITED', 'Too many requests from this origin.', { retryAfterSeconds: wait });
      });
    },
  };
}
