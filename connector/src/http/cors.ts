import type { IncomingMessage, ServerResponse } from 'node:http';

const ALLOW_HEADERS = 'content-type, accept, t1c-tag, t1c-session, graphql-require-preflight, authorization';
const ALLOW_METHODS = 'GET, POST, OPTIONS';

/** CORS headers for an allowed origin: echo it exactly, never `*`. */
export function setCorsHeaders(res: ServerResponse, origin: string): void {
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Vary', 'Origin');
  res.setHeader('Access-Control-Expose-Headers', 'Retry-After');
}

/**
 * Answer a preflight for an allowed origin. Chrome's Private Network Access asks with
 * `Access-Control-Request-Private-Network: true`; saying yes is what lets public pages reach
 * loopback at all (the local-network permission prompt still applies).
 */
export function answerPreflight(req: IncomingMessage, res: ServerResponse, origin: string): void {
  setCorsHeaders(res, origin);
  res.setHeader('Access-Control-Allow-Methods', ALLOW_METHODS);
  res.setHeader('Access-Control-Allow-Headers', ALLOW_HEADERS);
  res.setHeader('Access-Control-Max-Age', '600');
  if (req.headers['access-control-request-private-network'] === 'true') {
    res.setHeader('Access-Control-Allow-Private-Network', 'true');
  }
  res.statusCode = 204;
  res.end();
}
