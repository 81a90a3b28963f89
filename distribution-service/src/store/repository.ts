import type { ApplicationStore } from './applications.js';
import type { AuditStore } from './audit.js';
import type { DeviceStore } from './devices.js';
import type { ReleaseStore } from './releases.js';
import type { TransactionStore } from './transactions.js';
import type { UserStore } from './users.js';

/**
 * The storage the DS needs, one narrow interface per area. SQLite (store/sqlite/) and
 * PostgreSQL (store/postgres/) implement every one; all methods are async. Times are ISO 8601
 * UTC strings, ids are opaque strings. Methods that must be atomic say so.
 */
export interface Repository {
  applications: ApplicationStore;
  devices: DeviceStore;
  transactions: TransactionStore;
  users: UserStore;
  releases: ReleaseStore;
  audit: AuditStore;
  close(): Promise<void>;
}

export type * from './applications.js';
export type * from './audit.js';
export type * from './devices.js';
export type * from './releases.js';
export type * from './transactions.js';
export type * from './users.js';
export type { LogLevel, Transaction as IncomingTransaction, UseCase } from '@cardlink/ds-protocol';
