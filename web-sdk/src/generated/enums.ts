/* eslint-disable */
// Generated from schema/schema.graphql by `pnpm codegen`. Do not edit.
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

export type SpecialStatus =
  | 'EXTENDED_MINORITY'
  | 'WHITE_CANE'
  | 'YELLOW_CANE';

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
