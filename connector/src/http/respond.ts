import type { ServerResponse } from 'node:http';
import { ConnectorError, httpStatusOf } from '../errors.js';

export function sendJson(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** A request refused before or outside GraphQL execution, as a GraphQL error body. */
export function sendError(res: ServerResponse, error: ConnectorError, status = httpStatusOf[error.code] ?? 400): void {
  if (error.code === 'RATE_LIMITED' && typeof error.extensions.retryAfterSeconds === 'number') {
    res.setHeader('Retry-After', String(error.extensions.retryAfterSeconds));
  }
  sendJson(res, status, JSON.stringify({ errors: [{ message: error.message, extensions: error.extensions }] }));
}
