import { createYoga, type Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Engine } from '../graphql/engine.js';
import type { RequestContext, Services } from '../graphql/context.js';
import type { OriginPolicy } from '../origins/origin-policy.js';
import { stateOf, type NodeServerContext } from './request-state.js';
import { useRequestLog } from './plugins/use-request-log.js';
import { useHostGuard } from './plugins/use-host-guard.js';
import { useOriginGuard } from './plugins/use-origin-guard.js';
import { useSimpleContentTypeRefusal } from './plugins/use-simple-content-type-refusal.js';
import { useTag } from './plugins/use-tag.js';
import { useConnectorPages, type PageRoute } from './plugins/use-connector-pages.js';
import { cardCallerOf } from './guards/session.js';
import { useRateLimit } from './plugins/use-rate-limit.js';
import { usePlainRoutes, type PlainRoute } from './plugins/use-plain-routes.js';
import { useJsonBody } from './plugins/use-json-body.js';
import { useMultipartUploads } from './plugins/use-multipart-uploads.js';
import { useSubscriptionStreams } from './plugins/use-subscription-streams.js';
import { useRequestErrorStatus } from './plugins/use-request-error-status.js';
import { withOneRequestHook } from './plugins/one-request-hook.js';

export interface GraphQLServerOptions {
  port: number;
  engine: Engine;
  services: Services;
  origins: OriginPolicy;
  localToken: Buffer | undefined;
  rateLimit: number;
  maxBodyBytes: number;
  /** Open subscription streams per caller (allow-list entry). */
  maxStreams?: number;
  /** Routes beside GraphQL that stream to the socket (the one-time file URLs), behind the same guards. */
  routes?: Record<string, PlainRoute>;
  /** The connector's own pages (the user's navigations): after the host guard, before the origin guard. */
  pages?: Record<string, PageRoute>;
  log: Logger;
}

export const DEFAULT_MAX_STREAMS = 16;

/**
 * GraphQL over HTTPS with graphql-yoga. The plugin list is the request path of
 * docs/architecture.md, in order; each guard's refusal ends the request there:
 * host guard, the connector's own pages, origin guard + CORS + PNA, simple-content-type refusal, tag and tab, rate limit,
 * plain routes (file URLs), body limit (JSON) or streamed uploads (multipart), subscription
 * streams per origin, HTTP status of refused requests, then the GraphQL plugins (limits, error codes, compiled execution).
 */
export function createGraphQLServer(o: GraphQLServerOptions) {
  const requestPath: Plugin<NodeServerContext, NodeServerContext>[] = [
    useRequestLog(o.log),
    useHostGuard(o.port),
    useConnectorPages(o.pages ?? {}),
    useOriginGuard(o.origins, o.localToken),
    useSimpleContentTypeRefusal(),
    useTag(),
    useRateLimit(o.rateLimit),
    usePlainRoutes(o.routes ?? {}),
    useJsonBody(o.maxBodyBytes),
    useMultipartUploads(o.services, o.maxBodyBytes),
    useSubscriptionStreams(o.maxStreams ?? DEFAULT_MAX_STREAMS),
    useRequestErrorStatus(),
  ];
  return createYoga<NodeServerContext, RequestContext>({
    schema: o.engine.schema,
    graphqlEndpoint: '/graphql',
    plugins: [...withOneRequestHook(requestPath), ...o.engine.plugins] as Plugin[],
    context: ({ req, res }) => {
      const state = stateOf(req);
      const caller = state.caller!;
      return {
        services: o.services,
        label: caller.label,
        tag: state.tag ?? null,
        origin: caller.origin,
        cardCaller: cardCallerOf(caller, state.tab!),
        host: req.headers.host,
        abortSignal: lazyAbortSignal(res),
      };
    },
    maskedErrors: { maskError: (error) => o.engine.mask(error) },
    // Validation results are cached by the engine's own plugin (keyed by document alone).
    parserAndValidationCache: { documentCache: o.engine.caches.documents, errorCache: o.engine.caches.parseErrors, validationCache: false },
    // What the guards above do themselves, or what the connector does not serve.
    cors: false,
    graphiql: false,
    landingPage: false,
    batching: false,
    multipart: false,
    maxRequestBodySize: false,
    logging: false,
    // Yoga answers its health check before any plugin runs: moved where no request can reach.
    healthCheckEndpoint: '/\u0000',
  });
}

/**
 * An AbortSignal that fires when the client goes away before the answer is sent. Built only
 * when a resolver asks (card operations), so plain queries pay nothing for it.
 */
function lazyAbortSignal(res: NodeServerContext['res']): () => AbortSignal {
  let signal: AbortSignal | undefined;
  return () => {
    if (!signal) {
      const c = new AbortController();
      res.once('close', () => {
        if (!res.writableFinished) c.abort();
      });
      signal = c.signal;
    }
    return signal;
  };
}
