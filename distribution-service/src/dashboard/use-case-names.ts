import type { UseCase } from '@cardlink/ds-protocol';

/** How people read a use case on the dashboard's pages; CSV and the API keep the protocol's names. */
export const USE_CASE_NAMES: Record<UseCase, string> = {
  IDENTITY_READ: 'Identity read',
  AUTHENTICATION: 'Authentication',
  SIGNATURE: 'Signature',
  PIN_VERIFICATION: 'PIN verification',
  PIN_CHANGE: 'PIN change',
  CONSENT: 'Consent',
  FILE_DOWNLOAD: 'File download',
  FILE_UPLOAD: 'File upload',
  FILE_PRINT: 'File print',
};
