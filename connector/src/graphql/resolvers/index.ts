import type { Resolvers } from '../generated/resolvers.js';
import { infoQuery } from './info.js';
import { readerQuery, readersQuery } from './readers.js';
import { transactionsQuery } from './transactions.js';

export function createResolvers(): Resolvers {
  return {
    Query: {
      info: infoQuery,
      readers: readersQuery,
      reader: readerQuery,
      transactions: transactionsQuery,
    },
  };
}
