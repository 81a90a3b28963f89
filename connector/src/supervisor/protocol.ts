/**
 * IPC between the supervisor and its workers (child_process.fork, JSON serialisation).
 * Accepted sockets travel as the string message 'connection' with the socket as handle,
 * the way Node's cluster hands connections to workers.
 */
export const CONNECTION = 'connection';

/**
 * Routed connections travel as `{ t: 'connection', id }` with the socket as handle; the
 * supervisor keeps its copy open until the worker answers `took` (so a connection handed to a
 * worker that dies before taking it is routed again instead of being lost). The bare string
 * 'connection' (health checks) needs no answer.
 */
export interface ConnectionMessage {
  t: 'connection';
  id: number;
}

export type ToWorker =
  /** Run the DS sync timer: only the routed worker does, so two syncs never overlap. */
  | { t: 'activate' }
  /** No longer routed: stop the sync timer, answer with `Connection: close`, close idle sockets; reply `drained`. */
  | { t: 'drain' }
  /** Routed again (rollback within the grace period). */
  | { t: 'undrain' }
  /** Finish what is in flight, then exit. */
  | { t: 'exit' }
  | { t: 'sync-now' }
  | { t: 'idle?' };

export type FromWorker =
  | { t: 'ready'; version: string; pid: number }
  | { t: 'took'; id: number }
  | { t: 'drained' }
  | { t: 'idle'; inFlight: number; idleMs: number }
  /** A release was verified and staged in versions/<version>/. */
  | { t: 'staged'; version: string; flag: string }
  /** An offer failed verification or staging; recorded as failed and reported to the DS. */
  | { t: 'rejected'; version: string; reason: string };

export const isMessage = (m: unknown): m is { t: string } => typeof m === 'object' && m !== null && typeof (m as { t?: unknown }).t === 'string';
