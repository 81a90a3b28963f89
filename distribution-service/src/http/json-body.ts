import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DsError } from '../errors.js';

/**
 * Bodies are kept as raw bytes: the sync signature covers the exact bytes sent, so parsing
 * waits until the signature is checked. Only application/json is accepted (415 otherwise).
 */
export function installRawJsonParser(app: FastifyInstance, bodyLimit: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit }, (_req, body, done) => done(null, body));
}

export function rawBody(request: FastifyRequest): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
}

/** Parse the raw body into request.body, ready for schema validation. */
export function parseJsonBody(request: FastifyRequest): void {
  const raw = rawBody(request);
  try {
    request.body = JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw new DsError('INVALID_JSON', 'the body is not JSON');
  }
}
