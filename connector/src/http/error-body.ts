import type { ServerResponse } from 'node:http';
import { ConnectorError, httpStatusOf } from '../errors.js';

/**
 * A request refused before or outside GraphQL execution, as a GraphQL error body: the same
 * shape whether yoga answers (a fetch Response) or a plain route writes to the socket.
 */
export function refusal(error: ConnectorError, status = statusOf(error)): { status: number; headers: Record<string, string>; body: string } {
  const headers: Record<string, string> = { 'Content-Type': 'application/json; charset=utf-8' };
  if (error.code === 'RATE_LIMITED' && typeof error.extensions.retryAfterSeconds === 'number') {
    headers['Retry-After'] = String(error.extensions.retryAfterSeconds);
  }
  return { status, headers, body: JSON.stringify({ errors: [{ message: error.message, extensions: error.extensions }] }) };
}

export function statusOf(error: ConnectorError): number {
  return typeof error.extensions.httpStatus === 'number' ? error.extensions.httpStatus : (httpStatusOf[error.code] ?? 400);
}

/** For plain routes that write to the socket themselves (file transfers). */
export function sendError(res: ServerResponse, error: ConnectorError, status?: number): void {
  const r = refusal(error, status);
  res.writeHead(r.status, { ...r.headers, 'Content-Length': Buffer.byteLength(r.body) });
  res.end(r.body);
}
