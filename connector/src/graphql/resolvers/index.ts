import type { Resolvers } from '../generated/resolvers.js';
import { infoQuery } from './info.js';
import { requestConsentMutation } from './user-steps.js';
import { readerQuery, readersQuery } from './readers.js';
import { transactionsQuery } from './transactions.js';
import { readerEventsSubscription } from './reader-events.js';
import { downloadMutation, filesQuery, fileTypesQuery, uploadMutation } from './files.js';
import { printJobQuery, printMutation, printersQuery } from './printing.js';
import { syncNowMutation } from './sync.js';
import {
  Beid, BeidCertificates, Integrity, authenticateMutation, beidQuery, changePinMutation, signMutation, verifyPinMutation,
} from './beid.js';
import { Pkcs11Library, Token, TokenCertificate, pkcs11LibrariesQuery, tokenAuthenticateMutation, tokenQuery, tokenSignMutation, tokensQuery } from './tokens.js';

export function createResolvers(): Resolvers {
  return {
    Query: {
      info: infoQuery,
      readers: readersQuery,
      reader: readerQuery,
      transactions: transactionsQuery,
      beid: beidQuery,
      fileTypes: fileTypesQuery,
      files: filesQuery,
      printers: printersQuery,
      printJob: printJobQuery,
      pkcs11Libraries: pkcs11LibrariesQuery,
      tokens: tokensQuery,
      token: tokenQuery,
    },
    Mutation: {
      verifyPin: verifyPinMutation,
      changePin: changePinMutation,
      sign: signMutation,
      authenticate: authenticateMutation,
      download: downloadMutation,
      upload: uploadMutation,
      print: printMutation,
      requestConsent: requestConsentMutation,
      tokenSign: tokenSignMutation,
      tokenAuthenticate: tokenAuthenticateMutation,
      syncNow: syncNowMutation,
    },
    Subscription: {
      readerEvents: readerEventsSubscription,
    },
    Beid,
    BeidCertificates,
    Integrity,
    Token,
    TokenCertificate,
    Pkcs11Library,
  };
}
