// Public result types, all derived from the generated operation types (never written twice).
import type {
  BeidReadQuery,
  CertificateFieldsFragment,
  FileEntryFieldsFragment,
  FileTypesQuery,
  PrintersQuery,
  PrintJobFieldsFragment,
  UploadMutation,
  InfoQuery,
  ReaderEventsSubscription,
  ReaderFieldsFragment,
  SignatureFieldsFragment,
  TransactionsQuery,
  VerifyPinMutation,
} from './generated/graphql.js';

export type {
  Algorithm,
  CardModule,
  DocumentType,
  PrintJobState,
  ReaderEventType,
  Sex,
  SpecialStatus,
  UseCase,
} from './generated/graphql.js';

export type Info = InfoQuery['info'];
export type Reader = ReaderFieldsFragment;
export type Card = NonNullable<Reader['card']>;
export type ReaderEvent = ReaderEventsSubscription['readerEvents'];
export type TransactionSummary = TransactionsQuery['transactions'];
export type UsageCount = TransactionSummary['counts'][number];

/** A file type (named folder) the application may use; `maxSize` in bytes. */
export type FileType = FileTypesQuery['fileTypes'][number];
/** A file or folder in a type's folder; `path` is relative to it, with `/` separators. */
export type FileEntry = FileEntryFieldsFragment;
/** A one-time URL for a file's bytes: `{ url, size, expiresAt }`. */
export type FileTransfer = UploadMutation['upload'];
export type Printer = PrintersQuery['printers'][number];
export type PrintJob = PrintJobFieldsFragment;

type BeidSelection = BeidReadQuery['beid'];
/** Every part of a BeID card that `read()` can select, as returned when selected. */
export type BeidParts = { [K in keyof BeidSelection]-?: Exclude<BeidSelection[K], undefined> };
export type Identity = BeidParts['identity'];
export type Address = BeidParts['address'];
export type Photo = BeidParts['photo'];
export type BeidCertificates = BeidParts['certificates'];
export type Certificate = CertificateFieldsFragment;
export type Integrity = BeidParts['integrity'];
export type PinStatus = VerifyPinMutation['verifyPin'];
export type SignatureResult = SignatureFieldsFragment;

/** Which parts `read()` fetches; each selected part costs card reads, nothing else is read. */
export type BeidReadOptions = { [K in keyof BeidParts]?: boolean };

type Flatten<T> = { [K in keyof T]: T[K] } & {};
/** `read(opts)`'s result: parts set to `true` are present, parts set to a non-literal boolean may be. */
export type BeidReadResult<O extends BeidReadOptions> = Flatten<
  { [K in keyof O & keyof BeidParts as O[K] extends true ? K : never]: BeidParts[K] } & {
    [K in keyof O & keyof BeidParts as O[K] extends true ? never : O[K] extends false | undefined ? never : K]?: BeidParts[K];
  }
>;
