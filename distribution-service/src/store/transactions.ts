import type { Transaction as IncomingTransaction } from '@cardlink/ds-protocol';
import type { DeviceCertificate } from './devices.js';

export interface DeviceStatus {
  version: string;
  os: string;
  uptimeSeconds: number;
  lastError: string | null;
  certSerial: string;
  certNotAfter: string;
  lastSyncAt: string;
  corsVersionReported: number | null;
  corsVersionSent: number;
  configVersionSent: number;
  nextSyncAfterSeconds: number;
  canUpdate: boolean;
}

export interface SyncWrite {
  deviceId: string;
  orgId: string;
  receivedAt: string;
  status: DeviceStatus;
  transactions: readonly IncomingTransaction[];
  /**
   * A certificate issued in this sync, stored in the same DB transaction. Every other live
   * certificate of the device except `retainSerial` (the one that signed the renewal) is retired.
   */
  certificate?: DeviceCertificate;
  retainSerial?: string;
  /**
   * The signed request's identity: (deviceId, timestamp) is stored until `expiresAt` (ms) and a
   * second write with the same pair fails the whole transaction with AUTH_REPLAY.
   */
  request?: { timestamp: number; expiresAt: number };
}

export type ReportDimension = 'label' | 'tag' | 'useCase' | 'module' | 'result' | 'month' | 'day';

export interface TransactionReportQuery {
  orgId: string;
  /** Inclusive lower bound on occurredAt. */
  from?: string;
  /** Exclusive upper bound on occurredAt. */
  to?: string;
  by: readonly ReportDimension[];
  /** Only transactions of this label. */
  label?: string;
  /** Only transactions with this result (e.g. OK). */
  result?: string;
}

/** Rows come ordered by the dimensions, in the order given (NULL tags first). */
export type ReportRow = Partial<Record<ReportDimension, string | null>> & { count: number };

/** Distinct devices with at least one matching transaction, per group. */
export type ActiveDeviceRow = Partial<Record<ReportDimension, string | null>> & { devices: number };

export interface InstallReportRow {
  orgId: string;
  label: string;
  month: string;
  devices: number;
}

/** The transactions devices report: the sync write and the billing reports over them. */
export interface TransactionStore {
  /**
   * One DB transaction: insert the transactions (exactly once per (device, id)), record the
   * device status, store an issued certificate. Returns how many rows were new.
   */
  recordSync(write: SyncWrite): Promise<number>;
  transactionReport(query: TransactionReportQuery): Promise<ReportRow[]>;
  installReport(query: { orgId?: string; from?: string; to?: string }): Promise<InstallReportRow[]>;
  /** Like transactionReport, counting distinct devices instead of transactions. */
  activeDeviceReport(query: TransactionReportQuery): Promise<ActiveDeviceRow[]>;
  /** Labels seen in the organisation's transactions, sorted (for the report filter). */
  transactionLabels(orgId: string): Promise<string[]>;
  countTransactions(deviceId?: string): Promise<number>;
}
