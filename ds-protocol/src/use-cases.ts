/** The billable use cases, as the connector's GraphQL schema names them (the connector checks they agree). */
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

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Who types the PIN for an application: the connector's own page, or (legacy) the host page. */
export const PIN_ENTRIES = ['CONNECTOR_PAGE', 'HOST_PAGE'] as const;
export type PinEntry = (typeof PIN_ENTRIES)[number];
/** When the user must consent before an application reads identity data. */
export const CONSENT_MODES = ['OFF', 'ONCE_PER_ORIGIN', 'EVERY_SESSION'] as const;
export type ConsentMode = (typeof CONSENT_MODES)[number];
export const MAX_PIN_REUSE_MINUTES = 1440;
