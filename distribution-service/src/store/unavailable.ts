/**
 * Errors that say the database cannot be reached right now (restart, failover, network),
 * not that the request or the DS is wrong: the HTTP layer answers 503 STORE_UNAVAILABLE so
 * clients retry, as they would after a 500, without a bug being logged.
 */
const CODES = new Set([
  // PostgreSQL: admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections
  '57P01', '57P02', '57P03', '53300',
  // sockets
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT',
  // SQLite: another writer held the lock past busy_timeout
  'SQLITE_BUSY',
]);

export function isStoreUnavailable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = String((err as { code?: unknown }).code ?? '');
  // SQLSTATE class 08: connection exceptions.
  if (CODES.has(code) || code.startsWith('08')) return true;
  const message = String((err as { message?: unknown }).message ?? '');
  return /^Connection terminated|^connection timeout|Client has encountered a connection error/i.test(message);
}
