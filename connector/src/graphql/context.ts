import type { Logger } from 'pino';
import type { TransactionStore } from '../transactions/transaction-store.js';
import type { ReaderSource } from '../card/reader-types.js';
import type { CardCaller } from '../card/card-caller.js';
import type { BeidService } from '../card/modules/beid/beid-service.js';
import type { Pkcs11Service } from '../card/modules/pkcs11/pkcs11-service.js';
import type { FileService } from '../files/file-service.js';
import type { FileTransfers } from '../files/file-transfers.js';
import type { PrintService } from '../printing/print-service.js';
import type { AppSettings } from '../origins/allow-list.js';
import type { PendingOperations } from '../pages/pending-operations.js';
import type { ConsentStore } from '../pages/consent-store.js';
import type { SyncReport } from '../ds/sync-report.js';

/** Long-lived services the resolvers call; resolvers never touch hardware or SQL directly. */
export interface Services {
  readonly version: string;
  readonly startedAt: number;
  readers: ReaderSource;
  transactions: TransactionStore;
  /** The Belgian eID module over the card layer. */
  beid: BeidService | undefined;
  /** Tokens through PKCS#11 libraries, each library in its own host process. */
  pkcs11: Pkcs11Service | undefined;
  /** Device id once registered with a DS. */
  deviceId(): string | null;
  managed(): boolean;
  /** Mapped folders (file types) and the one-time URLs that stream files to pages. */
  files: { service: FileService; transfers: FileTransfers };
  /** Local printers through CUPS. */
  printing: PrintService;
  /** An application's settings (PIN entry, consent, PIN reuse) by label. */
  appSettings(label: string): AppSettings;
  /** Operations waiting for the user on the connector's own pages (PIN entry, consent). */
  operations: PendingOperations;
  /** Consent and last card use per origin. */
  consents: ConsentStore;
  /** A DS sync now (set when the connector is managed by a DS). */
  ds?: { syncNow(): Promise<SyncReport> } | undefined;
  log: Logger;
}

/** Per-request context built by the HTTP pipeline after the guards passed. */
export interface RequestContext {
  services: Services;
  /** Label of the calling application (from the origin allow-list). */
  label: string;
  /** The page's tag (T1C-Tag header), or null. */
  tag: string | null;
  origin: string | null;
  /** Application (allow-list entry) and browser tab, to whom a verified PIN belongs. */
  cardCaller: CardCaller;
  /** The Host header the page used (already checked by the host guard); for URLs back to the connector. */
  host?: string | undefined;
  /** Aborted when the client goes away (created on first call). */
  abortSignal: () => AbortSignal;
}
