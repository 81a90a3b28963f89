/** Shapes of the DS protocol v1 (distribution-service/PROTOCOL.md), as the connector uses them. */
import type { OriginEntry } from '../origins/allow-list.js';
import type { Transaction } from '../transactions/transaction-store.js';

export interface CorsPayload {
  version: number;
  entries?: OriginEntry[];
  unchanged?: true;
}

export interface DsConfigPayload {
  version: number;
  dsCycleSeconds?: number;
  logLevel?: string;
}

export interface RenewalWindow {
  windowStart: string;
  windowEnd: string;
}

export interface RegisterRequest {
  installToken: string;
  csr: string;
  version: string;
  os: string;
}

export interface RegisterResponse {
  deviceId: string;
  certificate: string;
  caChain: string[];
  notAfter: string;
  serial: string;
  renewal?: RenewalWindow;
  config: DsConfigPayload;
  cors: CorsPayload;
  nextSyncAfterSeconds: number;
  serverTime: string;
}

export interface SyncRequest {
  version: string;
  os: string;
  uptimeSeconds: number;
  lastError: string | null;
  certificate: { serial: string; notAfter: string };
  csr?: string;
  corsVersion?: number;
  configVersion?: number;
  transactions: Transaction[];
  /** The cycle this connector keeps when its organisation sets none: sent when `--ds.cycle` was given (the DS cannot know it otherwise). */
  cycleSeconds?: number;
  /** Connectors that can update: the running version and versions that failed here (PROTOCOL.md, "Updates"). */
  updateStatus?: { current?: string; failed?: { version: string; reason: string }[] };
}

/** A release the DS offers this device. */
export interface UpdateOfferPayload {
  release: { manifest: string; signature: string };
  /** Path of the package on the DS. */
  url: string;
  flag: string;
}

export interface SyncResponse {
  ack: string[];
  cors: CorsPayload;
  config: DsConfigPayload;
  certificate?: { pem: string; caChain: string[]; serial: string; notAfter: string };
  certificateError?: { code: string; message: string };
  renewal?: RenewalWindow;
  nextSyncAfterSeconds: number;
  serverTime: string;
  update?: UpdateOfferPayload;
}

/** Most transactions one sync may carry. */
export const MAX_BATCH = 1000;
