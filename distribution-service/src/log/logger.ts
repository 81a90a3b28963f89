import { pino, type Logger } from 'pino';

/** JSON logs on stderr, so stdout stays free for command output (e.g. the `listening` line). */
export function createLogger(level = 'info'): Logger {
  return pino({ level, base: { service: 'ds' } }, pino.destination({ fd: 2, sync: false }));
}
