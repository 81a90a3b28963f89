/* eslint-disable */
// Generated from schema/schema.graphql by `pnpm codegen`. Do not edit.
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null;
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A calendar date, ISO-8601 (YYYY-MM-DD). */
  Date: { input: string; output: string; }
  /** An ISO-8601 date-time in UTC, e.g. 2026-11-28T13:35:00.000Z. */
  DateTime: { input: string; output: string; }
  /** A file sent by the page as a GraphQL multipart request (graphql-multipart-request-spec). */
  Upload: { input: Blob; output: Blob; }
};

export type Algorithm =
  | 'ECDSA_SHA3_256'
  | 'ECDSA_SHA3_384'
  | 'ECDSA_SHA3_512'
  | 'ECDSA_SHA256'
  | 'ECDSA_SHA384'
  | 'ECDSA_SHA512'
  | 'RSA_PKCS1_MD5'
  | 'RSA_PKCS1_SHA1'
  | 'RSA_PKCS1_SHA256'
  | 'RSA_PKCS1_SHA384'
  | 'RSA_PKCS1_SHA512'
  | 'RSA_PSS_SHA1'
  | 'RSA_PSS_SHA256';

export type CardModule =
  | 'BEID'
  | 'PKCS11'
  | 'UNKNOWN';

export type ChangePinInput = {
  allowLastTry: InputMaybe<Scalars['Boolean']['input']>;
  newPin: Scalars['String']['input'];
  oldPin: Scalars['String']['input'];
  readerId: Scalars['ID']['input'];
};

export type DocumentType =
  | 'BELGIAN_CITIZEN'
  | 'FOREIGNER'
  | 'KIDS_CARD'
  | 'OTHER';

export type DownloadInput = {
  file: Scalars['Upload']['input'];
  /** File name to store under; defaults to the uploaded file's name. */
  name: InputMaybe<Scalars['String']['input']>;
  overwrite: InputMaybe<Scalars['Boolean']['input']>;
  subfolder: InputMaybe<Scalars['String']['input']>;
  type: Scalars['String']['input'];
};

/** Stable error codes carried in `extensions.code`. */
export type ErrorCode =
  /** The algorithm is not supported by this card. */
  | 'ALGORITHM_NOT_SUPPORTED'
  /** The request is not a well-formed GraphQL request. */
  | 'BAD_REQUEST'
  /** The request body is larger than the connector accepts. */
  | 'BODY_TOO_LARGE'
  /** The card answered with an unexpected status or malformed data. */
  | 'CARD_ERROR'
  /** The card is not supported by this operation's module. */
  | 'CARD_NOT_SUPPORTED'
  /** The card was removed during the operation. */
  | 'CARD_REMOVED'
  /** The file exists and overwrite was not requested. */
  | 'FILE_EXISTS'
  /** The file does not exist. */
  | 'FILE_NOT_FOUND'
  /** The file is larger than the type allows. */
  | 'FILE_TOO_LARGE'
  /** No file type with this name is available to the calling application. */
  | 'FILE_TYPE_NOT_FOUND'
  /** The request's Host header is not one the connector's certificate covers. */
  | 'HOST_NOT_ALLOWED'
  /** Something went wrong inside the connector. */
  | 'INTERNAL'
  /** An argument failed validation (see message). */
  | 'INVALID_INPUT'
  /** The T1C-Tag header is malformed. */
  | 'INVALID_TAG'
  /** The reader holds no card. */
  | 'NO_CARD'
  /** The page's origin is not registered for this connector. */
  | 'ORIGIN_NOT_ALLOWED'
  /** A file name or sub-folder would escape its mapped folder or is otherwise invalid. */
  | 'PATH_NOT_ALLOWED'
  /** PC/SC (pcscd) is not running or not reachable. */
  | 'PCSC_UNAVAILABLE'
  /** The PIN is blocked. */
  | 'PIN_BLOCKED'
  /** Wrong PIN; extensions.retriesLeft tells how many tries remain. */
  | 'PIN_INCORRECT'
  /** Only one PIN try is left and the request did not set allowLastTry. */
  | 'PIN_LAST_TRY_REFUSED'
  /** The operation needs the PIN. */
  | 'PIN_REQUIRED'
  /** No printer with this name. */
  | 'PRINTER_NOT_FOUND'
  /** The print system refused the job. */
  | 'PRINT_FAILED'
  /** The query is too deep, has too many aliases or too many tokens. */
  | 'QUERY_TOO_COMPLEX'
  /** Too many requests from this origin; retry after extensions.retryAfterSeconds. */
  | 'RATE_LIMITED'
  /** No reader with this id. */
  | 'READER_NOT_FOUND';

export type PrintInput = {
  /** ... or a file sent by the page. */
  file: InputMaybe<Scalars['Upload']['input']>;
  name: InputMaybe<Scalars['String']['input']>;
  printer: Scalars['String']['input'];
  subfolder: InputMaybe<Scalars['String']['input']>;
  title: InputMaybe<Scalars['String']['input']>;
  /** Print a mapped file (type + name) ... */
  type: InputMaybe<Scalars['String']['input']>;
};

export type PrintJobState =
  | 'ABORTED'
  | 'CANCELED'
  | 'COMPLETED'
  | 'HELD'
  | 'PENDING'
  | 'PROCESSING'
  | 'STOPPED'
  | 'UNKNOWN';

export type ReaderEventType =
  | 'CARD_INSERTED'
  | 'CARD_REMOVED'
  | 'READER_ADDED'
  | 'READER_REMOVED';

export type Sex =
  | 'FEMALE'
  | 'MALE';

export type SignInput = {
  algorithm: Algorithm;
  allowLastTry: InputMaybe<Scalars['Boolean']['input']>;
  /** The hash to sign, base64; its length must match the algorithm's digest. */
  hash: Scalars['String']['input'];
  /** The PIN; required for signatures and for the first authentication of a card session. */
  pin: InputMaybe<Scalars['String']['input']>;
  readerId: Scalars['ID']['input'];
};

export type SpecialStatus =
  | 'EXTENDED_MINORITY'
  | 'WHITE_CANE'
  | 'YELLOW_CANE';

export type UploadInput = {
  name: Scalars['String']['input'];
  subfolder: InputMaybe<Scalars['String']['input']>;
  type: Scalars['String']['input'];
};

export type UseCase =
  | 'AUTHENTICATION'
  | 'FILE_DOWNLOAD'
  | 'FILE_PRINT'
  | 'FILE_UPLOAD'
  | 'IDENTITY_READ'
  | 'PIN_VERIFICATION'
  | 'SIGNATURE';

export type VerifyPinInput = {
  /** Allow the connector to spend the last remaining PIN try. */
  allowLastTry: InputMaybe<Scalars['Boolean']['input']>;
  /** 4 to 12 digits. Never logged or stored. */
  pin: Scalars['String']['input'];
  readerId: Scalars['ID']['input'];
};

export type CardModule =
  | 'BEID'
  | 'PKCS11'
  | 'UNKNOWN';

export type UseCase =
  | 'AUTHENTICATION'
  | 'FILE_DOWNLOAD'
  | 'FILE_PRINT'
  | 'FILE_UPLOAD'
  | 'IDENTITY_READ'
  | 'PIN_VERIFICATION'
  | 'SIGNATURE';

export type InfoQueryVariables = Exact<{ [key: string]: never; }>;


export type InfoQuery = { info: { name: string, version: string, apiVersion: string, os: string, arch: string, uptimeSeconds: number, label: string, pcscAvailable: boolean, managed: boolean, deviceId: string | null } };

export type ReadersQueryVariables = Exact<{ [key: string]: never; }>;


export type ReadersQuery = { readers: Array<{ id: string, name: string, pinpad: boolean, card: { atr: string, module: CardModule, description: string | null } | null }> };

export type TransactionsQueryVariables = Exact<{
  from: string | null | undefined;
  to: string | null | undefined;
}>;


export type TransactionsQuery = { transactions: { label: string, total: number, counts: Array<{ useCase: UseCase, tag: string | null, count: number }> } };


export const InfoDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Info"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"info"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"apiVersion"}},{"kind":"Field","name":{"kind":"Name","value":"os"}},{"kind":"Field","name":{"kind":"Name","value":"arch"}},{"kind":"Field","name":{"kind":"Name","value":"uptimeSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"pcscAvailable"}},{"kind":"Field","name":{"kind":"Name","value":"managed"}},{"kind":"Field","name":{"kind":"Name","value":"deviceId"}}]}}]}}]} as unknown as DocumentNode<InfoQuery, InfoQueryVariables>;
export const ReadersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Readers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"readers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"pinpad"}},{"kind":"Field","name":{"kind":"Name","value":"card"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"atr"}},{"kind":"Field","name":{"kind":"Name","value":"module"}},{"kind":"Field","name":{"kind":"Name","value":"description"}}]}}]}}]}}]} as unknown as DocumentNode<ReadersQuery, ReadersQueryVariables>;
export const TransactionsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Transactions"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"transactions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"Argument","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"counts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"useCase"}},{"kind":"Field","name":{"kind":"Name","value":"tag"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}}]}}]}}]} as unknown as DocumentNode<TransactionsQuery, TransactionsQueryVariables>;