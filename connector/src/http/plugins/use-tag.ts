import type { Plugin } from 'graphql-yoga';
import { parseTag } from '../guards/tag.js';
import { stateOf, type NodeServerContext } from '../request-state.js';
import { guard } from './refuse.js';

/** The page's billing tag (T1C-Tag): absent is fine, malformed is refused. */
export function useTag(): Plugin<NodeServerContext, NodeServerContext> {
  return {
    onRequest({ serverContext: { req }, fetchAPI, endResponse }) {
      guard(fetchAPI, endResponse, () => {
        stateOf(req).tag = parseTag(req.headers['t1c-tag']);
      });
    },
  };
}
