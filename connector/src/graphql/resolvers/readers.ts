import type { QueryResolvers } from '../generated/resolvers.js';

export const readersQuery: QueryResolvers['readers'] = (_p, _a, { services }) => services.readers.list();

export const readerQuery: QueryResolvers['reader'] = (_p, { id }, { services }) => services.readers.get(id) ?? null;
