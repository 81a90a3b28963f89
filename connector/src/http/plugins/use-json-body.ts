import type { GraphQLParams, Plugin } from 'graphql-yoga';
import { ConnectorError } from '../../errors.js';
import type { NodeServerContext } from '../request-state.js';
import { mediaType } from './use-simple-content-type-refusal.js';
import { readBody } from '../body.js';

const bad = (message: string) => new ConnectorError('BAD_REQUEST', message);

/**
 * POST bodies of JSON GraphQL requests, read from the socket and refused (413) as soon as they
 * pass `maxBytes`, whatever Content-Length claimed; malformed JSON or parameters are BAD_REQUEST.
 */
export function useJsonBody(maxBytes: number): Plugin<NodeServerContext, NodeServerContext> {
  return {
    onRequestParse({ request, serverContext, setRequestParser }) {
      if (request.method !== 'POST' || !isJson(mediaType(serverContext.req.headers['content-type']))) return;
      setRequestParser(async () => toParams(parseJson(await readBody(serverContext.req, maxBytes))));
    },
  };
}

const isJson = (ct: string) => ct === 'application/json' || ct === 'application/graphql-response+json' || ct.endsWith('+json');

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw bad('Body is not valid JSON.');
  }
}

/** The GraphQL-over-HTTP parameters, checked (also for multipart `operations`). */
export function toParams(raw: unknown): GraphQLParams {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw bad('Body must be a JSON object with a "query".');
  const { query, variables, operationName, extensions } = raw as Record<string, unknown>;
  if (typeof query !== 'string' || query.length === 0) throw bad('"query" must be a non-empty string.');
  if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) throw bad('"variables" must be an object.');
  if (operationName != null && typeof operationName !== 'string') throw bad('"operationName" must be a string.');
  if (extensions != null && (typeof extensions !== 'object' || Array.isArray(extensions))) throw bad('"extensions" must be an object.');
  return {
    query,
    ...(variables != null ? { variables: variables as Record<string, unknown> } : {}),
    ...(operationName != null ? { operationName: operationName as string } : {}),
  };
}
