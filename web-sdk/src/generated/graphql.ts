/* eslint-disable */
// Generated from schema/schema.graphql by `pnpm codegen`. Do not edit.
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
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
  | 'RSA_PSS_SHA256'
  | 'RSA_PSS_SHA384'
  | 'RSA_PSS_SHA512';

export type CardModule =
  | 'BEID'
  | 'PKCS11'
  | 'UNKNOWN';

export type ChangePinInput = {
  allowLastTry: boolean | null | undefined;
  newPin: string | null | undefined;
  oldPin: string | null | undefined;
  /** Id of the connector-page operation where the user types both PINs. */
  operation: string | number | null | undefined;
  readerId: string | number;
};

export type ConsentMode =
  /** Asked again after the card is removed or the connector restarts. */
  | 'EVERY_SESSION'
  | 'OFF'
  /** Asked once per origin on this machine, remembered until revoked on /settings. */
  | 'ONCE_PER_ORIGIN';

export type DocumentType =
  | 'BELGIAN_CITIZEN'
  | 'FOREIGNER'
  | 'KIDS_CARD'
  | 'OTHER';

export type DownloadInput = {
  file: Blob;
  /** File name to store under; defaults to the uploaded file's name. */
  name: string | null | undefined;
  overwrite: boolean | null | undefined;
  subfolder: string | null | undefined;
  type: string;
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
  /** The card did not answer within the connector's bound (extensions.timeoutMs); the reader was reset and is usable again. */
  | 'CARD_TIMEOUT'
  /** The user refused to let this application read the eID card. */
  | 'CONSENT_REFUSED'
  /** The user has not allowed this application to read the eID card yet: call requestConsent from a click. */
  | 'CONSENT_REQUIRED'
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
  /** The token holds no private key with this keyId. */
  | 'KEY_NOT_FOUND'
  /** Only a local client holding the data dir's token (e.g. `connector sync`) may do this, not a web page. */
  | 'LOCAL_CLIENT_ONLY'
  /** The connector is not registered with a Distribution Service. */
  | 'NOT_MANAGED'
  /** The reader holds no card. */
  | 'NO_CARD'
  /** The connector-page operation id is unknown, already used, or expired. */
  | 'OPERATION_NOT_FOUND'
  /** The page's origin is not registered for this connector. */
  | 'ORIGIN_NOT_ALLOWED'
  /** A file name or sub-folder would escape its mapped folder or is otherwise invalid. */
  | 'PATH_NOT_ALLOWED'
  /** PC/SC (pcscd) is not running or not reachable. */
  | 'PCSC_UNAVAILABLE'
  /** The PIN is blocked. */
  | 'PIN_BLOCKED'
  /**
   * This application enters the PIN on the connector's own page: a PIN (or allowLastTry) in the
   * request is refused. Call without a PIN and with an operation id (the SDK does both).
   */
  | 'PIN_ENTRY_ON_CONNECTOR_PAGE'
  /** Wrong PIN; extensions.retriesLeft tells how many tries remain. */
  | 'PIN_INCORRECT'
  /** Only one PIN try is left and the request did not set allowLastTry. */
  | 'PIN_LAST_TRY_REFUSED'
  /** The operation needs the PIN. */
  | 'PIN_REQUIRED'
  /** A PKCS#11 library is missing, is not a PKCS#11 library, or failed (extensions.ckr names the PKCS#11 return value). */
  | 'PKCS11_LIBRARY_ERROR'
  /** A PKCS#11 library did not answer within the connector's bound (extensions.timeoutMs); its process was restarted. */
  | 'PKCS11_TIMEOUT'
  /** No printer with this name. */
  | 'PRINTER_NOT_FOUND'
  /** The print system refused the job. */
  | 'PRINT_FAILED'
  /** The query is too deep, has too many aliases or too many tokens. */
  | 'QUERY_TOO_COMPLEX'
  /** Too many requests from this origin; retry after extensions.retryAfterSeconds. */
  | 'RATE_LIMITED'
  /** No reader with this id. */
  | 'READER_NOT_FOUND'
  /** No PKCS#11 library or slot with this id. */
  | 'TOKEN_NOT_FOUND'
  /** The token is not (or no longer) in its slot. */
  | 'TOKEN_NOT_PRESENT'
  /** The user cancelled (or closed) the connector's own page (PIN entry or consent). */
  | 'USER_CANCELLED';

export type PinEntry =
  /** The PIN is typed on the connector's own page (https://localhost:<port>/pin); the page never sees it. */
  | 'CONNECTOR_PAGE'
  /** Legacy: the page sends the PIN in the request. */
  | 'HOST_PAGE';

export type Pkcs11LibrarySource =
  /** Added on this machine with `connector pkcs11 add`. */
  | 'CONFIGURED'
  /** A Debian package's library found at its usual path. */
  | 'DEFAULT';

export type PrintInput = {
  /** ... or a file sent by the page. */
  file: Blob | null | undefined;
  name: string | null | undefined;
  printer: string;
  subfolder: string | null | undefined;
  title: string | null | undefined;
  /** Print a mapped file (type + name) ... */
  type: string | null | undefined;
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
  allowLastTry: boolean | null | undefined;
  /** Name of the signed document as the page gives it, shown on the connector page (at most 200 characters). */
  documentName: string | null | undefined;
  /** The hash to sign, base64; its length must match the algorithm's digest. */
  hash: string;
  /** Id of the connector-page operation (https://localhost:<port>/pin?op=<id>) where the user types the PIN. */
  operation: string | number | null | undefined;
  /** The PIN; required for signatures and for the first authentication of a card session. */
  pin: string | null | undefined;
  readerId: string | number;
};

export type SpecialStatus =
  | 'EXTENDED_MINORITY'
  | 'WHITE_CANE'
  | 'YELLOW_CANE';

export type TokenSignInput = {
  /** RSA_PKCS1_SHA256/384/512, RSA_PSS_SHA256/384/512 (salt = hash length, MGF1 with the same hash), ECDSA_SHA256/384/512. */
  algorithm: Algorithm;
  allowLastTry: boolean | null | undefined;
  /** The hash to sign, base64; its length must match the algorithm's digest. */
  hash: string;
  /** The certificate's keyId. */
  keyId: string;
  /** The token's PIN (1-64 characters), used for this one signature and never logged or stored; omit it with a PIN pad. */
  pin: string | null | undefined;
  tokenId: string | number;
};

export type UploadInput = {
  name: string;
  subfolder: string | null | undefined;
  type: string;
};

export type UseCase =
  | 'AUTHENTICATION'
  /** The user's answer to a consent request: result OK (given) or CONSENT_REFUSED / USER_CANCELLED. */
  | 'CONSENT'
  | 'FILE_DOWNLOAD'
  | 'FILE_PRINT'
  | 'FILE_UPLOAD'
  | 'IDENTITY_READ'
  /** A PIN change (recorded apart from PIN_VERIFICATION). */
  | 'PIN_CHANGE'
  | 'PIN_VERIFICATION'
  | 'SIGNATURE';

export type VerifyPinInput = {
  /** Allow the connector to spend the last remaining PIN try. */
  allowLastTry: boolean | null | undefined;
  /** Id of the connector-page operation (https://localhost:<port>/pin?op=<id>) where the user types the PIN. */
  operation: string | number | null | undefined;
  /** 4 to 12 digits. Never logged or stored. Only for applications whose PIN is entered on the host page. */
  pin: string | null | undefined;
  readerId: string | number;
};

export type CertificateFieldsFragment = { pem: string, subject: string, issuer: string, serialNumber: string, notBefore: string, notAfter: string, publicKeyAlgorithm: string };

export type BeidReadQueryVariables = Exact<{
  readerId: string | number;
  identity: boolean;
  address: boolean;
  photo: boolean;
  certificates: boolean;
  integrity: boolean;
  algorithms: boolean;
  appletVersion: boolean;
  pinTriesLeft: boolean;
}>;


export type BeidReadQuery = { beid: { algorithms?: Array<Algorithm>, appletVersion?: string, pinTriesLeft?: number | null, identity?: { cardNumber: string, chipNumber: string, validityBegin: string, validityEnd: string, issuingMunicipality: string, nationalNumber: string, surname: string, firstNames: string, thirdNameInitial: string | null, nationality: string, birthPlace: string, birthDate: string, sex: Sex, nobleCondition: string | null, documentTypeCode: string, documentType: DocumentType, specialStatus: Array<SpecialStatus>, duplicate: string | null, specialOrganisation: string | null, memberOfFamily: boolean, photoHash: string }, address?: { streetAndNumber: string, zipCode: string, municipality: string }, photo?: { mimeType: string, base64: string, size: number }, certificates?: { root: { pem: string, subject: string, issuer: string, serialNumber: string, notBefore: string, notAfter: string, publicKeyAlgorithm: string } | null, citizenCa: { pem: string, subject: string, issuer: string, serialNumber: string, notBefore: string, notAfter: string, publicKeyAlgorithm: string } | null, authentication: { pem: string, subject: string, issuer: string, serialNumber: string, notBefore: string, notAfter: string, publicKeyAlgorithm: string } | null, nonRepudiation: { pem: string, subject: string, issuer: string, serialNumber: string, notBefore: string, notAfter: string, publicKeyAlgorithm: string } | null, rrn: { pem: string, subject: string, issuer: string, serialNumber: string, notBefore: string, notAfter: string, publicKeyAlgorithm: string } | null }, integrity?: { identity: boolean, address: boolean, photo: boolean } } };

export type VerifyPinMutationVariables = Exact<{
  input: VerifyPinInput;
}>;


export type VerifyPinMutation = { verifyPin: { verified: boolean, retriesLeft: number | null } };

export type ChangePinMutationVariables = Exact<{
  input: ChangePinInput;
}>;


export type ChangePinMutation = { changePin: { verified: boolean, retriesLeft: number | null } };

export type SignatureFieldsFragment = { algorithm: Algorithm, signature: string, certificate: string };

export type SignMutationVariables = Exact<{
  input: SignInput;
}>;


export type SignMutation = { sign: { algorithm: Algorithm, signature: string, certificate: string } };

export type AuthenticateMutationVariables = Exact<{
  input: SignInput;
}>;


export type AuthenticateMutation = { authenticate: { algorithm: Algorithm, signature: string, certificate: string } };

export type RequestConsentMutationVariables = Exact<{
  operation: string | number;
}>;


export type RequestConsentMutation = { requestConsent: { granted: boolean } };

export type FileTypesQueryVariables = Exact<{ [key: string]: never; }>;


export type FileTypesQuery = { fileTypes: Array<{ name: string, maxSize: number }> };

export type FileEntryFieldsFragment = { name: string, path: string, size: number, modifiedAt: string, directory: boolean };

export type FilesQueryVariables = Exact<{
  type: string;
  subfolder: string | null | undefined;
}>;


export type FilesQuery = { files: Array<{ name: string, path: string, size: number, modifiedAt: string, directory: boolean }> };

export type DownloadMutationVariables = Exact<{
  input: DownloadInput;
}>;


export type DownloadMutation = { download: { name: string, path: string, size: number, modifiedAt: string, directory: boolean } };

export type UploadMutationVariables = Exact<{
  input: UploadInput;
}>;


export type UploadMutation = { upload: { url: string, size: number, expiresAt: string } };

export type PrintersQueryVariables = Exact<{ [key: string]: never; }>;


export type PrintersQuery = { printers: Array<{ name: string, description: string | null, isDefault: boolean, state: string }> };

export type PrintJobFieldsFragment = { id: string, printer: string, state: PrintJobState };

export type PrintMutationVariables = Exact<{
  input: PrintInput;
}>;


export type PrintMutation = { print: { id: string, printer: string, state: PrintJobState } };

export type PrintJobQueryVariables = Exact<{
  id: string | number;
}>;


export type PrintJobQuery = { printJob: { id: string, printer: string, state: PrintJobState } | null };

export type InfoQueryVariables = Exact<{ [key: string]: never; }>;


export type InfoQuery = { info: { name: string, version: string, apiVersion: string, os: string, arch: string, uptimeSeconds: number, label: string, pcscAvailable: boolean, managed: boolean, deviceId: string | null, pinEntry: PinEntry, consent: ConsentMode, consentRequired: boolean } };

export type ReaderFieldsFragment = { id: string, name: string, pinpad: boolean, card: { atr: string, module: CardModule, description: string | null } | null };

export type ReadersQueryVariables = Exact<{ [key: string]: never; }>;


export type ReadersQuery = { readers: Array<{ id: string, name: string, pinpad: boolean, card: { atr: string, module: CardModule, description: string | null } | null }> };

export type ReaderEventsSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type ReaderEventsSubscription = { readerEvents: { type: ReaderEventType, at: string, reader: { id: string, name: string, pinpad: boolean, card: { atr: string, module: CardModule, description: string | null } | null } } };

export type TransactionsQueryVariables = Exact<{
  from: string | null | undefined;
  to: string | null | undefined;
}>;


export type TransactionsQuery = { transactions: { label: string, total: number, counts: Array<{ useCase: UseCase, tag: string | null, count: number }> } };

export type TokenFieldsFragment = { id: string, library: string, slotId: string, slotDescription: string, label: string, manufacturer: string, model: string, serialNumber: string, loginRequired: boolean, protectedAuthenticationPath: boolean, pinTriesLeft: number | null, pinCountLow: boolean, alsoServedBy: { module: CardModule, readerId: string, readerName: string } | null };

export type TokensQueryVariables = Exact<{
  library: string | null | undefined;
}>;


export type TokensQuery = { tokens: Array<{ id: string, library: string, slotId: string, slotDescription: string, label: string, manufacturer: string, model: string, serialNumber: string, loginRequired: boolean, protectedAuthenticationPath: boolean, pinTriesLeft: number | null, pinCountLow: boolean, alsoServedBy: { module: CardModule, readerId: string, readerName: string } | null }> };

export type Pkcs11LibrariesQueryVariables = Exact<{ [key: string]: never; }>;


export type Pkcs11LibrariesQuery = { pkcs11Libraries: Array<{ name: string, source: Pkcs11LibrarySource, description: string | null, manufacturer: string | null, version: string | null, error: { code: ErrorCode, message: string } | null }> };

export type TokenCertificatesQueryVariables = Exact<{
  id: string | number;
}>;


export type TokenCertificatesQuery = { token: { id: string, certificates: Array<{ keyId: string, label: string, der: string, algorithms: Array<Algorithm>, certificate: { pem: string, subject: string, issuer: string, serialNumber: string, notBefore: string, notAfter: string, publicKeyAlgorithm: string } }> } };

export type TokenMechanismsQueryVariables = Exact<{
  id: string | number;
}>;


export type TokenMechanismsQuery = { token: { id: string, mechanisms: Array<string> } };

export type TokenSignMutationVariables = Exact<{
  input: TokenSignInput;
}>;


export type TokenSignMutation = { tokenSign: { algorithm: Algorithm, signature: string, certificate: string } };

export type TokenAuthenticateMutationVariables = Exact<{
  input: TokenSignInput;
}>;


export type TokenAuthenticateMutation = { tokenAuthenticate: { algorithm: Algorithm, signature: string, certificate: string } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const CertificateFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment CertificateFields on Certificate {
  pem
  subject
  issuer
  serialNumber
  notBefore
  notAfter
  publicKeyAlgorithm
}
    `, {"fragmentName":"CertificateFields"}) as unknown as TypedDocumentString<CertificateFieldsFragment, unknown>;
export const SignatureFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment SignatureFields on SignatureResult {
  algorithm
  signature
  certificate
}
    `, {"fragmentName":"SignatureFields"}) as unknown as TypedDocumentString<SignatureFieldsFragment, unknown>;
export const FileEntryFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment FileEntryFields on FileEntry {
  name
  path
  size
  modifiedAt
  directory
}
    `, {"fragmentName":"FileEntryFields"}) as unknown as TypedDocumentString<FileEntryFieldsFragment, unknown>;
export const PrintJobFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment PrintJobFields on PrintJob {
  id
  printer
  state
}
    `, {"fragmentName":"PrintJobFields"}) as unknown as TypedDocumentString<PrintJobFieldsFragment, unknown>;
export const ReaderFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment ReaderFields on Reader {
  id
  name
  pinpad
  card {
    atr
    module
    description
  }
}
    `, {"fragmentName":"ReaderFields"}) as unknown as TypedDocumentString<ReaderFieldsFragment, unknown>;
export const TokenFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment TokenFields on Token {
  id
  library
  slotId
  slotDescription
  label
  manufacturer
  model
  serialNumber
  loginRequired
  protectedAuthenticationPath
  pinTriesLeft
  pinCountLow
  alsoServedBy {
    module
    readerId
    readerName
  }
}
    `, {"fragmentName":"TokenFields"}) as unknown as TypedDocumentString<TokenFieldsFragment, unknown>;
export const BeidReadDocument = /*#__PURE__*/ new TypedDocumentString(`
    query BeidRead($readerId: ID!, $identity: Boolean!, $address: Boolean!, $photo: Boolean!, $certificates: Boolean!, $integrity: Boolean!, $algorithms: Boolean!, $appletVersion: Boolean!, $pinTriesLeft: Boolean!) {
  beid(readerId: $readerId) {
    identity @include(if: $identity) {
      cardNumber
      chipNumber
      validityBegin
      validityEnd
      issuingMunicipality
      nationalNumber
      surname
      firstNames
      thirdNameInitial
      nationality
      birthPlace
      birthDate
      sex
      nobleCondition
      documentTypeCode
      documentType
      specialStatus
      duplicate
      specialOrganisation
      memberOfFamily
      photoHash
    }
    address @include(if: $address) {
      streetAndNumber
      zipCode
      municipality
    }
    photo @include(if: $photo) {
      mimeType
      base64
      size
    }
    certificates @include(if: $certificates) {
      root {
        ...CertificateFields
      }
      citizenCa {
        ...CertificateFields
      }
      authentication {
        ...CertificateFields
      }
      nonRepudiation {
        ...CertificateFields
      }
      rrn {
        ...CertificateFields
      }
    }
    integrity @include(if: $integrity) {
      identity
      address
      photo
    }
    algorithms @include(if: $algorithms)
    appletVersion @include(if: $appletVersion)
    pinTriesLeft @include(if: $pinTriesLeft)
  }
}
    fragment CertificateFields on Certificate {
  pem
  subject
  issuer
  serialNumber
  notBefore
  notAfter
  publicKeyAlgorithm
}`) as unknown as TypedDocumentString<BeidReadQuery, BeidReadQueryVariables>;
export const VerifyPinDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation VerifyPin($input: VerifyPinInput!) {
  verifyPin(input: $input) {
    verified
    retriesLeft
  }
}
    `) as unknown as TypedDocumentString<VerifyPinMutation, VerifyPinMutationVariables>;
export const ChangePinDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation ChangePin($input: ChangePinInput!) {
  changePin(input: $input) {
    verified
    retriesLeft
  }
}
    `) as unknown as TypedDocumentString<ChangePinMutation, ChangePinMutationVariables>;
export const SignDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation Sign($input: SignInput!) {
  sign(input: $input) {
    ...SignatureFields
  }
}
    fragment SignatureFields on SignatureResult {
  algorithm
  signature
  certificate
}`) as unknown as TypedDocumentString<SignMutation, SignMutationVariables>;
export const AuthenticateDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation Authenticate($input: SignInput!) {
  authenticate(input: $input) {
    ...SignatureFields
  }
}
    fragment SignatureFields on SignatureResult {
  algorithm
  signature
  certificate
}`) as unknown as TypedDocumentString<AuthenticateMutation, AuthenticateMutationVariables>;
export const RequestConsentDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation RequestConsent($operation: ID!) {
  requestConsent(operation: $operation) {
    granted
  }
}
    `) as unknown as TypedDocumentString<RequestConsentMutation, RequestConsentMutationVariables>;
export const FileTypesDocument = /*#__PURE__*/ new TypedDocumentString(`
    query FileTypes {
  fileTypes {
    name
    maxSize
  }
}
    `) as unknown as TypedDocumentString<FileTypesQuery, FileTypesQueryVariables>;
export const FilesDocument = /*#__PURE__*/ new TypedDocumentString(`
    query Files($type: String!, $subfolder: String) {
  files(type: $type, subfolder: $subfolder) {
    ...FileEntryFields
  }
}
    fragment FileEntryFields on FileEntry {
  name
  path
  size
  modifiedAt
  directory
}`) as unknown as TypedDocumentString<FilesQuery, FilesQueryVariables>;
export const DownloadDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation Download($input: DownloadInput!) {
  download(input: $input) {
    ...FileEntryFields
  }
}
    fragment FileEntryFields on FileEntry {
  name
  path
  size
  modifiedAt
  directory
}`) as unknown as TypedDocumentString<DownloadMutation, DownloadMutationVariables>;
export const UploadDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation Upload($input: UploadInput!) {
  upload(input: $input) {
    url
    size
    expiresAt
  }
}
    `) as unknown as TypedDocumentString<UploadMutation, UploadMutationVariables>;
export const PrintersDocument = /*#__PURE__*/ new TypedDocumentString(`
    query Printers {
  printers {
    name
    description
    isDefault
    state
  }
}
    `) as unknown as TypedDocumentString<PrintersQuery, PrintersQueryVariables>;
export const PrintDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation Print($input: PrintInput!) {
  print(input: $input) {
    ...PrintJobFields
  }
}
    fragment PrintJobFields on PrintJob {
  id
  printer
  state
}`) as unknown as TypedDocumentString<PrintMutation, PrintMutationVariables>;
export const PrintJobDocument = /*#__PURE__*/ new TypedDocumentString(`
    query PrintJob($id: ID!) {
  printJob(id: $id) {
    ...PrintJobFields
  }
}
    fragment PrintJobFields on PrintJob {
  id
  printer
  state
}`) as unknown as TypedDocumentString<PrintJobQuery, PrintJobQueryVariables>;
export const InfoDocument = /*#__PURE__*/ new TypedDocumentString(`
    query Info {
  info {
    name
    version
    apiVersion
    os
    arch
    uptimeSeconds
    label
    pcscAvailable
    managed
    deviceId
    pinEntry
    consent
    consentRequired
  }
}
    `) as unknown as TypedDocumentString<InfoQuery, InfoQueryVariables>;
export const ReadersDocument = /*#__PURE__*/ new TypedDocumentString(`
    query Readers {
  readers {
    ...ReaderFields
  }
}
    fragment ReaderFields on Reader {
  id
  name
  pinpad
  card {
    atr
    module
    description
  }
}`) as unknown as TypedDocumentString<ReadersQuery, ReadersQueryVariables>;
export const ReaderEventsDocument = /*#__PURE__*/ new TypedDocumentString(`
    subscription ReaderEvents {
  readerEvents {
    type
    at
    reader {
      ...ReaderFields
    }
  }
}
    fragment ReaderFields on Reader {
  id
  name
  pinpad
  card {
    atr
    module
    description
  }
}`) as unknown as TypedDocumentString<ReaderEventsSubscription, ReaderEventsSubscriptionVariables>;
export const TransactionsDocument = /*#__PURE__*/ new TypedDocumentString(`
    query Transactions($from: DateTime, $to: DateTime) {
  transactions(from: $from, to: $to) {
    label
    total
    counts {
      useCase
      tag
      count
    }
  }
}
    `) as unknown as TypedDocumentString<TransactionsQuery, TransactionsQueryVariables>;
export const TokensDocument = /*#__PURE__*/ new TypedDocumentString(`
    query Tokens($library: String) {
  tokens(library: $library) {
    ...TokenFields
  }
}
    fragment TokenFields on Token {
  id
  library
  slotId
  slotDescription
  label
  manufacturer
  model
  serialNumber
  loginRequired
  protectedAuthenticationPath
  pinTriesLeft
  pinCountLow
  alsoServedBy {
    module
    readerId
    readerName
  }
}`) as unknown as TypedDocumentString<TokensQuery, TokensQueryVariables>;
export const Pkcs11LibrariesDocument = /*#__PURE__*/ new TypedDocumentString(`
    query Pkcs11Libraries {
  pkcs11Libraries {
    name
    source
    description
    manufacturer
    version
    error {
      code
      message
    }
  }
}
    `) as unknown as TypedDocumentString<Pkcs11LibrariesQuery, Pkcs11LibrariesQueryVariables>;
export const TokenCertificatesDocument = /*#__PURE__*/ new TypedDocumentString(`
    query TokenCertificates($id: ID!) {
  token(id: $id) {
    id
    certificates {
      keyId
      label
      der
      algorithms
      certificate {
        ...CertificateFields
      }
    }
  }
}
    fragment CertificateFields on Certificate {
  pem
  subject
  issuer
  serialNumber
  notBefore
  notAfter
  publicKeyAlgorithm
}`) as unknown as TypedDocumentString<TokenCertificatesQuery, TokenCertificatesQueryVariables>;
export const TokenMechanismsDocument = /*#__PURE__*/ new TypedDocumentString(`
    query TokenMechanisms($id: ID!) {
  token(id: $id) {
    id
    mechanisms
  }
}
    `) as unknown as TypedDocumentString<TokenMechanismsQuery, TokenMechanismsQueryVariables>;
export const TokenSignDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation TokenSign($input: TokenSignInput!) {
  tokenSign(input: $input) {
    ...SignatureFields
  }
}
    fragment SignatureFields on SignatureResult {
  algorithm
  signature
  certificate
}`) as unknown as TypedDocumentString<TokenSignMutation, TokenSignMutationVariables>;
export const TokenAuthenticateDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation TokenAuthenticate($input: TokenSignInput!) {
  tokenAuthenticate(input: $input) {
    ...SignatureFields
  }
}
    fragment SignatureFields on SignatureResult {
  algorithm
  signature
  certificate
}`) as unknown as TypedDocumentString<TokenAuthenticateMutation, TokenAuthenticateMutationVariables>;