import type { FastifyError, FastifyInstance } from 'fastify';
import { DsError, type DsErrorCode } from '../errors.js';
import { isStoreUnavailable } from '../store/unavailable.js';

/** fastify's own error codes, translated into the DS's typed error codes. */
const FASTIFY_CODES: Record<string, DsErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'INVALID_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
};

/** Every error leaves as `{ error: { code, message } }` with the status its code maps to. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | DsError, request, reply) => {
    let e: DsError;
    if (err instanceof DsError) e = err;
    else if ((err as FastifyError).validation) e = new DsError('INVALID_REQUEST', err.message);
    else if (err.code && FASTIFY_CODES[err.code]) e = new DsError(FASTIFY_CODES[err.code]!, err.message);
    else if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) e = new DsError('INVALID_REQUEST', err.message);
    else if (isStoreUnavailable(err)) e = new DsError('STORE_UNAVAILABLE', 'the database is not reachable right now; retry later');
    else {
      request.log.error({ err }, 'unexpected error');
      e = new DsError('INTERNAL', 'internal error');
    }
    if (e.status >= 500) request.log.error({ code: e.code }, e.message);
    else request.log.info({ code: e.code, url: request.url }, e.message);
    return reply.status(e.status).send(e.toBody());
  });
  app.setNotFoundHandler((request, reply) => {
    const e = new DsError('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`);
    return reply.status(404).send(e.toBody());
  });
}
