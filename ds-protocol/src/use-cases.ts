/** The billable use cases, as the connector's GraphQL schema names them (the connector checks they agree). */
export const USE_CASES = [
  'IDENTITY_READ',
  'AUTHENTICATION',
  'SIGNATURE',
  'PIN_VERIFICATION',
  'FILE_DOWNLOAD',
  'FILE_UPLOAD',
  'FILE_PRINT',
] as const;

export type UseCase = (typeof USE_CASES)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
