/** The billable use cases, as the connector's schema names them. */
export const USE_CASES = [
  'IDENTITY_READ',
  'AUTHENTICATION',
  'SIGNATURE',
  'PIN_VERIFICATION',
  'PIN_CHANGE',
  'CONSENT',
  'FILE_DOWNLOAD',
  'FILE_UPLOAD',
  'FILE_PRINT',
] as const;

export type UseCase = (typeof USE_CASES)[number];

/** One anonymised usage record as the connector sends it. */
export interface IncomingTransaction {
  id: string;
  useCase: UseCase;
  module: string;
  result: string;
  occurredAt: string;
  label: string;
  tag: string | null;
}

/** Same alphabet as the connector's labels and tags; ids are UUIDs in practice. */
export const TOKEN_PATTERN = '^[A-Za-z0-9._:-]{1,64}$';
export const RESULT_PATTERN = '^[A-Za-z0-9_.:-]{1,64}$';
export const LABEL_RE = new RegExp(TOKEN_PATTERN);

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
