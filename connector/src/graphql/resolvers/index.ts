import type { Resolvers } from '../generated/resolvers.js';
import { infoQuery } from './info.js';
import { readerQuery, readersQuery } from './readers.js';
import { transactionsQuery } from './transactions.js';
import { readerEventsSubscription } from './reader-events.js';
import {
  Beid, BeidCertificates, Integrity, authenticateMutation, beidQuery, changePinMutation, signMutation, verifyPinMutation,
} from './beid.js';

export function createResolvers(): Resolvers {
  return {
    Query: {
      info: infoQuery,
      readers: readersQuery,
      reader: readerQuery,
      transactions: transactionsQuery,
      beid: beidQuery,
    },
    Mutation: {
      verifyPin: verifyPinMutation,
      changePin: changePinMutation,
      sign: signMutation,
      authenticate: authenticateMutation,
    },
    Subscription: {
      readerEvents: readerEventsSubscription,
    },
    Beid,
    BeidCertificates,
    Integrity,
  };
}
