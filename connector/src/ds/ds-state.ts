/**
 * Where the DS sync keeps its state in the state store, and the status it reports: apart from
 * the DS client so that `connector status` and the GraphQL sync report do not load the client's
 * HTTP stack (undici) and key code (node-forge) into a connector that has no DS.
 */
export const STATE = {
  deviceId: 'ds.deviceId',
  cors: 'ds.cors',
  config: 'ds.config',
  renewal: 'ds.renewal',
  status: 'ds.status',
} as const;

export interface DsStatus {
  url: string;
  lastSyncAt?: string;
  lastResult?: 'ok' | 'error';
  lastError?: string | null;
  nextSyncAt?: string;
  acknowledged?: number;
}
