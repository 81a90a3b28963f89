import type { Plugin } from 'graphql-yoga';
import { parseTag } from '../guards/tag.js';
import { parseSession } from '../guards/session.js';
import { stateOf, type NodeServerContext } from '../request-state.js';
import { guard } from './refuse.js';

/**
 * The page's billing tag (T1C-Tag: absent is fine, malformed is refused) and its browser tab
 * (T1C-Session: absent gives the request a session of its own, malformed is refused).
 */
export function useTag(): Plugin<NodeServerContext, NodeServerContext> {
  return {
    onRequest({ serverContext: { req }, fetchAPI, endResponse }) {
      guard(fetchAPI, endResponse, () => {
        const state = stateOf(req);
        state.tag = parseTag(req.headers['t1c-tag']);
        state.tab = parseSession(req.headers['t1c-session']);
      });
    },
  };
}
