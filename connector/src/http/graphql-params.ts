import type { IncomingMessage } from 'node:http';
import { ConnectorError } from '../errors.js';

export interface GraphQLParams {
  query: string;
  variables: Record<string, unknown> | undefined;
  operationName: string | undefined;
}

const bad = (message: string) => new ConnectorError('BAD_REQUEST', message);

/** Validate the GraphQL-over-HTTP parameters, whatever the transport gave us. */
export function toParams(raw: unknown): GraphQLParams {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw bad('Body must be a JSON object with a "query".');
  const { query, variables, operationName } = raw as Record<string, unknown>;
  if (typeof query !== 'string' || query.length === 0) throw bad('"query" must be a non-empty string.');
  if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) throw bad('"variables" must be an object.');
  if (operationName != null && typeof operationName !== 'string') throw bad('"operationName" must be a string.');
  return {
    query,
    variables: (variables ?? undefined) as Record<string, unknown> | undefined,
    operationName: (operationName ?? undefined) as string | undefined,
  };
}

export function parseJsonBody(body: Buffer): GraphQLParams {
  let raw: unknown;
  try {
    raw = JSON.parse(body.toString('utf8'));
  } catch {
    throw bad('Body is not valid JSON.');
  }
  return toParams(raw);
}

/** GET carries the parameters in the query string (queries only; see the handler). */
export function parseSearchParams(url: URL): GraphQLParams {
  const variables = url.searchParams.get('variables');
  let parsedVars: unknown;
  if (variables) {
    try {
      parsedVars = JSON.parse(variables);
    } catch {
      throw bad('"variables" is not valid JSON.');
    }
  }
  return toParams({ query: url.searchParams.get('query'), variables: parsedVars, operationName: url.searchParams.get('operationName') });
}

/**
 * Content types a browser can send without a preflight ("simple" requests). A cross-site
 * form or beacon could use them, so they never reach GraphQL.
 */
export function isSimpleContentType(req: IncomingMessage): boolean {
  const ct = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  return ct === '' || ct === 'text/plain' || ct === 'application/x-www-form-urlencoded' || ct === 'multipart/form-data';
}
