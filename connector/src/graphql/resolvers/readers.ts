import type { QueryResolvers } from '../generated/resolvers.js';
import type { RequestContext } from '../context.js';
import { pcscUnavailable } from '../../card/pcsc/pcsc-readers.js';

/** An empty list would hide a stopped pcscd; say so instead (users' most common confusion). */
function readersOf(ctx: RequestContext) {
  if (!ctx.services.readers.available()) throw pcscUnavailable();
  return ctx.services.readers;
}

export const readersQuery: QueryResolvers['readers'] = (_p, _a, ctx) => readersOf(ctx).list();

export const readerQuery: QueryResolvers['reader'] = (_p, { id }, ctx) => readersOf(ctx).get(id) ?? null;
