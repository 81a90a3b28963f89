import { isIP } from 'node:net';
import type { Level } from 'pino';

/** Validated options of `connector start`. */
export interface StartOptions {
  port: number;
  host: string;
  dataDir: string;
  originsFile: string | undefined;
  dsUrl: string | undefined;
  dsToken: string | undefined;
  /** Extra CA (PEM file) to trust for the DS's own HTTPS certificate. */
  dsCaFile: string | undefined;
  dsCycleSeconds: number;
  /** `--ds.cycle` was given explicitly (it then wins over the DS's default hint). */
  dsCycleExplicit: boolean;
  /** Upper bound of the random delay before the first sync at a later start. */
  dsInitialDelayMaxSeconds: number;
  logLevel: Level | 'silent';
  /** Requests per second each origin may send (token bucket refill rate). */
  rateLimit: number;
  /** Largest request body accepted, in bytes (file uploads have their own per-type limit). */
  maxBodyBytes: number;
  virtualCard: '1.7' | '1.8' | undefined;
  /** Bound of one PKCS#11 library call in ms (`--pkcs11.timeout`); past it the library's process is restarted. */
  pkcs11TimeoutMs?: number;
  /** Bound of one native PC/SC call (an APDU, a connect, a reset), ms (`--card.apdu-timeout`). */
  cardApduTimeoutMs?: number;
  /** Bound of one card operation holding a reader, ms (`--card.operation-timeout`). */
  cardOperationTimeoutMs?: number;
  /** Reset a card's security state (verified PIN) after this many idle seconds; 0: never (`--card.idle-reset`). */
  cardIdleResetSeconds?: number;
  /** Run as the supervisor: own the socket, run the connector as a worker child, apply updates. */
  supervise?: boolean;
  /** Run as a supervised worker (internal): serve sockets handed over IPC, sync only when told. */
  worker?: boolean;
  /** Release public key to pin at install (`--update.key`). */
  updateKeyFile?: string | undefined;
  /** Seconds the previous worker stays available for a rollback after a handover. */
  updateGraceSeconds?: number;
  /** Seconds without a request before a recommended update applies. */
  updateIdleSeconds?: number;
  /** Seconds a new worker has to start and pass its health check. */
  updateHealthTimeoutSeconds?: number;
}

export class OptionError extends Error {
  readonly code = 'INVALID_OPTION';
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function parsePort(value: string): number {
  const n = Number(value);
  // 0 asks the OS for a free port (tests, side-by-side instances).
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new OptionError(`port must be an integer 0-65535, got "${value}"`);
  return n;
}

/** The connector only ever listens on loopback. */
export function parseHost(value: string): string {
  const v = value.toLowerCase();
  if (v === 'localhost' || v === '127.0.0.1' || v === '::1') return v;
  if (isIP(v) === 4 && v.startsWith('127.')) return v;
  throw new OptionError(`host must be a loopback address (127.0.0.1, ::1 or localhost), got "${value}"`);
}

export function parsePositiveInt(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new OptionError(`${name} must be an integer between ${min} and ${max}, got "${value}"`);
    }
    return n;
  };
}

/** ds.cycle: at least a minute, at most a week. */
export const parseDsCycle = parsePositiveInt('ds.cycle', 60, 7 * 24 * 3600);

export function parseDsUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new OptionError(`ds.url must be an absolute URL, got "${value}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new OptionError('ds.url must use https (or http for a local DS)');
  return url.toString().replace(/\/$/, '');
}

export function parseLogLevel(value: string): StartOptions['logLevel'] {
  if ((LOG_LEVELS as readonly string[]).includes(value)) return value as StartOptions['logLevel'];
  throw new OptionError(`log-level must be one of ${LOG_LEVELS.join(', ')}`);
}
