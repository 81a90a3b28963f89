import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError, getOperationAST, type ExecutionResult } from 'graphql';
import type { Logger } from 'pino';
import type { Engine } from '../graphql/engine.js';
import type { CompiledOperation } from '../graphql/compiled-operations.js';
import type { RequestContext, Services } from '../graphql/context.js';
import type { OriginPolicy } from '../origins/origin-policy.js';
import { ConnectorError, isConnectorError } from '../errors.js';
import { createHostGuard } from './guards/host-guard.js';
import { identifyCaller, type Caller } from './guards/caller.js';
import { cardCallerOf, parseSession } from './guards/session.js';
import { parseTag } from './guards/tag.js';
import { createRateLimiter } from './guards/rate-limit.js';
import { createStreamLimiter } from './guards/stream-limit.js';
import { refuseRepeatedHeaders } from './guards/single-headers.js';
import { loggableOperationName } from '../log/page-values.js';
import { answerPreflight, setCorsHeaders } from './cors.js';
import { readBody } from './body.js';
import { isSimpleContentType, parseJsonBody, parseSearchParams, type GraphQLParams } from './graphql-params.js';
import { sendError, sendJson } from './respond.js';
import { streamResults, wantsEventStream } from './sse.js';
import { isMultipart, readMultipart, type MultipartRequest } from './multipart.js';

export interface HandlerOptions {
  port: number;
  engine: Engine;
  services: Services;
  origins: OriginPolicy;
  localToken: Buffer | undefined;
  rateLimit: number;
  maxBodyBytes: number;
  /** Open subscription streams per caller (allow-list entry). */
  maxStreams?: number;
  log: Logger;
}

export const DEFAULT_MAX_STREAMS = 16;

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, caller: Caller, tag: string | null) => Promise<void> | void;

/**
 * The request path of ARCHITECTURE.md, in order: host guard, origin guard + CORS, tag,
 * rate limit, body limit, GraphQL. Each refusal answers at once; nothing later runs.
 */
export function createHandler(opts: HandlerOptions, routes: Record<string, RouteHandler> = {}) {
  const hostAllowed = createHostGuard(opts.port);
  const rateLimited = createRateLimiter(opts.rateLimit);
  const streams = createStreamLimiter(opts.maxStreams ?? DEFAULT_MAX_STREAMS);
  const { log } = opts;

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    let label: string | undefined;
    let operation: string | undefined;
    res.once('finish', () => {
      // The operation name is the page's: logged only when it is a short, well-formed Name.
      log.info({ label, op: loggableOperationName(operation), method: req.method, status: res.statusCode, ms: +(performance.now() - started).toFixed(2) }, 'request');
    });
    try {
      refuseRepeatedHeaders(req.rawHeaders);
      if (!hostAllowed(req.headers.host)) {
        throw new ConnectorError('HOST_NOT_ALLOWED', 'This host name is not served here.');
      }
      const path = pathOf(req.url);
      const allowList = opts.origins.current();
      if (req.method === 'OPTIONS') {
        const origin = req.headers.origin;
        if (origin === undefined || allowList.labelFor(origin) === undefined) {
          throw new ConnectorError('ORIGIN_NOT_ALLOWED', 'This web origin is not allowed to use the connector.');
        }
        answerPreflight(req, res, origin);
        return;
      }
      const caller = identifyCaller(req.headers, allowList, opts.localToken);
      label = caller.label;
      if (caller.origin) setCorsHeaders(res, caller.origin);
      const tag = parseTag(req.headers['t1c-tag']);
      const tab = parseSession(req.headers['t1c-session']);
      const wait = rateLimited(caller.limitKey);
      if (wait > 0) throw new ConnectorError('RATE_LIMITED', 'Too many requests from this origin.', { retryAfterSeconds: wait });

      // A key ending in "/" serves every path under it (e.g. "/files/" for "/files/<token>").
      const route = routes[path] ?? routes[path.slice(0, path.lastIndexOf('/') + 1)];
      if (route) {
        await route(req, res, caller, tag);
        return;
      }
      if (path !== '/graphql') {
        sendJson(res, 404, JSON.stringify({ errors: [{ message: 'Not found.', extensions: { code: 'BAD_REQUEST' } }] }));
        return;
      }
      let params: GraphQLParams;
      let multipart: MultipartRequest | undefined;
      if (req.method === 'POST') {
        if (isMultipart(req)) {
          // File uploads: streamed, bounded by the largest file this caller may send.
          const maxFileBytes = Math.max(opts.services.files.service.largestFor(caller.label), opts.services.printing.maxBytes);
          ({ params, request: multipart } = await readMultipart(req, res, { maxFieldBytes: opts.maxBodyBytes, maxFileBytes, maxFiles: 4 }));
        } else if (isSimpleContentType(req)) {
          throw new ConnectorError('BAD_REQUEST', 'Content-Type must be application/json.', { httpStatus: 415 });
        } else {
          params = parseJsonBody(await readBody(req, opts.maxBodyBytes));
        }
      } else if (req.method === 'GET') {
        params = parseSearchParams(new URL(req.url ?? '/', 'https://localhost'));
      } else {
        throw new ConnectorError('BAD_REQUEST', 'Use GET or POST.', { httpStatus: 405 });
      }
      operation = params.operationName;
      try {
        await runGraphQL(req, res, params, caller, tag, tab, (op) => (operation = op));
      } finally {
        multipart?.finish();
      }
    } catch (e) {
      if (isConnectorError(e)) {
        sendError(res, e, typeof e.extensions.httpStatus === 'number' ? e.extensions.httpStatus : undefined);
      } else {
        log.error({ err: e }, 'request failed');
        if (!res.headersSent) sendError(res, new ConnectorError('INTERNAL', 'Unexpected error.'), 500);
        else res.destroy();
      }
    }
  };

  async function runGraphQL(
    req: IncomingMessage,
    res: ServerResponse,
    params: GraphQLParams,
    caller: Caller,
    tag: string | null,
    tab: string,
    named: (op: string | undefined) => void,
  ): Promise<void> {
    const { pipeline, operations } = opts.engine;
    const context = (): RequestContext => ({
      services: opts.services,
      label: caller.label,
      tag,
      origin: caller.origin,
      cardCaller: cardCallerOf(caller, tab),
      host: req.headers.host,
      abortSignal: lazyAbortSignal(res),
    });
    // A document seen before runs compiled, straight away.
    const known = operations.get(params.query, params.operationName);
    if (known) {
      named(known.name);
      await runCompiled(req, res, known, context(), params.variables);
      return;
    }

    const { parse, validate, contextFactory, execute, subscribe, schema } = pipeline();
    let document;
    try {
      document = parse(params.query);
    } catch (e) {
      sendResult(res, 400, { errors: [asGraphQLError(e, 'BAD_REQUEST')] });
      return;
    }
    const op = getOperationAST(document, params.operationName);
    named(params.operationName ?? op?.name?.value);
    const errors = validate(schema, document);
    if (errors.length > 0) {
      sendResult(res, 400, { errors: errors.map((e: GraphQLError) => asGraphQLError(e, 'BAD_REQUEST')) });
      return;
    }
    if (!op) {
      sendResult(res, 400, { errors: [new GraphQLError('Cannot determine which operation to run.', { extensions: { code: 'BAD_REQUEST' } })] });
      return;
    }
    if (op.operation === 'subscription') {
      if (req.method === 'GET') throw onlyQueriesOnGet();
      if (!wantsEventStream(req)) {
        throw new ConnectorError('BAD_REQUEST', 'Subscriptions use Server-Sent Events (Accept: text/event-stream).', { httpStatus: 406 });
      }
      const release = streams.acquire(caller.limitKey);
      res.once('close', release);
      try {
        const contextValue = await contextFactory(context());
        const stream = await subscribe({ schema, document, contextValue, variableValues: params.variables, operationName: params.operationName });
        await streamResults(req, res, stream as AsyncIterableIterator<ExecutionResult> | ExecutionResult);
      } finally {
        release();
      }
      return;
    }
    const compiled = operations.add(params.query, params.operationName, document, op.operation, params.operationName ?? op.name?.value);
    if (compiled) {
      await runCompiled(req, res, compiled, context(), params.variables);
      return;
    }
    // graphql-jit could not compile it: the pipeline's own execution.
    if (req.method === 'GET' && op.operation !== 'query') throw onlyQueriesOnGet();
    const contextValue = await contextFactory(context());
    sendResult(res, 200, (await execute({ schema, document, contextValue, variableValues: params.variables, operationName: params.operationName })) as ExecutionResult);
  }

  async function runCompiled(req: IncomingMessage, res: ServerResponse, op: CompiledOperation, context: RequestContext, variables: Record<string, unknown> | undefined) {
    if (req.method === 'GET' && op.kind !== 'query') throw onlyQueriesOnGet();
    const result = await op.run(context, variables);
    const errors = result.errors?.map(opts.engine.mask);
    sendJson(res, 200, op.stringify(errors ? { ...result, errors } : result));
  }
}

/** Never change state on GET: a link or an <img> must not be able to sign or store anything. */
const onlyQueriesOnGet = () => new ConnectorError('BAD_REQUEST', 'Only queries may use GET.', { httpStatus: 405 });

/**
 * An AbortSignal that fires when the client goes away before the answer is sent. Built only
 * when a resolver asks (card operations), so plain queries pay nothing for it.
 */
function lazyAbortSignal(res: ServerResponse): () => AbortSignal {
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

function sendResult(res: ServerResponse, status: number, result: ExecutionResult) {
  sendJson(res, status, JSON.stringify(result));
}

function asGraphQLError(e: unknown, code: string): GraphQLError {
  if (e instanceof GraphQLError) {
    return e.extensions?.code ? e : new GraphQLError(e.message, { nodes: e.nodes, source: e.source, positions: e.positions, extensions: { code } });
  }
  return new GraphQLError('Unexpected error.', { extensions: { code: 'INTERNAL' } });
}

function pathOf(url: string | undefined): string {
  if (!url) return '/';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}
