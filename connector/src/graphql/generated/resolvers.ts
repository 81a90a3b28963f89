/* eslint-disable */
// Generated from schema/schema.graphql by `pnpm codegen`. Do not edit.
import type { FileUpload } from '../../http/multipart.js';
import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { BeidParent, ReaderParent, TokenParent, TokenCertificateParent, Pkcs11LibraryParent } from '../mappers.js';
import type { RequestContext } from '../context.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
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
  Upload: { input: FileUpload; output: FileUpload; }
};

export type Address = {
  __typename?: 'Address';
  municipality: Scalars['String']['output'];
  streetAndNumber: Scalars['String']['output'];
  zipCode: Scalars['String']['output'];
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
  | 'RSA_PSS_SHA256'
  | 'RSA_PSS_SHA384'
  | 'RSA_PSS_SHA512';

export type AlsoServedBy = {
  __typename?: 'AlsoServedBy';
  module: CardModule;
  readerId: Scalars['ID']['output'];
  readerName: Scalars['String']['output'];
};

export type Beid = {
  __typename?: 'Beid';
  address: Address;
  /** Algorithms this card supports for sign and authenticate. */
  algorithms: Array<Algorithm>;
  /** Applet version, e.g. 1.7 or 1.8. */
  appletVersion: Scalars['String']['output'];
  certificates: BeidCertificates;
  identity: Identity;
  /** Integrity of the files against the RRN certificate; only the selected flags are checked. */
  integrity: Integrity;
  photo: Photo;
  /** PIN tries left without spending one, where the card can tell (applet 1.8); null otherwise. */
  pinTriesLeft: Maybe<Scalars['Int']['output']>;
  readerId: Scalars['ID']['output'];
};

export type BeidCertificates = {
  __typename?: 'BeidCertificates';
  authentication: Maybe<Certificate>;
  citizenCa: Maybe<Certificate>;
  nonRepudiation: Maybe<Certificate>;
  root: Maybe<Certificate>;
  rrn: Maybe<Certificate>;
};

export type Card = {
  __typename?: 'Card';
  /** Answer To Reset, upper-case hex. */
  atr: Scalars['String']['output'];
  /** Human-readable description of the matched card type. */
  description: Maybe<Scalars['String']['output']>;
  module: CardModule;
};

export type CardModule =
  | 'BEID'
  | 'PKCS11'
  | 'UNKNOWN';

export type Certificate = {
  __typename?: 'Certificate';
  issuer: Scalars['String']['output'];
  notAfter: Scalars['DateTime']['output'];
  notBefore: Scalars['DateTime']['output'];
  pem: Scalars['String']['output'];
  /** RSA or EC, with size or curve, e.g. RSA-2048 or EC-P384. */
  publicKeyAlgorithm: Scalars['String']['output'];
  serialNumber: Scalars['String']['output'];
  subject: Scalars['String']['output'];
};

export type ChangePinInput = {
  allowLastTry?: InputMaybe<Scalars['Boolean']['input']>;
  newPin?: InputMaybe<Scalars['String']['input']>;
  oldPin?: InputMaybe<Scalars['String']['input']>;
  /** Id of the connector-page operation where the user types both PINs. */
  operation?: InputMaybe<Scalars['ID']['input']>;
  readerId: Scalars['ID']['input'];
};

export type ConsentMode =
  /** Asked again after the card is removed or the connector restarts. */
  | 'EVERY_SESSION'
  | 'OFF'
  /** Asked once per origin on this machine, remembered until revoked on /settings. */
  | 'ONCE_PER_ORIGIN';

export type ConsentResult = {
  __typename?: 'ConsentResult';
  granted: Scalars['Boolean']['output'];
};

export type DocumentType =
  | 'BELGIAN_CITIZEN'
  | 'FOREIGNER'
  | 'KIDS_CARD'
  | 'OTHER';

export type DownloadInput = {
  file: Scalars['Upload']['input'];
  /** File name to store under; defaults to the uploaded file's name. */
  name?: InputMaybe<Scalars['String']['input']>;
  overwrite?: InputMaybe<Scalars['Boolean']['input']>;
  subfolder?: InputMaybe<Scalars['String']['input']>;
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

export type FileEntry = {
  __typename?: 'FileEntry';
  directory: Scalars['Boolean']['output'];
  modifiedAt: Scalars['DateTime']['output'];
  name: Scalars['String']['output'];
  /** Path relative to the type's folder, with / separators. */
  path: Scalars['String']['output'];
  size: Scalars['Float']['output'];
};

export type FileTransfer = {
  __typename?: 'FileTransfer';
  expiresAt: Scalars['DateTime']['output'];
  size: Scalars['Float']['output'];
  /** HTTPS URL on the connector; one GET, within expiresAt, returns the bytes. */
  url: Scalars['String']['output'];
};

export type FileType = {
  __typename?: 'FileType';
  /** Largest file accepted by download, in bytes. */
  maxSize: Scalars['Float']['output'];
  name: Scalars['String']['output'];
};

export type Identity = {
  __typename?: 'Identity';
  birthDate: Scalars['Date']['output'];
  birthPlace: Scalars['String']['output'];
  cardNumber: Scalars['String']['output'];
  chipNumber: Scalars['String']['output'];
  documentType: DocumentType;
  /** Document type as coded on the card (e.g. "1", "6", "11"). */
  documentTypeCode: Scalars['String']['output'];
  duplicate: Maybe<Scalars['String']['output']>;
  firstNames: Scalars['String']['output'];
  issuingMunicipality: Scalars['String']['output'];
  memberOfFamily: Scalars['Boolean']['output'];
  nationalNumber: Scalars['String']['output'];
  nationality: Scalars['String']['output'];
  nobleCondition: Maybe<Scalars['String']['output']>;
  /** Hash of the photo as stored on the card, hex. */
  photoHash: Scalars['String']['output'];
  sex: Sex;
  specialOrganisation: Maybe<Scalars['String']['output']>;
  specialStatus: Array<SpecialStatus>;
  surname: Scalars['String']['output'];
  thirdNameInitial: Maybe<Scalars['String']['output']>;
  validityBegin: Scalars['Date']['output'];
  validityEnd: Scalars['Date']['output'];
};

export type Info = {
  __typename?: 'Info';
  /** Semantic version of this API; additive changes bump the minor version. */
  apiVersion: Scalars['String']['output'];
  arch: Scalars['String']['output'];
  /** When the calling application needs the user's consent to read identity data. */
  consent: ConsentMode;
  /** Whether the next identity read needs the user's consent first (requestConsent). */
  consentRequired: Scalars['Boolean']['output'];
  deviceId: Maybe<Scalars['String']['output']>;
  /** The calling application's label, from the origin allow-list. */
  label: Scalars['String']['output'];
  /** Whether a Distribution Service manages this connector. */
  managed: Scalars['Boolean']['output'];
  name: Scalars['String']['output'];
  os: Scalars['String']['output'];
  /** Whether the PC/SC service answers. */
  pcscAvailable: Scalars['Boolean']['output'];
  /** Who types the PIN for the calling application (a DS application setting). */
  pinEntry: PinEntry;
  uptimeSeconds: Scalars['Int']['output'];
  version: Scalars['String']['output'];
};

export type Integrity = {
  __typename?: 'Integrity';
  /** The address file's signature (over address and identity signature) verifies. */
  address: Scalars['Boolean']['output'];
  /** The identity file's signature verifies with the RRN certificate. */
  identity: Scalars['Boolean']['output'];
  /** The photo's hash matches the one in the identity file. */
  photo: Scalars['Boolean']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Sign a hash or challenge with the authentication key. */
  authenticate: SignatureResult;
  /** Change the card's PIN. */
  changePin: PinStatus;
  /**
   * Store a file from the page on the user's disk, in a mapped folder (directions are named
   * from the device's side: a download lands on the device).
   */
  download: FileEntry;
  /** Print a mapped file or a file sent by the page. */
  print: PrintJob;
  /**
   * Ask the user, on the connector's own page (https://localhost:<port>/consent?op=<operation>,
   * opened by the page as a popup from a click), to let this application read the eID card.
   * Resolves when the user answers: granted, or CONSENT_REFUSED / USER_CANCELLED.
   */
  requestConsent: ConsentResult;
  /** Sign a hash with the non-repudiation (qualified signature) key. */
  sign: SignatureResult;
  /**
   * Run one Distribution Service sync now (new origins, configuration, certificate; usage sent)
   * and answer when it is done. Local clients only (`connector sync`): a page gets
   * LOCAL_CLIENT_ONLY; a connector without a DS, NOT_MANAGED.
   */
  syncNow: SyncResult;
  /** Sign a challenge's hash with a PKCS#11 token's key. Recorded as AUTHENTICATION. */
  tokenAuthenticate: SignatureResult;
  /** Sign a hash with a PKCS#11 token's key (the key of the chosen certificate). Recorded as SIGNATURE. */
  tokenSign: SignatureResult;
  /**
   * Read a file from the user's disk for the page. Returns a short-lived, single-use URL
   * from which the page fetches the bytes (streamed, never inflated into JSON).
   */
  upload: FileTransfer;
  /** Verify the card's PIN. A wrong PIN fails with PIN_INCORRECT and extensions.retriesLeft. */
  verifyPin: PinStatus;
};


export type MutationAuthenticateArgs = {
  input: SignInput;
};


export type MutationChangePinArgs = {
  input: ChangePinInput;
};


export type MutationDownloadArgs = {
  input: DownloadInput;
};


export type MutationPrintArgs = {
  input: PrintInput;
};


export type MutationRequestConsentArgs = {
  operation: Scalars['ID']['input'];
};


export type MutationSignArgs = {
  input: SignInput;
};


export type MutationTokenAuthenticateArgs = {
  input: TokenSignInput;
};


export type MutationTokenSignArgs = {
  input: TokenSignInput;
};


export type MutationUploadArgs = {
  input: UploadInput;
};


export type MutationVerifyPinArgs = {
  input: VerifyPinInput;
};

export type Photo = {
  __typename?: 'Photo';
  /** JPEG bytes, base64. */
  base64: Scalars['String']['output'];
  mimeType: Scalars['String']['output'];
  size: Scalars['Int']['output'];
};

export type PinEntry =
  /** The PIN is typed on the connector's own page (https://localhost:<port>/pin); the page never sees it. */
  | 'CONNECTOR_PAGE'
  /** Legacy: the page sends the PIN in the request. */
  | 'HOST_PAGE';

export type PinStatus = {
  __typename?: 'PinStatus';
  /** Tries left after this operation, where known. */
  retriesLeft: Maybe<Scalars['Int']['output']>;
  verified: Scalars['Boolean']['output'];
};

export type Pkcs11Library = {
  __typename?: 'Pkcs11Library';
  /** The library's own description and maker (C_GetInfo); null when it failed. */
  description: Maybe<Scalars['String']['output']>;
  /** Why the library is unusable now; null when it answers. */
  error: Maybe<Pkcs11LibraryError>;
  manufacturer: Maybe<Scalars['String']['output']>;
  /** The name pages use in token ids; the library's path is never shown. */
  name: Scalars['String']['output'];
  source: Pkcs11LibrarySource;
  version: Maybe<Scalars['String']['output']>;
};

export type Pkcs11LibraryError = {
  __typename?: 'Pkcs11LibraryError';
  code: ErrorCode;
  message: Scalars['String']['output'];
};

export type Pkcs11LibrarySource =
  /** Added on this machine with `connector pkcs11 add`. */
  | 'CONFIGURED'
  /** A Debian package's library found at its usual path. */
  | 'DEFAULT';

export type PrintInput = {
  /** ... or a file sent by the page. */
  file?: InputMaybe<Scalars['Upload']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  printer: Scalars['String']['input'];
  subfolder?: InputMaybe<Scalars['String']['input']>;
  title?: InputMaybe<Scalars['String']['input']>;
  /** Print a mapped file (type + name) ... */
  type?: InputMaybe<Scalars['String']['input']>;
};

export type PrintJob = {
  __typename?: 'PrintJob';
  id: Scalars['ID']['output'];
  printer: Scalars['String']['output'];
  state: PrintJobState;
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

export type Printer = {
  __typename?: 'Printer';
  description: Maybe<Scalars['String']['output']>;
  isDefault: Scalars['Boolean']['output'];
  name: Scalars['String']['output'];
  state: Scalars['String']['output'];
};

export type Query = {
  __typename?: 'Query';
  /** A Belgian eID card in the given reader. Only the fields selected are read from the card. */
  beid: Beid;
  /** File types (named folders) the calling application's label may use. Absolute paths are never shown. */
  fileTypes: Array<FileType>;
  /** Content of a file type's folder (or a sub-folder of it). */
  files: Array<FileEntry>;
  /** Connector version and status; cheap, touches no hardware. */
  info: Info;
  /** PKCS#11 libraries of this machine (`connector pkcs11 add`, and Debian's OpenSC and SoftHSM2 when installed), each loaded in its own process. */
  pkcs11Libraries: Array<Pkcs11Library>;
  /** State of a print job started by `print`. */
  printJob: Maybe<PrintJob>;
  /** Printers known to the local print system. */
  printers: Array<Printer>;
  reader: Maybe<Reader>;
  /** Readers currently attached, with the card in each. */
  readers: Array<Reader>;
  /** One token by id (<library>:<slot id>). */
  token: Token;
  /**
   * Tokens present in the slots of every PKCS#11 library, or of `library` only. A library that
   * fails is left out of the full listing (pkcs11Libraries says why); asked for alone, its error is raised.
   */
  tokens: Array<Token>;
  /** Usage recorded for the calling application's label. */
  transactions: TransactionSummary;
};


export type QueryBeidArgs = {
  readerId: Scalars['ID']['input'];
};


export type QueryFilesArgs = {
  subfolder?: InputMaybe<Scalars['String']['input']>;
  type: Scalars['String']['input'];
};


export type QueryPrintJobArgs = {
  id: Scalars['ID']['input'];
};


export type QueryReaderArgs = {
  id: Scalars['ID']['input'];
};


export type QueryTokenArgs = {
  id: Scalars['ID']['input'];
};


export type QueryTokensArgs = {
  library?: InputMaybe<Scalars['String']['input']>;
};


export type QueryTransactionsArgs = {
  from?: InputMaybe<Scalars['DateTime']['input']>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
};

export type Reader = {
  __typename?: 'Reader';
  card: Maybe<Card>;
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  pinpad: Scalars['Boolean']['output'];
};

export type ReaderEvent = {
  __typename?: 'ReaderEvent';
  at: Scalars['DateTime']['output'];
  reader: Reader;
  type: ReaderEventType;
};

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
  allowLastTry?: InputMaybe<Scalars['Boolean']['input']>;
  /** Name of the signed document as the page gives it, shown on the connector page (at most 200 characters). */
  documentName?: InputMaybe<Scalars['String']['input']>;
  /** The hash to sign, base64; its length must match the algorithm's digest. */
  hash: Scalars['String']['input'];
  /** Id of the connector-page operation (https://localhost:<port>/pin?op=<id>) where the user types the PIN. */
  operation?: InputMaybe<Scalars['ID']['input']>;
  /** The PIN; required for signatures and for the first authentication of a card session. */
  pin?: InputMaybe<Scalars['String']['input']>;
  readerId: Scalars['ID']['input'];
};

export type SignatureResult = {
  __typename?: 'SignatureResult';
  algorithm: Algorithm;
  /** The certificate whose key made the signature, PEM. */
  certificate: Scalars['String']['output'];
  /** The signature, base64. RSA: PKCS#1 / PSS block; ECDSA: plain r||s. */
  signature: Scalars['String']['output'];
};

export type SpecialStatus =
  | 'EXTENDED_MINORITY'
  | 'WHITE_CANE'
  | 'YELLOW_CANE';

export type Subscription = {
  __typename?: 'Subscription';
  /** Readers attached and removed, cards inserted and removed (Server-Sent Events). */
  readerEvents: ReaderEvent;
};

/** The outcome of a DS sync asked for with `syncNow`. */
export type SyncResult = {
  __typename?: 'SyncResult';
  /** Usage records the DS acknowledged in this sync. */
  acknowledged: Scalars['Int']['output'];
  /** Why it failed (a DS or network error code, e.g. DS_UNREACHABLE), null when ok. */
  error: Maybe<Scalars['String']['output']>;
  /** When the sync finished. */
  finishedAt: Scalars['DateTime']['output'];
  /** When the next scheduled sync is due. */
  nextSyncAt: Maybe<Scalars['DateTime']['output']>;
  /** Whether the DS answered and its answer was applied. */
  ok: Scalars['Boolean']['output'];
  /** Version of the origin list the connector holds after the sync. */
  originListVersion: Maybe<Scalars['Int']['output']>;
};

/**
 * A token in a PKCS#11 library's slot. A card that a card module claims by its ATR (a Belgian
 * eID) may also appear here through OpenSC: `alsoServedBy` then names the module and the reader
 * whose `beid` API serves the same card, so a page can show it once.
 */
export type Token = {
  __typename?: 'Token';
  alsoServedBy: Maybe<AlsoServedBy>;
  /** Certificates on the token (public objects: no PIN needed). */
  certificates: Array<TokenCertificate>;
  /** <library>:<slot id>; stable while the library keeps its slot numbering. */
  id: Scalars['ID']['output'];
  label: Scalars['String']['output'];
  library: Scalars['String']['output'];
  /** A PIN is needed for private keys. */
  loginRequired: Scalars['Boolean']['output'];
  manufacturer: Scalars['String']['output'];
  /** Mechanisms the token lists (C_GetMechanismList), by PKCS#11 name. */
  mechanisms: Array<Scalars['String']['output']>;
  model: Scalars['String']['output'];
  /** The token reports at least one wrong PIN since the last right one. */
  pinCountLow: Scalars['Boolean']['output'];
  /** 0 when the PIN is locked, 1 at the final try; null when the token does not tell. */
  pinTriesLeft: Maybe<Scalars['Int']['output']>;
  /** The PIN is entered on the reader's own pad (send no pin). */
  protectedAuthenticationPath: Scalars['Boolean']['output'];
  serialNumber: Scalars['String']['output'];
  /** The slot's description; OpenSC names it after the PC/SC reader. */
  slotDescription: Scalars['String']['output'];
  slotId: Scalars['String']['output'];
};

export type TokenCertificate = {
  __typename?: 'TokenCertificate';
  /** Algorithms this certificate's key can sign with on this token (key type x the token's mechanisms). */
  algorithms: Array<Algorithm>;
  /** PEM, parsed subject, issuer, validity and key type. */
  certificate: Certificate;
  /** The DER certificate, base64. */
  der: Scalars['String']['output'];
  /** CKA_ID in lower-case hex, shared by the certificate and its private key: what tokenSign takes as keyId. Empty when the object has none. */
  keyId: Scalars['String']['output'];
  /** The object's label (CKA_LABEL). */
  label: Scalars['String']['output'];
};

export type TokenSignInput = {
  /** RSA_PKCS1_SHA256/384/512, RSA_PSS_SHA256/384/512 (salt = hash length, MGF1 with the same hash), ECDSA_SHA256/384/512. */
  algorithm: Algorithm;
  allowLastTry?: InputMaybe<Scalars['Boolean']['input']>;
  /** The hash to sign, base64; its length must match the algorithm's digest. */
  hash: Scalars['String']['input'];
  /** The certificate's keyId. */
  keyId: Scalars['String']['input'];
  /** The token's PIN (1-64 characters), used for this one signature and never logged or stored; omit it with a PIN pad. */
  pin?: InputMaybe<Scalars['String']['input']>;
  tokenId: Scalars['ID']['input'];
};

export type TransactionSummary = {
  __typename?: 'TransactionSummary';
  counts: Array<UsageCount>;
  label: Scalars['String']['output'];
  total: Scalars['Int']['output'];
};

export type UploadInput = {
  name: Scalars['String']['input'];
  subfolder?: InputMaybe<Scalars['String']['input']>;
  type: Scalars['String']['input'];
};

export type UsageCount = {
  __typename?: 'UsageCount';
  count: Scalars['Int']['output'];
  tag: Maybe<Scalars['String']['output']>;
  useCase: UseCase;
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
  allowLastTry?: InputMaybe<Scalars['Boolean']['input']>;
  /** Id of the connector-page operation (https://localhost:<port>/pin?op=<id>) where the user types the PIN. */
  operation?: InputMaybe<Scalars['ID']['input']>;
  /** 4 to 12 digits. Never logged or stored. Only for applications whose PIN is entered on the host page. */
  pin?: InputMaybe<Scalars['String']['input']>;
  readerId: Scalars['ID']['input'];
};



export type ResolverTypeWrapper<T> = T | Promise<T>;


export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;





/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  Address: ResolverTypeWrapper<Address>;
  Algorithm: Algorithm;
  AlsoServedBy: ResolverTypeWrapper<AlsoServedBy>;
  Beid: ResolverTypeWrapper<BeidParent>;
  BeidCertificates: ResolverTypeWrapper<BeidParent>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Card: ResolverTypeWrapper<Card>;
  CardModule: CardModule;
  Certificate: ResolverTypeWrapper<Certificate>;
  ChangePinInput: ChangePinInput;
  ConsentMode: ConsentMode;
  ConsentResult: ResolverTypeWrapper<ConsentResult>;
  Date: ResolverTypeWrapper<Scalars['Date']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  DocumentType: DocumentType;
  DownloadInput: DownloadInput;
  ErrorCode: ErrorCode;
  FileEntry: ResolverTypeWrapper<FileEntry>;
  FileTransfer: ResolverTypeWrapper<FileTransfer>;
  FileType: ResolverTypeWrapper<FileType>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Identity: ResolverTypeWrapper<Identity>;
  Info: ResolverTypeWrapper<Info>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  Integrity: ResolverTypeWrapper<BeidParent>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Photo: ResolverTypeWrapper<Photo>;
  PinEntry: PinEntry;
  PinStatus: ResolverTypeWrapper<PinStatus>;
  Pkcs11Library: ResolverTypeWrapper<Pkcs11LibraryParent>;
  Pkcs11LibraryError: ResolverTypeWrapper<Pkcs11LibraryError>;
  Pkcs11LibrarySource: Pkcs11LibrarySource;
  PrintInput: PrintInput;
  PrintJob: ResolverTypeWrapper<PrintJob>;
  PrintJobState: PrintJobState;
  Printer: ResolverTypeWrapper<Printer>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Reader: ResolverTypeWrapper<ReaderParent>;
  ReaderEvent: ResolverTypeWrapper<Omit<ReaderEvent, 'reader'> & { reader: ResolversTypes['Reader'] }>;
  ReaderEventType: ReaderEventType;
  Sex: Sex;
  SignInput: SignInput;
  SignatureResult: ResolverTypeWrapper<SignatureResult>;
  SpecialStatus: SpecialStatus;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  SyncResult: ResolverTypeWrapper<SyncResult>;
  Token: ResolverTypeWrapper<TokenParent>;
  TokenCertificate: ResolverTypeWrapper<TokenCertificateParent>;
  TokenSignInput: TokenSignInput;
  TransactionSummary: ResolverTypeWrapper<TransactionSummary>;
  Upload: ResolverTypeWrapper<Scalars['Upload']['output']>;
  UploadInput: UploadInput;
  UsageCount: ResolverTypeWrapper<UsageCount>;
  UseCase: UseCase;
  VerifyPinInput: VerifyPinInput;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  Address: Address;
  AlsoServedBy: AlsoServedBy;
  Beid: BeidParent;
  BeidCertificates: BeidParent;
  Boolean: Scalars['Boolean']['output'];
  Card: Card;
  Certificate: Certificate;
  ChangePinInput: ChangePinInput;
  ConsentResult: ConsentResult;
  Date: Scalars['Date']['output'];
  DateTime: Scalars['DateTime']['output'];
  DownloadInput: DownloadInput;
  FileEntry: FileEntry;
  FileTransfer: FileTransfer;
  FileType: FileType;
  Float: Scalars['Float']['output'];
  ID: Scalars['ID']['output'];
  Identity: Identity;
  Info: Info;
  Int: Scalars['Int']['output'];
  Integrity: BeidParent;
  Mutation: Record<PropertyKey, never>;
  Photo: Photo;
  PinStatus: PinStatus;
  Pkcs11Library: Pkcs11LibraryParent;
  Pkcs11LibraryError: Pkcs11LibraryError;
  PrintInput: PrintInput;
  PrintJob: PrintJob;
  Printer: Printer;
  Query: Record<PropertyKey, never>;
  Reader: ReaderParent;
  ReaderEvent: Omit<ReaderEvent, 'reader'> & { reader: ResolversParentTypes['Reader'] };
  SignInput: SignInput;
  SignatureResult: SignatureResult;
  String: Scalars['String']['output'];
  Subscription: Record<PropertyKey, never>;
  SyncResult: SyncResult;
  Token: TokenParent;
  TokenCertificate: TokenCertificateParent;
  TokenSignInput: TokenSignInput;
  TransactionSummary: TransactionSummary;
  Upload: Scalars['Upload']['output'];
  UploadInput: UploadInput;
  UsageCount: UsageCount;
  VerifyPinInput: VerifyPinInput;
};

export type AddressResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Address'] = ResolversParentTypes['Address']> = {
  municipality?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  streetAndNumber?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  zipCode?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type AlsoServedByResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['AlsoServedBy'] = ResolversParentTypes['AlsoServedBy']> = {
  module?: Resolver<ResolversTypes['CardModule'], ParentType, ContextType>;
  readerId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  readerName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type BeidResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Beid'] = ResolversParentTypes['Beid']> = {
  address?: Resolver<ResolversTypes['Address'], ParentType, ContextType>;
  algorithms?: Resolver<Array<ResolversTypes['Algorithm']>, ParentType, ContextType>;
  appletVersion?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  certificates?: Resolver<ResolversTypes['BeidCertificates'], ParentType, ContextType>;
  identity?: Resolver<ResolversTypes['Identity'], ParentType, ContextType>;
  integrity?: Resolver<ResolversTypes['Integrity'], ParentType, ContextType>;
  photo?: Resolver<ResolversTypes['Photo'], ParentType, ContextType>;
  pinTriesLeft?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  readerId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type BeidCertificatesResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['BeidCertificates'] = ResolversParentTypes['BeidCertificates']> = {
  authentication?: Resolver<Maybe<ResolversTypes['Certificate']>, ParentType, ContextType>;
  citizenCa?: Resolver<Maybe<ResolversTypes['Certificate']>, ParentType, ContextType>;
  nonRepudiation?: Resolver<Maybe<ResolversTypes['Certificate']>, ParentType, ContextType>;
  root?: Resolver<Maybe<ResolversTypes['Certificate']>, ParentType, ContextType>;
  rrn?: Resolver<Maybe<ResolversTypes['Certificate']>, ParentType, ContextType>;
};

export type CardResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Card'] = ResolversParentTypes['Card']> = {
  atr?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  module?: Resolver<ResolversTypes['CardModule'], ParentType, ContextType>;
};

export type CertificateResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Certificate'] = ResolversParentTypes['Certificate']> = {
  issuer?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  notAfter?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  notBefore?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  pem?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  publicKeyAlgorithm?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  serialNumber?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  subject?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type ConsentResultResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ConsentResult'] = ResolversParentTypes['ConsentResult']> = {
  granted?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export interface DateScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Date'], any> {
  name: 'Date';
}

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type FileEntryResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['FileEntry'] = ResolversParentTypes['FileEntry']> = {
  directory?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  modifiedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  path?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  size?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type FileTransferResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['FileTransfer'] = ResolversParentTypes['FileTransfer']> = {
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  size?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type FileTypeResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['FileType'] = ResolversParentTypes['FileType']> = {
  maxSize?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type IdentityResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Identity'] = ResolversParentTypes['Identity']> = {
  birthDate?: Resolver<ResolversTypes['Date'], ParentType, ContextType>;
  birthPlace?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  cardNumber?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  chipNumber?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  documentType?: Resolver<ResolversTypes['DocumentType'], ParentType, ContextType>;
  documentTypeCode?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  duplicate?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  firstNames?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  issuingMunicipality?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  memberOfFamily?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  nationalNumber?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  nationality?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  nobleCondition?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  photoHash?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  sex?: Resolver<ResolversTypes['Sex'], ParentType, ContextType>;
  specialOrganisation?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  specialStatus?: Resolver<Array<ResolversTypes['SpecialStatus']>, ParentType, ContextType>;
  surname?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  thirdNameInitial?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  validityBegin?: Resolver<ResolversTypes['Date'], ParentType, ContextType>;
  validityEnd?: Resolver<ResolversTypes['Date'], ParentType, ContextType>;
};

export type InfoResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Info'] = ResolversParentTypes['Info']> = {
  apiVersion?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  arch?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  consent?: Resolver<ResolversTypes['ConsentMode'], ParentType, ContextType>;
  consentRequired?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  deviceId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  label?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  managed?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  os?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  pcscAvailable?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  pinEntry?: Resolver<ResolversTypes['PinEntry'], ParentType, ContextType>;
  uptimeSeconds?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type IntegrityResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Integrity'] = ResolversParentTypes['Integrity']> = {
  address?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  identity?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  photo?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type MutationResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  authenticate?: Resolver<ResolversTypes['SignatureResult'], ParentType, ContextType, RequireFields<MutationAuthenticateArgs, 'input'>>;
  changePin?: Resolver<ResolversTypes['PinStatus'], ParentType, ContextType, RequireFields<MutationChangePinArgs, 'input'>>;
  download?: Resolver<ResolversTypes['FileEntry'], ParentType, ContextType, RequireFields<MutationDownloadArgs, 'input'>>;
  print?: Resolver<ResolversTypes['PrintJob'], ParentType, ContextType, RequireFields<MutationPrintArgs, 'input'>>;
  requestConsent?: Resolver<ResolversTypes['ConsentResult'], ParentType, ContextType, RequireFields<MutationRequestConsentArgs, 'operation'>>;
  sign?: Resolver<ResolversTypes['SignatureResult'], ParentType, ContextType, RequireFields<MutationSignArgs, 'input'>>;
  syncNow?: Resolver<ResolversTypes['SyncResult'], ParentType, ContextType>;
  tokenAuthenticate?: Resolver<ResolversTypes['SignatureResult'], ParentType, ContextType, RequireFields<MutationTokenAuthenticateArgs, 'input'>>;
  tokenSign?: Resolver<ResolversTypes['SignatureResult'], ParentType, ContextType, RequireFields<MutationTokenSignArgs, 'input'>>;
  upload?: Resolver<ResolversTypes['FileTransfer'], ParentType, ContextType, RequireFields<MutationUploadArgs, 'input'>>;
  verifyPin?: Resolver<ResolversTypes['PinStatus'], ParentType, ContextType, RequireFields<MutationVerifyPinArgs, 'input'>>;
};

export type PhotoResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Photo'] = ResolversParentTypes['Photo']> = {
  base64?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  mimeType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  size?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type PinStatusResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['PinStatus'] = ResolversParentTypes['PinStatus']> = {
  retriesLeft?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  verified?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type Pkcs11LibraryResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Pkcs11Library'] = ResolversParentTypes['Pkcs11Library']> = {
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['Pkcs11LibraryError']>, ParentType, ContextType>;
  manufacturer?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  source?: Resolver<ResolversTypes['Pkcs11LibrarySource'], ParentType, ContextType>;
  version?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type Pkcs11LibraryErrorResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Pkcs11LibraryError'] = ResolversParentTypes['Pkcs11LibraryError']> = {
  code?: Resolver<ResolversTypes['ErrorCode'], ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type PrintJobResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['PrintJob'] = ResolversParentTypes['PrintJob']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  printer?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  state?: Resolver<ResolversTypes['PrintJobState'], ParentType, ContextType>;
};

export type PrinterResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Printer'] = ResolversParentTypes['Printer']> = {
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  isDefault?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  state?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type QueryResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  beid?: Resolver<ResolversTypes['Beid'], ParentType, ContextType, RequireFields<QueryBeidArgs, 'readerId'>>;
  fileTypes?: Resolver<Array<ResolversTypes['FileType']>, ParentType, ContextType>;
  files?: Resolver<Array<ResolversTypes['FileEntry']>, ParentType, ContextType, RequireFields<QueryFilesArgs, 'type'>>;
  info?: Resolver<ResolversTypes['Info'], ParentType, ContextType>;
  pkcs11Libraries?: Resolver<Array<ResolversTypes['Pkcs11Library']>, ParentType, ContextType>;
  printJob?: Resolver<Maybe<ResolversTypes['PrintJob']>, ParentType, ContextType, RequireFields<QueryPrintJobArgs, 'id'>>;
  printers?: Resolver<Array<ResolversTypes['Printer']>, ParentType, ContextType>;
  reader?: Resolver<Maybe<ResolversTypes['Reader']>, ParentType, ContextType, RequireFields<QueryReaderArgs, 'id'>>;
  readers?: Resolver<Array<ResolversTypes['Reader']>, ParentType, ContextType>;
  token?: Resolver<ResolversTypes['Token'], ParentType, ContextType, RequireFields<QueryTokenArgs, 'id'>>;
  tokens?: Resolver<Array<ResolversTypes['Token']>, ParentType, ContextType, Partial<QueryTokensArgs>>;
  transactions?: Resolver<ResolversTypes['TransactionSummary'], ParentType, ContextType, Partial<QueryTransactionsArgs>>;
};

export type ReaderResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Reader'] = ResolversParentTypes['Reader']> = {
  card?: Resolver<Maybe<ResolversTypes['Card']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  pinpad?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type ReaderEventResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ReaderEvent'] = ResolversParentTypes['ReaderEvent']> = {
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  reader?: Resolver<ResolversTypes['Reader'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['ReaderEventType'], ParentType, ContextType>;
};

export type SignatureResultResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['SignatureResult'] = ResolversParentTypes['SignatureResult']> = {
  algorithm?: Resolver<ResolversTypes['Algorithm'], ParentType, ContextType>;
  certificate?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  signature?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type SubscriptionResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = {
  readerEvents?: SubscriptionResolver<ResolversTypes['ReaderEvent'], "readerEvents", ParentType, ContextType>;
};

export type SyncResultResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['SyncResult'] = ResolversParentTypes['SyncResult']> = {
  acknowledged?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  finishedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  nextSyncAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  ok?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  originListVersion?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
};

export type TokenResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Token'] = ResolversParentTypes['Token']> = {
  alsoServedBy?: Resolver<Maybe<ResolversTypes['AlsoServedBy']>, ParentType, ContextType>;
  certificates?: Resolver<Array<ResolversTypes['TokenCertificate']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  label?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  library?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  loginRequired?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  manufacturer?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  mechanisms?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  model?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  pinCountLow?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  pinTriesLeft?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  protectedAuthenticationPath?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  serialNumber?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  slotDescription?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  slotId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type TokenCertificateResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['TokenCertificate'] = ResolversParentTypes['TokenCertificate']> = {
  algorithms?: Resolver<Array<ResolversTypes['Algorithm']>, ParentType, ContextType>;
  certificate?: Resolver<ResolversTypes['Certificate'], ParentType, ContextType>;
  der?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  keyId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  label?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type TransactionSummaryResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['TransactionSummary'] = ResolversParentTypes['TransactionSummary']> = {
  counts?: Resolver<Array<ResolversTypes['UsageCount']>, ParentType, ContextType>;
  label?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  total?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export interface UploadScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Upload'], any> {
  name: 'Upload';
}

export type UsageCountResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['UsageCount'] = ResolversParentTypes['UsageCount']> = {
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  tag?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  useCase?: Resolver<ResolversTypes['UseCase'], ParentType, ContextType>;
};

export type Resolvers<ContextType = RequestContext> = {
  Address?: AddressResolvers<ContextType>;
  AlsoServedBy?: AlsoServedByResolvers<ContextType>;
  Beid?: BeidResolvers<ContextType>;
  BeidCertificates?: BeidCertificatesResolvers<ContextType>;
  Card?: CardResolvers<ContextType>;
  Certificate?: CertificateResolvers<ContextType>;
  ConsentResult?: ConsentResultResolvers<ContextType>;
  Date?: GraphQLScalarType;
  DateTime?: GraphQLScalarType;
  FileEntry?: FileEntryResolvers<ContextType>;
  FileTransfer?: FileTransferResolvers<ContextType>;
  FileType?: FileTypeResolvers<ContextType>;
  Identity?: IdentityResolvers<ContextType>;
  Info?: InfoResolvers<ContextType>;
  Integrity?: IntegrityResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Photo?: PhotoResolvers<ContextType>;
  PinStatus?: PinStatusResolvers<ContextType>;
  Pkcs11Library?: Pkcs11LibraryResolvers<ContextType>;
  Pkcs11LibraryError?: Pkcs11LibraryErrorResolvers<ContextType>;
  PrintJob?: PrintJobResolvers<ContextType>;
  Printer?: PrinterResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Reader?: ReaderResolvers<ContextType>;
  ReaderEvent?: ReaderEventResolvers<ContextType>;
  SignatureResult?: SignatureResultResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  SyncResult?: SyncResultResolvers<ContextType>;
  Token?: TokenResolvers<ContextType>;
  TokenCertificate?: TokenCertificateResolvers<ContextType>;
  TransactionSummary?: TransactionSummaryResolvers<ContextType>;
  Upload?: GraphQLScalarType;
  UsageCount?: UsageCountResolvers<ContextType>;
};

