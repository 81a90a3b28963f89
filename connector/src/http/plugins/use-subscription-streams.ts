import type { Plugin } from 'graphql-yoga';
import { GraphQLError } from 'graphql';
import { isConnectorError } from '../../errors.js';
import { createStreamLimiter } from '../guards/stream-limit.js';
import { stateOf, type NodeServerContext } from '../request-state.js';

/**
 * Subscriptions as yoga serves them (Server-Sent Events, the graphql-sse "distinct
 * connections" mode), with at most `maxPerCaller` open streams per allow-list entry: past it,
 * 429 RATE_LIMITED until one closes.
 */
export function useSubscriptionStreams(maxPerCaller: number): Plugin<NodeServerContext, NodeServerContext> {
  const streams = createStreamLimiter(maxPerCaller);
  return {
    onExecutionResult({ result, setResult, context }) {
      if (!result || !(Symbol.asyncIterator in result)) return;
      // Yoga would answer a bodiless 406 (Accept: application/json) or hold the stream open
      // without a body (no Accept, */*): say what is wrong, with the connector's code.
      if (!acceptsEventStream(context.request.headers.get('accept'))) {
        void (result as AsyncIterableIterator<unknown>).return?.();
        setResult({
          errors: [new GraphQLError('Subscriptions use Server-Sent Events (Accept: text/event-stream).', { extensions: { code: 'BAD_REQUEST', http: { status: 406 } } })],
        });
        return;
      }
      const caller = stateOf(context.req).caller;
      let release: () => void;
      try {
        release = streams.acquire(caller?.limitKey ?? 'unknown');
      } catch (e) {
        if (!isConnectorError(e)) throw e;
        void (result as AsyncIterableIterator<unknown>).return?.();
        setResult({
          errors: [new GraphQLError(e.message, { extensions: { ...e.extensions, http: { status: 429, headers: { 'Retry-After': '1' } } } })],
        });
        return;
      }
      context.res.once('close', release);
      const inner = result as AsyncIterableIterator<unknown>;
      setResult({
        [Symbol.asyncIterator]() {
          return this;
        },
        next: () => inner.next().then((r) => (r.done && release(), r), (e) => (release(), Promise.reject(e))),
        return: (v?: unknown) => {
          release();
          return inner.return?.(v) ?? Promise.resolve({ done: true, value: v });
        },
      } as AsyncIterableIterator<never>);
    },
    onResponse({ response }) {
      // As before yoga: the charset is stated (the SDK and browsers default to UTF-8 anyway).
      if (response.headers.get('content-type') === 'text/event-stream') response.headers.set('Content-Type', 'text/event-stream; charset=utf-8');
    },
  };
}

function acceptsEventStream(accept: string | null): boolean {
  return accept !== null && /(^|,)\s*text\/event-stream\s*(;|,|$)/i.test(accept);
}
