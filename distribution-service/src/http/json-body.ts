import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DsError } from '../errors.js';
import { nestsDeeperThan } from './json-depth.js';

/** Deepest nesting a DS request body may have; the deepest real one (updateStatus.failed[]) is 4. */
export const MAX_JSON_DEPTH = 8;

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

/** Parse the raw body into request.body, ready for schema validation. Too deep: refused unparsed. */
export function parseJsonBody(request: FastifyRequest): void {
  const raw = rawBody(request);
  if (nestsDeeperThan(raw, MAX_JSON_DEPTH)) {
    throw new DsError('JSON_TOO_DEEP', `the body nests deeper than ${MAX_JSON_DEPTH} levels`, { max: MAX_JSON_DEPTH });
  }
  try {
    request.body = JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw new DsError('INVALID_JSON', 'the body is not JSON');
  }
}
