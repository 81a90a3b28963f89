import pino, { type Logger, type DestinationStream } from 'pino';

export type { Logger };

/**
 * Paths pino censors wherever they appear. The connector logs no payloads on purpose;
 * this list is the safety net for the day someone logs an object carelessly.
 */
export const REDACT_PATHS = [
  'pin', '*.pin', 'oldPin', '*.oldPin', 'newPin', '*.newPin', 'input.pin', 'input.oldPin', 'input.newPin',
  'variables', '*.variables', 'query', '*.query', 'body', '*.body', 'data', '*.data',
  'hash', '*.hash', 'signature', '*.signature', 'file', '*.file', 'name', '*.name',
  'fileName', '*.fileName', 'path', '*.path', 'subfolder', '*.subfolder',
  'identity', '*.identity', 'address', '*.address', 'photo', '*.photo',
  'nationalNumber', '*.nationalNumber', 'surname', '*.surname', 'firstNames', '*.firstNames',
  'cardNumber', '*.cardNumber', 'chipNumber', '*.chipNumber', 'subject', '*.subject',
  'req.headers.authorization', 'headers.authorization', 'token', '*.token',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    // Buffered: log lines cost the request path no syscall each; flushed on exit.
    destination ?? pino.destination({ fd: 1, sync: false, minLength: 4096 }),
  );
}
