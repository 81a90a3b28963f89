import { processRegularResult, type Plugin } from 'graphql-yoga';
import type { GraphQLError } from 'graphql';
import { httpStatusOf, type ErrorCode } from '../../errors.js';
import type { NodeServerContext } from '../request-state.js';

type HttpExtension = { status?: number; spec?: boolean; headers?: Record<string, string> };

/**
 * A request that never ran (no `data`: syntax, validation, limits, a refused subscription) is
 * answered with the HTTP status of its error code, 400 by default. Yoga would answer such
 * validation errors with 200 to an `application/json` client (the GraphQL-over-HTTP rule for
 * that media type); pages and tests rely on the status telling "refused" from "ran". It is
 * JSON even when an event stream was asked for (a subscription refused past the stream cap).
 */
export function useRequestErrorStatus(): Plugin<NodeServerContext, NodeServerContext> {
  return {
    onResultProcess({ result, setResult, setResultProcessor }) {
      if (Array.isArray(result) || Symbol.asyncIterator in result) return;
      if (!result.errors?.length || 'data' in result) return;
      let status = 0;
      for (const e of result.errors as GraphQLError[]) {
        const http = e.extensions?.http as HttpExtension | undefined;
        const own = http && !http.spec ? http.status : undefined;
        status = Math.max(status, own ?? httpStatusOf[e.extensions?.code as ErrorCode] ?? 400);
      }
      const http = (result.extensions?.http ?? {}) as HttpExtension;
      setResult({ ...result, extensions: { ...result.extensions, http: { ...http, status } } });
      // A refusal is one JSON answer, also to a client that asked for an event stream.
      setResultProcessor(processRegularResult, 'application/json');
    },
  };
}
