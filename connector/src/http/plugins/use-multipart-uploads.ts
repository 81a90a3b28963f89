import type { Plugin } from 'graphql-yoga';
import type { Services } from '../../graphql/context.js';
import { isMultipart, readMultipart } from '../multipart.js';
import { stateOf, type NodeServerContext } from '../request-state.js';

/**
 * GraphQL multipart requests (file uploads), streamed: yoga's own parser would buffer every
 * file. The operation runs through yoga as soon as `operations` and `map` are in; the parts
 * flow to the resolvers while it runs, and what is left is drained when the answer is sent.
 */
export function useMultipartUploads(services: Services, maxFieldBytes: number): Plugin<NodeServerContext, NodeServerContext> {
  return {
    onRequestParse({ request, serverContext: { req, res }, setRequestParser }) {
      if (request.method !== 'POST' || !isMultipart(req)) return;
      setRequestParser(async () => {
        const label = stateOf(req).caller?.label ?? '';
        // Bounded by the largest file this caller may send.
        const maxFileBytes = Math.max(services.files.service.largestFor(label), services.printing.maxBytes);
        const { params, request: upload } = await readMultipart(req, res, { maxFieldBytes, maxFileBytes, maxFiles: 4 });
        const done = () => upload.finish();
        res.once('finish', done);
        res.once('close', done);
        return params;
      });
    },
  };
}
